"""Temporal expressions resolved against the publication date (``rashomon_dates``).

Finding. spaCy's DATE and TIME entities, plus Rashomon's own patterns for what the small
model misses (weekday names, "yesterday", "last week", "N days ago", month + year). A
DATE entity followed by a TIME entity ("Monday" + "morning") is one mention. Durations are
not dates: "17-year", "three-day", "at least five years", "the years" go to quantities.
A governing preposition is part of the phrase ("on Sunday", "in 2001", "since 2001") and
sets ``relation``: since/from → ``start``; until/till/through/by → ``end``; before/after.

Resolving (:func:`resolve`, a pure function of the phrase, the publication date and the
verb tense). Results are ISO strings: ``2018-12-03`` (day), ``2018-W48`` (ISO week),
``2018-11`` (month), ``2019`` (year).

* Absolute dates resolve without a publication date: "December 1, 2018", "April 2019",
  "2011", "2018-12-04".
* Relative dates need one; with ``published=None`` they stay unresolved (the system's
  clock is never used): "yesterday", "last month" → 2018-11, "last week" → 2018-W48,
  "this week", "this year", "three days ago".
* A bare weekday ("Monday") or a month or day without a year ("in March", "December 1")
  depends on the tense of the verb it modifies. Past (and unknown) tense: the most recent
  such day on or before publication (a Reuters report of Tuesday 2018-12-04: "said on
  Monday" → 2018-12-03). Future ("will travel on Monday", "is due to arrive"): the next
  one on or after publication. Present tense ("meets on Friday", "would arrive"): the
  nearer of the two. "last Monday"/"next Monday" are strictly before/after the
  publication day; "this Monday" is the one in the publication's ISO week.
* Vague or ranged expressions ("in recent months", "the past two years", "the 1990s",
  "last summer", "the weekend") are kept as mentions with ``resolved=None``: a range or
  a guessed point would look more certain than the text is.

Results: ``doc.spans["rashomon_dates"]`` (serializable with the Doc), ``doc._.dates``
(the same spans as a list), and on each span ``span._.date_resolved``,
``span._.date_granularity``, ``span._.date_relation``. :func:`extract` turns them into
:class:`~rashomon.records.DateMention` records.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..records import DateMention
from .spacy_ext import span_sentence_index

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "GRANULARITIES",
    "SPAN_KEY",
    "extract",
    "find_dates",
    "is_duration",
    "parse_published",
    "resolve",
    "resolve_detail",
    "tense_of",
]

SPAN_KEY = "rashomon_dates"
GRANULARITIES = ("day", "week", "month", "year")
Tense = str  # "past" | "present" | "future"

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
                 "fri": 4, "sat": 5, "sun": 6}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_NUM: dict[str, int] = {m: i + 1 for i, m in enumerate(_MONTHS)}
_MONTH_NUM.update({m[:3]: i + 1 for i, m in enumerate(_MONTHS)})
_MONTH_NUM.update({"sept": 9})
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "several": None, "few": None, "couple": None, "many": None,
}
_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
          "months": "month", "year": "year", "years": "year", "decade": "decade",
          "decades": "decade", "century": "century", "centuries": "century",
          "hour": "hour", "hours": "hour", "minute": "minute", "minutes": "minute",
          "night": "day", "nights": "day", "fortnight": "fortnight", "quarter": "quarter"}
_TIME_OF_DAY = ("morning", "afternoon", "evening", "night", "overnight", "midday", "noon",
                "midnight", "dawn", "dusk", "lunchtime")
#: Preposition before a date → relation of the date to the event.
_RELATION_PREPS = {"since": "start", "from": "start", "until": "end", "till": "end",
                   "through": "end", "by": "end", "before": "before", "after": "after"}
_POINT_PREPS = {"on", "in", "at", "during", "of", "throughout", "around", "for"}
_MODIFIERS = ("early", "late", "mid", "earlier", "later", "the end of", "the start of",
              "the beginning of", "the middle of", "end of", "start of", "beginning of")

_FREQUENCIES = frozenset({"annual", "annually", "daily", "weekly", "monthly", "yearly", "quarterly",
                          "nightly", "hourly", "biannual", "biennial", "each year", "every year",
                          "a year", "a day", "a week", "a month", "per year", "per day"})
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH_RE = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
             r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_MDY = re.compile(rf"^{_MONTH_RE} (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?$")
_DMY = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MONTH_RE}(?:,? (\d{{4}}))?$")
_MY = re.compile(rf"^{_MONTH_RE}(?:,? (?:of )?(\d{{4}}))?$")
_WEEKDAY_RE = re.compile(
    r"^(?:(last|this|next|past|coming|previous) )?"
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)"
    r"(?: (?:morning|afternoon|evening|night|overnight))?$")
_REL_UNIT = re.compile(r"^(last|this|next|previous|coming|current|past) (week|month|year)$")
_AGO = re.compile(r"^(\d{1,3}|[a-z]+) (day|week|month|year|decade)s? ago$")
# Anything that anchors a phrase in time; a phrase with a time unit but none of these is
# a duration ("17-year", "three days").
_ANCHOR = re.compile(
    r"\b(ago|last|this|next|previous|coming|current|recent|recently|past|earlier|later|"
    r"yesterday|today|tonight|tomorrow|weekend|summer|winter|spring|autumn|fall|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"\d{4}s?|\d{2}s)\b")
_DURATION = re.compile(
    r"^(?:(?:at least|at most|more than|less than|fewer than|nearly|almost|about|around|"
    r"some|over|under|up to|roughly|approximately|only|just|another|the|a|an|for) )*"
    r"(?:[\d.,]+|[a-z]+(?:-[a-z]+)?|a few|a couple of|several)?[ -]?"
    r"(?:day|week|month|year|decade|century|centurie|hour|minute|second|night|fortnight|season|term)s?"
    r"(?:[ -](?:old|long))?$")


# --------------------------------------------------------------------------- pure core
def parse_published(published: object) -> dt.date | None:
    """The publication date as a ``date``; None for None or anything not ``YYYY-MM-DD``."""
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    if not isinstance(published, str):
        return None
    m = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})", published)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def normalize_phrase(phrase: str) -> str:
    s = phrase.lower().replace("’", "'").replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"\s*-\s*", "-", s)  # tokenized text: "63 - year - old"
    s = re.sub(r"(?<=[a-z])\.", "", s)  # "Dec." → "dec", "a.m." → "am"
    s = re.sub(r"[^\w\s,-]", " ", s)
    s = " ".join(s.split()).strip(" ,-")
    return s


def is_duration(phrase: str) -> bool:
    """True for an amount of time ("17-year", "three-day", "at least five years", "the
    years"): a quantity, not a point in time."""
    s = normalize_phrase(phrase)
    if not s or _ANCHOR.search(s):
        return False
    return bool(_DURATION.match(s))


def _strip(s: str) -> tuple[str, str | None]:
    """Drop leading prepositions/articles/modifiers; return (core, relation)."""
    relation: str | None = None
    changed = True
    while changed:
        changed = False
        first, _, rest = s.partition(" ")
        if rest and first in _RELATION_PREPS and relation is None:
            relation, s, changed = _RELATION_PREPS[first], rest, True
        elif rest and (first in _POINT_PREPS or first in ("the", "a", "an", "as", "of")):
            s, changed = rest, True
        else:
            for mod in _MODIFIERS:
                if s.startswith(mod + " ") or s.startswith(mod + "-"):
                    s, changed = s[len(mod) + 1:], True
                    break
    # "Monday, December 3, 2018": the explicit date wins over the weekday.
    m = re.match(r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),? (.+)$", s)
    if m and (_MDY.match(m[1]) or _DMY.match(m[1])):
        s = m[1]
    # "Monday morning", "yesterday afternoon", "this morning": the day is what counts.
    for tod in _TIME_OF_DAY:
        if s.endswith(" " + tod):
            head = s[: -len(tod) - 1]
            if head in ("this", "early this", "late this"):
                s = "today"
            elif head == "last" and tod in ("night", "evening"):
                s = "yesterday"
            else:
                s = head
            break
    if s in ("tonight", "overnight", "earlier today", "later today"):
        s = "today"
    return s, relation


def _iso_day(d: dt.date) -> str:
    return d.isoformat()


def _iso_week(d: dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _iso_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _valid_year(y: int) -> bool:
    return 1000 <= y <= 2999


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def _pick(cands: list[tuple[dt.date, dt.date, Any]], pub: dt.date, tense: str | None,
          strict: str | None = None) -> Any:
    """Choose among candidate periods ``(first_day, last_day, value)`` by tense.

    past/None → the latest one starting on or before ``pub``; future → the earliest one
    ending on or after ``pub``; present → the one nearest ``pub``. ``strict`` ("before" /
    "after") excludes the period containing ``pub`` ("last Monday", "next Monday").
    """
    if strict == "before":
        before = [c for c in cands if c[1] < pub]
        return max(before, key=lambda c: c[0])[2] if before else None
    if strict == "after":
        after = [c for c in cands if c[0] > pub]
        return min(after, key=lambda c: c[0])[2] if after else None
    if tense == "future":
        after = [c for c in cands if c[1] >= pub]
        return min(after, key=lambda c: c[0])[2] if after else None
    if tense == "present":
        def distance(c: tuple[dt.date, dt.date, Any]) -> int:
            if c[0] <= pub <= c[1]:
                return 0
            return min(abs((c[0] - pub).days), abs((c[1] - pub).days))
        # Ties go to the past: news mostly reports what happened.
        return min(cands, key=lambda c: (distance(c), c[0] > pub))[2]
    before = [c for c in cands if c[0] <= pub]
    return max(before, key=lambda c: c[0])[2] if before else None


def _month_last_day(year: int, month: int) -> dt.date:
    ny, nm = _shift_month(year, month, 1)
    return dt.date(ny, nm, 1) - dt.timedelta(days=1)


def resolve_detail(phrase: str, published: object = None,
                   tense: str | None = None) -> tuple[str | None, str | None, str | None]:
    """``(iso, granularity, relation)`` for a temporal phrase; ``iso`` None when it cannot
    be resolved (relative phrase without publication date, vague phrase, nonsense).
    Never raises."""
    try:
        return _resolve(phrase, parse_published(published), tense)
    except (ValueError, OverflowError):  # dates beyond year 1..9999 after arithmetic
        return None, None, None


def resolve(phrase: str, published: object = None,
            tense: str | None = None) -> tuple[str, str] | None:
    """Resolve a temporal phrase to ``(iso, granularity)``, or None.

    ``published``: ISO date string of the article (or a ``date``); ``tense``: "past",
    "present" or "future" of the verb the phrase modifies (None = unknown, read as past).
    """
    iso, gran, _rel = resolve_detail(phrase, published, tense)
    if iso is None or gran is None:
        return None
    return iso, gran


def _resolve(phrase: str, pub: dt.date | None,
             tense: str | None) -> tuple[str | None, str | None, str | None]:
    s, relation = _strip(normalize_phrase(phrase))
    if not s:
        return None, None, relation

    # ---- absolute -------------------------------------------------------------
    if m := _ISO_DAY.match(s):
        d = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return (_iso_day(d), "day", relation) if _valid_year(d.year) else (None, None, relation)
    if m := _YEAR.match(s):
        y = int(m[1])
        return (m[1], "year", relation) if _valid_year(y) else (None, None, relation)
    mdy, dmy = _MDY.match(s), _DMY.match(s)
    if mdy or dmy:
        if mdy:
            month, day, year = _MONTH_NUM[mdy[1][:3]], int(mdy[2]), mdy[3]
        else:
            assert dmy is not None
            day, month, year = int(dmy[1]), _MONTH_NUM[dmy[2][:3]], dmy[3]
        if not 1 <= day <= 31:
            return None, None, relation
        if year is not None:
            y = int(year)
            if not _valid_year(y):
                return None, None, relation
            try:
                return _iso_day(dt.date(y, month, day)), "day", relation
            except ValueError:  # "February 30, 2018"
                return None, None, relation
        if pub is None:
            return None, "day", relation
        days: list[tuple[dt.date, dt.date, Any]] = []
        for y in (pub.year - 1, pub.year, pub.year + 1):
            try:
                day_y = dt.date(y, month, day)
            except ValueError:  # February 29 in a common year
                continue
            days.append((day_y, day_y, day_y))
        picked = _pick(days, pub, tense) if days else None
        return (_iso_day(picked), "day", relation) if picked else (None, "day", relation)
    if m := _MY.match(s):
        month = _MONTH_NUM[m[1][:3]]
        if m[2] is not None:
            y = int(m[2])
            if not _valid_year(y):
                return None, None, relation
            return _iso_month(y, month), "month", relation
        if pub is None:
            return None, "month", relation
        months: list[tuple[dt.date, dt.date, Any]] = [
            (dt.date(y, month, 1), _month_last_day(y, month), (y, month))
            for y in (pub.year - 1, pub.year, pub.year + 1)]
        ym = _pick(months, pub, tense)
        return (_iso_month(*ym), "month", relation) if ym else (None, "month", relation)

    # ---- relative to publication ----------------------------------------------
    if s in ("yesterday", "today", "tomorrow", "the day before yesterday", "day before yesterday"):
        if pub is None:
            return None, "day", relation
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}.get(s, -2)
        return _iso_day(pub + dt.timedelta(days=offset)), "day", relation
    if m := _WEEKDAY_RE.match(s):
        which, name = m[1], m[2]
        wd = _WEEKDAYS.index(name) if name in _WEEKDAYS else _WEEKDAY_ABBR[name]
        if pub is None:
            return None, "day", relation
        if which == "this":
            d = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(days=wd)
            return _iso_day(d), "day", relation
        cands = [(d, d, d) for d in (pub + dt.timedelta(days=k) for k in range(-7, 8))
                 if d.weekday() == wd]
        strict = {"last": "before", "past": "before", "previous": "before",
                  "next": "after", "coming": "after"}.get(which or "")
        d = _pick(cands, pub, tense, strict)
        return (_iso_day(d), "day", relation) if d else (None, "day", relation)
    if m := _REL_UNIT.match(s):
        which, unit = m[1], m[2]
        if which == "past":  # "the past week": a range ending now, not last calendar week
            return None, None, relation
        if pub is None:
            return None, unit, relation
        delta = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[which]
        if unit == "week":
            return _iso_week(pub + dt.timedelta(weeks=delta)), "week", relation
        if unit == "month":
            return _iso_month(*_shift_month(pub.year, pub.month, delta)), "month", relation
        y = pub.year + delta
        return (f"{y:04d}", "year", relation) if _valid_year(y) else (None, None, relation)
    if m := _AGO.match(s):
        n_text, unit = m[1], m[2]
        n = int(n_text) if n_text.isdigit() else _NUMBER_WORDS.get(n_text)
        if n is None:
            return None, None, relation
        gran = "year" if unit == "decade" else unit
        if pub is None:
            return None, gran, relation
        if unit == "day":
            return _iso_day(pub - dt.timedelta(days=n)), "day", relation
        if unit == "week":
            return _iso_week(pub - dt.timedelta(weeks=n)), "week", relation
        if unit == "month":
            return _iso_month(*_shift_month(pub.year, pub.month, -n)), "month", relation
        y = pub.year - n * (10 if unit == "decade" else 1)
        return (f"{y:04d}", "year", relation) if _valid_year(y) else (None, None, relation)
    return None, None, relation


# --------------------------------------------------------------------------- parse side
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_FUTURE_HEADS = {"due", "set", "expected", "scheduled", "slated", "going", "plan", "planning",
                 "poised", "intend", "intends", "aim", "aims"}


def tense_of(span: Span) -> str | None:
    """Tense ("past" | "present" | "future") of the verb a date phrase modifies."""
    tok: Token = span.root
    for _ in range(12):  # walk up to the governing verb
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE_AUX for a in aux):
        return "future"
    if tok.dep_ == "xcomp" and tok.head.lower_ in _FUTURE_HEADS:
        head = tok.head
        head_aux = [c for c in head.children if c.dep_ in ("aux", "auxpass", "cop")]
        if head.tag_ == "VBD" or any(a.tag_ == "VBD" for a in head_aux):
            return "past"
        return "future"
    if tok.tag_ == "VBD" or any(a.tag_ == "VBD" for a in aux):
        return "past"
    if tok.tag_ == "VBN" and any(a.lemma_ == "have" for a in aux):
        return "past"  # present perfect reports a past event
    if tok.tag_ in ("VBZ", "VBP", "VBG", "VB"):
        return "present"
    return None


