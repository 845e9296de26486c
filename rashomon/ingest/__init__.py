"""Ingest: files, folders, globs, stdin, URLs, feeds, exports and web archives in;
:class:`~rashomon.records.Article` records and
:class:`~rashomon.records.IngestFailure` records out.

Public API (pinned by ``tests/test_ingest_api.py``)::

    ingest(inputs, *, allow_urls=False, allow_private=False, field_map=None,
           fetch_links=False, max_bytes=50_000_000, timeout=20.0, on_item=None,
           fmt=None, dedup=True, client=None) -> IngestResult
    iter_ingest(inputs, ...same options...)  -> Iterator[Article | IngestFailure]
    read_bytes(data, source, fmt=None, *, ...) -> list[Article]     (raises IngestError)
    iter_bytes(data, source, fmt=None, *, ...) -> Iterator[Article | IngestFailure]
    link_duplicates(articles) -> tuple[Article, ...]
    article_id(text) -> str

A bad input never raises from :func:`ingest`/:func:`iter_ingest`: it becomes one
``IngestFailure(source, reason)`` with a reason a person can act on ("empty file",
"binary content (NUL bytes), not text", "file is 80 MB, over the 50 MB limit", ...),
and the batch goes on. Formats, roles, normalization and failure reasons are described
in ``docs/sections/ingest.md`` and in the docstrings of the modules named there:
``sources`` (inputs), ``detect`` (formats), ``decode`` (encodings), ``text``,
``html``, ``feeds``, ``tabular`` (JSONL/JSON/CSV), ``warc``, ``web`` (URL fetching),
``normalize``, ``dateline``, ``roles``, ``build``, ``dedup`` and ``ids``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import IngestError
from ..records import Article, IngestFailure
from .core import Item, Options, iter_data, iter_items
from .dedup import link_duplicates
from .ids import article_id


@dataclass(frozen=True, slots=True)
class IngestResult:
    """Everything one ingest call read: articles (duplicates linked) and failures."""

    articles: tuple[Article, ...]
    failures: tuple[IngestFailure, ...]


def iter_ingest(
    inputs: Iterable[str],
    *,
    allow_urls: bool = False,
    allow_private: bool = False,
    field_map: Mapping[str, str] | None = None,
    fetch_links: bool = False,
    max_bytes: int = 50_000_000,
    timeout: float = 20.0,
    on_item: Callable[[Article | IngestFailure], Any] | None = None,
    fmt: str | None = None,
    dedup: bool = True,
    client: Any = None,
) -> Iterator[Article | IngestFailure]:
    """Read ``inputs`` lazily, yielding each article or failure as soon as it is read.

    ``inputs``: file paths, folders (recursive, sorted, hidden files skipped), glob
    patterns, ``-`` for standard input, and ``http(s)`` URLs when ``allow_urls``.
    ``allow_private``: let URLs reach private/loopback/link-local/reserved addresses.
    ``field_map``: rename JSONL/CSV fields, e.g. ``{"body": "text"}``.
    ``fetch_links``: fetch each feed entry's linked page for its full text (an explicit
    opt-in to network access for those links; the private-address guard still applies).
    ``max_bytes``: largest input read whole (per line/record for JSONL and WARC, which
    are streamed), also the download limit. ``timeout``: seconds per network operation.
    ``on_item``: called with every item before it is yielded (progress bars).
    ``fmt``: force a reader (text, html, feed, jsonl, json, csv, warc) instead of
    detecting it. ``dedup``: link exact and near duplicates (see :mod:`.dedup`).
    ``client``: an ``httpx.Client`` to fetch with (tests pass one on a MockTransport).
    """
    opts = Options(allow_urls=allow_urls, allow_private=allow_private, field_map=field_map,
                   fetch_links=fetch_links, max_bytes=max_bytes, timeout=timeout, fmt=fmt,
                   client=client)
    return iter_items(inputs, opts, dedup=dedup, on_item=on_item)


def ingest(
    inputs: Iterable[str],
    *,
    allow_urls: bool = False,
    allow_private: bool = False,
    field_map: Mapping[str, str] | None = None,
    fetch_links: bool = False,
    max_bytes: int = 50_000_000,
    timeout: float = 20.0,
    on_item: Callable[[Article | IngestFailure], Any] | None = None,
    fmt: str | None = None,
    dedup: bool = True,
    client: Any = None,
) -> IngestResult:
    """Read every input (see :func:`iter_ingest` for the options) into an
    :class:`IngestResult`. Never raises for a bad input."""
    articles: list[Article] = []
    failures: list[IngestFailure] = []
    for item in iter_ingest(inputs, allow_urls=allow_urls, allow_private=allow_private,
                            field_map=field_map, fetch_links=fetch_links, max_bytes=max_bytes,
                            timeout=timeout, on_item=on_item, fmt=fmt, dedup=dedup, client=client):
        (articles if isinstance(item, Article) else failures).append(item)  # type: ignore[arg-type]
    return IngestResult(articles=tuple(articles), failures=tuple(failures))


def iter_bytes(
    data: bytes,
    source: str,
    fmt: str | None = None,
    *,
    url: str | None = None,
    content_type: str | None = None,
    field_map: Mapping[str, str] | None = None,
    fetch_links: bool = False,
    allow_private: bool = False,
    max_bytes: int = 50_000_000,
    timeout: float = 20.0,
    dedup: bool = True,
    client: Any = None,
) -> Iterator[Article | IngestFailure]:
    """Read content already in memory (a web upload, a Spark WARC record).

    ``source`` names it (a file name lets the extension help detection); ``fmt`` forces a
    reader; ``url``/``content_type`` describe where it came from. Yields articles and
    failures like :func:`iter_ingest`; never raises for bad content.
    """
    opts = Options(allow_private=allow_private, field_map=field_map, fetch_links=fetch_links,
                   max_bytes=max_bytes, timeout=timeout, fmt=fmt, client=client)
    return iter_data(data, source, opts, url=url, content_type=content_type, dedup=dedup)


def read_bytes(
    data: bytes,
    source: str,
    fmt: str | None = None,
    *,
    url: str | None = None,
    content_type: str | None = None,
    field_map: Mapping[str, str] | None = None,
    fetch_links: bool = False,
    allow_private: bool = False,
    max_bytes: int = 50_000_000,
    timeout: float = 20.0,
    dedup: bool = True,
    client: Any = None,
) -> list[Article]:
    """The articles in ``data`` (options as :func:`iter_bytes`).

    Raises :class:`~rashomon.errors.IngestError` when any part of ``data`` could not be
    read (the first failure's source and reason, with a count when there are more), so
    nothing is lost silently; use :func:`iter_bytes` to keep the good part of a partly
    bad input.
    """
    articles: list[Article] = []
    failures: list[IngestFailure] = []
    for item in iter_bytes(data, source, fmt, url=url, content_type=content_type,
                           field_map=field_map, fetch_links=fetch_links,
                           allow_private=allow_private, max_bytes=max_bytes, timeout=timeout,
                           dedup=dedup, client=client):
        (articles if isinstance(item, Article) else failures).append(item)  # type: ignore[arg-type]
    if failures:
        first = failures[0]
        more = f" (and {len(failures) - 1} more failures)" if len(failures) > 1 else ""
        raise IngestError(first.source, first.reason + more)
    return articles


__all__ = [
    "IngestError",
    "IngestResult",
    "Item",
    "article_id",
    "ingest",
    "iter_bytes",
    "iter_ingest",
    "link_duplicates",
    "read_bytes",
]
