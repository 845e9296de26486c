"""Plain text: paragraphs and a headline.

Paragraphs are the blocks between blank lines, each block's hard-wrapped lines joined
with spaces; a text without any blank line has one paragraph per line. The first line
is the title when it looks like one (:func:`looks_like_title`): short, more text follows,
no final period, comma or colon, starts with a capital, digit or quote, and is not a
dateline, caption or boilerplate line. When that title line is glued to the next line
without a blank line it is still split off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dateline import parse_lead
from .roles import is_boilerplate, is_caption, is_date_line

_BLANK = re.compile(r"\n[ \t\f\v\u00a0]*\n")
_FINAL_ABBREV = re.compile(r"\b(?:[A-Z]\.){2,}$")
MAX_TITLE_CHARS = 200
MAX_TITLE_WORDS = 30


@dataclass(frozen=True, slots=True)
class ParsedText:
    paragraphs: tuple[str, ...]
    title: str | None = None


def looks_like_title(line: str) -> bool:
    """True when ``line`` reads as a headline (see the module docstring)."""
    s = " ".join(line.split())
    if not s or len(s) > MAX_TITLE_CHARS:
        return False
    words = s.split()
    if not 2 <= len(words) <= MAX_TITLE_WORDS:
        return False
    if s[-1] in ",;:" or (s[-1] == "." and not _FINAL_ABBREV.search(s)):
        return False
    if not (s[0].isupper() or s[0].isdigit() or s[0] in "“\"‘'"):
        return False
    if parse_lead(s).rest != s or is_date_line(s) or is_caption(s) or is_boilerplate(s):
        return False
    # A hard-wrapped first line of a long paragraph ends mid-sentence in lower case;
    # a sentence-case headline is short. Title Case lines may be longer.
    lettered = [w for w in words if any(c.isalpha() for c in w)]
    capitalised = sum(1 for w in lettered if w[0].isupper() or not w[0].isalpha())
    return len(words) <= 16 or capitalised >= 0.6 * max(1, len(lettered))


def split_paragraphs(raw: str) -> list[str]:
    """Paragraph strings of a plain text (not yet normalized; may be empty)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if _BLANK.search(text):
        blocks = _BLANK.split(text)
        paragraphs: list[str] = []
        for i, block in enumerate(blocks):
            lines = [ln for ln in block.split("\n") if ln.strip()]
            if not lines:
                continue
            if (i == 0 or not paragraphs) and len(lines) > 1 and looks_like_title(lines[0]):
                paragraphs.append(lines[0])
                lines = lines[1:]
            paragraphs.append(" ".join(ln.strip() for ln in lines))
        return paragraphs
    return [ln for ln in text.split("\n") if ln.strip()]


def parse_text(raw: str) -> ParsedText:
    """Paragraphs of ``raw`` and its title line, if the first line looks like one."""
    paragraphs = split_paragraphs(raw)
    title = None
    if len(paragraphs) > 1 and looks_like_title(paragraphs[0]):
        title = " ".join(paragraphs[0].split())
    return ParsedText(paragraphs=tuple(paragraphs), title=title)


__all__ = ["ParsedText", "looks_like_title", "parse_text", "split_paragraphs"]
