"""Normalization applied to every paragraph (and title) ingest produces.

1. Unicode NFC.
2. Invisible characters removed: zero-width space/joiners, word joiner, BOM, soft
   hyphen, and C0/C1 control characters (tabs and newlines become spaces).
3. Whitespace collapsed to single spaces inside the paragraph and stripped, so a
   paragraph never contains a line break (``Article.text`` joins paragraphs with a
   blank line and the annotator relies on that).
4. A quote glued to the next sentence is repaired. Real copy has
   ``the official said.”The letter also makes clear,” the official said.``: after a
   sentence end, a quote mark followed by a capital is the *opening* quote of the next
   sentence when the quotes before it are balanced, so ``.”The`` becomes ``. “The``
   (period, space, opening curly quote; ``."The`` becomes ``. "The``). When a quote is
   still open at that point the mark really closes it, and only the missing space is
   added (``.”The`` becomes ``.” The``).
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WS = re.compile(r"\s+")
_GLUED = re.compile(r"([.!?])([”\"])(?=[A-Z“])")


def _repair_glued_quotes(text: str) -> str:
    if "”" not in text and '"' not in text:
        return text
    out: list[str] = []
    pos = 0
    for m in _GLUED.finditer(text):
        before = text[: m.start(2)]
        mark = m.group(2)
        if mark == "”":
            still_open = before.count("“") > before.count("”")
            fixed = "” " if still_open else " “"
        else:
            still_open = before.count('"') % 2 == 1
            fixed = '" ' if still_open else ' "'
        out.append(text[pos : m.start(2)])
        out.append(fixed)
        pos = m.end(2)
    out.append(text[pos:])
    return "".join(out)


def normalize_paragraph(text: str) -> str:
    """Return ``text`` normalized as described in the module docstring."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _WS.sub(" ", text).strip()
    return _repair_glued_quotes(text)


__all__ = ["normalize_paragraph"]
