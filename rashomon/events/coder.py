"""The event coder: who did what to whom, read off the spaCy dependency parse.

For each body sentence (captions and boilerplate never carry events, see
:func:`rashomon.annotate.spacy_ext.is_claim_sentence`):

1. **Predicates.** Every verb whose lemma is in the lexicon (:mod:`rashomon.events.verbs`),
   matched with its particle/preposition ("met with", "called on") and the class of its
   object ("cut *aid*", "hold *talks*"); plus nominal events ("his suspension of military
   assistance to Pakistan", "a meeting between X and Y") when the noun has an actor.
2. **Control verbs** ("promised to", "urged X to", "refused to", "threatened to") compose
   their code with the embedded action (CAMEO 03x/02x/10x/12x/13x); aspect and plan verbs
   ("began to", "plans to", "is due to") hand over to the embedded action and set flags.
3. **Actors.** Subject → source, object / preposition object / possessor → target; passive
   voice swaps them (the ``by`` agent is the source); coordinated subjects give one event
   per actor; subjects are inherited through ``xcomp``/``conj``/relative clauses.
   :class:`~rashomon.events.actor_resolve.DocActors` turns noun phrases into codes.
4. **Reports are not events.** "X said Y did Z" codes Y→Z with ``reported_by`` X; the
   saying itself is coded only when the verb is a political act in the lexicon (appeal,
   accuse, threaten, deny…), never for say/tell/announce.
5. **Flags.** ``negated`` (not/never/failed to), ``future`` (will, plans to, is due to),
   ``hypothetical`` (would/could/may, if/unless, wants/hopes/tries to).
6. **Date and place.** The date mention attached to the predicate (or to its governing
   verbs), else the publication date labelled ``date_source="publication"``; the place
   attached with in/at/near, never the dateline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..records import EventActor
from .actor_resolve import DocActors, ResolvedActor, _capitals, actor_code, country_of, place_country
from .codebook import Codebook, load_codebook
from .petrarch_dict import ActorDictionary
from .verbs import (
    COMPOSE,
    CONTROL,
    FUTURE_CONTROL,
    HYPOTHETICAL_CONTROL,
    NEGATING_CONTROL,
    SPEECH,
    Lexicon,
    Pattern,
    load_lexicon,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

__all__ = ["NO_ACTOR", "DateHint", "PlaceHint", "RawEvent", "code_doc", "code_sentence"]

NO_ACTOR = EventActor(name=None, country=None, role=None, code=None)

#: Office holders the actor layer may leave without a role ("Iraq's national security
#: advisor", "U.S. and Russian negotiators"): they act for their country's government.
_OFFICE_NOUNS = frozenset({"adviser", "advisor", "aide", "envoy", "negotiator", "diplomat",
                           "official", "ambassador", "delegate", "delegation", "emissary",
                           "representative", "spokesman", "spokeswoman", "spokesperson"})
#: Speech verbs that are political acts when they govern a clause ("denied that…").
_POLITICAL_SPEECH = frozenset({
    "deny", "warn", "accuse", "complain", "threaten", "condemn", "criticize", "criticise",
    "agree", "promise", "pledge", "vow", "urge", "demand", "appeal", "allege", "insist",
    "claim", "assert", "protest",
})
#: Speech verbs that accuse when what they report is harm ("claimed that ISIL attacked …").
_ALLEGING_SPEECH = frozenset({"claim", "allege", "charge", "assert", "insist"})
#: Roots of harm done: disapproval, rejection, threats, protest, coercion and violence.
_HARM_ROOTS = frozenset({"11", "12", "13", "16", "17", "18", "19", "20"})
#: Verbs whose clause's subject is their target ("accused that Pakistan harbours …").
_CLAUSE_TARGET = frozenset({"claim", "assert", "protest", "deny", "warn", "accuse", "complain", "threaten", "condemn",
                            "criticize", "criticise", "allege", "demand", "urge", "insist", "ask",
                            "call", "tell", "appeal", "press", "reiterate", "order"})
#: Speech verbs that code the clause they govern themselves ("demanded that X leave").
_CLAUSE_CONSUMING = frozenset({"demand", "urge", "insist", "ask", "appeal", "order", "request"})
#: Modals that turn a reported clause into the speaker's demand ("said Libya must …").
_DEMAND_MODALS = frozenset({"must", "should"})
#: Verbs whose "of/for V-ing" complement is an allegation, not an event of its own.
_ALLEGING = frozenset({"accuse", "blame", "criticize", "criticise", "denounce", "condemn",
                       "charge", "suspect", "fault", "praise", "thank", "punish", "arrest",
                       "indict", "convict", "sentence", "jail"})
#: Roots of responses: without a target in the sentence, they answer the last actor that
#: addressed the source (an appeal to Pakistan → Pakistan's promise is to that appellant).
_RESPONSE_ROOTS = frozenset({"03", "05", "08", "12"})
#: Verbs whose object is the subject of their embedded action ("urged Pakistan to act").
_OBJECT_CONTROL = frozenset({
    "urge", "ask", "tell", "prompt", "force", "persuade", "press", "push", "pressure",
    "allow", "order", "invite", "encourage", "call", "help", "compel", "let", "convince",
    "implore", "beg", "instruct", "want", "expect", "enable", "require",
})
#: Cooperative acts whose negation is a rejection ("did not accept" = reject).
_NEGATE_TO_REJECT = frozenset({"accept", "agree", "approve", "comply", "recognize", "recognise"})
#: Roots that make sense without a target (protest, posture, yield, statements).
_TARGETLESS_ROOTS = frozenset({"01", "08", "14", "15"})
_INTENT_ROOTS = frozenset({"04", "05", "06", "07", "08"})
#: Roots whose agent may go unnamed ("a roadside bomb killed …"): CAMEO's UAF.
_VIOLENT_ROOTS = frozenset({"18", "19", "20"})
#: Acts only a state does (investigate, accuse, coerce: arrest, detain, ban).
_STATE_ROOTS = frozenset({"09", "11", "17"})
#: Roots where coordinated subjects without a target act on each other ("A and B met").
_RECIPROCAL_ROOTS = frozenset({"03", "04", "05", "06"})
_ATTEMPT_VERBS = frozenset({"try", "attempt", "seek"})
#: Documents that act for their issuer ("a resolution condemning …").
_DOCUMENT_NOUNS = frozenset({"law", "resolution", "decree", "statement", "bill", "motion",
                             "declaration", "communique", "communiqué", "order", "ruling",
                             "verdict", "letter", "report", "decision", "measure"})
_RECEIVE_VERBS = frozenset({"receive", "get", "obtain", "win"})
_ATTEMPT_NOUNS = frozenset({"attempt", "bid", "plot"})
#: De-escalation (withdraw, demobilize, surrender): in the passive without an agent the
#: forces named are the ones that withdrew ("guerrillas have been demobilized").
_SELF_PASSIVE = ("0872", "0873", "0874")
_PLACE_PREPS = frozenset({"in", "near", "at", "outside", "inside", "around", "over", "across"})
#: Conjunctions that introduce a clause about another happening ("after a court cleared him").
_OTHER_EVENT_MARKS = frozenset({"after", "before", "since", "while", "when", "although", "though",
                                "because", "if", "unless", "until", "once", "whereas"})
_THREAT_ROOTS = frozenset({"16", "17", "18", "19", "20"})
#: Participles that describe their subject's stance, not something done to it.
_STATIVE_PASSIVE = frozenset({"commit", "prepare", "determine", "dedicate", "oblige", "resolve",
                              "opposed", "oppose", "involve", "engage"})
_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "poss"})
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_HYPO_AUX = frozenset({"would", "could", "might", "may", "should", "can", "must", "'d", "ca"})
_TARGET_PREPS = ("to", "with", "against", "on", "at", "toward", "towards", "into", "from",
                 "for", "over", "upon", "between", "including", "among", "of", "by")
_NOMINAL_END_VERBS = frozenset({"end", "conclude", "collapse", "fail", "break", "finish",
                                "begin", "start", "open", "resume", "take", "continue", "close"})


@dataclass(frozen=True, slots=True)
class DateHint:
    """A date mention inside a sentence (from annotate's DateMentions or the fallback)."""

    start: int  # character offsets into the Doc text
    end: int
    resolved: str | None


@dataclass(frozen=True, slots=True)
class PlaceHint:
    start: int
    end: int
    name: str
    is_dateline: bool = False


@dataclass(frozen=True, slots=True)
class RawEvent:
    """One coded event in one sentence, before deduplication."""

    sentence_index: int
    source: EventActor
    target: EventActor
    action: str
    cameo_code: str
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    reported_by: EventActor | None = None
    date: str | None = None
    date_source: str = "none"
    place: str | None = None
    evidence: str = ""
    article_id: str | None = None
    reciprocal: bool = False


@dataclass
class _Match:
    code: str
    pattern: Pattern | None
    prep: str | None  # the particle/preposition the pattern matched
    obj: Token | None  # the object that matched the pattern's class


# ------------------------------------------------------------------------------ helpers

def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON"):
            out.extend(_conjuncts(c))
        elif (c.dep_ == "appos" and c.ent_type_ == "GPE" and tok.ent_type_ == "GPE"
              and any(g.dep_ == "conj" for g in c.children)):
            # "The US, Russia, and Switzerland": a list the parser reads as an apposition
            out.extend(_conjuncts(c))
    return out


def _preps_of(tok: Token) -> dict[str, Token]:
    """Particles/prepositions under ``tok``: "on" → token, plus "out of"-style pairs."""
    out: dict[str, Token] = {}
    prts = [c for c in tok.children if c.dep_ == "prt"]
    for c in tok.children:
        if c.dep_ in ("prep", "prt", "agent", "dative"):
            out.setdefault(c.lower_, c)
            for g in c.children:
                if g.dep_ == "prep":
                    out.setdefault(f"{c.lower_} {g.lower_}", g)
            for p in prts:
                if p.i != c.i and c.dep_ == "prep":
                    out.setdefault(f"{p.lower_} {c.lower_}", c)
    return out


def _pobj(prep: Token) -> Token | None:
    if prep.dep_ == "prt":
        # "called on Pakistan": particle, object is the verb's dobj
        for c in prep.head.children:
            if c.dep_ == "dobj":
                return c
        return None
    for c in prep.children:
        if c.dep_ in ("pobj", "pcomp"):
            return c
    return None


def _modifier_lemmas(tok: Token) -> tuple[str, ...]:
    return tuple(c.lemma_.lower() for c in tok.children if c.dep_ in ("amod", "compound"))


class _SentenceCoder:
    """Codes one Doc sentence by sentence; holds the per-Doc actor memory."""

    def __init__(self, doc: Doc, lexicon: Lexicon, codebook: Codebook,
                 dates: Sequence[DateHint] = (), places: Sequence[PlaceHint] = (),
                 published: str | None = None) -> None:
        self.doc = doc
        self.lx = lexicon
        self.cb = codebook
        self.actors = DocActors()
        self.dates = dates
        self.places = places
        self.published = published

    # -- matching ------------------------------------------------------------------------
    def _objects(self, tok: Token) -> list[tuple[Token, str | None]]:
        objs: list[tuple[Token, str | None]] = []
        for c in tok.children:
            if c.dep_ in ("dobj", "attr", "nsubjpass", "oprd", "dative"):
                objs.append((c, None))
                for g in c.children:  # "25,000 tons of food aid", "the return of inspectors"
                    if g.dep_ == "prep" and g.lower_ == "of":
                        p = _pobj(g)
                        if p is not None:
                            objs.append((p, None))
            elif c.dep_ in ("prep", "agent"):
                p = _pobj(c)
                if p is not None:
                    objs.append((p, c.lower_))
            elif c.dep_ == "xcomp" and c.pos_ in ("NOUN",):
                objs.append((c, None))
        if tok.pos_ == "NOUN":
            for c in tok.children:
                if c.dep_ == "compound":
                    objs.append((c, None))
        return objs

    def match(self, tok: Token, table: dict[str, tuple[Pattern, ...]]) -> _Match | None:
        pats = table.get(tok.lemma_.lower())
        if not pats:
            return None
        preps = _preps_of(tok)
        objs = self._objects(tok)
        best: tuple[int, int] | None = None
        found: _Match | None = None
        for order, pat in enumerate(pats):
            score = 0
            matched_prep: str | None = None
            if pat.prep:
                if pat.prep not in preps:
                    continue
                matched_prep = pat.prep
                score += 4
            obj_tok: Token | None = None
            if pat.obj_class:
                strength = 0
                for o, _p in objs:
                    head = o.lemma_.lower()
                    mods = _modifier_lemmas(o)
                    if pat.obj_class in self.lx.classes_of(head, mods) and any(
                            f"{m} {head}" in self.lx.classes[pat.obj_class] for m in mods):
                        s = 2
                    elif head in self.lx.classes[pat.obj_class] or o.lower_ in self.lx.classes[pat.obj_class]:
                        s = 1
                    else:
                        continue
                    if s > strength:
                        strength, obj_tok = s, o
                if strength == 0:
                    continue
                score += strength
            key = (score, -order)
            if best is None or key > best:
                best = key
                found = _Match(pat.code, pat, matched_prep, obj_tok)
        return found

    # -- actors ----------------------------------------------------------------------------
    def subjects(self, v: Token, depth: int = 0) -> tuple[list[Token], bool]:
        """(subject tokens, passive?) of predicate ``v``; inherited through the tree."""
        if depth > 6:
            return [], False
        for c in v.children:
            if c.dep_ in ("nsubj", "csubj", "expl"):
                if c.dep_ == "expl":
                    continue
                if c.lower_ in ("who", "which", "that") and v.dep_ == "relcl":
                    return _conjuncts(v.head), False
                speaker = _bound_speaker(c)
                if speaker is not None:
                    return _conjuncts(speaker), False
                return _conjuncts(c), False
        for c in v.children:
            if c.dep_ == "nsubjpass":
                if v.lemma_.lower() in _STATIVE_PASSIVE:
                    return _conjuncts(c), False  # "Pakistan is committed to …"
                agents = [_pobj(a) for a in _children(v, "agent")]
                return [a for a in agents if a is not None], True
        head = v.head
        if head.i == v.i:
            return [], False
        if v.dep_ == "xcomp":
            raised = _children(head, "nsubjpass")
            if raised:
                # "Obama is scheduled to attend", "Pakistan was asked to help": the passive
                # subject of the governing verb does the embedded act
                return _conjuncts(raised[0]), False
            if head.lemma_.lower() in _OBJECT_CONTROL:
                objs = _children(head, "dobj")
                if objs:
                    return _conjuncts(objs[0]), False
            return self.subjects(head, depth + 1)
        if v.dep_ == "acomp" or head.dep_ == "acomp":
            return self.subjects(head, depth + 1)
        if v.dep_ == "conj" and v.pos_ in ("VERB", "AUX") and not _children(v, "auxpass"):
            patient = _children(head, "nsubjpass")
            if patient and head.lemma_.lower() not in _STATIVE_PASSIVE:
                # "… has been indicted by the court and will resign": the one who resigns
                # is the passive subject, not the agent
                return _conjuncts(patient[0]), False
        if v.dep_ in ("conj", "advcl") and v.pos_ in ("VERB", "AUX"):
            return self.subjects(head, depth + 1)
        if v.dep_ == "pcomp" and head.head.i != head.i:
            gov = head.head
            if head.lower_ == "for" and gov.pos_ == "VERB":
                # "denounced X for questioning …": X did the questioning
                objs = _children(gov, "dobj")
                if objs:
                    return _conjuncts(objs[0]), False
            return self.subjects(gov, depth + 1)
        root = v.sent.root
        if v.dep_ == "acl" and v.tag_ in ("VBN", "VBD") and root.pos_ in ("NOUN", "PROPN") \
                and self.resolve(root) is not None:
            # a sentence with no finite verb is a misparse ("Doctors from two aid groups
            # donated …" read as a reduced relative): the actor it hangs on is the subject
            return _conjuncts(root), False
        if v.dep_ in ("acl", "relcl") and v.tag_ == "VBN":
            return [], True  # "aid sent to X": the head noun is the patient, no agent
        if v.dep_ == "acl" and v.tag_ == "VBG" and head.lemma_.lower() in _DOCUMENT_NOUNS \
                and head.head.i != head.i and head.head.pos_ == "VERB":
            # "approved a law recognizing …", "passed a resolution condemning …": the act
            # is that of whoever issued the document
            return self.subjects(head.head, depth + 1)
        if v.dep_ == "acl" and head.lemma_.lower() in _ATTEMPT_NOUNS:
            owner = _children(head, "poss")
            if owner:
                return _conjuncts(owner[0]), False  # "the pirates' attempt to attack …"
        return [], False

    def resolve(self, tok: Token | None) -> ResolvedActor | None:
        if tok is None:
            return None
        return self.actors.resolve(tok)

    def target_candidates(self, v: Token, m: _Match | None, passive: bool) -> list[Token]:
        cands: list[Token] = []
        if passive:
            cands.extend(_children(v, "nsubjpass"))
            if v.dep_ in ("acl", "relcl") and v.tag_ == "VBN":
                cands.append(v.head)
        preps = _preps_of(v)
        if m is not None and m.prep and m.prep in preps:
            p = _pobj(preps[m.prep])
            if p is not None:
                cands.append(p)
        dobjs = _children(v, "dobj", "dative", "iobj")
        cands.extend(dobjs)
        for d in dobjs:
            for c in d.children:
                if c.dep_ == "poss":
                    cands.append(c)
            for c in d.children:
                # "rejected a U.S. request", "an Australian ultimatum": the modifier is who asked
                if c.dep_ in ("compound", "amod", "nmod") and c.ent_type_ in ("GPE", "NORP", "ORG"):
                    cands.append(c)
            dp = _preps_of(d)
            for name in (*_TARGET_PREPS, "in"):
                if name in dp and dp[name].dep_ == "prep":
                    p = _pobj(dp[name])
                    if p is not None:
                        cands.append(p)
        for name in _TARGET_PREPS:
            if name in preps and preps[name].dep_ in ("prep", "dative"):
                p = _pobj(preps[name])
                if p is not None:
                    cands.append(p)
                    for c in p.children:
                        if c.dep_ == "poss":
                            cands.append(c)
        if v.pos_ == "NOUN":
            for c in v.children:
                if c.dep_ in ("compound", "amod") and c.ent_type_ in ("GPE", "NORP", "ORG"):
                    cands.append(c)
        if v.lemma_.lower() in _CLAUSE_TARGET and not _children(v, "xcomp"):
            for c in _children(v, "ccomp"):
                if any(g.tag_ in ("WRB", "WDT") for g in c.children):
                    continue  # "…, where 100 people were killed": a clause about a place
                cands.extend(_children(c, "nsubj", "nsubjpass"))
        root = m.code[:2] if m else ""
        if root not in ("04", "01") and "in" in preps:
            p = _pobj(preps["in"])
            if p is not None:
                cands.append(p)
        if v.dep_ == "advcl" and v.head.lemma_.lower() in _MOTION_VERBS \
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
            # "sent personnel to Bosnia to investigate …": a purpose clause acts where the
            # mission was sent
            hp = _preps_of(v.head)
            for name in ("to", "into"):
                p = _pobj(hp[name]) if name in hp else None
                if p is not None:
                    cands.append(p)
        return cands

    # -- flags, date, place ------------------------------------------------------------------
    def flags(self, v: Token) -> tuple[bool, bool, bool]:
        neg = fut = hyp = False
        p = v
        for _ in range(6):
            for c in p.children:
                if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in ("never",)):
                    neg = True
                elif c.dep_ in ("aux", "auxpass"):
                    low = c.lower_
                    if low in _FUTURE_AUX:
                        fut = True
                    elif low in _HYPO_AUX:
                        hyp = True
                elif c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                    hyp = True
            if p.dep_ not in ("xcomp", "conj", "acomp") or p.head.i == p.i:
                break
            h = p.head
            lem = h.lemma_.lower()
            if p.dep_ in ("xcomp", "acomp") or h.dep_ == "acomp":
                if lem in FUTURE_CONTROL or h.lower_ in FUTURE_CONTROL:
                    fut = True
                if lem in HYPOTHETICAL_CONTROL or h.lower_ in HYPOTHETICAL_CONTROL:
                    hyp = True
                if lem in NEGATING_CONTROL or h.lower_ in NEGATING_CONTROL:
                    neg = not neg
                if CONTROL.get(lem) not in (None, "pass") and p.dep_ == "xcomp":
                    break
            p = h
        return neg, fut, hyp

    def _attached(self, tok_i: int, v: Token) -> bool:
        t = self.doc[tok_i]
        for _ in range(12):
            if t.i == v.i:
                return True
            if t.head.i == t.i:
                return False
            if t.pos_ in ("VERB", "AUX") and t.i != tok_i:
                return False
            t = t.head
        return False

    def event_date(self, v: Token, sent: Span, reported_by: Token | None, fut_or_hyp: bool) -> tuple[str | None, str]:
        hints = [h for h in self.dates if sent.start_char <= h.start < sent.end_char and h.resolved]
        chain = [v]
        p = v
        while p.dep_ in ("xcomp", "conj", "acomp") and p.head.i != p.i and len(chain) < 5:
            p = p.head
            chain.append(p)
        if v.pos_ == "NOUN" and v.head.i != v.i:
            chain.append(v.head)
        for cand in chain:
            for h in hints:
                span = self.doc.char_span(h.start, h.end, alignment_mode="expand")
                if span is not None and self._attached(span.root.i, cand):
                    return h.resolved, "text"
        if reported_by is not None and not fut_or_hyp:
            for h in hints:
                span = self.doc.char_span(h.start, h.end, alignment_mode="expand")
                if span is not None and self._attached(span.root.i, reported_by):
                    return h.resolved, "text"
        if self.published:
            return self.published[:10], "publication"
        return None, "none"

    def event_place(self, v: Token, sent: Span) -> str | None:
        heads = [v]
        heads.extend(_children(v, "dobj", "nsubj", "nsubjpass"))
        if v.pos_ == "NOUN" and v.head.i != v.i:
            heads.append(v.head)
        for h in self.places:
            if h.is_dateline or not (sent.start_char <= h.start < sent.end_char):
                continue
            span = self.doc.char_span(h.start, h.end, alignment_mode="expand")
            if span is None:
                continue
            prep = span.root.head
            if span.root.dep_ == "pobj" and prep.lower_ in ("in", "at", "near", "inside", "outside") \
                    and prep.head in heads:
                return h.name
        return None

    # -- the sentence ------------------------------------------------------------------------
    def code(self, sent: Span, sentence_index: int) -> list[RawEvent]:
        out: list[RawEvent] = []
        consumed: set[int] = set()
        toks = list(sent)
        # Resolve noun phrases in reading order first, so pronouns and "the president" see
        # the actors named before them (appositions register titles), coded or not.
        for t in toks:
            ent_end = t.ent_type_ == "PERSON" and (t.i + 1 >= len(self.doc) or self.doc[t.i + 1].ent_iob_ != "I")
            if ent_end or (t.dep_ in _ARG_DEPS and t.pos_ in ("NOUN", "PROPN", "PRON")):
                self.actors.resolve(t)
        for v in toks:
            if v.i in consumed:
                continue
            if v.pos_ in ("VERB", "AUX") or (v.pos_ == "ADJ" and v.dep_ == "acomp"):
                out.extend(self._code_verb(v, sent, sentence_index, consumed))
            elif v.pos_ == "NOUN" and v.lemma_.lower() in self.lx.nouns:
                out.extend(self._code_nominal(v, sent, sentence_index))
        return out

    def _code_verb(self, v: Token, sent: Span, si: int, consumed: set[int]) -> list[RawEvent]:
        lemma = v.lemma_.lower()
        if lemma not in self.lx.verbs and lemma not in CONTROL and v.lower_ not in CONTROL:
            if v.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ in _DEMAND_MODALS for c in v.children):
                return self._reported_demand(v, sent, si, consumed)
            return []  # most verbs: nothing to code (the fast path)
        if v.dep_ == "pcomp" and v.head.lower_ in ("of", "for") and v.head.head.lemma_.lower() in _ALLEGING:
            return []  # "accused X of violating …": the allegation, coded with its verb
        if v.dep_ == "ccomp" and v.head.lemma_.lower() in _CLAUSE_CONSUMING:
            return []  # "demanded that Hamas renounce …": coded as the demand
        family = CONTROL.get(lemma) or CONTROL.get(v.lower_)
        xcomps = [c for c in v.children if c.pos_ in ("VERB", "AUX") and (c.dep_ == "xcomp" or (
            # "have sworn to fight" parsed as a purpose clause: a control verb's bare
            # "to"-infinitive right after it is its complement all the same
            family and c.dep_ == "advcl" and c.i <= v.i + 3 and not _children(c, "nsubj", "mark")
            and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)))]
        if family == "pass" and xcomps:
            return []  # the embedded action is coded with this verb's flags
        if lemma in SPEECH and lemma not in _POLITICAL_SPEECH and _children(v, "ccomp"):
            return []  # "X said (that) …": the report is not the event
        m = self.match(v, self.lx.verbs)
        if m is None and lemma in _ALLEGING_SPEECH:
            # "The US claimed that ISIL had attacked Iraq": a claim that another did harm
            # is an accusation of it (CAMEO 112), besides the reported act itself
            said = [c for c in _children(v, "ccomp") if c.pos_ in ("VERB", "AUX")]
            sm = self.match(said[0], self.lx.verbs) if said else None
            doers = _children(said[0], "nsubj") if said else []
            # … by someone else: "the navy claimed it captured …" is a boast, not a charge
            if sm is not None and sm.code[:2] in _HARM_ROOTS and doers \
                    and doers[0].pos_ in ("NOUN", "PROPN"):
                m = _Match("112", None, None, None)
        inner: Token | None = None
        # the material act before composition and flags ("threatened to shell" → 194):
        # the conventions for targets (victims, curfews) follow the act, not the threat
        material = m.code if m else ""
        if family and family != "pass" and xcomps:
            inner = xcomps[0]
            im = self.match(inner, self.lx.verbs)
            material = im.code if im else material
            root = im.code[:2] if im else "default"
            if family == "intent" and root in _THREAT_ROOTS:
                family = "threaten"  # "vowed to fight", "swore to retaliate": CAMEO 13x
            table = COMPOSE[family]
            code = table.get(root, table["default"])
            if family == "refuse" and inner.lemma_.lower() == "comment":
                code = "011"  # "declined to comment"
            m = _Match(code, m.pattern if m else None, m.prep if m else None, im.obj if im else None)
            consumed.add(inner.i)
        if m is None:
            return []
        neg, fut, hyp = self.flags(v)
        code = m.code
        if neg and lemma in _NEGATE_TO_REJECT:
            code, neg = COMPOSE["refuse"].get(code[:2], "120"), False
        elif neg and (fut or hyp) and inner is None and code[:2] in _INTENT_ROOTS:
            # "said he would not provide support", "will not attend the talks": announced
            # non-cooperation is a refusal (CAMEO 12x), not a missing event
            code, neg, fut, hyp = COMPOSE["refuse"].get(code[:2], "120"), False, False, False
        elif _attempted(v):
            # "tried to hack into", "attempted to assassinate": the attempt is the act
            if code.startswith("186"):
                code = "185"
        elif (fut or hyp) and not neg and _ultimatum(v if inner is None else inner):
            # "will withdraw its force unless …", "will boycott the elections unless the
            # president steps down": an act announced on a condition is a threat (CAMEO 13x)
            code = COMPOSE["threaten"].get(code[:2], "130")
        elif fut and not neg and inner is None and code[:2] in _VIOLENT_ROOTS and _readied(v):
            # "the army prepared to resume shelling", "troops are poised to attack": forces
            # made ready short of the use of force are a military posture (CAMEO 150,
            # PLOVER MOBILIZE), not a threat — a threat is a verbal act
            code = "150"
        elif fut and not hyp and not neg and inner is None and code[:2] == "04" and _readied(v, _SCHEDULING):
            # "is scheduled to attend a summit", "prepared to attend the Olympics": an
            # arranged meeting or visit is reported as such (future), not as the source's
            # expression of intent (036) — that is a statement, as "will travel" or
            # "plans to visit" are taken to be
            pass
        elif (fut or hyp) and not neg and (inner is None or family == "intent"):
            # an announced future act: cooperation is an expression of intent (03x),
            # material conflict a threat (13x) — CAMEO's and PLOVER's convention
            if code[:2] in _INTENT_ROOTS:
                code = COMPOSE["intent"].get(code[:2], "030")
            elif code[:2] in _THREAT_ROOTS:
                code = COMPOSE["threaten"].get(code[:2], "130")
        subj_toks, passive = self.subjects(v)
        if passive and not subj_toks and code[:4] in _SELF_PASSIVE:
            subj_toks, passive = [t for c in _children(v, "nsubjpass") for t in _conjuncts(c)], False
        demand_by: Token | None = None
        clause = _modal_clause(v)
        if clause is not None and not neg:
            demand_by = _demand_speaker(clause)
        if demand_by is not None and self.resolve(demand_by) is not None:
            # "X reiterated that Libya must hand over …": X demands it of Libya
            speaker = self.resolve(demand_by)
            assert speaker is not None
            if speaker.code:
                cands = subj_toks
                code = COMPOSE["demand"].get(code[:2], "100")
                tgt = next((a for a in (self.resolve(t) for t in cands) if a is not None and a.code), None)
                if tgt is not None:
                    # "rebels announced that President Kagame must agree …": a titled person
                    # without a country belongs where the demand is made, as in every event
                    _src, (tgt,) = self._fill_countries([speaker], [tgt], sent)
                date, dsrc = self.event_date(v, sent, demand_by.head, False)
                return [RawEvent(
                    sentence_index=si, source=speaker.event_actor(),
                    target=tgt.event_actor() if tgt else NO_ACTOR,
                    action=f"demand {self._action_text(v, m, inner, False)}", cameo_code=code,
                    date=date, date_source=dsrc, place=self.event_place(v, sent),
                    evidence=sent.text.strip(),
                    article_id=self.doc._.article_id if self.doc.has_extension("article_id") else None)]
        sources = [x for a in (self._shared_modifier(t) for t in subj_toks) if a is not None and a.code
                   for x in self._coordinated(a, subj_toks)]
        if not sources:
            uaf = self._unidentified_source(v, code, subj_toks, passive, sent) or \
                self._unresolved_source(subj_toks)
            if uaf is None and passive and not subj_toks and code[:2] in _STATE_ROOTS:
                # "was arrested in Lebanon", "was put under investigation in Italy": an
                # arrest or inquiry with no agent named is the act of the state where it
                # happened (CAMEO/PLOVER code the bare country)
                ctry = self._place_country(sent)
                if ctry:
                    uaf = ResolvedActor(ctry, ctry, None, "country", ctry)
            if uaf is None:
                return []
            sources = [uaf]
        if lemma in _RECEIVE_VERBS and code[:2] == "03" and not passive:
            giver_prep = _preps_of(v).get("from") or (
                _preps_of(m.obj).get("from") if m.obj is not None else None)
            giver = self.resolve(_pobj(giver_prep)) if giver_prep is not None else None
            if giver is not None and giver.code:
                # "demonstrators received assurances from the government": the government
                # gave them (CAMEO codes the giver's act)
                givers, receivers = self._fill_countries([giver], list(sources), sent)
                date, dsrc = self.event_date(v, sent, None, fut or hyp)
                return [RawEvent(
                    sentence_index=si, source=givers[0].event_actor(), target=r.event_actor(),
                    action=self._action_text(v, m, inner, neg), cameo_code=code, negated=neg,
                    hypothetical=hyp, future=fut, date=date, date_source=dsrc,
                    place=self.event_place(v, sent), evidence=sent.text.strip(),
                    article_id=self.doc._.article_id if self.doc.has_extension("article_id") else None)
                    for r in receivers if r is not None]
        cands = self.target_candidates(v, m, passive)
        if code[:2] == "11":
            # "complained to the UN over Israeli air raids": the accused is the target,
            # the audience is not
            accused: list[Token] = []
            for name in ("against", "about", "over"):
                prep = _preps_of(v).get(name)
                pobj = _pobj(prep) if prep is not None and prep.dep_ == "prep" else None
                if pobj is not None:
                    accused.append(pobj)
                    accused.extend(c for c in pobj.children if c.dep_ in ("poss", "amod", "compound")
                                   and c.ent_type_ in ("GPE", "NORP", "ORG"))
            cands = accused + cands
        if inner is not None:
            im2 = self.match(inner, self.lx.verbs)
            cands = cands + self.target_candidates(inner, im2, False)
        target_tok: Token | None = None
        target: ResolvedActor | None = None
        src_codes = {s.code for s in sources}
        subj_ids = {t.i for t in subj_toks}
        theme = m.obj.i if m.obj is not None else -1
        own: set[int] = set()
        if material[:2] == "15":
            # "mobilized army reservists for a war against Iraq": the forces moved are the
            # source's own; the target is whom the posture is aimed at
            own = {t.i for d in _children(v if inner is None else inner, "dobj") for t in d.subtree}
            cands = [c for c in cands if c.i not in own]
        for c in cands:
            if c.i in subj_ids or c.i == theme:
                continue
            a = self.resolve(c)
            if a is not None and a.code and a.code not in src_codes \
                    and not (a.role is None and a.country in {s.country for s in sources}
                             and not (_protest_at_home(code, sources) and _names_country(c, a.name))):
                target_tok, target = c, a
                break
        if target is None:
            skip = {t.i for s in subj_toks for t in s.subtree} | {theme} | own
            roots = [v] if inner is None else [v, inner]
            target_tok, target = self._subtree_target(roots, sources, skip,
                                                      home_ok=_protest_at_home(code, sources))
            if target is not None and len(sources) > 1 and code[:2] in _RECIPROCAL_ROOTS \
                    and target.country in {s.country for s in sources}:
                # "A and B renewed talks on a pullback from B": co-subjects of a meeting
                # or agreement act on each other unless a third party is named ("A and
                # B welcomed ties with C")
                target_tok, target = None, None
        targets: list[ResolvedActor | None] = [target]
        if target_tok is not None:
            more = [self._shared_modifier(t) for t in _conjuncts(target_tok)[1:4]]
            targets.extend(a for a in more if a is not None and a.code and a.code not in src_codes)
            if target is not None:
                targets = [target, *(x for x in self._coordinated(target, [target_tok]) if x != target),
                           *targets[1:]]
        if target is None and (code[:4] in ("1723", "1724", "0813", "0814")
                               or material[:4] in ("1723", "1724")):
            # a curfew or state of emergency is imposed on (or lifted for) the population
            # of the place, the sources' own country when the text names none
            ctry = self._place_country(sent) or sources[0].country
            if ctry:
                target = ResolvedActor("population", ctry, "civilian", "group", actor_code(ctry, "civilian"))
                targets = [target]
        reciprocal = target is None and len(sources) > 1
        if target is not None and target_tok is not None \
                and (code[:2] in _VIOLENT_ROOTS or material[:2] in _VIOLENT_ROOTS
                     or (material[:3] == "172" and _town(target_tok))) \
                and target.country and not _names_country(target_tok, target.name) \
                and target.kind != "contingent" \
                and (target.role is None or _capital_as_place(target_tok, target)):
            # "killed two Iraqi youths", "shelled Iraqi towns", "killed … in the Gaza
            # Strip": violence whose victims are placed in a country, not the state itself,
            # falls on that country's civilians (CAMEO/PLOVER code them ``CVL``)
            victims = replace(target, role="civilian", kind="group",
                              code=actor_code(target.country, "civilian"))
            targets = [victims if t is target else t for t in targets]
        sources, targets = self._fill_countries(sources, targets, sent)

        reporter = self._reporter(v)
        rep_actor = self.resolve(reporter_subject(reporter)) if reporter is not None else None
        date, dsrc = self.event_date(v, sent, reporter, fut or hyp)
        place = self.event_place(v, sent) or (self.event_place(inner, sent) if inner is not None else None)
        action = self._action_text(v, m, inner, neg)
        evs: list[RawEvent] = []
        base = RawEvent(
            sentence_index=si, source=NO_ACTOR, target=NO_ACTOR, action=action, cameo_code=code,
            negated=neg, hypothetical=hyp, future=fut,
            reported_by=rep_actor.event_actor() if rep_actor else None,
            date=date, date_source=dsrc, place=place, evidence=sent.text.strip(),
            article_id=self.doc._.article_id if self.doc.has_extension("article_id") else None,
        )
        if reciprocal:
            for s in sources:
                for o in sources:
                    if s is not o and s.code != o.code:
                        evs.append(replace(base, source=s.event_actor(), target=o.event_actor(), reciprocal=True))
            return evs
        for s in sources[:4]:
            for t in targets[:4]:
                evs.append(replace(base, source=s.event_actor(),
                                   target=t.event_actor() if t else NO_ACTOR))
        return evs

    def _reported_demand(self, v: Token, sent: Span, si: int, consumed: set[int]) -> list[RawEvent]:
        """"X said Y must ensure security": X demands (100) of Y whatever the verb; the
        clause is then not coded as Y's own act."""
        if v.head.lemma_.lower() not in SPEECH or self.flags(v)[0]:
            return []
        speaker = self.resolve(reporter_subject(v.head))
        if speaker is None or not speaker.code:
            return []
        subj, _passive = self.subjects(v)
        tgts = [a for a in (self.resolve(t) for t in subj) if a is not None and a.code]
        tgts = [x for a in tgts for x in self._coordinated(a, subj)]
        if not tgts:
            return []
        consumed.update(t.i for t in v.subtree)
        srcs, filled = self._fill_countries([speaker], list(tgts), sent)
        date, dsrc = self.event_date(v, sent, v.head, False)
        words = [v.lemma_.lower(), *(c.text for c in v.children if c.dep_ in ("dobj", "acomp", "prt"))]
        return [RawEvent(
            sentence_index=si, source=srcs[0].event_actor(), target=t.event_actor(),
            action="demand " + " ".join(words), cameo_code="100", date=date, date_source=dsrc,
            place=self.event_place(v, sent), evidence=sent.text.strip(),
            article_id=self.doc._.article_id if self.doc.has_extension("article_id") else None)
            for t in filled if t is not None]

    # -- actor fallbacks ---------------------------------------------------------------------
    def _subtree_target(self, roots: list[Token], sources: list[ResolvedActor],
                        skip: set[int], home_ok: bool = False) -> tuple[Token | None, ResolvedActor | None]:
        """First actor in the predicate's own phrase (PETRARCH's convention): objects of
        any preposition ("fire against Kampuchean camps", "to the Red Crescent"), owners
        and modifiers of the object ("North Korea's demand", "Danish web sites"), places."""
        src_codes = {s.code for s in sources}
        src_countries = {s.country for s in sources}
        seen: set[int] = set()
        for root in roots:
            for c in root.children:
                # clauses of their own ("after a court cleared him …", "who fled …") have
                # their own participants; "according to …" names where the news came from
                if c.dep_ in ("relcl", "parataxis", "csubj") or c.lower_ == "according" or (
                        c.dep_ == "ccomp" and root.lemma_.lower() not in _CLAUSE_TARGET) or (
                        c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in _OTHER_EVENT_MARKS
                                                  for g in c.children)):
                    skip |= {g.i for g in c.subtree}
            for t in root.subtree:
                if t.i in skip or t.i in seen or t.i == root.i:
                    continue
                seen.add(t.i)
                if t.pos_ not in ("NOUN", "PROPN", "ADJ", "PRON") or t.dep_ in ("nsubj", "nsubjpass"):
                    continue
                if t.pos_ == "ADJ" and t.ent_type_ not in ("NORP", "GPE"):
                    continue
                if t.pos_ == "PRON" and t.dep_ != "poss":
                    continue
                while (t.dep_ in ("amod", "compound", "nmod") or (t.dep_ == "poss" and t.pos_ == "PROPN")) \
                        and t.head.i not in skip and t.head.i != t.i:
                    head_actor = self.resolve(t.head)
                    if head_actor is None or not head_actor.code:
                        break
                    # "Congolese refugees": the refugees, not Congo; "Burundi's
                    # government": the government; "South Korean army officers": the
                    # officers, through every modifier level
                    t = t.head
                a = self.resolve(t)
                if a is None or not a.code or a.code in src_codes:
                    continue
                if a.role is None and a.country in src_countries and not (
                        home_ok and _names_country(t, a.name)):
                    continue
                return t, a
        return None, None

    def _shared_modifier(self, tok: Token) -> ResolvedActor | None:
        """A coordinated head without a determiner of its own shares the first head's
        nationality ("the Danish government and media", "Danish police and soldiers")."""
        act = self.resolve(tok)
        if act is None or act.country is not None or act.role is None or tok.dep_ != "conj" \
                or any(c.dep_ in ("det", "poss", "amod", "compound") for c in tok.children):
            return act
        first = tok
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        for c in first.children:
            if c.i < first.i and c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE"):
                ctry = country_of(c.text)
                if ctry:
                    return replace(act, country=ctry, code=actor_code(ctry, act.role))
        return act

    def _coordinated(self, actor: ResolvedActor, toks: Sequence[Token]) -> list[ResolvedActor]:
        """"Hungarian and Romanian officials": one actor per coordinated country modifier."""
        if actor.country is None:
            return [actor]
        out = [actor]
        for tok in toks:
            if tok.pos_ == "PROPN" and country_of(tok.text):
                continue  # "Greek Cypriots", "Bosnian Croats": one people, not two countries
            for c in tok.children:
                if c.dep_ not in ("amod", "compound", "nmod"):
                    continue
                for cj in [c, *(g for g in c.subtree if g.dep_ == "conj")]:
                    ctry = country_of(cj.text)
                    if ctry and ctry not in {a.country for a in out}:
                        out.append(replace(actor, name=f"{cj.text} {tok.text}", country=ctry,
                                           code=actor_code(ctry, actor.role)))
        if len(out) > 1 and actor.country not in {country_of(c.text) for t in toks for c in t.subtree}:
            return [actor]
        return out

    def _unidentified_source(self, v: Token, code: str, subj_toks: list[Token], passive: bool,
                             sent: Span) -> ResolvedActor | None:
        """The agent of a violent act nobody is named for ("a roadside bombing killed …",
        "was killed in a car bomb explosion"): the country whose weapon it was when the text
        says so ("Israeli tank shelling"), else CAMEO's unidentified armed force (``UAF``)
        of the country where it happened."""
        if code[:2] not in _VIOLENT_ROOTS:
            return None
        instruments = [t for t in subj_toks if t.pos_ == "NOUN"]
        if not subj_toks and not passive:
            instruments = [c for c in v.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"]
            if not instruments and any(c.dep_ == "nsubj" for c in v.children):
                return None  # a subject that is neither actor nor weapon: not ours to guess
        for c in v.children:
            if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "by", "with"):
                instruments.extend(g for g in c.children if g.dep_ == "pobj")
        prev = v.doc[v.i - 1] if v.i > 0 else v
        if v.tag_ == "VBG" and v.dep_ == "advcl" and not subj_toks and prev.dep_ == "pobj" \
                and prev.pos_ == "NOUN" and prev.head.head.i == v.head.i:
            # "were killed in Israeli tank shelling": the gerund is the head of the noun
            # phrase the parser closed before it; the noun is its modifier
            instruments.append(prev)
        if v.dep_ == "acl" and v.head.lemma_.lower() in _ATTEMPT_NOUNS and not subj_toks:
            passive = True  # "an attempt to assassinate the deputy governor": no agent named
        if not passive and not instruments:
            return None
        for ins in instruments:
            for m in ins.subtree:
                if m.i < ins.i and m.ent_type_ in ("NORP", "GPE") and country_of(m.text):
                    ctry = country_of(m.text)
                    return ResolvedActor(m.text, ctry, None, "country", ctry)
        return ResolvedActor("unidentified attackers", None, "unidentified", "group", "UAF")

    @staticmethod
    @staticmethod
    def _unresolved_source(subj_toks: list[Token]) -> ResolvedActor | None:
        """An agent the actor layer cannot code: people the text places in a country but
        gives no known role ("Druze inhabitants of the Syrian Golan Heights", "Iraqi
        Kurds") are that country's civilians; a named agent with no country or title
        ("Obama has agreed …", a misspelled country) keeps an uncoded source — the act is
        still an event, as GDELT and PETRARCH record actors they cannot code."""
        for t in subj_toks:
            if t.tag_ not in ("NNS", "NNPS") and t.lemma_.lower() not in _OFFICE_NOUNS:
                continue
            role = "government" if t.lemma_.lower() in _OFFICE_NOUNS else "civilian"
            for m in t.subtree:
                ctry = country_of(m.text) if m.ent_type_ in ("NORP", "GPE") and m.i != t.i else None
                if ctry:
                    return ResolvedActor(t.text, ctry, role, "group", actor_code(ctry, role))
        for t in subj_toks:
            if t.pos_ == "PROPN" and t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", ""):
                name = " ".join(x.text for x in t.subtree if x.pos_ == "PROPN") or t.text
                kind = "person" if t.ent_type_ == "PERSON" else "organization"
                return ResolvedActor(name, None, None, kind, None)
        for t in subj_toks:
            if t.pos_ == "PRON" and t.lower_ in ("he", "she", "they", "it") and t.head.dep_ == "ccomp":
                # "Obama said he would …": the speaker the pronoun stands for
                speakers = [c for c in t.head.head.children if c.dep_ == "nsubj"]
                if speakers and speakers[0].pos_ == "PROPN":
                    return _SentenceCoder._unresolved_source(_conjuncts(speakers[0]))
        return None

    def _place_country(self, sent: Span) -> str | None:
        """Country of a place the sentence locates something in ("near the town of Samarra")."""
        for ent in sent.ents:
            # the small model sometimes tags a town as NORP ("near … Samarra")
            if ent.label_ not in ("GPE", "LOC", "FAC", "NORP"):
                continue
            p = ent.root
            for _ in range(3):  # "near the town of Samarra": up through "of" to the place prep
                if p.dep_ != "pobj":
                    break
                if p.head.lower_ in _PLACE_PREPS or (
                        p.head.lower_ == "of" and p.head.dep_ == "prep"
                        and p.head.head.lower_ in _PLACE_PREPS):  # "outside of Basra"
                    c = country_of(ent.text) or place_country(ent.text)
                    if c:
                        return c
                    break
                p = p.head.head
        return None

    def _context_country(self, sent: Span, exclude: set[str | None]) -> str | None:
        """A country the sentence names (a country word, a demonym or a known place)."""
        for ent in sent.ents:
            if ent.label_ not in ("GPE", "NORP", "LOC"):
                continue
            c = country_of(ent.text) or (place_country(ent.text) if ent.label_ != "NORP" else None)
            if c and c not in exclude:
                return c
        for tok in sent:
            # a country named inside an organization's name ("… Independence of Angola")
            if tok.pos_ == "PROPN" and tok.ent_type_ == "ORG":
                c = country_of(tok.text)
                if c and c not in exclude:
                    return c
        return None

    def _fill_countries(self, sources: list[ResolvedActor], targets: list[ResolvedActor | None],
                        sent: Span) -> tuple[list[ResolvedActor], list[ResolvedActor | None]]:
        """Agents named without a country ("rebels", "police", "the president") belong to the
        other participant's country when it has one (most such events are domestic), else to
        the country the sentence names; international bodies and criminals (pirates,
        smugglers: their home is not their victims') keep none."""
        def fill(a: ResolvedActor, others: Sequence[ResolvedActor | None]) -> ResolvedActor:
            if a.country is not None or a.role in (None, "igo", "ngo", "criminal") or not a.code:
                return a
            # an unidentified attacker belongs where it happened
            ctry = self._place_country(sent) if a.role == "unidentified" else None
            ctry = ctry or next((o.country for o in others if o is not None and o.country), None)
            ctry = ctry or self._context_country(sent, set())
            if ctry is None:
                return a
            if a.role == "unidentified":
                return replace(a, country=ctry, code=ctry + "UAF")  # CAMEO's unidentified armed force
            return replace(a, country=ctry, code=actor_code(ctry, a.role))

        new_sources = [fill(s, targets) for s in sources]
        new_targets = [fill(t, new_sources) if t is not None else None for t in targets]
        src_codes = {s.code for s in new_sources}
        for i, (old, new) in enumerate(zip(targets, new_targets, strict=True)):
            if old is not None and new is not None and new is not old and new.code in src_codes:
                # "Moroccan diplomats met President Obama": an actor acting on itself is
                # no event, so the target's country is another one the sentence names
                ctry = self._context_country(sent, {s.country for s in new_sources})
                new_targets[i] = old if ctry is None else replace(
                    old, country=ctry, code=actor_code(ctry, old.role))
        return new_sources, new_targets

    def _code_nominal(self, n: Token, sent: Span, si: int) -> list[RawEvent]:
        # objects of an already coded verb ("held talks") belong to that verb's event
        if n.dep_ in ("dobj", "pobj", "attr") and self.match(n.head if n.dep_ != "pobj" else n.head.head,
                                                              self.lx.verbs):
            return []
        m = self.match(n, self.lx.nouns)
        if m is None:
            return []
        sources: list[ResolvedActor] = []
        targets: list[ResolvedActor] = []
        for c in n.children:
            if c.dep_ == "poss" or (c.dep_ in ("compound", "amod") and c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")):
                a = self.resolve(c)
                if a is not None and a.code:
                    sources.append(a)
        preps = _preps_of(n)
        if "by" in preps:
            p = _pobj(preps["by"])
            a = self.resolve(p)
            if a is not None and a.code:
                sources.append(a)
        if "between" in preps:
            p = _pobj(preps["between"])
            if p is not None:
                pair = [self.resolve(t) for t in _conjuncts(p)]
                pair_ok = [a for a in pair if a is not None and a.code]
                if len(pair_ok) >= 2 and not sources:
                    sources, targets = [pair_ok[0]], [pair_ok[1]]
        if not sources:
            return []
        if not targets:
            for name in ("to", "with", "against", "on", "of", "from", "for", "in"):
                if name in preps:
                    p = _pobj(preps[name])
                    a = self.resolve(p)
                    if a is None and p is not None:
                        for name2 in ("to", "with", "against"):
                            pp = _preps_of(p).get(name2)
                            if pp is not None:
                                a = self.resolve(_pobj(pp))
                                if a is not None:
                                    break
                    if a is not None and a.code and a.code not in {s.code for s in sources}:
                        targets.append(a)
                        break
        if not targets:
            _t, fallback = self._subtree_target([n], sources, set())
            if fallback is not None:
                targets.append(fallback)
        if not targets and m.code[:2] not in _TARGETLESS_ROOTS:
            return []
        sources, filled = self._fill_countries(sources, list(targets), sent)
        targets = [t for t in filled if t is not None]
        neg, fut, hyp = self.flags(n.head) if n.head.i != n.i else (False, False, False)
        neg = neg or any(c.lower_ in ("no",) for c in n.children)
        if n.head.lemma_.lower() in _NOMINAL_END_VERBS:
            neg = neg and n.head.lemma_.lower() not in ("end", "conclude")
        date, dsrc = self.event_date(n, sent, None, fut or hyp)
        action = n.lemma_.lower()
        if m.obj is not None:
            mods = [t.text for t in m.obj.children if t.dep_ in ("amod", "compound")]
            action = " ".join([action, "of", *mods, m.obj.text])
        outcome = self._outcome(n)
        if outcome:
            action = f"{action} {outcome}"
        base = RawEvent(
            sentence_index=si, source=NO_ACTOR, target=NO_ACTOR, action=action, cameo_code=m.code,
            negated=neg, hypothetical=hyp, future=fut, date=date, date_source=dsrc,
            place=self.event_place(n, sent), evidence=sent.text.strip(),
            article_id=self.doc._.article_id if self.doc.has_extension("article_id") else None,
        )
        return [replace(base, source=s.event_actor(), target=(targets[0].event_actor() if targets else NO_ACTOR))
                for s in sources[:3]]

    @staticmethod
    def _outcome(n: Token) -> str:
        """"… ended with no agreement": the outcome phrase of a nominal event's verb."""
        h = n.head
        if n.dep_ not in ("nsubj", "nsubjpass") or h.lemma_.lower() not in _NOMINAL_END_VERBS:
            return ""
        rest = [c for c in h.children if c.dep_ in ("prep", "advmod", "prt", "dobj")]
        words = " ".join(" ".join(t.text for t in c.subtree) for c in rest)
        return f"{h.text} {words}".strip()

    def _reporter(self, v: Token) -> Token | None:
        """The speech verb governing ``v``'s clause, if the event is reported speech."""
        p = v
        for _ in range(6):
            if p.head.i == p.i:
                return None
            if p.dep_ == "ccomp" and p.head.lemma_.lower() in SPEECH:
                return p.head
            if p.dep_ not in ("conj", "xcomp", "ccomp", "advcl", "acomp"):
                return None
            p = p.head
        return None

    @staticmethod
    def _action_text(v: Token, m: _Match, inner: Token | None, neg: bool) -> str:
        words = [v.lemma_.lower()]
        if neg:
            words.insert(0, "not")
        if m.prep:
            words.append(m.prep)
        if inner is not None:
            words.append("to " + inner.lemma_.lower())
        if m.obj is not None:
            mods = [c.text for c in m.obj.children if c.dep_ in ("amod", "compound")]
            words.append(" ".join([*mods, m.obj.text]))
        return " ".join(words)


def _names_country(tok: Token, referent: str | None = None) -> bool:
    """True when ``tok`` is a country's own name standing as a participant ("attacked
    Iraq"), not a demonym or a place inside it ("Iraqi towns", "in Basra")."""
    if tok.pos_ == "PRON":
        # "fired at it" may stand for "Israel" (the state) or "the village" (a place)
        return referent is not None and country_of(referent) is not None
    if tok.dep_ == "pobj" and tok.head.lower_ in _PLACE_PREPS and tok.head.head.pos_ == "NOUN":
        return False  # "a village in Western Cambodia": where, not whom
    if tok.lower_ in _capitals():
        return False  # "blockade Paris", "East Jerusalem": a city, not the state
    return tok.pos_ == "PROPN" and tok.dep_ not in ("amod", "compound", "nmod") \
        and country_of(tok.text) is not None


_PRON_NUMBER = {"he": "person", "she": "person", "it": "thing", "they": "plural"}


def _bound_speaker(pron: Token) -> Token | None:
    """The speaker a pronoun subject of a reported clause stands for ("the party said it
    will boycott …", "farmers said they would blockade …", "Gbagbo announced that he will
    …"): the subject of the governing speech verb when person and number agree."""
    kind = _PRON_NUMBER.get(pron.lower_)
    if kind is None or pron.dep_ != "nsubj":
        return None
    p = pron.head
    for _ in range(3):
        if p.dep_ == "ccomp":
            break
        if p.dep_ not in ("conj", "xcomp") or p.head.i == p.i:
            return None
        p = p.head
    else:
        return None
    gov = p.head
    if gov.lemma_.lower() not in SPEECH:
        return None
    spk = next((c for c in gov.children if c.dep_ == "nsubj"), None)
    if spk is None or spk.pos_ not in ("NOUN", "PROPN"):
        return None
    plural = spk.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in spk.children)
    person = spk.ent_type_ == "PERSON"
    if kind == "plural":
        ok = plural
    elif kind == "person":
        ok = person or (not plural and spk.pos_ == "NOUN" and spk.ent_type_ == "")
    else:
        ok = not plural and not person
    return spk if ok else None


