"""Fact groups and their labels, each citing every sentence it rests on.

From aligned claim groups (:mod:`._align`) and the numbers in the claims:

- ``agreed``: a group told by two or more outlets (and a number two outlets give alike);
- ``single_source``: a group (or a number) only one outlet has, naming it;
- ``conflict``: the same thing measured or named differently — a number of the same
  counted thing under the same predicate, a date of the same happening, the subject of the
  same act, negation of the same predicate — with one ``values`` entry per side. Checks
  are deliberately narrow (precision first): different counted things ("14,000 troops"
  stationed vs "2,400 service members" lost), different predicates, hedges that overlap
  ("more than 2,400" vs "2,500"), and lists of places never clash;
- ``reworded_quote``: the same statement quoted by several outlets in different words,
  with a word-level diff;
- ``different_attribution``: the same content credited to different sources.

:func:`label_pair` is the pairwise form (agree / conflict / unrelated) that
``rashomon eval facts`` scores.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..records import Citation, Fact
from ._align import Alignment, interval, same_number, similarity
from ._claims import REPORTING_VERBS, Claim, NumberMention
from ._lexicon import canonical, canonical_set

__all__ = ["Conflict", "build_facts", "conflicts_between", "label_pair", "numbers_clash", "unaligned_conflicts",
           "word_diff"]

_LIGHT = frozenset({"be", "have", "do", "get", "make", "go", "come", "take", "give", "say"})
#: Two aligned claims must be at least this similar before a negation or a subject clash
#: counts: these checks read the predicate, so the rest of the sentence must be shared.
STRONG_ALIGNMENT = 0.45
#: Word-sequence similarity above which two quotes are one statement reworded.
QUOTE_SIMILARITY = 0.5
#: Numbers up to this value are wording ("the two countries"), not figures worth a fact.
MIN_FIGURE = 2.0


@dataclass(frozen=True)
class Conflict:
    kind: str  # number | date | name | negation
    what: str  # the thing measured or named ("troops", "arrive", ...)
    a: Claim
    b: Claim
    value_a: str
    value_b: str


def _cite(c: Claim) -> dict[str, Any]:
    return {"article_id": c.article_id, "sentence_index": c.sentence_index}


def _fact_id(story_id: str, kind: str, citations: Iterable[Citation], extra: str = "") -> str:
    key = "|".join([story_id, kind, extra, *sorted(f"{c.article_id}:{c.sentence_index}" for c in citations)])
    return f"fact-{hashlib.sha1(key.encode()).hexdigest()[:12]}"


def _citations(claims: Iterable[Claim]) -> tuple[Citation, ...]:
    seen: dict[tuple[str, int], Citation] = {}
    for c in claims:
        seen.setdefault((c.article_id, c.sentence_index), c.citation)
    return tuple(seen.values())


def _outlets(claims: Iterable[Claim]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.outlet for c in claims))


def _content_predicate(p: str | None) -> bool:
    return bool(p) and p not in _LIGHT and p not in REPORTING_VERBS


def _same_predicate(p: str | None, q: str | None) -> bool:
    return _content_predicate(p) and _content_predicate(q) and canonical(p or "") == canonical(q or "")


def _number_text(n: NumberMention) -> str:
    return n.phrase


_UPPER = ("as many as", "up to", "at most", "no more than", "nearly", "almost", "close to", "under",
          "less than", "fewer than", "just under")
_LOWER = ("more than", "over", "at least", "no fewer than", "no less than", "upwards of", "or more")
_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
#: Units too generic to pair two figures on their own: a percentage or a sum of money of
#: what? Those need the same predicate too (see :func:`_paired_numbers`).
_GENERIC_UNITS = frozenset({"percent", "dollar", "year", "month", "week", "day", "time", "point", "vote"})


def _direction(n: NumberMention) -> str | None:
    hedge = (n.hedge or "").lower()
    if any(h in hedge for h in _UPPER):
        return "upper"
    if any(h in hedge for h in _LOWER):
        return "lower"
    return None


def _rounded_interval(n: NumberMention) -> tuple[float, float]:
    """An unhedged figure given with a scale word ("$43 million") stands for its whole last
    digit: [42.5, 44) million covers "$43,885,310". Other figures keep :func:`interval`."""
    if n.hedge:
        return interval(n)
    m = re.search(r"(\d[\d,]*(?:\.(\d+))?)\s*(thousand|million|billion|trillion)", n.phrase.lower())
    if not m:
        return interval(n)
    step = _SCALE_WORDS[m.group(3)] / (10 ** len(m.group(2) or ""))
    return n.value - step / 2, n.value + step


def numbers_clash(x: NumberMention, y: NumberMention) -> bool:
    """Two figures of one count that cannot both hold.

    Overlapping ranges (after hedges and rounding) never clash. Two bounds in the same
    direction with different figures ("as many as 1.5 million" / "up to 1.6 million") do:
    the outlets state the size of one thing differently (guidelines: differing bounds).
    """
    if same_number(x, y):
        return False
    dx, dy = _direction(x), _direction(y)
    if dx and dx == dy:
        return True
    (lx, hx), (ly, hy) = _rounded_interval(x), _rounded_interval(y)
    return hx < ly or hy < lx


def _paired_numbers(a: Claim, b: Claim) -> list[tuple[str, NumberMention, NumberMention]]:
    """Figures of one counted thing across two claims: (unit, figure in a, figure in b).

    A pair needs the same unit and either shared context nouns ("pages of e-mails") or the
    same content predicate with one figure of that unit on each side (which pairs with
    which is unknown otherwise). Generic units (percent, dollars, years) need both. Claims
    placed in different places count different things.
    """
    out: list[tuple[str, NumberMention, NumberMention]] = []
    if a.places and b.places and not a.places & b.places:
        return out  # 2,000 troops leaving Syria are not the 7,000 leaving Afghanistan
    for unit in sorted({n.unit for n in a.numbers if n.unit} & {n.unit for n in b.numbers if n.unit}):
        na = [n for n in a.numbers if n.unit == unit]
        nb = [n for n in b.numbers if n.unit == unit]
        for x in na:
            for y in nb:
                context = bool((x.context & y.context) - {unit})
                predicate = len(na) == 1 and len(nb) == 1 and _same_predicate(x.predicate, y.predicate)
                if (context and predicate) or (unit not in _GENERIC_UNITS and (context or predicate)):
                    out.append((unit, x, y))
    return out


def _date_clashes(a: Claim, b: Claim, granularity: str | None = None) -> list[Conflict]:
    """Different dates of one happening: the same content predicate, the same kind of date
    (a point, or a period's start, or its end) at the same granularity. "Said on Monday"
    dates the saying (a reporting verb is never a content predicate)."""
    out: list[Conflict] = []
    for da in a.dates:
        for db in b.dates:
            if (da.granularity == db.granularity and da.bound == db.bound and da.resolved != db.resolved
                    and granularity in (None, da.granularity)
                    and _same_predicate(da.predicate, db.predicate)
                    and not da.resolved.startswith(db.resolved) and not db.resolved.startswith(da.resolved)):
                out.append(Conflict("date", da.predicate or "", a, b, f"{da.phrase} ({da.resolved})",
                                    f"{db.phrase} ({db.resolved})"))
    return out


def conflicts_between(a: Claim, b: Claim, score: float) -> list[Conflict]:
    """Contradictions between two claims already judged to tell the same fact."""
    out: list[Conflict] = [Conflict("number", unit, a, b, _number_text(x), _number_text(y))
                           for unit, x, y in _paired_numbers(a, b) if numbers_clash(x, y)]
    out.extend(_date_clashes(a, b))
    if score < STRONG_ALIGNMENT:
        return out
    shared = {canonical(p) for p in a.predicates} & {canonical(p) for p in b.predicates}
    shared = {p for p in shared if _content_predicate(p)}
    # Negation: the same predicate asserted by one side and denied by the other.
    for p in shared:
        neg_a = any(canonical(q) == p for q in a.negated)
        neg_b = any(canonical(q) == p for q in b.negated)
        if neg_a != neg_b:
            out.append(Conflict("negation", p, a, b, ("not " if neg_a else "") + p,
                                ("not " if neg_b else "") + p))
    # Names: the same act done by differently named subjects, each side naming one.
    if shared and len(set(a.subjects)) == 1 and len(set(b.subjects)) == 1:
        sa, sb = a.subjects[0], b.subjects[0]
        if sa != sb and sa not in sb and sb not in sa and not ({sa, sb} & (a.entities & b.entities)):
            out.append(Conflict("name", sorted(shared)[0], a, b, sa, sb))
    return out


def unaligned_conflicts(a: Claim, b: Claim) -> list[Conflict]:
    """Clashes strong enough to stand without sentence alignment.

    Two differently worded sentences can still give one count or one date differently
    ("as many as 1.5 million women" in the lawsuit / "up to 1.6 million women"). Only
    evidence that names the same thing on its own counts here: a specific counted noun with
    shared context nouns, or a day-precise date of the same content predicate done by the
    same named subject.
    """
    out = [Conflict("number", unit, a, b, _number_text(x), _number_text(y))
           for unit, x, y in _paired_numbers(a, b)
           if unit not in _GENERIC_UNITS and (x.context & y.context) - {unit} and numbers_clash(x, y)]
    if set(a.subjects) & set(b.subjects):
        out.extend(_date_clashes(a, b, granularity="day"))
    return out


def word_diff(a: str, b: str) -> list[dict[str, str]]:
    """Word-level diff of two quotes: equal / insert / delete / replace chunks."""
    wa, wb = _words(a), _words(b)
    ops: list[dict[str, str]] = []
    sm = difflib.SequenceMatcher(a=[w.lower() for w in wa], b=[w.lower() for w in wb], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        ops.append({"op": op, "a": " ".join(wa[i1:i2]), "b": " ".join(wb[j1:j2])})
    return ops


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’.-]+", text.replace("“", " ").replace("”", " "))


def _quote_ratio(a: str, b: str) -> float:
    wa = [w.lower().strip(".") for w in _words(a)]
    wb = [w.lower().strip(".") for w in _words(b)]
    if len(wa) < 4 or len(wb) < 4:
        return 0.0
    return difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).ratio()


def _same_source(a: Claim, b: Claim) -> bool:
    if not a.attribution_ids or not b.attribution_ids:
        return True  # an unattributed retelling is not a different attribution
    if a.attribution_ids & b.attribution_ids:
        return True
    return any(x in y or y in x for x in a.attribution_ids for y in b.attribution_ids)


def _same_act(a: Claim, b: Claim) -> bool:
    """Both claims report one act: a shared content predicate (by synonym class)."""
    pa = {canonical(p) for p in a.predicates if _content_predicate(p)}
    pb = {canonical(p) for p in b.predicates if _content_predicate(p)}
    return bool(pa & pb)


#: Pairwise "same fact" threshold of :func:`label_pair`, tuned on the tuning half of the
#: hand-labelled BASIL pairs (``split == "tune"``; agree F1 0.84 there): a little below the
#: group threshold because the shared-words check below removes the loose matches.
PAIR_THRESHOLD = 0.25
#: An agreeing pair shares at least this many specific content words (canonical lemmas that
#: are not part of a name): two quotes of one speaker on one topic ("wait for what?" /
#: "wait until when?") share the speaker and a word or two, not a fact.
MIN_SHARED_WORDS = 2


def shared_specific_words(a: Claim, b: Claim) -> frozenset[str]:
    names = {w for e in a.entities | b.entities for w in e.split()}
    return frozenset((canonical_set(a.lemmas) & canonical_set(b.lemmas)) - names)


def label_pair(a: Claim, b: Claim, idf: Mapping[str, float],
               threshold: float = PAIR_THRESHOLD) -> tuple[str, list[Conflict], float]:
    """agree / conflict / unrelated for two claims of different outlets, with the evidence.

    Below ``threshold`` (or sharing fewer than :data:`MIN_SHARED_WORDS` specific words) a
    pair is unrelated unless :func:`unaligned_conflicts` finds a clash that names the same
    thing on its own; otherwise a clash from :func:`conflicts_between` makes it a conflict.
    """
    score = similarity(a, b, idf)
    if score < threshold or len(shared_specific_words(a, b)) < MIN_SHARED_WORDS:
        found = unaligned_conflicts(a, b)
        return ("conflict" if found else "unrelated"), found, score
    found = conflicts_between(a, b, score)
    return ("conflict" if found else "agree"), found, score


def build_facts(story_id: str, alignment: Alignment) -> list[Fact]:
    facts: list[Fact] = []
    for group in alignment.groups:
        facts.extend(_group_facts(story_id, group, alignment))
    facts.extend(_number_facts(story_id, alignment))
    facts.extend(_quote_facts(story_id, alignment))
    # Stable order: by kind, then by where the first cited sentence sits.
    order = {"conflict": 0, "agreed": 1, "different_attribution": 2, "reworded_quote": 3,
             "single_source": 4}
    pos = {(c.article_id, c.sentence_index): (c.outlet, c.position) for c in alignment.claims}
    facts.sort(key=lambda f: (order.get(f.kind, 9), min(pos.get((c.article_id, c.sentence_index), ("", 0))
                                                         for c in f.citations), f.id))
    return facts


def _representative(group: Sequence[Claim]) -> Claim:
    """The retelling to show: the one nearest its article's lead, then the longest."""
    return min(group, key=lambda c: (c.relative_position, -len(c.text), c.outlet))


def _group_facts(story_id: str, group: Sequence[Claim], al: Alignment) -> list[Fact]:
    outlets = _outlets(group)
    rep = _representative(group)
    cites = _citations(group)
    if len(outlets) < 2:
        return [Fact(id=_fact_id(story_id, "single_source", cites), story_id=story_id,
                     kind="single_source", statement=rep.text, citations=cites, outlets=outlets,
                     why=f"only {outlets[0]} tells this")]
    facts: list[Fact] = []
    conflicts: list[Conflict] = []
    for i, a in enumerate(group):
        for b in group[i + 1:]:
            if a.outlet != b.outlet:
                conflicts.extend(conflicts_between(a, b, al.score(a, b)))
    for cf in conflicts:
        c2 = _citations([cf.a, cf.b])
        facts.append(Fact(
            id=_fact_id(story_id, "conflict", c2, cf.kind + cf.what), story_id=story_id, kind="conflict",
            statement=f"{cf.what}: {cf.a.outlet} says {cf.value_a}, {cf.b.outlet} says {cf.value_b}",
            citations=c2, outlets=_outlets([cf.a, cf.b]),
            values=({"value": cf.value_a, "outlet": cf.a.outlet, "citation": _cite(cf.a)},
                    {"value": cf.value_b, "outlet": cf.b.outlet, "citation": _cite(cf.b)}),
            why=f"{cf.kind} differs for the same {cf.what!r}",
        ))
    if not conflicts:
        shared = sorted(set.intersection(*(set(c.lemmas) for c in group)))[:8]
        facts.append(Fact(id=_fact_id(story_id, "agreed", cites), story_id=story_id, kind="agreed",
                          statement=rep.text, citations=cites, outlets=outlets,
                          why=f"told by {', '.join(outlets)}; shared words: {', '.join(shared)}"))
    # Different attribution: the same content credited to different sources.
    pairs = [(a, b) for i, a in enumerate(group) for b in group[i + 1:]
             if a.outlet != b.outlet and not _same_source(a, b) and _same_act(a, b)]
    if pairs:
        involved = [c for p in pairs for c in p]
        c3 = _citations(involved)
        credited = {c.outlet: c for c in involved}
        sources = "; ".join(f"{o}: {c.attribution}{' (anonymous)' if c.anonymous else ''}"
                            for o, c in credited.items())
        facts.append(Fact(
            id=_fact_id(story_id, "different_attribution", c3), story_id=story_id,
            kind="different_attribution", statement=rep.text, citations=c3,
            outlets=_outlets(involved),
            values=tuple({"source": c.attribution, "anonymous": c.anonymous, "outlet": c.outlet,
                          "citation": _cite(c)} for c in credited.values()),
            why=f"credited differently — {sources}",
        ))
    return facts


def _number_facts(story_id: str, al: Alignment) -> list[Fact]:
    """Numbers compared across outlets: the same count given alike, or by one outlet only."""
    # "two countries", "one man": counts of one or two are wording, not reported figures.
    items = [(c, n) for c in al.claims for n in c.numbers if n.unit and n.value > MIN_FIGURE]
    group_of = {(c.article_id, c.sentence_index): k for k, g in enumerate(al.groups) for c in g}
    facts: list[Fact] = []
    used: set[int] = set()
    for i, (c, n) in enumerate(items):
        if i in used:
            continue
        same = [(i, c, n)] + [(j, d, m) for j, (d, m) in enumerate(items)
                              if j != i and j not in used and d.outlet != c.outlet
                              and same_number(n, m) and _same_context(c, n, d, m, group_of)]
        used.update(k for k, _, _ in same)
        claims = [d for _, d, _ in same]
        outlets = _outlets(claims)
        cites = _citations(claims)
        values = tuple({"value": m.phrase, "number": m.value, "unit": m.unit, "hedge": m.hedge,
                        "outlet": d.outlet, "citation": _cite(d)} for _, d, m in same)
        if len(outlets) >= 2:
            facts.append(Fact(id=_fact_id(story_id, "agreed", cites, f"n:{n.unit}:{n.value}"),
                              story_id=story_id, kind="agreed", statement=n.phrase, citations=cites,
                              outlets=outlets, values=values,
                              why=f"the same number of {n.unit} in {', '.join(outlets)}"))
        else:
            facts.append(Fact(id=_fact_id(story_id, "single_source", cites, f"n:{n.unit}:{n.value}"),
                              story_id=story_id, kind="single_source", statement=n.phrase,
                              citations=cites, outlets=outlets, values=values,
                              why=f"only {c.outlet} gives this number ({n.unit})"))
    return facts


def _same_context(c: Claim, n: NumberMention, d: Claim, m: NumberMention,
                  group_of: Mapping[tuple[str, int], int]) -> bool:
    """Equal numbers are one fact when they are exact, or belong to one act or aligned claims."""
    if not n.hedge and not m.hedge:
        return True
    if _same_predicate(n.predicate, m.predicate):
        return True
    return group_of.get((c.article_id, c.sentence_index)) == group_of.get((d.article_id, d.sentence_index))


def _best_window(short: str, long: str) -> tuple[float, str]:
    """The stretch of ``long`` that best matches ``short`` (a quote inside a longer one)."""
    return _best_window_from(_QuoteWords.of(short), _QuoteWords.of(long), -1.0)


@dataclass(frozen=True)
class _QuoteWords:
    """A quote's words, split once: as shown (:func:`_words`), as compared (lowercased,
    dots stripped, as in :func:`_quote_ratio`) and as a bag (for the match bound)."""

    text: str
    words: tuple[str, ...]
    norm: tuple[str, ...]
    bag: Counter[str]

    @classmethod
    def of(cls, text: str) -> _QuoteWords:
        words = tuple(_words(text))
        norm = tuple(w.lower().strip(".") for w in words)
        return cls(text, words, norm, Counter(norm))


def _overlap(bag: Counter[str], words: Sequence[str]) -> int:
    """Words of ``words`` that ``bag`` can match, counted with multiplicity."""
    seen: Counter[str] = Counter()
    n = 0
    for w in words:
        if seen[w] < bag[w]:
            n += 1
        seen[w] += 1
    return n


def _best_window_from(short: _QuoteWords, long: _QuoteWords, floor: float) -> tuple[float, str]:
    """:func:`_best_window`, skipping every stretch whose ratio cannot exceed ``floor``.

    ``SequenceMatcher.ratio`` is 2·matches / total length, and no alignment matches more
    words than the two bags share, so a stretch whose shared-bag bound is at most ``floor``
    is not scored; with ``floor`` below 0 every stretch is scored as before. When no stretch
    beats ``floor`` the answer's ratio is at most ``floor``.
    """
    ws, wl = short.norm, long.norm
    if len(wl) <= len(ws) + 4:
        if 2.0 * _overlap(short.bag, wl) / max(1, len(ws) + len(wl)) <= floor:
            return 0.0, long.text
        return _ratio(ws, wl), long.text
    best = (0.0, long.text)
    size = len(ws) + 2
    total = len(ws) + size
    if len(ws) < 4 or 2.0 * _overlap(short.bag, wl) / total <= floor:
        return best  # as _quote_ratio: fewer than 4 words never match; or no stretch can beat floor
    matcher = difflib.SequenceMatcher(a=list(ws), autojunk=False)
    # Sliding window: the bag overlap of each stretch, updated word by word.
    window: Counter[str] = Counter()
    shared = 0
    for w in wl[:size]:
        if window[w] < short.bag[w]:
            shared += 1
        window[w] += 1
    for start in range(0, len(wl) - size + 1):
        if start:
            out, inn = wl[start - 1], wl[start + size - 1]
            window[out] -= 1
            if window[out] < short.bag[out]:
                shared -= 1
            if window[inn] < short.bag[inn]:
                shared += 1
            window[inn] += 1
        bound = 2.0 * shared / total
        if bound <= floor or bound <= best[0]:
            continue
        matcher.set_seq2(list(wl[start:start + size]))
        r = matcher.ratio()
        if r > best[0]:
            best = (r, " ".join(long.words[start:start + size]))
    return best


def _ratio(wa: Sequence[str], wb: Sequence[str]) -> float:
    if len(wa) < 4 or len(wb) < 4:
        return 0.0
    return difflib.SequenceMatcher(a=list(wa), b=list(wb), autojunk=False).ratio()


def _quote_facts(story_id: str, al: Alignment) -> list[Fact]:
    """One statement quoted by several outlets in different words."""
    facts: list[Fact] = []
    quoted = [c for c in al.claims if c.quotes]
    seen: set[tuple[str, str]] = set()
    split: dict[str, _QuoteWords] = {}

    def words_of(text: str) -> _QuoteWords:
        got = split.get(text)
        if got is None:
            got = split[text] = _QuoteWords.of(text)
        return got

    for i, a in enumerate(quoted):
        for b in quoted[i + 1:]:
            if a.outlet == b.outlet or not (a.direct_quote or b.direct_quote):
                continue
            # The best-matching stretch over every pair of their quotes (first best wins). A
            # stretch below QUOTE_SIMILARITY, or not above the best so far, cannot be the
            # answer, so it is never scored (_best_window_from's bound).
            best = (0.0, "", "")
            for qa in a.quotes:
                for qb in b.quotes:
                    xa, xb = words_of(qa), words_of(qb)
                    floor = max(best[0], math.nextafter(QUOTE_SIMILARITY, -1.0))
                    if len(xa.words) <= len(xb.words):
                        r, wb = _best_window_from(xa, xb, floor)
                        cand = (r, qa, wb)
                    else:
                        r, wa = _best_window_from(xb, xa, floor)
                        cand = (r, wa, qb)
                    if cand[0] > best[0]:
                        best = cand
            ratio, qa, qb = best
            if ratio < QUOTE_SIMILARITY or [w.lower() for w in _words(qa)] == [w.lower() for w in _words(qb)]:
                continue
            key = (" ".join(_words(qa)).lower(), " ".join(_words(qb)).lower())
            if key in seen:
                continue
            seen.add(key)
            cites = tuple(dict.fromkeys(
                [Citation(a.article_id, i) for i in a.quote_sentences or (a.sentence_index,)]
                + [Citation(b.article_id, i) for i in b.quote_sentences or (b.sentence_index,)]))
            facts.append(Fact(
                id=_fact_id(story_id, "reworded_quote", cites), story_id=story_id,
                kind="reworded_quote", statement=qa, citations=cites, outlets=(a.outlet, b.outlet),
                values=({"value": qa, "outlet": a.outlet, "citation": _cite(a)},
                        {"value": qb, "outlet": b.outlet, "citation": _cite(b)}),
                diff=tuple(word_diff(qa, qb)),
                why=f"the same statement quoted in different words ({ratio:.0%} of words in sequence)",
            ))
    return facts
