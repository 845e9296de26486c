"""A small date resolver for the coder when no annotated DateMentions are available.

Used by :func:`rashomon.events.code_sentence` / ``code_doc`` on bare Docs (evaluation,
benchmarks). Articles that went through ``annotate`` bring their own DateMentions from the
dates component, which take precedence. Resolves spaCy DATE entities that are weekdays,
``today``/``yesterday``, ``last/this/next week|month|year``, ``Month D, YYYY``, ``Month YYYY``
and bare years against the publication date; everything else stays unresolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from spacy.tokens import Span

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_DMY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_MY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{4})\b")
_YEAR = re.compile(r"^(?:in\s+)?(\d{4})$")


@dataclass(frozen=True, slots=True)
class SimpleDate:
    phrase: str
    resolved: str | None
    granularity: str | None
    start: int
    end: int
    root: int  # token index of the phrase's syntactic head


def _iso(d: date) -> str:
    return d.isoformat()


@lru_cache(maxsize=4096)
def resolve_phrase(phrase: str, published: str | None) -> tuple[str | None, str | None]:
    """(ISO value, granularity) of a date phrase relative to ``published``."""
    low = phrase.lower().strip()
    pub: date | None = None
    if published:
        try:
            pub = date.fromisoformat(published[:10])
        except ValueError:
            pub = None
    m = _DMY.search(phrase)
    if m and m.group(1).lower().rstrip(".") in _MONTHS:
        month = _MONTHS[m.group(1).lower().rstrip(".")]
        year = int(m.group(3)) if m.group(3) else (pub.year if pub else None)
        if year is not None:
            try:
                return _iso(date(year, month, int(m.group(2)))), "day"
            except ValueError:
                return None, None
    m = _MY.search(phrase)
    if m and m.group(1).lower() in _MONTHS:
        return f"{int(m.group(2)):04d}-{_MONTHS[m.group(1).lower()]:02d}", "month"
    m = _YEAR.match(low)
    if m:
        return m.group(1), "year"
    if pub is None:
        return None, None
    for wd, name in enumerate(_WEEKDAYS):
        if name in low:
            delta = (pub.weekday() - wd) % 7
            if "next" in low:
                delta = -((wd - pub.weekday()) % 7 or 7)
            elif "last" in low and delta == 0:
                delta = 7
            return _iso(pub - timedelta(days=delta)), "day"
    if "yesterday" in low:
        return _iso(pub - timedelta(days=1)), "day"
    if "today" in low or "tonight" in low:
        return _iso(pub), "day"
    if "tomorrow" in low:
        return _iso(pub + timedelta(days=1)), "day"
    for unit in ("week", "month", "year"):
        if unit in low:
            sign = -1 if "last" in low or "past" in low else 1 if "next" in low else 0
            if "this" not in low and sign == 0:
                continue
            if unit == "week":
                d = pub + timedelta(weeks=sign)
                iso = d.isocalendar()
                return f"{iso[0]}-W{iso[1]:02d}", "week"
            if unit == "month":
                y, mth = pub.year, pub.month + sign
                if mth == 0:
                    y, mth = y - 1, 12
                elif mth == 13:
                    y, mth = y + 1, 1
                return f"{y:04d}-{mth:02d}", "month"
            return f"{pub.year + sign:04d}", "year"
    return None, None


def sentence_dates(sent: Span, published: str | None) -> list[SimpleDate]:
    out: list[SimpleDate] = []
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        value, gran = resolve_phrase(ent.text, published)
        if ent.label_ == "TIME" and value is None:
            continue
        out.append(SimpleDate(ent.text, value, gran, ent.start_char, ent.end_char, ent.root.i))
    return out