def _protest_at_home(code: str, sources: Sequence[ResolvedActor]) -> bool:
    """Protesters (a sector of a country) demonstrating in their own country protest
    against it: "ethnic Albanians demonstrated in Serbia" is SRBCVL → SRB."""
    return code[:2] == "14" and all(s.role not in (None, "government") for s in sources)


def _town(tok: Token) -> bool:
    """A place below the state ("East Jerusalem", "Abidjan"), not a country's own name:
    restrictions imposed there (bans, curfews) fall on its people."""
    if tok.ent_type_ not in ("GPE", "LOC", "FAC"):
        return False
    name = _place_name(tok)
    return tok.lower_ in _capitals() or (country_of(name) is None and place_country(name) is not None)


def _place_name(tok: Token) -> str:
    """The whole place name a token ends ("East Jerusalem" for "Jerusalem")."""
    if not tok.ent_type_:
        return tok.text
    for ent in tok.sent.ents:
        if ent.start <= tok.i < ent.end:
            return ent.text
    return tok.text


def _capital_as_place(tok: Token, actor: ResolvedActor) -> bool:
    """A capital that is the object of violence ("would blockade Paris", "shelled Kabul")
    is the city and its people, not the government it stands for elsewhere."""
    return actor.role == "government" and actor.kind == "country" and tok.pos_ == "PROPN" \
        and tok.dep_ in ("dobj", "pobj") and tok.lower_ in _capitals()


