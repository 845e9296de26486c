"""Turn the date strings found in inputs into ISO ``YYYY-MM-DD``.

Only explicit dates are read (ISO 8601, RFC 2822 as in RSS, ``December 3, 2018``,
``3 Dec 2018``, ``2018/12/03``); anything else gives None. A date is never guessed and
never taken from the clock. A timestamp keeps the calendar date it was written with
(``2018-12-03T23:30:00-05:00`` is 2018-12-03, the date the outlet's readers saw).
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_tz

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH_NAMES = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
               r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d|Z|[+-]\d)")
_SLASH = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})\s*$")
_MDY = re.compile(rf"^\s*(?:[A-Za-z]+,?\s+)?({MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b",
                  re.IGNORECASE)
_DMY = re.compile(rf"^\s*(?:[A-Za-z]+,?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_NAMES})\.?,?\s+(\d{{4}})\b",
                  re.IGNORECASE)


def make_date(year: int, month: int, day: int) -> str | None:
    """ISO date if (year, month, day) is a real calendar date in a sane range, else None."""
    if not 1800 <= year <= 2200:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def month_number(name: str) -> int | None:
    name = name.lower().rstrip(".")
    return MONTHS.get(name[:4] if name.startswith("sept") else name[:3])


def to_iso_date(value: object) -> str | None:
    """ISO date of an explicit date string (or ``datetime``/``date``); None otherwise."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    if m := _ISO.match(s):
        return make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _SLASH.match(s):
        return make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _MDY.match(s):
        month = month_number(m[1])
        return make_date(int(m[3]), month, int(m[2])) if month else None
    if m := _DMY.match(s):
        month = month_number(m[2])
        return make_date(int(m[3]), month, int(m[1])) if month else None
    try:
        parsed = parsedate_tz(s)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed and parsed[0]:
        return make_date(parsed[0], parsed[1], parsed[2])
    return None


__all__ = ["MONTH_NAMES", "make_date", "month_number", "to_iso_date"]