_EXTRA_PATTERNS = re.compile(
    r"\b(?:(?:last|this|next|coming|previous) )?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?: (?:morning|afternoon|evening|night))?\b"
    r"|\b(?:yesterday|today|tomorrow|tonight)\b"
    r"|\b(?:[Ll]ast|[Tt]his|[Nn]ext) (?:week|month|year)\b"
    r"|\b(?:\d{1,3}|[a-z]+) (?:days|weeks|months|years|decades) ago\b"
    r"|\b(?:January|February|March|April|June|July|August|September|October|November|December)"
    r"(?: \d{1,2}(?:st|nd|rd|th)?)?,? \d{4}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE)


def _candidate_spans(doc: Doc) -> list[Span]:
    ents = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
    spans: list[Span] = []
    i = 0
    while i < len(ents):
        e = ents[i]
        # "Monday" + "morning": adjacent DATE and TIME entities are one expression.
        if i + 1 < len(ents) and ents[i + 1].start == e.end and e.label_ != ents[i + 1].label_:
            spans.append(doc[e.start:ents[i + 1].end])
            i += 2
            continue
        spans.append(e)
        i += 1
    taken = {t for s in spans for t in range(s.start, s.end)}
    for m in _EXTRA_PATTERNS.finditer(doc.text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None or any(t in taken for t in range(span.start, span.end)):
            continue
        # "May" the modal and "March" the verb are not in the pattern; the weekday and
        # relative words are unambiguous enough on their own.
        spans.append(span)
        taken.update(range(span.start, span.end))
    spans.sort(key=lambda s: s.start)
    return spans


def _keep(span: Span) -> bool:
    text = normalize_phrase(span.text)
    if not text or is_duration(span.text):
        return False
    if not re.search(r"[a-z]", text) and not re.search(r"(?<!\d)\d{4}(?!\d)", text):
        return False  # "72" (an age), "18-30": numbers, not dates
    if text in _FREQUENCIES:
        return False  # "annual", "daily": how often, not when
    if span.label_ == "TIME" or all(t.ent_type_ == "TIME" for t in span):
        # Clock times ("3 p.m.", "hours") are not dates unless they name a day.
        return bool(re.search(r"\b(yesterday|today|tonight|tomorrow|this morning|last night|"
                              r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", text))
    # Other DATE entities ("Christmas", "the same day") stay, unresolved: they are dates
    # the resolver cannot place, not something else.
    return True


def _trim(span: Span) -> Span | None:
    """Drop whitespace and punctuation tokens at the edges ("MAY 23, 2005\\n\\n", "2013 @")."""
    start, end = span.start, span.end
    while start < end and (span.doc[start].is_space or span.doc[start].is_punct):
        start += 1
    while end > start and (span.doc[end - 1].is_space or span.doc[end - 1].is_punct
                           or not span.doc[end - 1].text.strip("@#|•·")):
        end -= 1
    return span.doc[start:end] if end > start else None


def _with_preposition(span: Span) -> Span:
    """Include the preposition governing the date ("on Sunday", "since 2001")."""
    doc = span.doc
    if span.start == 0:
        return span
    prev = doc[span.start - 1]
    if (prev.lower_ in _RELATION_PREPS or prev.lower_ in ("on", "in", "during")) and (
            span.root.head == prev or (prev.dep_ == "prep" and span.root.dep_ == "pobj")):
        return doc[span.start - 1:span.end]
    return span


def find_dates(doc: Doc) -> list[Span]:
    """Resolve every temporal expression in ``doc``; returns the spans (also stored)."""
    published = doc._.published if Doc.has_extension("published") else None
    out: list[Span] = []
    for raw in _candidate_spans(doc):
        cand = _trim(raw)
        if cand is None or not _keep(cand):
            continue
        span = _with_preposition(cand)
        tense = tense_of(cand)
        iso, gran, relation = resolve_detail(span.text, published, tense)
        span._.date_resolved = iso
        span._.date_granularity = gran if iso is not None else None
        span._.date_relation = relation
        out.append(span)
    return out


def _register() -> None:
    from .spacy_ext import register_extensions

    register_extensions()
    for name in ("date_resolved", "date_granularity", "date_relation"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Doc.has_extension("dates"):
        Doc.set_extension("dates", getter=lambda doc: list(doc.spans.get(SPAN_KEY, ())))


_register()


@Language.component(
    "rashomon_dates",
    requires=["doc.ents", "token.dep", "token.tag"],
    assigns=["doc.spans", "span._.date_resolved", "span._.date_granularity", "span._.date_relation"],
)
def dates_component(doc: Doc) -> Doc:
    doc.spans[SPAN_KEY] = find_dates(doc)
    return doc


def _iter_mentions(doc: Doc) -> Iterator[DateMention]:
    article_id = doc._.article_id or ""
    for span in doc.spans.get(SPAN_KEY, ()):
        yield DateMention(
            article_id=article_id,
            sentence_index=span_sentence_index(span),
            phrase=span.text,
            resolved=span._.date_resolved,
            granularity=span._.date_granularity,
            start=span.start_char,
            end=span.end_char,
            relation=span._.date_relation,
        )


def extract(doc: Doc) -> dict[str, tuple[DateMention, ...]]:
    return {"dates": tuple(_iter_mentions(doc))}