#: Nouns of saying whose "that …" clause is what was said ("a reminder to Iraq that it
#: must cooperate").
_STATEMENT_NOUNS = frozenset({"reminder", "warning", "message", "statement", "letter", "note",
                              "call", "demand", "insistence", "declaration"})


def _demand_speaker(clause: Token) -> Token | None:
    """Who says the "must" clause: the speech verb's subject, or for a statement noun
    ("issued a reminder that …") the subject of the verb that issued it."""
    h = clause.head
    if clause.dep_ == "ccomp" and h.lemma_.lower() in SPEECH:
        return reporter_subject(h)
    if clause.dep_ == "acl" and h.pos_ == "NOUN" and h.head.i != h.i and h.head.pos_ == "VERB":
        return reporter_subject(h.head)
    return None


def _modal_clause(v: Token) -> Token | None:
    """The reported clause with "must"/"should" that ``v`` heads or is embedded in ("said
    the US must be ready to mediate": ``ready`` → ``be``), else ``None``."""
    p = v
    for _ in range(4):
        if p.dep_ == "ccomp" or (p.dep_ == "acl" and p.head.lemma_.lower() in _STATEMENT_NOUNS):
            return p if any(c.dep_ == "aux" and c.lower_ in _DEMAND_MODALS for c in p.children) else None
        if p.dep_ not in ("xcomp", "acomp") or p.head.i == p.i:
            return None
        p = p.head
    return None


