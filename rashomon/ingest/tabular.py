"""JSON Lines, JSON and CSV exports: one article per line, element or row.

Fields read: ``text`` (required), ``title``, ``url``, ``outlet``, ``published``,
``author``, ``language`` and ``id`` (kept as ``Article.external_id``; ``Article.id`` is
always the content hash). ``field_map`` renames the input's columns first, e.g.
``{"body": "text", "date": "published"}``. Then, for a field still missing, common
export names are tried (:data:`ALIASES`: ``body``/``content``/``maintext`` for text,
``headline`` for title, ``link`` for url, ``date``/``date_publish`` for published, ...).
Other fields are ignored.

The text goes through the plain-text reader (:mod:`.text`), so a JSONL export of a text
file gives the same paragraphs, the same text and the same id as the file itself.

Each bad line or row is its own failure (``file.jsonl:7``, ``file.csv:12``; a JSON
array's element ``file.json#3``) and the rest goes on. JSON Lines are read as UTF-8 (as
the format requires) one line at a time, so a large export never sits in memory; the size
limit applies to each line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from ..errors import IngestError
from ..records import Article, IngestFailure
from .build import build_article
from .text import parse_text

FIELDS = ("text", "title", "url", "outlet", "published", "author", "language", "id")
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("body", "content", "maintext", "article", "full_text", "article_text"),
    "title": ("headline", "heading"),
    "url": ("link", "uri", "source_url"),
    "outlet": ("publisher", "source_name", "site_name", "sitename", "site", "domain"),
    "published": ("date", "date_publish", "published_at", "publish_date", "pubdate",
                  "pub_date", "datetime", "timestamp"),
    "author": ("authors", "byline"),
    "language": ("lang",),
}


def _describe(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", bool: "a boolean", int: "a number",
             float: "a number", str: "a string", type(None): "null"}
    return kinds.get(type(value), type(value).__name__)


def _as_text(name: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name != "text":
        return str(value)
    if isinstance(value, list) and name == "author" and all(isinstance(v, str) for v in value):
        return ", ".join(value) or None
    raise IngestError("", f"field '{name}' is {_describe(value)}, not a string")


def row_to_article(row: Mapping[str, Any], *, source: str, fmt: str,
                   field_map: Mapping[str, str] | None = None) -> Article:
    """One article from a record; :class:`IngestError` names what is wrong with it."""
    mapped: dict[str, Any] = {}
    for key, value in row.items():
        if key is None:  # CSV row with more cells than the header
            continue
        target = (field_map or {}).get(key, key)
        if target not in mapped or mapped[target] in (None, ""):
            mapped[target] = value
    for field, aliases in ALIASES.items():
        if mapped.get(field) in (None, ""):
            for alias in aliases:
                if mapped.get(alias) not in (None, ""):
                    mapped[field] = mapped[alias]
                    break
    try:
        values = {f: _as_text(f, mapped.get(f)) for f in FIELDS}
    except IngestError as exc:
        raise IngestError(source, exc.reason) from None
    text = values["text"]
    if not text or not text.strip():
        present = ", ".join(sorted(str(k) for k in row if k is not None)) or "none"
        if mapped.get("text") is not None or "text" in mapped:
            raise IngestError(source, "the text field is empty")
        raise IngestError(source, f"no text field (fields present: {present}; "
                                  "name the text field with field_map)")
    parsed = parse_text(text)
    return build_article(
        parsed.paragraphs,
        source=source,
        fmt=fmt,
        title=values["title"] or parsed.title,
        outlet=values["outlet"],
        published=values["published"],
        url=values["url"],
        author=values["author"],
        language=values["language"],
        external_id=values["id"],
    )


def _row_item(row: Any, *, source: str, fmt: str,
              field_map: Mapping[str, str] | None) -> Article | IngestFailure:
    if not isinstance(row, dict):
        return IngestFailure(source=source, reason=f"JSON value is {_describe(row)}, not an object")
    try:
        return row_to_article(row, source=source, fmt=fmt, field_map=field_map)
    except IngestError as exc:
        return IngestFailure(source=source, reason=exc.reason)


def read_jsonl(stream: IO[bytes], *, source: str, field_map: Mapping[str, str] | None = None,
               max_bytes: int = 50_000_000, first_line: int = 1,
               whole: bool = True) -> Iterator[Article | IngestFailure]:
    """Articles and per-line failures of a JSON Lines stream.

    A stream holding part of a file (lines from ``first_line`` on, cut at line ends: the
    Spark job reads a large file as several splits) names its lines as the whole file's
    reading does; ``whole=False`` lets such a part hold blank lines only.
    """
    lineno = first_line - 1
    seen_content = False
    while True:
        raw = stream.readline(max_bytes + 1)
        if not raw:
            break
        lineno += 1
        line_source = f"{source}:{lineno}"
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                raw = stream.readline(1 << 20)
            yield IngestFailure(source=line_source, reason=f"line is over the {max_bytes:,} byte limit")
            continue
        if lineno == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        seen_content = True
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield IngestFailure(source=line_source,
                                reason=f"not valid UTF-8 at byte {exc.start} (JSON Lines must be UTF-8)")
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            yield IngestFailure(source=line_source, reason=f"invalid JSON ({exc})")
            continue
        yield _row_item(row, source=line_source, fmt="jsonl", field_map=field_map)
    if whole and not seen_content:
        raise IngestError(source, "empty file")


def read_json(text: str, *, source: str,
              field_map: Mapping[str, str] | None = None) -> Iterator[Article | IngestFailure]:
    """A JSON document: an array of article objects, or a single object."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise IngestError(source, f"invalid JSON ({exc})") from None
    if isinstance(doc, dict):
        yield _row_item(doc, source=source, fmt="jsonl", field_map=field_map)
        return
    if not isinstance(doc, list):
        raise IngestError(source, f"JSON document is {_describe(doc)}, not an array of objects")
    if not doc:
        raise IngestError(source, "JSON array is empty")
    for i, row in enumerate(doc, start=1):
        yield _row_item(row, source=f"{source}#{i}", fmt="jsonl", field_map=field_map)


def _delimiter(sample: str, name: str) -> str:
    if name.lower().removesuffix(".gz").endswith(".tsv"):
        return "\t"
    try:
        return csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_csv(text: str, *, source: str, field_map: Mapping[str, str] | None = None,
             max_bytes: int = 50_000_000) -> Iterator[Article | IngestFailure]:
    """Articles and per-row failures of a CSV/TSV export with a header row."""
    # Article bodies exceed csv's default 128 kB field limit; raising the limit (never
    # lowering it) is safe for every other user of the csv module in the process.
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text[:8192], source))
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        raise IngestError(source, f"unreadable CSV header ({exc})") from None
    if not header:
        raise IngestError(source, "empty file")
    rows: Iterable[dict[str, Any]] = reader
    it = iter(rows)
    last_error_line = -1
    while True:
        start = reader.line_num + 1
        try:
            row = next(it)
        except StopIteration:
            break
        except csv.Error as exc:
            if reader.line_num == last_error_line:
                break
            last_error_line = reader.line_num
            yield IngestFailure(source=f"{source}:{start}", reason=f"malformed CSV row ({exc})")
            continue
        yield _row_item(row, source=f"{source}:{start}", fmt="csv", field_map=field_map)


__all__ = ["ALIASES", "FIELDS", "read_csv", "read_json", "read_jsonl", "row_to_article"]
