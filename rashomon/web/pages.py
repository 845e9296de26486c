"""Server-rendered pages: story list, story page, articles, quotes, paste, API docs.

The story page is rendered from the same template and view model as the single-file
report (:mod:`rashomon.report`); here the stylesheet and script are linked from
``/static`` instead of inlined.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..report import environment
from ..report.svg import KIND_COLORS, coverage_dots, coverage_header, stacked_bars
from ..report.view import KIND_LABELS, KINDS, document_view, story_view
from .api import ISO_DAY
from .data import Filters, StoreReader
from .problems import Problem

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
MAX_COLUMNS = 24


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    state = request.app.state
    html = environment().get_template(template).render(
        standalone=False, static_prefix="/static", read_only=state.read_only, **context)
    return HTMLResponse(html)


def _filters(q: str | None, outlet: str | None, date_from: str | None, date_to: str | None,
             speaker: str | None = None) -> Filters:
    import re

    def day(v: str | None) -> str | None:
        return v if v and re.match(ISO_DAY, v) else None

    return Filters(q=(q or "").strip()[:200] or None, outlet=(outlet or "").strip()[:200] or None,
                   date_from=day(date_from), date_to=day(date_to), speaker=(speaker or "").strip()[:200] or None)


def _pager(request: Request, total: int, offset: int, n: int) -> dict[str, Any]:
    params = dict(request.query_params)

    def url(off: int) -> str:
        return f"{request.url.path}?{urlencode({**params, 'offset': str(max(0, off))})}"

    return {"total": total, "offset": offset,
            "prev_url": url(offset - PAGE_SIZE) if offset > 0 else None,
            "next_url": url(offset + PAGE_SIZE) if offset + n < total else None}


Text = Annotated[str | None, Query(max_length=200)]
Off = Annotated[int, Query(ge=0, le=10_000_000)]


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request, q: Text = None, outlet: Text = None, date_from: Text = None,
                 date_to: Text = None, offset: Off = 0) -> HTMLResponse:
    r: StoreReader = request.app.state.reader
    f = _filters(q, outlet, date_from, date_to)
    total, rows = r.stories(f, PAGE_SIZE, offset)
    # Outlet columns: the outlets that cover most of the stories on this page.
    cover = Counter(o for s in rows for o in s["outlet_counts"])
    columns = [o for o, _ in sorted(cover.items(), key=lambda kv: (-kv[1], kv[0]))][:MAX_COLUMNS]
    for s in rows:
        s["dots"] = coverage_dots(columns, [o in s["outlet_counts"] for o in columns],
                                  counts=[s["outlet_counts"].get(o, 0) for o in columns])
        fc = s["fact_counts"]
        s["facts_bar"] = stacked_bars(
            [("facts", [(KIND_LABELS[k], fc.get(k, 0), KIND_COLORS[k]) for k in KINDS])],
            title="facts by label", width=220, label_width=0, bar_height=12) if fc else "–"
    page = {**_pager(request, total, offset, len(rows)), "items": rows}
    return render(request, "stories.html.j2", page=page, f=f, columns=columns, all_outlets=r.outlets(),
                  columns_head=coverage_header(columns) if columns else "",
                  db_name=request.app.state.db_name)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    r: StoreReader = request.app.state.reader
    full = r.resolve_story(story_id)
    if full is None:
        raise Problem(404, f"no single story matches {story_id!r}")
    if full != story_id:
        return RedirectResponse(f"/stories/{full}", status_code=307)  # type: ignore[return-value]
    cache = request.app.state.page_cache
    key = (full, r.generation)
    html = cache.get(key)
    if html is None:
        doc = r.story_document(full)
        html = environment().get_template("story.html.j2").render(
            v=story_view(doc, full), standalone=False, static_prefix="/static",
            read_only=request.app.state.read_only)
        cache.put(key, html)
    return HTMLResponse(html)


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request, q: Text = None, outlet: Text = None, date_from: Text = None,
                  date_to: Text = None, offset: Off = 0) -> HTMLResponse:
    r: StoreReader = request.app.state.reader
    f = _filters(q, outlet, date_from, date_to)
    total, rows = r.articles(f, PAGE_SIZE, offset)
    page = {**_pager(request, total, offset, len(rows)), "items": rows}
    return render(request, "articles.html.j2", page=page, f=f, all_outlets=r.outlets())


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(request: Request, speaker: Text = None, q: Text = None, outlet: Text = None,
                offset: Off = 0) -> HTMLResponse:
    r: StoreReader = request.app.state.reader
    f = _filters(q, outlet, None, None, speaker)
    total, rows = r.quotes(f, PAGE_SIZE, offset)
    page = {**_pager(request, total, offset, len(rows)), "items": rows}
    return render(request, "quotes.html.j2", page=page, f=f, all_outlets=r.outlets())


@router.get("/paste", response_class=HTMLResponse)
def paste_page(request: Request) -> HTMLResponse:
    state = request.app.state
    return render(request, "paste.html.j2", boxes=3, allow_urls=state.analyzer.allow_urls,
                  max_upload_mb=round(state.max_upload_bytes / 1_000_000, 1))


@router.post("/paste", response_class=HTMLResponse)
async def paste_submit(request: Request) -> HTMLResponse:
    from .api import run_analysis

    _analysis, doc, stored = await run_analysis(request)
    notice = ("Stored in the database: the stories are now in the story list." if stored else
              "Not stored (read-only server).")
    return render(request, "analysis.html.j2", views=document_view(doc), title="Your analysis",
                  n_articles=len(doc["articles"]), failures=doc["failures"], notice=notice)


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": _type(p.get("schema", {})), "description": p.get("description", "")}
                      for p in op.get("parameters", [])]
            body = list(op.get("requestBody", {}).get("content", {}))
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "params": params, "body": body})
    return render(request, "docs.html.j2", ops=ops)


def _type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    t = schema.get("type", "")
    if "pattern" in schema:
        return f"{t} ({schema['pattern']})"
    if "minimum" in schema or "maximum" in schema:
        return f"{t} [{schema.get('minimum', '')}..{schema.get('maximum', '')}]"
    return str(t)