def _ultimatum(v: Token) -> bool:
    """True when the act is made conditional with "unless" ("will strike unless …")."""
    return any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "unless" for g in c.children)
               for c in v.children)


#: Verbs of material readiness for an act ("prepared to attack", "poised to strike").
_READYING = frozenset({"prepare", "poise", "poised", "gear"})
#: Verbs (and adjectives) that report an arranged event ("is scheduled to attend").
_SCHEDULING = frozenset({"schedule", "scheduled", "slate", "slated", "due", "prepare", "set"})
#: Verbs that send or bring someone somewhere ("sent inspectors to Iraq to …").
_MOTION_VERBS = frozenset({"send", "dispatch", "deploy", "travel", "go", "come", "fly", "arrive", "head"})


def _readied(v: Token, verbs: frozenset[str] = _READYING) -> bool:
    """``v`` is the embedded act of a readiness verb, through aspect verbs ("prepared to
    resume shelling"); "is prepared to" as willingness (an adjective) does not count."""
    t = v
    for _ in range(3):
        if t.dep_ == "conj" and t.head.dep_ == "xcomp":
            t = t.head  # "scheduled to give a speech … and meet with …"
        if t.dep_ != "xcomp" or t.head.i == t.i:
            return False
        t = t.head
        if t.pos_ in ("VERB", "ADJ") and (t.lemma_.lower() in verbs or t.lower_ in verbs):
            return True
        if t.lemma_.lower() not in ("resume", "begin", "start", "continue"):
            return False
    return False


