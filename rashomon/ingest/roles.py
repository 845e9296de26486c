"""Paragraph roles: what a block of news text is, besides body copy.

:func:`classify` gives one of the roles of :data:`rashomon.records.Role` for a
normalized paragraph (the headline role is given by the article builder, which knows
the title). Captions and boilerplate never carry claims downstream, so each detector
errs towards ``body``: a detector fires only on the shapes listed here, anchored at the
start or end of a short paragraph.

caption
    Photo captions and credit lines: ``... REUTERS/Kevin Lamarque/Files``,
    ``(AP Photo/Evan Vucci)``, ``Photo: ...``, ``FILE PHOTO: ...``,
    ``Photograph: Mandel Ngan/AFP via Getty Images``, ``Image copyright Getty Images``,
    a bare ``AFP/Getty Images`` line.
dateline
    A standalone date/time line: ``Friday August 2, 2013 @ 8:13am PDT``,
    ``Published: 12:03 PM EST, Dec 3 2018``, ``2018-12-03``.
boilerplate
    Sharing, subscription and navigation prompts, copyright lines, wire-service credit
    lines (``Reporting by ...; Editing by ...``), ``Click here``, cookie notices,
    bylines (``By Jane Doe``).
"""

from __future__ import annotations

import re

from .dates import MONTH_NAMES

_AGENCIES = (r"(?:REUTERS|Reuters|AFP|AP|EPA(?:-EFE)?|Getty\s+Images|Xinhua|XINHUA|Bloomberg|"
             r"Shutterstock|Alamy|iStock|AAP|Anadolu\s+Agency|dpa|ANSA|PA(?:\s+Images)?|"
             r"NurPhoto|SIPA|Sipa|Zuma(?:\s+Press)?|ZUMA|Handout|Pool|Courtesy)")

_CAPTION_PATTERNS = [
    # Reuters and agency-first credits at the end: "... REUTERS/Kevin Lamarque/Files",
    # "AFP/Getty Images", "EPA-EFE/JIM LO SCALZO". Upper-case agency only, so a body
    # sentence about a "Reuters/Ipsos poll" is not a caption.
    re.compile(r"(?:^|[\s.(])(?:REUTERS(?:\s*TV)?|AFP|EPA(?:-EFE)?|XINHUA)\s*/\s*"
               r"[A-Za-zÀ-ÿ][^/\n]{1,60}(?:/[A-Za-z][^/\n]{1,30}){0,3}\.?\)?$"),
    re.compile(r"(?:^|[\s.(])REUTERS(?:\s*TV)?\.?$"),
    # Photographer-first credits at the end: "Mandel Ngan/AFP via Getty Images".
    re.compile(rf"[A-Za-zÀ-ÿ][\w.'’ -]{{1,60}}\s*/\s*{_AGENCIES}(?:\s+via\s+Getty\s+Images)?\.?\)?$"),
    re.compile(r"\bvia\s+(?:Getty\s+Images|REUTERS|Reuters|AP|AFP)\)?\.?$"),
    # "(AP Photo/Evan Vucci)", "(Photo by John Smith/Getty Images)", "(Reuters photo)".
    re.compile(r"\((?:[A-Z][\w&.'’ -]{0,40}\s+)?(?:Photos?|Photograph|Picture|Image|Video)"
               r"(?:\s*/\s*[^()]{1,80}|\s+(?:by|courtesy(?:\s+of)?|credit)\s*:?\s*[^()]{1,80})?\)\.?$",
               re.IGNORECASE),
    # Leading labels: "Photo: ...", "FILE PHOTO: ...", "Image copyright Getty Images".
    re.compile(r"^(?:FILE\s+PHOTO|File\s+photo|Photos?|Photograph|Picture|Pictured|Image|Caption|"
               r"Photo\s+credit|Image\s+credit|Credit)\s*[:|–—-]\s*\S"),
    re.compile(r"^Image\s+(?:copyright|caption)\b"),
    # Trailing labels: "... Photo: John Smith/Reuters", "... Photograph: Name/Agency".
    re.compile(r"\b(?:Photo|Photograph|Picture|Image|Credit)s?\s*(?::|\bby\b)\s*[^.:]{2,80}\.?$"),
    # A bare credit line: "Getty Images", "AFP/Getty Images", "Reuters TV".
    re.compile(rf"^(?:[\w.'’ -]{{0,40}}/\s*)?{_AGENCIES}(?:\s+(?:TV|via\s+Getty\s+Images))?\.?$"),
]

