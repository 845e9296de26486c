"""The FastAPI application: ``create_app(db_path)`` serves a Rashomon store.

Layers, outermost first: the request-size guard (uploads are refused past the limit,
whether or not the client announced a length), security headers on every response
(a strict Content-Security-Policy: only the app's own script and stylesheet), then the
routes (:mod:`.api` JSON, :mod:`.pages` HTML, ``/static`` files from the package). One
exception handler turns every error into RFC 9457 problem details (:mod:`.problems`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import StoreError
from ..store import Store
from .analyze import Analyzer
from .data import StoreReader
from .problems import SECURITY_HEADERS, Problem, handle_exception

__all__ = ["DEFAULT_MAX_UPLOAD", "create_app"]

DEFAULT_MAX_UPLOAD = 10_000_000


class PageCache:
    """Rendered story pages, keyed by (story id, store generation); least recently used out."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[Any, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> str | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: Any, value: str) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response (pure ASGI: works for streams)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in self.raw if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuses request bodies larger than ``max_bytes`` with 413, before reading them all."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = Problem(413, f"request body larger than {self.max_bytes:,} bytes", title="Content Too Large")
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    from starlette.requests import Request

                    from .problems import problem_response

                    response = problem_response(Request(scope), too_big)
                    await response(scope, receive, send)
                    return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise too_big
            return message

        await self.app(scope, counted, send)


def create_app(db_path: str | Path, *, read_only: bool = False, allow_urls: bool = False,
               max_upload_bytes: int = DEFAULT_MAX_UPLOAD) -> FastAPI:
    """A FastAPI app over the DuckDB store at ``db_path``.

    ``read_only`` opens the store read-only (it must exist) and makes ``POST /api/analyze``
    return its analysis without storing it. ``allow_urls`` lets clients ask the server to
    fetch http(s) URLs (private and loopback addresses are always refused).
    """
    db = str(db_path)
    if read_only and db != ":memory:" and not Path(db).exists():
        raise StoreError(f"cannot serve {db} read-only: no such file")
    store = Store(db, read_only=read_only)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="Rashomon", version=__version__, lifespan=lifespan,
        description="Multi-source news analysis: stories, facts, quotes and events, every claim cited.",
        docs_url=None, redoc_url=None,  # Swagger UI/ReDoc load from a CDN; /docs is local (pages.py)
    )
    app.state.reader = StoreReader(store)
    app.state.read_only = read_only
    app.state.db_name = Path(db).name
    app.state.max_upload_bytes = max_upload_bytes
    app.state.analyzer = Analyzer(allow_urls=allow_urls, max_bytes=max_upload_bytes)
    app.state.page_cache = PageCache()

    for exc_type in (Exception, StarletteHTTPException, RequestValidationError, Problem):
        app.add_exception_handler(exc_type, handle_exception)

    from . import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    static = Path(__file__).with_name("static")
    app.mount("/static", StaticFiles(directory=static, follow_symlink=False), name="static")
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=max_upload_bytes + 64_000)  # room for the form's own fields
    return app