def _attempted(v: Token) -> bool:
    return (v.dep_ == "xcomp" and v.head.lemma_.lower() in _ATTEMPT_VERBS) or (
        v.dep_ == "acl" and v.head.lemma_.lower() in _ATTEMPT_NOUNS)


def reporter_subject(speech_verb: Token) -> Token | None:
    for c in speech_verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            if c.pos_ == "VERB":
                # "The Red Cross operating in Iraq said": the parser made the participle
                # the subject; its own subject is the speaker
                inner = next((g for g in c.children if g.dep_ == "nsubj"), None)
                return inner or c
            return c
    for c in speech_verb.children:
        if c.dep_ == "agent":
            return _pobj(c)
    return None


# ------------------------------------------------------------------------------ public API

def _doc_hints(doc: Doc) -> tuple[list[DateHint], list[PlaceHint]]:
    """Fallback date/place hints read from the Doc's own entities (no annotate records)."""
    from ._dates import sentence_dates

    published = doc._.published if doc.has_extension("published") else None
    dates: list[DateHint] = []
    places: list[PlaceHint] = []
    for ent in doc.ents:
        if ent.label_ in ("GPE", "LOC", "FAC"):
            places.append(PlaceHint(ent.start_char, ent.end_char, ent.text))
        elif ent.label_ in ("DATE", "TIME"):
            for d in sentence_dates(ent, published):
                dates.append(DateHint(d.start, d.end, d.resolved))
    return dates, places


