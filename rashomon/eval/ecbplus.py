"""Read ECB+ documents (the normalized JSONL in ``../shared/data/xsource/ecbplus``).

ECB+ stores tokens; Rashomon reads text. :func:`detokenize` rebuilds readable text
(no space before punctuation, none inside ``( )`` or after opening quotes) and
:func:`to_article_row` turns one ECB+ document into an ingestable JSONL row with the
outlet taken from the document's source URL (sentence 0 of the ``*ecbplus`` documents).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

_NO_SPACE_BEFORE = {".", ",", ":", ";", "!", "?", "%", ")", "]", "}", "'s", "n't", "'re", "'ve",
                    "'ll", "'d", "'m", "''", "'", "”", "’"}
_NO_SPACE_AFTER = {"(", "[", "{", "``", "“", "$", "‘"}


def detokenize(tokens: list[str]) -> str:
    out: list[str] = []
    open_quote = False
    for tok in tokens:
        t = {"``": "\u201c", "''": "\u201d", "-LRB-": "(", "-RRB-": ")"}.get(tok, tok)
        if t == '"':
            # Alternate straight quotes between opening and closing.
            t = "\u201d" if open_quote else "\u201c"
            open_quote = not open_quote
        elif t == "\u201c":
            open_quote = True
        elif t == "\u201d":
            open_quote = False
        glued_clitic = bool(out) and out[-1] in {"’", "'"} and tok in {"s", "m", "d", "t", "ll", "re", "ve"}
        after_opener = bool(out) and (out[-1] in _NO_SPACE_AFTER or out[-1] == "\u201c")
        if out and not glued_clitic and not after_opener and tok not in _NO_SPACE_BEFORE and t != "\u201d":
            out.append(" ")
        out.append(t)
    return "".join(out)


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Read a ``.jsonl`` or ``.jsonl.gz`` file, or every such file in a folder."""
    p = Path(path)
    files = sorted([*p.glob("*.jsonl"), *p.glob("*.jsonl.gz")]) if p.is_dir() else [p]
    for f in files:
        opener = gzip.open if f.name.endswith(".gz") else open
        with opener(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def source_url(doc: dict[str, Any]) -> str | None:
    if not doc["doc_id"].endswith("ecbplus") or not doc["sentences"]:
        return None
    first = "".join(doc["sentences"][0])
    return first if re.match(r"https?:", first) else None


def to_article_row(doc: dict[str, Any]) -> dict[str, Any]:
    """One ECB+ document as a JSONL article row (title = first text sentence)."""
    sents = doc["sentences"]
    url = source_url(doc)
    body = sents[1:] if url else sents
    outlet = None
    if url:
        host = urlparse(url).netloc.lower().removeprefix("www.")
        outlet = host or None
    paragraphs = [detokenize(s) for s in body if s]
    # ECB+ documents (with a source URL) start with their headline; the original ECB
    # documents start with a lead sentence, so they have no title.
    title = paragraphs[0] if paragraphs and url else None
    return {
        "id": doc["doc_id"],
        "title": title,
        "text": "\n\n".join(paragraphs),
        "url": url,
        "outlet": outlet,
        "published": None,
        "topic": doc["topic"],
        "subtopic": doc["subtopic"],
    }
