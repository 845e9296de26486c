"""The JSON API: ``/api/...``. Lists are paginated (``limit``/``offset``) and filterable by
date range, outlet and text; every response is JSON, every error a problem document."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from .analyze import AnalyzeRequest, Inputs, Upload
from .data import Filters, StoreReader
from .problems import Problem

router = APIRouter(prefix="/api")

ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
ID = r"^[A-Za-z0-9_.:\-]{1,128}$"


def filters(
    q: Annotated[str | None, Query(max_length=200, description="Words that must all appear (case-insensitive)")] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="Outlet name (case-insensitive)")] = None,
    date_from: Annotated[str | None, Query(pattern=ISO_DAY, description="Earliest date, YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(pattern=ISO_DAY, description="Latest date, YYYY-MM-DD")] = None,
) -> Filters:
    return Filters(q=q or None, outlet=outlet or None, date_from=date_from, date_to=date_to)


class Page:
    def __init__(self, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                 offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> None:
        self.limit = limit
        self.offset = offset


def paged(request: Request, page: Page, total: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    nxt = None
    if page.offset + len(items) < total:
        params = dict(request.query_params)
        params["offset"] = str(page.offset + page.limit)
        nxt = f"{request.url.path}?{urlencode(params)}"
    return {"total": total, "limit": page.limit, "offset": page.offset, "items": items, "next": nxt}


def reader(request: Request) -> StoreReader:
    return request.app.state.reader  # type: ignore[no-any-return]


Reader = Annotated[StoreReader, Depends(reader)]
Filt = Annotated[Filters, Depends(filters)]
Pg = Annotated[Page, Depends()]


@router.get("/articles", summary="Articles, newest first", tags=["articles"])
def list_articles(request: Request, r: Reader, f: Filt, page: Pg,
                  story_id: Annotated[str | None, Query(pattern=ID)] = None) -> dict[str, Any]:
    total, rows = r.articles(Filters(**{**f.__dict__, "story_id": story_id}), page.limit, page.offset)
    return paged(request, page, total, rows)


@router.get("/articles/{article_id}", summary="One article with its sentences", tags=["articles"])
def get_article(r: Reader, article_id: str) -> dict[str, Any]:
    art = r.article(article_id)
    if art is None:
        raise Problem(404, f"no article {article_id!r}")
    return art


@router.get("/stories", summary="Stories, newest first, with their outlets and fact counts", tags=["stories"])
def list_stories(request: Request, r: Reader, f: Filt, page: Pg) -> dict[str, Any]:
    total, rows = r.stories(f, page.limit, page.offset)
    return paged(request, page, total, rows)


def story_detail(r: StoreReader, story_id: str) -> dict[str, Any]:
    full = r.resolve_story(story_id)
    if full is None:
        raise Problem(404, f"no single story matches {story_id!r}")
    doc = r.story_document(full)

    def one(key: str) -> Any:
        return next((x for x in doc.get(key, []) if x.get("story_id") == full), None)

    return {
        "schema_version": doc["schema_version"],
        "story": doc["stories"][0],
        "articles": doc["articles"],
        "facts": doc["facts"],
        "quotes": doc["quotes"],
        "actors": doc["actors"],
        "dates": doc["dates"],
        "quantities": doc["quantities"],
        "places": doc.get("places", []),
        "events": doc["events"],
        "timeline": (one("timeline") or {}).get("entries", []),
        "summary": one("summary"),
        "framing": one("framing"),
    }


@router.get("/stories/{story_id}", tags=["stories"],
            summary="One story: articles (with sentences), facts, quotes, events, timeline, summary, framing",
            description="`story_id` may be a unique prefix of the id.")
def get_story(r: Reader, story_id: str) -> JSONResponse:
    # Returned as a response, not a dict: FastAPI's per-value encoder walk costs more than
    # the store query on a big story, and the document is plain JSON already.
    return JSONResponse(story_detail(r, story_id))


@router.get("/quotes", summary="Quotes, filterable by speaker", tags=["quotes"])
def list_quotes(request: Request, r: Reader, f: Filt, page: Pg,
                speaker: Annotated[str | None, Query(max_length=200, description="Part of the speaker's name")] = None,
                story_id: Annotated[str | None, Query(pattern=ID)] = None) -> dict[str, Any]:
    total, rows = r.quotes(Filters(**{**f.__dict__, "speaker": speaker, "story_id": story_id}),
                           page.limit, page.offset)
    return paged(request, page, total, rows)


@router.get("/events", summary="Coded events (who did what to whom), each with the articles citing it",
            tags=["events"])
def list_events(request: Request, r: Reader, f: Filt, page: Pg,
                story_id: Annotated[str | None, Query(pattern=ID)] = None,
                cameo_root: Annotated[str | None, Query(pattern=r"^\d{2}$")] = None,
                plover_type: Annotated[str | None, Query(max_length=40)] = None) -> dict[str, Any]:
    total, rows = r.events(Filters(**{**f.__dict__, "story_id": story_id}), page.limit, page.offset,
                           cameo_root=cameo_root, plover_type=plover_type)
    return paged(request, page, total, rows)


_ANALYZE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": AnalyzeRequest.model_json_schema()},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "text": {"type": "array", "items": {"type": "string"}},
                "outlet": {"type": "array", "items": {"type": "string"}},
                "title": {"type": "array", "items": {"type": "string"}},
                "published": {"type": "array", "items": {"type": "string"}},
                "urls": {"type": "string", "description": "one URL per line"},
                "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
            }}},
        },
    }
}


async def read_inputs(request: Request) -> tuple[Inputs, bool]:
    """Pasted text, uploads and URLs from a JSON body or a form (multipart or urlencoded)."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    limit = request.app.state.max_upload_bytes
    if ctype == "application/json":
        from pydantic import ValidationError

        try:
            body = AnalyzeRequest.model_validate_json(await request.body())
        except ValidationError as exc:
            errors = [{"loc": [str(x) for x in e["loc"]], "msg": e["msg"]} for e in exc.errors()]
            raise Problem(422, "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors),
                          title="Invalid request", errors=errors) from None
        return Inputs(articles=list(body.articles), urls=list(body.urls)), body.store
    if ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        from pydantic import ValidationError
        from starlette.datastructures import UploadFile

        from .analyze import MAX_ITEMS, PastedArticle

        form = await request.form(max_files=MAX_ITEMS, max_fields=500, max_part_size=limit)
        texts = [t for t in form.getlist("text")]
        cols = {k: form.getlist(k) for k in ("outlet", "title", "published", "url")}
        inputs = Inputs()
        for i, t in enumerate(texts):
            if not isinstance(t, str) or not t.strip():
                continue
            meta: dict[str, str | None] = {}
            for k, v in cols.items():
                val = v[i] if i < len(v) else None
                meta[k] = val.strip() or None if isinstance(val, str) else None
            try:
                inputs.articles.append(PastedArticle(text=t, **meta))
            except ValidationError as exc:
                raise Problem(422, f"article {i + 1}: {exc.errors()[0]['msg']}", title="Invalid request") from None
        for up in form.getlist("files"):
            if isinstance(up, UploadFile) and up.filename:
                data = await up.read()
                if data:
                    inputs.files.append(Upload(up.filename or "", data, up.content_type))
        urls = form.get("urls")
        if isinstance(urls, str):
            inputs.urls = [u.strip() for u in urls.splitlines() if u.strip()][:MAX_ITEMS]
        store_flag = str(form.get("store", "true")).lower() not in ("0", "false", "no", "off")
        await form.close()
        return inputs, store_flag
    raise Problem(415, "send application/json, multipart/form-data or application/x-www-form-urlencoded",
                  title="Unsupported Media Type")