def code_doc(doc: Doc, *, dates: Sequence[DateHint] | None = None,
             places: Sequence[PlaceHint] | None = None, lexicon: Lexicon | None = None,
             codebook: Codebook | None = None, skip_roles: bool = False,
             actor_dictionary: ActorDictionary | None = None) -> list[RawEvent]:
    """Code every body sentence of a parsed Doc (captions and boilerplate are skipped).

    ``dates``/``places`` come from annotate's DateMentions/Places; without them the Doc's
    own DATE/GPE entities are used. ``skip_roles`` codes every sentence (bare sentences).
    """
    from ..annotate.spacy_ext import is_claim_sentence

    if dates is None or places is None:
        d2, p2 = _doc_hints(doc)
        dates = d2 if dates is None else dates
        places = p2 if places is None else places
    published = doc._.published if doc.has_extension("published") else None
    coder = _SentenceCoder(doc, lexicon or load_lexicon(), codebook or load_codebook(),
                           dates, places, published)
    coder.actors.dictionary = actor_dictionary
    coder.actors.when = published
    sents = [(i, s) for i, s in enumerate(doc.sents) if skip_roles or is_claim_sentence(s)]
    coder.actors.prescan([s for _i, s in sents])
    out: list[RawEvent] = []
    for i, sent in sents:
        for ev in coder.code(sent, i):
            if ev.target.code is None and ev.cameo_code[:2] in _RESPONSE_ROOTS and not ev.reciprocal:
                ev = _answer_target(ev, out) or ev
            out.append(ev)
    return out


