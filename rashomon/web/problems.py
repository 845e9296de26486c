"""Errors as RFC 9457 problem details, rendered by one handler (datasette's habit).

Every failure a client can see is ``application/problem+json`` with ``type``, ``title``,
``status`` and ``detail`` (pages asked for by a browser get the same fields as an HTML
page). Unexpected exceptions are logged with their traceback on the server and reach the
client as a bare 500 without it: article text and file paths stay on the server.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ConfigError, IngestError, RashomonError, StoreError

__all__ = ["SECURITY_HEADERS", "Problem", "handle_exception", "problem_response"]

log = logging.getLogger("rashomon.web")

PROBLEM_BASE = "https://rashomon.invalid/problems/"

#: Sent with every response. The pages use only their own stylesheet and script, so the
#: policy can forbid inline script, inline style, plugins, framing and foreign hosts.
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class Problem(Exception):
    """An error with its HTTP status; raise it anywhere in a handler."""

    def __init__(self, status: int, detail: str, *, title: str | None = None, type_: str | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.type = type_ or (PROBLEM_BASE + self.title.lower().replace(" ", "-"))
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "title": self.title, "status": self.status, "detail": self.detail,
                **self.extra}


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path.endswith(".json"):
        return False
    return "text/html" in request.headers.get("accept", "")


def problem_response(request: Request, problem: Problem) -> Response:
    headers = dict(SECURITY_HEADERS)
    if problem.status == 405 and "allow" in problem.extra:
        headers["Allow"] = str(problem.extra.pop("allow"))
    if _wants_html(request):
        from ..report import environment

        app = request.app
        html = environment().get_template("error.html.j2").render(
            problem=problem.body(), standalone=False, static_prefix="/static",
            read_only=getattr(app.state, "read_only", False))
        return HTMLResponse(html, status_code=problem.status, headers=headers)
    return JSONResponse(problem.body(), status_code=problem.status, headers=headers,
                        media_type="application/problem+json")


def _as_problem(exc: Exception) -> Problem:
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, RequestValidationError):
        errors = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))}
                  for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors) or "invalid request"
        return Problem(422, detail, title="Invalid request", errors=errors)
    if isinstance(exc, StarletteHTTPException):
        extra = {}
        if exc.status_code == 405 and exc.headers and "allow" in {k.lower() for k in exc.headers}:
            extra["allow"] = next(v for k, v in exc.headers.items() if k.lower() == "allow")
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).description
        if exc.status_code == 404 and detail == "Not Found":
            detail = "No such page or resource."
        return Problem(exc.status_code, detail, **extra)
    if isinstance(exc, IngestError):
        return Problem(422, str(exc), title="Input could not be read")
    if isinstance(exc, ConfigError):
        return Problem(400, str(exc), title="Bad option")
    stage = getattr(exc, "stage", None)
    if isinstance(exc, RashomonError) and stage:
        # A stage hit an error it did not expect (the runner's StageError): a server-side
        # fault; its message may name server paths, so only the stage is told.
        log.error("stage %s failed", stage, exc_info=exc)
        return Problem(500, f"the analysis failed in stage {stage!r}; the error has been logged",
                       title="Analysis failed")
    if isinstance(exc, RashomonError) and not isinstance(exc, StoreError):
        # Raised by a pipeline stage on the client's input; its message names the stage,
        # never the server's files.
        return Problem(422, str(exc), title="Analysis failed")
    log.error("unhandled error on the server", exc_info=exc)
    return Problem(500, "The server hit an unexpected error; it has been logged.")


async def handle_exception(request: Request, exc: Exception) -> Response:
    """The one exception handler: every error becomes a problem-details response."""
    return problem_response(request, _as_problem(exc))
