"""The ingest runner: inputs in, articles and failures out, one input at a time.

Every input goes through :func:`_read_input`, and everything that goes wrong while
reading it becomes an :class:`~rashomon.records.IngestFailure` naming the input (a
line, row, entry or record inside it when only that part is bad); the batch goes on.
Articles pass through one :class:`~.dedup.DuplicateIndex` per batch.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, cast
from urllib.parse import urlsplit

from ..errors import IngestError
from ..records import Article, IngestFailure
from .build import Fallback, build_article, filename_meta
from .decode import decode_text
from .dedup import DuplicateIndex
from .detect import FORMATS, detect_format
from .feeds import read_feed
from .html import decode_html, read_html
from .sizes import human_size
from .sources import FileInput, StdinInput, UrlInput, resolve_inputs
from .tabular import read_csv, read_json, read_jsonl
from .text import parse_text
from .warc import read_warc

Item = Article | IngestFailure
STREAMED = frozenset({"warc", "jsonl"})
_HEAD = 65536


@dataclass(frozen=True)
class Options:
    allow_urls: bool = False
    allow_private: bool = False
    field_map: Mapping[str, str] | None = None
    fetch_links: bool = False
    max_bytes: int = 50_000_000
    timeout: float = 20.0
    fmt: str | None = None
    client: Any = field(default=None, compare=False)  # httpx.Client, for tests and reuse

    def __post_init__(self) -> None:
        if self.fmt is not None and self.fmt not in FORMATS:
            raise ValueError(f"unknown format {self.fmt!r}; one of {', '.join(FORMATS)}")
        if self.max_bytes <= 0:
            raise ValueError("max_bytes must be positive")


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, _HEAD)
    except zlib.error:
        return b""


def _gunzip(fh: IO[bytes], source: str, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=fh) as gz:
            data = gz.read(max_bytes + 1)
    except EOFError:
        raise IngestError(source, "truncated gzip file (it ends before the compressed data does)") from None
    except (OSError, zlib.error) as exc:
        raise IngestError(source, f"corrupt gzip file ({exc})") from None
    if len(data) > max_bytes:
        raise IngestError(source, f"decompressed content is over the {human_size(max_bytes)} limit")
    return data


def _guard_stream(items: Iterator[Item], source: str) -> Iterator[Item]:
    """Turn a gzip error in the middle of a streamed file into a final failure."""
    count = 0
    try:
        for item in items:
            count += 1
            yield item
    except EOFError:
        yield IngestFailure(source, f"truncated gzip file: stopped after {count} items")
    except (OSError, zlib.error) as exc:
        yield IngestFailure(source, f"corrupt gzip file after {count} items ({exc})")


def read_stream(fh: IO[bytes], *, source: str, opts: Options, size: int | None,
                url: str | None = None, content_type: str | None = None,
                fallback: Fallback | None = None) -> Iterator[Item]:
    """Articles and failures of one seekable binary stream (a file or bytes)."""
    head = fh.read(_HEAD)
    fh.seek(0)
    if not head:
        raise IngestError(source, "empty file")
    gz = head.startswith(b"\x1f\x8b")
    inner_head = _gunzip_head(head) if gz else head
    if gz and not inner_head:
        raise IngestError(source, "corrupt gzip file (cannot decompress its start)")
    # A URL's path (not its query string) carries the extension, if any.
    name = urlsplit(source).path if source.startswith(("http://", "https://")) else source
    fmt = opts.fmt or detect_format(name, inner_head, content_type=content_type,
                                    field_map=opts.field_map)
    if fmt == "warc":
        yield from read_warc(fh, source=source, max_bytes=opts.max_bytes)
        return
    if fmt == "jsonl":
        stream = cast(IO[bytes], gzip.GzipFile(fileobj=fh)) if gz else fh
        yield from _guard_stream(read_jsonl(stream, source=source, field_map=opts.field_map,
                                            max_bytes=opts.max_bytes), source)
        return
    if gz:
        data = _gunzip(fh, source, opts.max_bytes)
    else:
        if size is not None and size > opts.max_bytes:
            raise IngestError(source, f"file is {human_size(size)}, over the {human_size(opts.max_bytes)} limit")
        data = fh.read(opts.max_bytes + 1)
        if len(data) > opts.max_bytes:
            raise IngestError(source, f"input is over the {human_size(opts.max_bytes)} limit")
    yield from read_content(data, fmt, source=source, opts=opts, url=url, fallback=fallback)


def read_content(data: bytes, fmt: str, *, source: str, opts: Options, url: str | None = None,
                 fallback: Fallback | None = None) -> Iterator[Item]:
    """Articles and failures of whole-file content of a known format."""
    if fmt == "text":
        parsed = parse_text(decode_text(data, source))
        yield build_article(parsed.paragraphs, source=source, fmt="text", title=parsed.title,
                            url=url, fallback=fallback)
    elif fmt == "html":
        yield read_html(decode_html(data, source), source=source, url=url, fallback=fallback)
    elif fmt == "feed":
        if not data.strip():
            raise IngestError(source, "empty file")
        fetcher = _page_fetcher(opts) if opts.fetch_links else None
        yield from read_feed(data, source=source, fetch_page=fetcher)
    elif fmt == "json":
        yield from read_json(decode_text(data, source), source=source, field_map=opts.field_map)
    elif fmt == "csv":
        yield from read_csv(decode_text(data, source), source=source, field_map=opts.field_map,
                            max_bytes=opts.max_bytes)
    elif fmt in STREAMED:
        yield from read_stream(io.BytesIO(data), source=source, opts=dataclasses.replace(opts, fmt=fmt),
                               size=len(data), url=url)
    else:  # pragma: no cover - Options validates fmt
        raise IngestError(source, f"unknown format {fmt!r}")


def _page_fetcher(opts: Options) -> Callable[[str, dict[str, Any]], Article]:
    from .web import fetch

    def fetch_page(link: str, fields: dict[str, Any]) -> Article:
        got = fetch(link, allow_private=opts.allow_private, max_bytes=opts.max_bytes,
                    timeout=opts.timeout, client=opts.client)
        article = read_html(decode_html(got.content, link), source=link, url=got.url)
        # The page's own metadata wins; the feed entry fills what the page lacks.
        return dataclasses.replace(
            article,
            title=article.title or fields.get("title"),
            published=article.published or fields.get("published"),
            author=article.author or fields.get("author"),
            external_id=article.external_id or fields.get("external_id"),
        )

    return fetch_page


def _read_file(inp: FileInput, opts: Options) -> Iterator[Item]:
    try:
        size = inp.path.stat().st_size
        fh = inp.path.open("rb")
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise IngestError(inp.name, f"cannot read file ({reason})") from None
    with fh:
        if size == 0:
            raise IngestError(inp.name, "empty file")
        yield from read_stream(fh, source=inp.name, opts=opts, size=size,
                               fallback=filename_meta(inp.name))


def _read_stdin(opts: Options) -> Iterator[Item]:
    data = sys.stdin.buffer.read(opts.max_bytes + 1)
    if len(data) > opts.max_bytes:
        raise IngestError("-", f"standard input is over the {human_size(opts.max_bytes)} limit")
    yield from read_stream(io.BytesIO(data), source="-", opts=opts, size=len(data))


def _read_url(inp: UrlInput, opts: Options) -> Iterator[Item]:
    from .web import fetch

    got = fetch(inp.url, allow_private=opts.allow_private, max_bytes=opts.max_bytes,
                timeout=opts.timeout, client=opts.client)
    yield from read_stream(io.BytesIO(got.content), source=inp.url, opts=opts, size=len(got.content),
                           url=got.url, content_type=got.content_type)


def _read_input(inp: FileInput | StdinInput | UrlInput, opts: Options) -> Iterator[Item]:
    name = inp.name if isinstance(inp, (FileInput, StdinInput)) else inp.url
    if isinstance(inp, FileInput):
        items = _read_file(inp, opts)
    elif isinstance(inp, StdinInput):
        items = _read_stdin(opts)
    else:
        items = _read_url(inp, opts)
    try:
        yield from items
    except IngestError as exc:
        yield IngestFailure(exc.source or name, exc.reason)
    except Exception as exc:  # a reader bug must not sink the batch; say what happened
        yield IngestFailure(name, f"unexpected error while reading ({type(exc).__name__}: {exc})")


def iter_items(inputs: Iterable[str], opts: Options, *, dedup: bool = True,
               on_item: Callable[[Item], Any] | None = None) -> Iterator[Item]:
    index = DuplicateIndex() if dedup else None
    for inp in resolve_inputs(inputs, allow_urls=opts.allow_urls):
        items: Iterable[Item] = [inp] if isinstance(inp, IngestFailure) else _read_input(inp, opts)
        for item in items:
            if index is not None and isinstance(item, Article):
                item = index.link(item)
            if on_item is not None:
                on_item(item)
            yield item


def iter_data(data: bytes, source: str, opts: Options, *, url: str | None = None,
              content_type: str | None = None, dedup: bool = True) -> Iterator[Item]:
    index = DuplicateIndex() if dedup else None
    items = read_stream(io.BytesIO(data), source=source, opts=opts, size=len(data), url=url,
                        content_type=content_type)
    try:
        for item in items:
            if index is not None and isinstance(item, Article):
                item = index.link(item)
            yield item
    except IngestError as exc:
        yield IngestFailure(exc.source or source, exc.reason)
    except Exception as exc:  # same guarantee as for inputs read from files
        yield IngestFailure(source, f"unexpected error while reading ({type(exc).__name__}: {exc})")