def _answer_target(ev: RawEvent, earlier: list[RawEvent]) -> RawEvent | None:
    """Target of a response without one: the latest actor that addressed the source's
    country in this document; ``None`` (drop) when there is none."""
    src = ev.source.country
    if not src:
        return None
    role = ev.source.role
    for prev in reversed(earlier):
        if prev.negated or prev.target.country != src or not prev.source.country \
                or prev.source.country == src:
            continue
        if prev.target.role is None or role is None or prev.target.role == role:
            return replace(ev, target=prev.source)
    return None


def code_sentence(text: str, date: str | None = None, *, nlp: Language | None = None,
                  lexicon: Lexicon | None = None,
                  actor_dictionary: ActorDictionary | None = None) -> list[RawEvent]:
    """Code a single sentence (evaluation sets are sentence-level). ``date`` = publication date."""
    from ..annotate import load_nlp

    nlp = nlp or load_nlp()
    doc = nlp.make_doc(text)
    doc._.published = date
    doc = nlp(doc)
    return code_doc(doc, lexicon=lexicon, skip_roles=True, actor_dictionary=actor_dictionary)


def code_docs(docs: Iterable[Doc], **kw: object) -> list[list[RawEvent]]:
    return [code_doc(d, **kw) for d in docs]  # type: ignore[arg-type]
