"""Numbers with what they count and how sure the text is (``rashomon_quantities``).

A quantity is a number group — digits ("2,400", "1.5"), number words ("eight",
"twenty-five", "a trillion", "a dozen") or a plural multiplier ("billions", "tens of
thousands") — with:

* ``value``: a float (:func:`parse_number`; "nearly a trillion" → 1e12, "$1.5 billion" →
  1.5e9, "40%" → 40);
* ``unit``: the noun counted, found in the dependency parse —
  the head of a ``nummod`` with its noun compounds ("more than 2,400 *service members*",
  "14,000 *troops*"); the noun after a hyphen ("17-*year*", "eight-*country* tour",
  "three-*day* meeting", "17-*year*-old conflict"); the object of "of" after a plural
  multiplier ("billions of *dollars*"); a currency sign ("$1.5 billion" → ``dollars``);
  ``percent``. "N-strong X" counts the members of X and reports X ("12-strong *team*"),
  so two outlets' "12-strong team" and "12-member team" compare on the same noun;
* ``hedge``: the words that make the number approximate or a bound ("more than",
  "nearly", "at least", "about", "up to", "or more"). A plural multiplier is itself the
  hedge: "billions of dollars" → value 1e9 (the smallest amount the words allow) with
  hedge ``"billions of"``, so nobody reads it as exactly one billion.

Not quantities: numbers inside dates and times ("December 1", "2011", "their 2001
ouster"; a DATE entity that is a duration such as "17-year" or "at least five years" IS
a quantity), ordinals, numbers inside names ("G20", "Apollo 11"), and "one" used as a
pronoun ("one of them").

Results: ``doc.spans["rashomon_quantities"]`` and ``doc._.quantities`` (the same spans),
each with ``span._.quantity_value``, ``span._.quantity_unit``, ``span._.quantity_hedge``;
:func:`extract` returns :class:`~rashomon.records.Quantity` records.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..records import Quantity
from .dates import is_duration
from .spacy_ext import span_sentence_index

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["SPAN_KEY", "extract", "find_quantities", "parse_number", "split_hedge"]

SPAN_KEY = "rashomon_quantities"

_UNITS_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12,
}
#: Plural multipliers: "dozens", "hundreds", "billions" (value = the multiplier itself).
_PLURAL_SCALES: dict[str, float] = {
    "dozens": 12.0, "tens": 10.0, "scores": 20.0, "hundreds": 1e2, "thousands": 1e3,
    "millions": 1e6, "billions": 1e9, "trillions": 1e12,
}
_NUMBER_WORDS = set(_UNITS_WORDS) | set(_TENS_WORDS) | {"hundred", "thousand", "million",
                                                        "billion", "trillion", "dozen"}

#: Hedges before a number, longest first so "no more than" wins over "more than".
_PREFIX_HEDGES: tuple[str, ...] = tuple(sorted((
    "more than", "less than", "fewer than", "no more than", "no fewer than", "no less than",
    "at least", "at most", "up to", "as many as", "as much as", "as few as", "as little as",
    "close to", "nearly", "almost", "about", "around", "roughly", "approximately", "some",
    "over", "under", "just over", "just under", "well over", "well under", "an estimated",
    "estimated", "upwards of", "in excess of", "a maximum of", "a minimum of", "more or less",
    "an average of", "below", "above", "at an estimated", "some estimated",
    "barely", "not quite", "a little over", "a little more than", "slightly more than",
    "slightly less than", "almost exactly", "approx",
), key=len, reverse=True))
_SUFFIX_HEDGES: tuple[str, ...] = ("or more", "or so", "or fewer", "or less", "plus")

_CURRENCY = {"$": "dollars", "us$": "dollars", "€": "euros", "£": "pounds", "¥": "yen",
             "₹": "rupees", "rs": "rupees", "c$": "dollars", "a$": "dollars"}
_PERCENT = {"%", "percent", "per cent", "pct", "percentage points"}
_SKIP_ENTS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART",
              "LAW", "LANGUAGE", "ORDINAL"}
_NUMBER_ENTS = {"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}
_CLOCK = re.compile(r"^(?:[ap]\.?m\b|[ap]\.m\.|gmt|utc|est|edt|cst|cdt|pst|pdt|bst|cet|o'clock|hrs\b)")
_DIGITS = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")


# --------------------------------------------------------------------------- pure core
def parse_number(text: str) -> float | None:
    """The value of a number phrase, or None. Never raises.

    "2,400" → 2400; "1.5 billion" → 1.5e9; "a trillion" → 1e12; "twenty-five" → 25;
    "two hundred and fifty" → 250; "a dozen" → 12; "half a million" → 5e5; "billions" →
    1e9; "tens of thousands" → 1e4; "$1.5bn" → 1.5e9; "40%" → 40.
    """
    try:
        value = _parse_number(text)
    except (ValueError, OverflowError, ArithmeticError):
        return None
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    return value


def _parse_number(text: str) -> float | None:
    s = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    s = re.sub(r"^(?:us\$|c\$|a\$|[$€£¥₹])", "", s.strip())
    s = re.sub(r"\s*(%|percent|per cent)$", "", s)
    # "1.5bn", "2m": digits glued to a scale suffix.
    s = re.sub(r"^([\d.,]+)(k|m|mn|mln|bn|b|tn)$", r"\1 \2", s)
    words = [w for w in re.split(r"[\s-]+", s) if w and w not in ("and", "of")]
    if not words:
        return None
    total = 0.0
    current: float | None = None
    seen = False
    for i, w in enumerate(words):
        if _DIGITS.match(w) and any(ch.isdigit() for ch in w):
            if current is not None and seen:
                return None  # "12 15": two numbers, not one
            current = float(w.replace(",", ""))
            seen = True
        elif w in _UNITS_WORDS or w in _TENS_WORDS:
            n = float(_UNITS_WORDS.get(w, _TENS_WORDS.get(w, 0)))
            if current is None:
                current = n
            elif current > 0 and n < 10 and current % 10 == 0 and current % 100 != 0:
                current += n  # "twenty five", "two hundred fifty five"
            elif current >= 100 and current % 100 == 0:
                current += n  # "two hundred fifty", "a hundred and five"
            else:
                return None
            seen = True
        elif w in ("a", "an"):
            if current is not None and not (i > 0 and words[i - 1] == "half"):
                return None  # "half a million": the "a" adds nothing
            current = 1.0 if current is None else current
        elif w == "half":
            current = 0.5 * (current if current is not None else 1.0)
            seen = True
        elif w in ("dozen",):
            current = (current if current is not None else 1.0) * 12
            seen = True
        elif w in _SCALES:
            if current is None:
                if w in ("k", "m", "b", "mn", "bn", "tn", "mln"):
                    return None
                current = 1.0
            scale = _SCALES[w]
            if scale == 100:
                current *= scale
            else:
                total += current * scale
                current = None
            seen = True
        elif w in _PLURAL_SCALES:
            # "tens of thousands": multiply; "billions": the multiplier itself.
            base = _PLURAL_SCALES[w]
            current = base if current is None else current * base
            seen = True
        else:
            return None
    if not seen:
        return None
    return total + (current or 0.0)


def split_hedge(prefix: str) -> str | None:
    """The hedge at the end of the text before a number ("... lost more than" → "more than")."""
    s = " ".join(prefix.lower().split())
    for hedge in _PREFIX_HEDGES:
        if s == hedge or s.endswith(" " + hedge):
            return hedge
    return None


# --------------------------------------------------------------------------- parse side
@dataclass(slots=True)
class _Found:
    start: int  # token indices of the phrase
    end: int
    value: float
    unit: str | None
    hedge: str | None


def _is_number_token(tok: Token) -> bool:
    low = tok.lower_
    if low in _PLURAL_SCALES:
        return tok.tag_ in ("NNS", "CD")
    if low == "dozen":
        return True
    if tok.tag_ != "CD" and tok.pos_ != "NUM":
        return False
    if low == "one" and tok.dep_ != "nummod":
        return False  # "one of them", "no one"
    if low in _NUMBER_WORDS or low in _SCALES:
        return True
    return bool(_DIGITS.match(low)) and any(c.isdigit() for c in low)


def _number_groups(doc: Doc) -> Iterator[tuple[int, int]]:
    """Maximal runs of number tokens ("a trillion", "two hundred and fifty", "tens of
    thousands", "twenty - five")."""
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        if not _is_number_token(tok):
            i += 1
            continue
        start = i
        # "a"/"an" before a scale word belongs to the number: "a trillion", "a dozen".
        if i > 0 and doc[i - 1].lower_ in ("a", "an") and tok.lower_ in (*_SCALES, "dozen"):
            start = i - 1
        if start > 0 and doc[start - 1].lower_ == "half":
            start -= 1
        j = i + 1
        while j < n:
            t = doc[j]
            if (_is_number_token(t) and not _is_digit_token(doc[j - 1])) or (
                    t.lower_ in _SCALES and t.lower_ not in ("m", "b", "k")):
                j += 1
            elif t.lower_ in ("and", "-", "of") and j + 1 < n and _joins(doc[j - 1], doc[j + 1]):
                j += 2
            else:
                break
        yield start, j
        i = j


def _is_digit_token(tok: Token) -> bool:
    return any(c.isdigit() for c in tok.text)


def _joins(left: Token, right: Token) -> bool:
    """Can ``left <and|-|of> right`` be one number? ("hundred and fifty", "twenty-five",
    "tens of thousands")."""
    lw, rw = left.lower_, right.lower_
    if lw in _PLURAL_SCALES and rw in _PLURAL_SCALES:
        return True  # tens of thousands
    if lw in ("hundred", "thousand", "million", "billion") and rw in _UNITS_WORDS | _TENS_WORDS:
        return True
    return lw in _TENS_WORDS and rw in _UNITS_WORDS


def _blocked_tokens(doc: Doc) -> set[int]:
    """Tokens no quantity may use: inside names, ordinals, and dates or clock times that
    are not durations ("December 1", "2011"; but "17-year" and "at least five years" are
    quantities)."""
    blocked: set[int] = set()
    for ent in doc.ents:
        if ent.label_ in _SKIP_ENTS or (ent.label_ in ("DATE", "TIME") and not is_duration(ent.text)):
            blocked.update(range(ent.start, ent.end))
    return blocked


def _looks_like_year(doc: Doc, start: int, end: int) -> bool:
    """A bare 1800–2100 written without a thousands comma is a year the NER missed ("the
    2016 election"); news writes counts of that size with a comma ("2,016 troops")."""
    return end - start == 1 and bool(re.fullmatch(r"(1[89]\d\d|20\d\d|2100)", doc[start].text))


def _unit_from_noun(noun: Token, number_end: int) -> tuple[str, int]:
    """The counted noun with its noun compounds between the number and it."""
    first = noun.i
    for child in noun.lefts:
        if child.i >= number_end and child.dep_ == "compound" and child.pos_ == "NOUN":
            first = min(first, child.i)
    # Proper nouns keep their case ("12 Somalis"); common nouns are lower-cased.
    words = [t.text if t.pos_ == "PROPN" else t.lower_ for t in noun.doc[first:noun.i + 1]
             if t.i == noun.i or (t.dep_ == "compound" and t.pos_ == "NOUN" and t.head == noun)]
    return " ".join(words), noun.i + 1


def _analyse(doc: Doc, start: int, end: int) -> _Found | None:
    group = doc[start:end]
    if re.match(r"0\d", group.text):
        return None  # "02", "000": codes and split-up digits, not counts
    value = parse_number(group.text)
    if value is None:
        return None
    after = doc[end:end + 3].text.lower().replace(" ", "")
    if _CLOCK.match(after) or (end < len(doc) and doc[end].text in (":", ".") and
                               end + 1 < len(doc) and doc[end + 1].like_num):
        return None  # a clock time: "10 a.m.", "1052 GMT", "9.25 a. m.", "10:30"
    last = doc[end - 1]
    phrase_start, phrase_end = start, end
    unit: str | None = None
    hedge: str | None = None

    # Currency sign just before the number.
    if start > 0 and doc[start - 1].lower_ in _CURRENCY:
        unit = _CURRENCY[doc[start - 1].lower_]
        phrase_start = start - 1
    nxt = doc[end] if end < len(doc) else None

    if nxt is not None and nxt.text in ("-", "‐", "–") and not last.whitespace_ and not nxt.whitespace_ \
            and end + 1 < len(doc):
        # Hyphenated: "17-year", "eight-country tour", "12-strong team", "17-year-old".
        word = doc[end + 1]
        if word.lower_ == "strong" and word.head.pos_ in ("NOUN", "PROPN") and word.head.i > word.i:
            unit, phrase_end = word.head.lower_, word.head.i + 1
        elif word.pos_ in ("NOUN", "PROPN", "ADJ") and word.is_alpha:
            unit, phrase_end = word.lower_, end + 2
            if phrase_end + 1 < len(doc) and doc[phrase_end].text == "-" and \
                    doc[phrase_end + 1].lower_ in ("old", "long"):
                phrase_end += 2
        else:
            return None  # "3-1", "10-12": scores and ranges are not counts of anything
    elif nxt is not None and (nxt.lower_ in _PERCENT or (
            nxt.lower_ == "per" and end + 1 < len(doc) and doc[end + 1].lower_ == "cent")):
        unit = "percent"
        phrase_end = end + 1 if nxt.lower_ != "per" else end + 2
    elif last.lower_ in _PLURAL_SCALES or (nxt is not None and nxt.lower_ == "of" and
                                          last.lower_ in ("dozen", "hundred", "thousand")):
        # "billions of dollars", "dozens of people": the multiplier is the hedge.
        hedge = doc[start:end + (1 if nxt is not None and nxt.lower_ == "of" else 0)].text.lower()
        if nxt is not None and nxt.lower_ == "of":
            objs = [c for c in nxt.children if c.dep_ == "pobj"]
            if objs and objs[0].pos_ in ("NOUN", "PROPN"):
                unit, phrase_end = _unit_from_noun(objs[0], end + 1)
    elif unit is None:
        head = _counted_noun(doc, start, end)
        if head is not None:
            unit, phrase_end = _unit_from_noun(head, end)
            if unit in _PERCENT:
                unit = "percent"

    # Hedge words just before the number (within the sentence).
    lo = max(0, phrase_start - 4)
    for k in range(phrase_start - 1, lo - 1, -1):  # stay inside the sentence
        if doc[k + 1].is_sent_start and k + 1 <= phrase_start:
            lo = k + 1
            break
    window = doc[lo:phrase_start]
    for k in range(len(window)):
        cand = split_hedge(window[k:].text)
        if cand is not None and window[k:].text.lower() == cand:
            hedge = cand if hedge is None else f"{cand} {hedge}"
            phrase_start = window[k].i
            break
    if hedge is None and phrase_end < len(doc):
        after = doc[phrase_end:phrase_end + 2].text.lower()
        for suf in _SUFFIX_HEDGES:
            if after == suf or after.startswith(suf + " ") or (suf == "plus" and after.startswith("plus")):
                hedge = suf
                phrase_end += len(suf.split())
                break
    return _Found(phrase_start, phrase_end, value, unit, hedge)


def _counted_noun(doc: Doc, start: int, end: int) -> Token | None:
    for tok in doc[start:end]:
        if tok.dep_ in ("nummod", "quantmod", "amod", "compound") and tok.head.i >= end and \
                tok.head.pos_ in ("NOUN", "PROPN", "SYM"):
            return tok.head
    return None


def find_quantities(doc: Doc) -> list[Span]:
    out: list[Span] = []
    last_end = 0
    blocked = _blocked_tokens(doc)
    for start, end in _number_groups(doc):
        if start < last_end or any(i in blocked for i in range(start, end)):
            continue
        found = _analyse(doc, start, end)
        if found is None:
            continue
        if found.unit not in ("dollars", "euros", "pounds", "yen", "rupees", "percent") and \
                _looks_like_year(doc, start, end):
            continue
        in_number_ent = any(t.ent_type_ in _NUMBER_ENTS or t.ent_type_ == "DATE" for t in doc[start:end])
        if found.unit is None and not in_number_ent:
            continue  # a bare number the NER does not call a number: list marks, codes
        span = doc[found.start:found.end]
        span._.quantity_value = found.value
        span._.quantity_unit = found.unit
        span._.quantity_hedge = found.hedge
        out.append(span)
        last_end = found.end
    return out


def _register() -> None:
    from .spacy_ext import register_extensions

    register_extensions()
    for name in ("quantity_value", "quantity_unit", "quantity_hedge"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Doc.has_extension("quantities"):
        Doc.set_extension("quantities", getter=lambda doc: list(doc.spans.get(SPAN_KEY, ())))


_register()


@Language.component(
    "rashomon_quantities",
    requires=["doc.ents", "token.dep", "token.tag"],
    assigns=["doc.spans", "span._.quantity_value", "span._.quantity_unit", "span._.quantity_hedge"],
)
def quantities_component(doc: Doc) -> Doc:
    doc.spans[SPAN_KEY] = find_quantities(doc)
    return doc


def extract(doc: Doc) -> dict[str, tuple[Quantity, ...]]:
    article_id = doc._.article_id or ""
    return {"quantities": tuple(
        Quantity(article_id=article_id, sentence_index=span_sentence_index(span), phrase=span.text,
                 value=float(span._.quantity_value), unit=span._.quantity_unit,
                 hedge=span._.quantity_hedge, start=span.start_char, end=span.end_char)
        for span in doc.spans.get(SPAN_KEY, ())
    )}