_BOILERPLATE_PATTERNS = [
    re.compile(r"^(?:(?:Additional\s+)?[Rr]eporting|Writing|Editing|Compiled|Research|Produced|"
               r"Graphics|Fact\s+box|Factbox|Video)\s+(?:and\s+\w+\s+)?by\s+\S", re.IGNORECASE),
    re.compile(r"^(?:Share|Share\s+this(?:\s+\w+)?|Share\s+on\s+\w+|Tweet|Email|E-mail|Print|Pin|"
               r"Copy\s+link|Save|Comments?|Facebook|Twitter|WhatsApp|LinkedIn|Reddit)"
               r"(?:\s*[|·•,/]\s*\w+(?:\s\w+)?)*\s*$", re.IGNORECASE),
    re.compile(r"^(?:Subscribe|Sign\s+up|Sign\s+in|Log\s+in|Register\s+(?:now|here|for)|"
               r"Follow\s+(?:us|@)|Like\s+us\s+on|Download\s+(?:our|the)\s+app|Get\s+the\s+app)\b",
               re.IGNORECASE),
    re.compile(r"^(?:Click\s+here|Read\s+more|Read\s+the\s+full|Related\s*:|Related\s+(?:Coverage|"
               r"Articles|Stories|Content|Topics)|Recommended(?:\s+for\s+you)?\s*:?$|More\s*:|See\s+also\s*:|"
               r"Advertisement|Sponsored|Watch\s*:|Listen\s*:|Video\s*:|Top\s+stories|Trending)",
               re.IGNORECASE),
    re.compile(r"\bclick\s+here\b", re.IGNORECASE),
    re.compile(r"^(?:©|\(c\)\s|Copyright\b)", re.IGNORECASE),
    re.compile(r"\ball\s+rights\s+reserved\b", re.IGNORECASE),
    re.compile(r"\bmay\s+not\s+be\s+published,\s+broadcast,\s+rewritten\s+or\s+redistributed\b",
               re.IGNORECASE),
    re.compile(r"^Our\s+Standards\s*:", re.IGNORECASE),
    re.compile(r"\b(?:we\s+use\s+cookies|uses\s+cookies|cookie\s+(?:policy|settings|notice)|"
               r"accept\s+(?:all\s+)?cookies|by\s+continuing\s+to\s+(?:use|browse))\b", re.IGNORECASE),
    re.compile(r"^(?:Sign\s+up\s+for|Get)\s+(?:our|the)\s+\w+(?:\s+\w+)?\s+newsletter", re.IGNORECASE),
]

#: A byline: "By Jane Doe", "By Jane Doe and John Roe, Reuters".
BYLINE = re.compile(r"^By\s+(?P<names>[A-ZÀ-Þ][\w.'’-]+(?:\s+[A-ZÀ-Þ][\w.'’-]+){0,3}"
                    r"(?:\s*(?:,|and|&)\s*[A-ZÀ-Þ][\w.'’-]+(?:\s+[A-ZÀ-Þ][\w.'’-]+){0,3}){0,3})"
                    r"(?:\s*[|,–—-]\s*[\w .]{2,40})?$")

_DATE_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon",
    "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "am", "pm", "a", "m", "p", "st", "nd", "rd", "th", "published",
    "updated", "posted", "last", "modified", "first", "created", "date", "time", "on", "at",
    "utc", "gmt", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "bst", "cet",
    "cest", "eet", "eest", "ist", "jst", "aest", "aedt", "et", "pt", "ct", "mt", "z", "t",
    "h",
})
_MONTH_WORD = re.compile(rf"\b{MONTH_NAMES}\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)
_DATE_CHARS = re.compile(r"^[\w\s,.:;@|/()·•–—+-]*$")

MAX_CAPTION = 600
MAX_BOILERPLATE = 400


def is_caption(text: str) -> bool:
    """True for a photo caption or photo-credit line (see the module docstring)."""
    t = text.strip()
    if not t or len(t) > MAX_CAPTION:
        return False
    return any(p.search(t) for p in _CAPTION_PATTERNS)


def is_boilerplate(text: str) -> bool:
    """True for sharing/subscription prompts, copyright, credit lines, cookie notices."""
    t = text.strip()
    if not t or len(t) > MAX_BOILERPLATE:
        return False
    return bool(BYLINE.match(t)) or any(p.search(t) for p in _BOILERPLATE_PATTERNS)


def is_date_line(text: str) -> bool:
    """True for a standalone date/time line, e.g. ``Friday August 2, 2013 @ 8:13am PDT``."""
    t = text.strip()
    if not t or len(t) > 100 or not _DATE_CHARS.match(t):
        return False
    words = re.findall(r"[A-Za-z]+", t)
    if any(w.lower() not in _DATE_WORDS for w in words):
        return False
    has_number = bool(re.search(r"\d", t))
    month = bool(_MONTH_WORD.search(t))
    return has_number and (month or bool(_NUMERIC_DATE.search(t))
                           or (bool(_TIME.search(t)) and bool(words)))


def classify(text: str) -> str:
    """Role of a normalized paragraph: caption, dateline, boilerplate or body."""
    if is_date_line(text):
        return "dateline"
    if is_caption(text):
        return "caption"
    if is_boilerplate(text):
        return "boilerplate"
    return "body"


def byline_author(text: str) -> str | None:
    """The names of a byline paragraph (``By Jane Doe`` gives ``Jane Doe``), else None."""
    m = BYLINE.match(text.strip())
    return m["names"].strip() if m else None


__all__ = ["byline_author", "classify", "is_boilerplate", "is_caption", "is_date_line"]
