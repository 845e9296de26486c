"""Claims: what one body sentence asserts, in parts that can be compared across outlets.

A :class:`Claim` is one body sentence (captions, headlines and boilerplate never carry
claims, :data:`rashomon.records.CLAIM_ROLES`) broken into *who* (actors and entities),
*what* (the main predicates, their negation, the content lemmas), *when* (resolved dates),
*how many* (quantities with what they count) and *according to whom* (the quote or the
attribution it sits in). Everything else in :mod:`rashomon.compare` works on claims.

The sentence is re-parsed on its own with the base spaCy pipeline (lemmas, POS,
dependencies): an :class:`~rashomon.records.AnnotatedArticle` keeps offsets, not tokens.
Quantities, dates, quotes and actors come from the annotate components' records when the
article has them; numbers fall back to the parse (CARDINAL/MONEY/PERCENT entities) so a
bare article still compares.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..records import CLAIM_ROLES, AnnotatedArticle, Citation

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span, Token

__all__ = ["REPORTING_VERBS", "Claim", "NumberMention", "extract_claims", "outlet_of"]

#: Verbs that report speech or belief: they attribute a claim, they are not its content.
REPORTING_VERBS = frozenset({
    "say", "tell", "add", "state", "announce", "claim", "report", "note", "write", "explain",
    "insist", "reveal", "confirm", "acknowledge", "declare", "argue", "assert", "describe",
    "conclude", "remark", "comment", "suggest", "indicate", "according", "accord", "quote",
    "reiterate", "emphasise", "emphasize", "stress", "believe", "think",
})
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"})
#: Sentences with fewer words are fragments, not claims.
MIN_WORDS = 3
_LIGHT_VERBS = frozenset({"be", "have", "do", "get", "make", "go", "come", "take", "give"})


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number in a claim with the thing it counts and the predicate it belongs to."""

    value: float
    unit: str | None  # normalized counted noun: "troops", "service member", "dollar", "year"
    hedge: str | None
    phrase: str
    predicate: str | None  # lemma of the verb (or noun) the quantity depends on
    #: Noun lemmas around the number: what the counted thing is "of" and the nouns it hangs
    #: from ("50,000 pages of e-mails" → {"email"}; "a lawsuit on behalf of 1.6 million
    #: women" → {"behalf", "lawsuit"}). Two figures of one unit describe the same count only
    #: when their contexts meet: 2,000 troops leaving Syria are not 7,000 leaving Afghanistan.
    context: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class DateRef:
    resolved: str
    granularity: str | None
    phrase: str
    predicate: str | None
    #: "start" (since/from 2007), "end" (to/through/until 2014) or "point": a period's two
    #: ends are not two dates of one happening.
    bound: str = "point"


@dataclass(frozen=True)
class Claim:
    """One body sentence as who / what / when / how many / according to whom."""

    article_id: str
    outlet: str
    sentence_index: int
    position: int  # 0-based rank among the article's body sentences
    n_body: int
    text: str
    lemmas: frozenset[str]  # content lemmas (reporting verbs and stop words left out)
    predicates: tuple[str, ...]  # main event lemmas (reporting verbs skipped)
    negated: frozenset[str]  # predicates under a negation
    entities: frozenset[str]  # canonical actor names and normalized named entities
    numbers: tuple[NumberMention, ...] = ()
    dates: tuple[DateRef, ...] = ()
    places: frozenset[str] = frozenset()  # ISO-3 countries / place names
    subjects: tuple[str, ...] = ()  # named subjects of the main predicates (lowercased)
    attribution: str | None = None  # who the sentence credits ("senior official", "Faisal")
    attribution_ids: frozenset[str] = frozenset()  # speaker name + affiliation, lowercased
    anonymous: bool = False
    quotes: tuple[str, ...] = ()  # quoted content inside the sentence
    direct_quote: bool = False
    quote_sentences: tuple[int, ...] = ()  # sentences the quotes starting here span
    tokens: tuple[str, ...] = field(default=(), repr=False)  # lowercased words, for diffs

    @property
    def citation(self) -> Citation:
        return Citation(self.article_id, self.sentence_index)

    @property
    def relative_position(self) -> float:
        return self.position / max(1, self.n_body - 1)