async def run_analysis(request: Request) -> tuple[Any, dict[str, Any], bool]:
    """Read the inputs, analyse them (in a worker thread), store unless read-only."""
    from starlette.concurrency import run_in_threadpool

    from ..document import build_document

    inputs, want_store = await read_inputs(request)
    app = request.app
    analysis = await run_in_threadpool(app.state.analyzer.run, inputs)
    stored = False
    if want_store and not app.state.read_only:
        r: StoreReader = app.state.reader

        def save() -> None:
            with r.locked() as store:
                store.save_analysis(analysis)
                r.generation += 1

        await run_in_threadpool(save)
        stored = True
    return analysis, build_document(analysis), stored


@router.post("/analyze", tags=["analyze"], openapi_extra=_ANALYZE_BODY,
             summary="Analyze pasted text, uploaded files or URLs; returns the analysis document",
             description="JSON (`AnalyzeRequest`) or a form. Uploads are limited in size (413 beyond); URLs "
                         "only when the server was started with --allow-urls (403 otherwise). The result is "
                         "stored unless the server is read-only or `store` is false; the response header "
                         "`X-Rashomon-Stored` says which.")
async def analyze(request: Request) -> JSONResponse:
    _analysis, doc, stored = await run_analysis(request)
    return JSONResponse(doc, headers={"X-Rashomon-Stored": "true" if stored else "false"})
