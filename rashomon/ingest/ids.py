"""Content-hash identity of an article.

``article_id(text)`` is the first 16 hex characters of the SHA-256 of the text after
NFC, lower-casing and whitespace collapsing, so the same text read twice (from a file,
a JSONL export, a WARC record) gets the same id, and re-running ingest is idempotent.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WS = re.compile(r"\s+")


def id_key(text: str) -> str:
    """The string that is hashed: NFC, lower-cased, whitespace collapsed, stripped."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text).lower()).strip()


def article_id(text: str) -> str:
    """First 16 hex chars of sha256 of :func:`id_key` of ``text``."""
    return hashlib.sha256(id_key(text).encode("utf-8")).hexdigest()[:16]


__all__ = ["article_id", "id_key"]
