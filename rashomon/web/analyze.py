"""``POST /api/analyze`` and the paste page: pasted text, uploaded files or URLs in, the
analysis out.

The inputs go through the same library functions as ``rashomon analyze``: ingest's
``iter_bytes`` for text and files (format detection, datelines, captions, content-hash
ids), ingest's URL reader with its guards (timeouts, size limit, private and loopback
addresses refused) for URLs, and :func:`rashomon.pipeline.analyze_articles` for the rest.
URLs are refused unless the server was started with ``--allow-urls``.

The spaCy pipeline is loaded on the first request and kept; analyses run one at a time
(one process's worth of CPU, and a spaCy ``Language`` is not meant to be shared by
threads).
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..records import Analysis, Article, IngestFailure
from .problems import Problem

__all__ = ["AnalyzeRequest", "Analyzer", "PastedArticle", "Upload"]

_ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
MAX_ITEMS = 50


class PastedArticle(BaseModel):
    """One pasted article; metadata given here wins over what is found in the text."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, description="Article text; a first line that looks like a title is one.")
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(default=None, pattern=_ISO_DAY, description="YYYY-MM-DD")
    url: str | None = None


class AnalyzeRequest(BaseModel):
    """JSON body of ``POST /api/analyze``."""

    model_config = ConfigDict(extra="forbid")
    articles: list[PastedArticle] = Field(default_factory=list, max_length=MAX_ITEMS)
    urls: list[str] = Field(default_factory=list, max_length=MAX_ITEMS,
                            description="http(s) URLs; only when the server runs with --allow-urls")
    store: bool = Field(default=True, description="Also store the result (ignored on a read-only server).")


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    content_type: str | None = None


@dataclass
class Inputs:
    articles: list[PastedArticle] = field(default_factory=list)
    files: list[Upload] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.articles or self.files or self.urls)


def _split_result(result: Any) -> tuple[list[Article], list[IngestFailure]]:
    if hasattr(result, "articles"):
        return list(result.articles), list(getattr(result, "failures", ()))
    items = list(result)
    return ([x for x in items if isinstance(x, Article)], [x for x in items if isinstance(x, IngestFailure)])


_SAFE_NAME = re.compile(r"[^\w.\- ]+")


def _upload_name(name: str, i: int) -> str:
    """The client's file name, reduced to a label: it only names the source, never a path."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _SAFE_NAME.sub("_", base).strip(" .")[:120]
    return base or f"upload-{i + 1}"


class Analyzer:
    """Runs the pipeline for the web app (nlp loaded once, one analysis at a time)."""

    def __init__(self, *, allow_urls: bool = False, max_bytes: int = 10_000_000) -> None:
        self.allow_urls = allow_urls
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._nlp: Any = None

    def _read(self, inputs: Inputs) -> tuple[list[Article], list[IngestFailure]]:
        if inputs.urls:
            if not self.allow_urls:
                raise Problem(403, "fetching URLs is off on this server; start it with --allow-urls",
                              title="URLs not allowed")
            bad = [u for u in inputs.urls if not u.lower().startswith(("http://", "https://"))]
            if bad:
                raise Problem(422, f"only http(s) URLs can be fetched, not {bad[0][:80]!r}")
        try:
            from ..ingest import ingest, iter_bytes
        except ImportError as exc:  # ingest is a separate stage; say so rather than guess
            raise Problem(503, f"ingest is not available in this installation ({exc})") from exc
        articles: list[Article] = []
        failures: list[IngestFailure] = []
        for i, item in enumerate(inputs.articles):
            arts, fails = _split_result(iter_bytes(item.text.encode("utf-8"), f"pasted-{i + 1}.txt", "text",
                                                   max_bytes=self.max_bytes))
            meta: dict[str, Any] = {k: v for k, v in (("title", item.title), ("outlet", item.outlet),
                                      ("published", item.published), ("url", item.url)) if v}
            articles.extend(dataclasses.replace(a, **meta) for a in arts)
            failures.extend(fails)
        for i, up in enumerate(inputs.files):
            arts, fails = _split_result(iter_bytes(up.data, _upload_name(up.filename, i), None,
                                                   content_type=up.content_type, max_bytes=self.max_bytes))
            articles.extend(arts)
            failures.extend(fails)
        if inputs.urls:
            arts, fails = _split_result(ingest(list(inputs.urls), allow_urls=True, allow_private=False,
                                               max_bytes=self.max_bytes))
            articles.extend(arts)
            failures.extend(fails)
        return articles, failures

    def run(self, inputs: Inputs) -> Analysis:
        from .. import pipeline

        if inputs.empty():
            raise Problem(422, "nothing to analyze: paste text, upload files or give URLs")
        articles, failures = self._read(inputs)
        if not articles:
            reasons = "; ".join(f"{f.source}: {f.reason}" for f in failures[:5])
            raise Problem(422, f"no input could be read ({reasons or 'empty'})", title="Input could not be read",
                          failures=[{"source": f.source, "reason": f.reason} for f in failures])
        with self._lock:
            if self._nlp is None:
                from ..annotate import load_nlp

                self._nlp = load_nlp()
            analysis = pipeline.analyze_articles(_unique(articles), nlp=self._nlp, options=built_stages())
        return dataclasses.replace(analysis, failures=tuple(failures))


def built_stages() -> Any:
    """Pipeline options that skip the story-level stages this installation lacks.

    Compare/summarize and events are separate parts of Rashomon; where one is missing the
    analysis comes back without its facts or events (the pages say "no facts computed")
    instead of failing as a whole.
    """
    import importlib

    from ..pipeline import Options

    def has(module: str, *names: str) -> bool:
        try:
            mod = importlib.import_module(module)
        except ImportError:
            return False
        return all(hasattr(mod, n) for n in names)

    return Options(compare=has("rashomon.compare", "compare_story") and has("rashomon.summarize", "summarize_story"),
                   events=has("rashomon.events", "code_events"))


def _unique(articles: Sequence[Article]) -> list[Article]:
    """The same text pasted twice is one article (ids are content hashes)."""
    seen: set[str] = set()
    out = []
    for a in articles:
        if a.id not in seen:
            seen.add(a.id)
            out.append(a)
    return out
