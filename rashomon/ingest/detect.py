"""Which reader an input needs: by file extension (or HTTP content type), checked
against the content itself.

* ``WARC/`` at the start (after gunzip) is always WARC.
* Markup wins over a text-ish label: a ``.txt`` or ``.xml`` file that holds an RSS/Atom
  feed or an HTML page is read as one (``.xml`` that is neither is refused).
* ``.jsonl``/``.json``/``.csv`` files are trusted: their readers report bad rows.
* Without an extension (stdin, URLs without a content type, ``README``-like names) the
  content decides, plain text being the default.
* A file with an extension Rashomon does not know is read only when its content is
  clearly a feed, HTML, JSON Lines or WARC; otherwise it is refused as an unknown
  format, naming the extension (rename it to ``.txt`` to read it as plain text).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import PurePosixPath

from ..errors import IngestError

FORMATS = ("text", "html", "feed", "jsonl", "json", "csv", "warc")

EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".rdf": "feed",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "csv",
    ".warc": "warc", ".arc": "warc",
}

CONTENT_TYPES: dict[str, str] = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/rdf+xml": "feed",
    "application/xml": "feed", "text/xml": "feed",
    "text/plain": "text",
    "application/json": "json", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
    "text/csv": "csv", "text/tab-separated-values": "csv",
    "application/warc": "warc",
}

_EXT = re.compile(r"^\.[A-Za-z][A-Za-z0-9]{0,5}$")
_FEED = re.compile(r"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|article|main)\b", re.IGNORECASE)
_HTML_FRAGMENT = re.compile(r"<(?:p|div|h1|h2|span|section)\b[^>]*>", re.IGNORECASE)


def extension(name: str) -> str | None:
    """The format-bearing extension of ``name`` without a ``.gz`` suffix, lower-cased."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.suffix.lower() == ".gz":
        path = path.with_suffix("")
    suffix = path.suffix
    return suffix.lower() if _EXT.match(suffix or "") else None


def sniff(head: bytes) -> str:
    """Guess a format from the first bytes of the content (text if nothing else)."""
    if head.lstrip().startswith(b"WARC/"):
        return "warc"
    sample = head[:65536].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    start = sample[:4096]
    if start.startswith("<"):
        if _FEED.search(start):
            return "feed"
        if _HTML.search(start) or _HTML_FRAGMENT.search(start):
            return "html"
        return "xml"
    if start.startswith("{"):
        first = sample.split("\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except ValueError:
            pass
        return "json"
    if start.startswith("["):
        return "json"
    return "text"


def _looks_csv(head: bytes, field_map: Mapping[str, str] | None) -> bool:
    first = head[:4096].decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0]
    for delim in (",", "\t", ";"):
        cols = [c.strip().strip('"').lower() for c in first.split(delim)]
        names = {"text", *(k.lower() for k, v in (field_map or {}).items() if v == "text")}
        if len(cols) >= 2 and names & set(cols):
            return True
    return False


def detect_format(name: str | None, head: bytes, *, content_type: str | None = None,
                  field_map: Mapping[str, str] | None = None) -> str:
    """The reader for an input named ``name`` whose content starts with ``head``."""
    source = name or "input"
    sniffed = sniff(head)
    if sniffed == "warc":
        return "warc"
    labelled: str | None = None
    ext = extension(name) if name else None
    if content_type:
        labelled = CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())
    if labelled is None and ext:
        labelled = EXTENSIONS.get(ext)
        if labelled is None:
            if sniffed in ("feed", "html", "jsonl"):
                return sniffed
            raise IngestError(source, f"unknown format: file extension '{ext}' is not one of "
                                      f"{', '.join(sorted(EXTENSIONS))} (rename it to .txt to read it "
                                      "as plain text)")
    if labelled in ("jsonl", "json", "csv", "warc"):
        if labelled == "json" and sniffed == "jsonl":
            return "jsonl"
        return labelled
    if labelled in ("text", "html", "feed"):
        if sniffed in ("feed", "html"):
            return sniffed
        if sniffed == "xml":
            raise IngestError(source, "XML that is neither an RSS/Atom feed nor HTML")
        if labelled == "feed" and sniffed == "text" and ext == ".xml":
            raise IngestError(source, "XML file without XML content")
        return labelled
    # No label: the content decides.
    if sniffed == "xml":
        raise IngestError(source, "XML that is neither an RSS/Atom feed nor HTML")
    if sniffed == "text" and _looks_csv(head, field_map):
        return "csv"
    return sniffed


__all__ = ["CONTENT_TYPES", "EXTENSIONS", "FORMATS", "detect_format", "extension", "sniff"]
