"""RSS and Atom feeds: each entry is an article.

feedparser reads the feed (from bytes: it never fetches anything itself). Each entry
gives the title, link (``url``), author, the published (else updated) date as written in
the entry, and its text: the longest of its ``content`` blocks or its summary, HTML
turned into paragraphs. The outlet is the link's known outlet, else the feed's title.
An entry without text is its own failure (``feed.xml#3``). A feed feedparser cannot
read and that has no entries (``bozo``) is one failure.

Linked pages are fetched only with ``fetch_links`` (see :func:`rashomon.ingest.ingest`);
the fetched page then provides the text and the entry's fields fill what the page lacks.
When fetching fails the entry's own text is kept and the failed fetch is reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import IngestError
from ..records import Article, IngestFailure
from .build import build_article
from .dates import to_iso_date
from .html import fragment_paragraphs
from .outlets import known_outlet, outlet_from_url

#: fetch_page(url) -> Article (raising IngestError), supplied by the caller for fetch_links.
PageFetcher = Callable[[str, dict[str, Any]], Article]


def _entry_date(entry: Any) -> str | None:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if raw and (iso := to_iso_date(raw)):
            return iso
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    return None


def _entry_html(entry: Any) -> str:
    blocks = [c.get("value", "") for c in entry.get("content", []) or []]
    summary = entry.get("summary", "") or ""
    return max([*blocks, summary], key=len)


def read_feed(
    data: bytes,
    *,
    source: str,
    fetch_page: PageFetcher | None = None,
) -> Iterator[Article | IngestFailure]:
    """Articles (and per-entry failures) of an RSS/Atom feed held in ``data``."""
    import feedparser

    parsed = feedparser.parse(data)
    entries = parsed.get("entries", [])
    if not entries:
        if parsed.get("bozo"):
            exc = parsed.get("bozo_exception")
            raise IngestError(source, f"not a readable RSS/Atom feed ({exc})")
        raise IngestError(source, "feed has no entries")
    feed_title = (parsed.get("feed", {}) or {}).get("title")
    feed_link = (parsed.get("feed", {}) or {}).get("link")
    for n, entry in enumerate(entries, start=1):
        entry_source = f"{source}#{n}"
        link = entry.get("link")
        outlet = known_outlet(outlet_from_url(link)) or feed_title or outlet_from_url(link or feed_link)
        fields: dict[str, Any] = {
            "title": entry.get("title"),
            "outlet": outlet,
            "published": _entry_date(entry),
            "url": link,
            "author": (entry.get("author_detail") or {}).get("name") or entry.get("author"),
            "language": entry.get("language") or (parsed.get("feed", {}) or {}).get("language"),
            "external_id": entry.get("id"),
        }
        if fetch_page is not None and link:
            try:
                yield fetch_page(link, fields)
                continue
            except IngestError as exc:
                yield IngestFailure(source=link, reason=f"{exc.reason}; kept the feed entry's own text")
        try:
            yield build_article(fragment_paragraphs(_entry_html(entry)), source=entry_source,
                                fmt="feed", **fields)
        except IngestError as exc:
            reason = ("feed entry has no text" if exc.reason == "no text" else
                      "feed entry has a title but no text" if exc.reason.startswith("no article text")
                      and not _entry_html(entry).strip() else exc.reason)
            yield IngestFailure(source=entry_source, reason=reason)


__all__ = ["read_feed"]