def outlet_of(art: AnnotatedArticle) -> str:
    return art.article.outlet or art.article.id


def _norm(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"^(the|a|an)\s+", "", text)
    text = re.sub(r"'s$", "", text)
    return re.sub(r"[^\w\s-]", "", text).strip()


def _unit(unit: str | None) -> str | None:
    """Counted things compare on a singular, lowercased noun ("Service Members" → "service member")."""
    if not unit:
        return None
    words = unit.lower().split()
    last = words[-1]
    for suf, rep in (("ies", "y"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss"),
                     ("ses", "s"), ("s", "")):
        if last.endswith(suf) and len(last) > len(suf) + 1 and not last.endswith("ss"):
            last = last[: -len(suf)] + rep
            break
    return " ".join([*words[:-1], last])


def _governing_predicate(tok: Token) -> str | None:
    """The verb a token hangs from (the noun itself when the number modifies a nominal event)."""
    cur = tok
    for _ in range(8):
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ != "amod":
            return cur.lemma_.lower()
        if cur.head is cur:
            break
        cur = cur.head
    return None


def _main_predicates(sent: Span) -> tuple[list[Token], list[Token]]:
    """(content predicates, reporting verbs). A reporting root hands over to its clause."""
    preds: list[Token] = []
    reporting: list[Token] = []
    frontier = [t for t in sent if t.dep_ == "ROOT"]
    seen: set[int] = set()
    while frontier:
        tok = frontier.pop(0)
        if tok.i in seen:
            continue
        seen.add(tok.i)
        lemma = tok.lemma_.lower()
        if lemma in REPORTING_VERBS:
            reporting.append(tok)
            frontier.extend(c for c in tok.children if c.dep_ in ("ccomp", "xcomp", "conj", "advcl"))
            continue
        if tok.pos_ in ("VERB", "NOUN", "AUX", "ADJ"):
            preds.append(tok)
        frontier.extend(c for c in tok.children if c.dep_ in ("conj", "xcomp")
                        and c.pos_ in ("VERB", "AUX"))
        # "asked for help", "sought cooperation": a light or aux root passes to its complement.
        if lemma in _LIGHT_VERBS:
            frontier.extend(c for c in tok.children if c.dep_ in ("xcomp", "ccomp", "acomp", "attr"))
    return preds, reporting


def _subject_names(preds: list[Token], ent_of: dict[int, str]) -> list[str]:
    out: list[str] = []
    for p in preds:
        for c in p.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                for t in c.subtree:
                    if t.i in ent_of:
                        out.append(ent_of[t.i])
                        break
    return out


def _attribution_from_parse(reporting: list[Token]) -> str | None:
    for verb in reporting:
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON":
                return " ".join(t.text for t in c.subtree)
            if c.dep_ == "prep" and verb.lemma_.lower() in ("accord",):
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    return " ".join(t.text for t in objs[0].subtree)
    return None


def extract_claims(articles: Sequence[AnnotatedArticle], nlp: Language | None = None) -> list[Claim]:
    """One claim per body sentence of every article, in article order."""
    from ..annotate import load_nlp

    nlp = nlp or load_nlp(components=())
    todo: list[tuple[AnnotatedArticle, int, int, int]] = []  # (article, sentence, position, n_body)
    texts: list[str] = []
    for art in articles:
        body = [s for s in art.sentences if s.role in CLAIM_ROLES]
        for pos, s in enumerate(body):
            todo.append((art, s.index, pos, len(body)))
            texts.append(s.text)
    claims: list[Claim] = []
    # Large batches: the sentences are short, and spaCy's per-batch overhead dominates small
    # ones (512 vs 64: ~20 % faster, the same parses).
    for (art, idx, pos, n_body), doc in zip(todo, nlp.pipe(texts, batch_size=512), strict=True):
        # A fragment ("U.S." cut off by the sentence splitter) asserts nothing.
        if sum(1 for t in doc if t.is_alpha) < MIN_WORDS:
            continue
        claims.append(_claim(art, idx, pos, n_body, doc[:]))
    return claims


def _claim(art: AnnotatedArticle, idx: int, pos: int, n_body: int, sent: Span) -> Claim:
    sentence = art.sentences[idx]
    offset = sentence.start
    outlet = outlet_of(art)

    # Who: canonical actors mentioned in this sentence, else the named entities of the parse.
    ent_of: dict[int, str] = {}
    entities: set[str] = set()
    actor_names: dict[str, str] = {}
    for actor in art.actors:
        for m in actor.mentions:
            if m.sentence_index == idx:
                actor_names[_norm(m.text)] = actor.name.lower()
    for ent in sent.ents:
        if ent.label_ not in _ENTITY_LABELS:
            continue
        name = actor_names.get(_norm(ent.text), _norm(ent.text))
        if name:
            entities.add(name)
            for t in ent:
                ent_of[t.i] = name
    entities.update(actor_names.values())

    preds, reporting = _main_predicates(sent)
    predicates = tuple(dict.fromkeys(p.lemma_.lower() for p in preds))
    negated = frozenset(p.lemma_.lower() for p in preds
                        if any(c.dep_ == "neg" for c in p.children))
    reporting_ids = {t.i for t in reporting}
    lemmas = frozenset(
        t.lemma_.lower() for t in sent
        if t.pos_ in _CONTENT_POS and not t.is_stop and t.is_alpha and len(t.text) > 1
        and t.i not in reporting_ids and t.lemma_.lower() not in REPORTING_VERBS
    ) | frozenset(t.text for t in sent if t.like_num and not t.is_alpha)

    numbers = _numbers(art, idx, offset, sent)
    dates = tuple(
        DateRef(d.resolved, d.granularity, d.phrase, _predicate_at(sent, offset, d.start),
                _date_bound(sentence.text, d.phrase, None if d.start is None else d.start - offset))
        for d in art.dates if d.sentence_index == idx and d.resolved
    )
    places = frozenset(p.country or p.name for p in art.places
                       if p.sentence_index == idx and not p.is_dateline)

    # According to whom: the quote records of this sentence, else the reporting verb's subject.
    quotes = [q for q in art.quotes if q.sentence_index == idx or idx in q.sentence_indices]
    speakers = [q for q in quotes if q.speaker]
    attribution: str | None = None
    ids: set[str] = set()
    anonymous = False
    if speakers:
        # Every voice the sentence credits ("the American leader ... should explore", the
        # spokesman added): a source shared with another outlet is the same source.
        attribution = " / ".join(dict.fromkeys(q.speaker or "" for q in speakers))
        anonymous = all(q.anonymous for q in speakers)
        for q in speakers:
            ids.add(_norm(q.speaker or ""))
            credited = next((a for a in art.actors if a.id == q.speaker_actor_id
                             or a.name == q.speaker), None)
            if credited is not None and credited.affiliation:
                ids.add(_norm(credited.affiliation))
    elif reporting:
        attribution = _attribution_from_parse(reporting)
        if attribution:
            ids.add(_norm(attribution))
            anonymous = not any(t.ent_type_ in ("PERSON", "ORG") for t in sent
                                if attribution and t.text in attribution.split())
    # A quote belongs to the sentence it starts in (its other sentences are cited with it).
    own = [q for q in quotes if q.sentence_index == idx and q.text]
    quote_texts = tuple(dict.fromkeys(q.text for q in own))
    quote_sentences = tuple(sorted({i for q in own for i in (q.sentence_indices or (idx,))} | {idx}))
    return Claim(
        article_id=art.article.id, outlet=outlet, sentence_index=idx, position=pos,
        n_body=n_body, text=sentence.text, lemmas=lemmas, predicates=predicates,
        negated=negated, entities=frozenset(entities), numbers=numbers, dates=dates,
        places=places, subjects=tuple(_subject_names(preds, ent_of)), attribution=attribution,
        attribution_ids=frozenset(i for i in ids if i), anonymous=anonymous, quotes=quote_texts,
        direct_quote=any(q.direct for q in own), quote_sentences=quote_sentences,
        tokens=tuple(t.text.lower() for t in sent if not t.is_space),
    )


def _predicate_at(sent: Span, offset: int, start: int | None) -> str | None:
    if start is None:
        return None
    rel = start - offset
    for t in sent:
        if t.idx <= rel < t.idx + len(t.text) or t.idx >= rel:
            return _governing_predicate(t)
    return None


_START_WORDS = frozenset({"since", "from", "after", "starting", "beginning"})
_END_WORDS = frozenset({"to", "through", "until", "till", "thru", "by", "before", "-", "–"})


def _date_bound(text: str, phrase: str, rel: int | None) -> str:
    """Is the date a period's start, its end, or a point? Read the word before it (or its first word)."""
    words = phrase.lower().split()
    first = words[0] if words else ""
    if first in _START_WORDS:
        return "start"
    if first in _END_WORDS:
        return "end"
    if rel is None:
        rel = text.find(phrase)
    before = re.findall(r"[\w–-]+", text[:max(rel, 0)].lower()) if rel and rel > 0 else []
    if before and before[-1] in _START_WORDS:
        return "start"
    if before and before[-1] in _END_WORDS:
        return "end"
    return "point"


def _number_token(sent: Span, offset: int, start: int | None) -> Token | None:
    if start is None:
        return None
    rel = start - offset
    for t in sent:
        if t.idx <= rel < t.idx + len(t.text):
            return t
    return None


def _number_context(tok: Token | None) -> frozenset[str]:
    """Noun lemmas of the counted noun's complements and of the nouns the number hangs from."""
    if tok is None:
        return frozenset()
    out: set[str] = set()
    unit = tok.head if tok.dep_ in ("nummod", "quantmod", "compound", "nmod") else tok
    while unit.dep_ in ("nummod", "quantmod", "compound") and unit.head is not unit:
        unit = unit.head
    for c in unit.children:
        if c.dep_ in ("prep", "poss", "amod", "compound"):  # not a relative clause: an event
            for t in c.subtree:
                if t.pos_ in ("NOUN", "PROPN") and t.i != unit.i:
                    out.add(t.lemma_.lower())
    cur = unit
    for _ in range(4):  # up through prepositions and participles to the governing nouns
        if cur.head is cur:
            break
        if cur.head.pos_ in ("VERB", "AUX") and cur.head.dep_ not in ("acl", "relcl"):
            # "block a lawsuit on behalf of 1.6 million women": a prepositional phrase on the
            # verb still describes the verb's object.
            if cur.dep_ == "prep":
                out.update(c.lemma_.lower() for c in cur.head.children
                           if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN"))
            break
        cur = cur.head
        if cur.pos_ in ("NOUN", "PROPN"):
            out.add(cur.lemma_.lower())
        if cur.pos_ == "VERB" and cur.dep_ in ("acl", "relcl"):
            cur = cur.head
            if cur.pos_ in ("NOUN", "PROPN"):
                out.add(cur.lemma_.lower())
    out.discard(unit.lemma_.lower())
    return frozenset(w for w in out if w.isalpha())


def _numbers(art: AnnotatedArticle, idx: int, offset: int, sent: Span) -> tuple[NumberMention, ...]:
    quantities = [q for q in art.quantities if q.sentence_index == idx]
    if quantities:
        return tuple(
            NumberMention(q.value, _unit(q.unit), q.hedge, q.phrase,
                          _predicate_at(sent, offset, q.start),
                          _number_context(_number_token(sent, offset, q.start)))
            for q in quantities
        )
    # No quantities component: CARDINAL/MONEY/PERCENT entities with the noun they count.
    out: list[NumberMention] = []
    for ent in sent.ents:
        if ent.label_ not in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
            continue
        value = _parse_float(ent.text)
        if value is None:
            continue
        unit = "percent" if ent.label_ == "PERCENT" else "dollar" if "$" in ent.text else None
        if unit is None and ent.root.dep_ == "nummod":
            unit = ent.root.head.lemma_.lower()
        out.append(NumberMention(value, _unit(unit), None, ent.text, _governing_predicate(ent.root),
                                 _number_context(ent.root)))
    return tuple(out)


_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def _parse_float(text: str) -> float | None:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if not m:
        return None
    value = float(m.group().replace(",", ""))
    for word, scale in _SCALE.items():
        if word in text.lower():
            value *= scale
    return value
