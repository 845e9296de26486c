"""WARC and WARC.gz archives (warcio), read record by record.

Each ``response`` record with HTTP status 200 and an HTML content type is one page,
read like any HTML page (:mod:`.html`) with ``url`` from ``WARC-Target-URI``. The date
is the page's own; ``WARC-Date`` (the crawl time) is used only when the page has none.
Other records (requests, metadata, redirects, images) are not articles and are skipped.
Each page that yields no article is its own failure, named ``archive.warc.gz#offset=N``
(N is the record's byte offset, so the record can be found again). A truncated or
corrupt archive keeps the pages read before the damage and adds one failure saying
where it stopped (a record shorter than its ``Content-Length`` is how a cut-off
file shows, as warcio itself stops quietly). The size limit applies to each record, since archives are streamed.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from typing import IO

from ..errors import IngestError
from ..records import Article, IngestFailure
from .dates import to_iso_date
from .html import decode_html, read_html

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def _decode(payload: bytes, content_type: str, source: str) -> str:
    m = _CHARSET.search(content_type)
    if m:
        try:
            text = payload.decode(m.group(1))
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if text.strip():
                return text
    return decode_html(payload, source)


def _unread_tail(stream: IO[bytes], end: int) -> int:
    """Bytes after ``end`` that are not blank (0 when the stream cannot seek)."""
    try:
        if not stream.seekable():
            return 0
        size = stream.seek(0, io.SEEK_END)
        if size <= end:
            return 0
        stream.seek(end)
        rest = stream.read(1 << 16)
    except (OSError, ValueError):
        return 0
    return size - end if rest.strip() else 0


def read_warc(stream: IO[bytes], *, source: str,
              max_bytes: int = 50_000_000) -> Iterator[Article | IngestFailure]:
    """Articles and per-record failures of a WARC (or WARC.gz) stream."""
    from warcio.archiveiterator import ArchiveIterator

    records = 0
    pages = 0
    last_end = 0
    iterator = ArchiveIterator(stream)
    try:
        for record in iterator:
            records += 1
            if record.format == "warc" and record.rec_headers.get_header("Content-Length") is None:
                yield IngestFailure(source, f"truncated or corrupt WARC: record {records} has no "
                                            f"Content-Length; read {records - 1} records before it")
                return
            payload: bytes | None = None
            content_type = ""
            if record.rec_type == "response" and record.http_headers is not None:
                status = record.http_headers.get_statuscode()
                content_type = record.http_headers.get_header("Content-Type") or ""
                if status == "200" and content_type.lower().startswith(_HTML_TYPES):
                    payload = record.content_stream().read(max_bytes + 1)
            # Drain the record: warcio stops quietly at the end of a cut-off file, and a
            # record that ends before its Content-Length is how truncation shows.
            while record.raw_stream.read(1 << 16):
                pass
            missing = getattr(record.raw_stream, "limit", 0)
            offset = iterator.get_record_offset()
            last_end = offset + iterator.get_record_length()
            if missing > 0:
                yield IngestFailure(source, f"truncated WARC: the record at offset {offset} is cut "
                                            f"off ({missing:,} bytes missing); read {records - 1} "
                                            "records before it")
                return
            if payload is None:
                continue
            pages += 1
            record_source = f"{source}#offset={offset}"
            if len(payload) > max_bytes:
                yield IngestFailure(record_source, f"record is over the {max_bytes:,} byte limit")
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            try:
                html = _decode(payload, content_type, record_source)
                article = read_html(html, source=record_source, url=url, fmt="warc")
            except IngestError as exc:
                yield IngestFailure(record_source, exc.reason)
                continue
            if article.published is None:
                crawl_date = to_iso_date(record.rec_headers.get_header("WARC-Date"))
                article = dataclasses.replace(article, published=crawl_date)
            yield article
    except Exception as exc:  # warcio/zlib raise many types on damaged archives
        yield IngestFailure(source, f"truncated or corrupt WARC: could not read past record {records} "
                                    f"({type(exc).__name__}: {exc})")
        return
    if records == 0:
        raise IngestError(source, "no WARC records found (not a WARC file, or cut off in its first record)")
    leftover = _unread_tail(stream, last_end)
    if leftover:
        yield IngestFailure(source, f"truncated WARC: {leftover:,} bytes after the last complete record "
                                    f"(offset {last_end}) could not be read; read {records} records")
    if pages == 0:
        raise IngestError(source, f"no HTML pages in the archive ({records} records, none an HTML "
                                  "response with status 200)")


__all__ = ["read_warc"]
