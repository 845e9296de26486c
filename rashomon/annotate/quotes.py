"""Attribution finder: cue, source and content spans from the dependency parse.

The span-level core behind ``rashomon_quotes`` (which adds speaker resolution and
:class:`~rashomon.records.Quote` records) and ``rashomon eval quotes`` (which scores the
spans against PolNeAR). Everything here works on token indices of one ``Doc``.

The cascade, per article:

1. **Quote marks** are paired at character level within a paragraph. Whether a mark
   opens or closes is read from its context, not its glyph, so a mistyped closing mark
   that opens a sentence (``said.”The letter``) still opens a quote, and straight,
   curly and ``''``-style quotes work the same way.
2. **Cue verbs** (say, tell, add, ...; ``CUES_SPEECH``; with ``cues="all"`` also
   cognition and stance verbs such as believe, want, support) that govern a clausal
   complement, or sit next to a quotation, open an attribution; "according to X" is a
   cue as well. Cues inside a quotation or inside another attribution's content are
   nested speech and skipped.
3. **Source** = the cue's subject phrase (its nominal subject, the agent of a passive,
   the object of "according to"; participles such as "saying"/"adding" take the subject
   of the verb they hang from), with appositions and relative clauses.
4. **Content** = the adjacent quotation (marks included) when the cue introduces or
   follows one, else the complement clause (with "that", without the final stop); a
   sentence-internal cue ("X, he added, amounts to Y") takes the rest of the sentence.
   Quotation-only sentences that follow in the same paragraph continue the content
   (``“…,” Mattis told reporters. “It is time …”``).

Span conventions (has/also in the cue, a colon after the cue, "that" in the content,
closing quote mark and inner comma in the content, source with its determiner) follow
PolNeAR's annotation, checked on its train split.

With the trained model (``model="builtin"``, the default; see
:mod:`~rashomon.annotate.quote_model`) step 2 is a logistic-regression cue tagger over
every verb/noun/adjective/adposition instead of the word lists, the cue's extent is
learned too, and an indirect attribution's content is the best-ranked parse candidate;
quotations, sources, continuations and speakers stay with the rules above. Attributions
whose cue is neither a speech verb nor next to a quotation (stances, "polls show") get
``kind="attribution"`` (beliefs ``"cognition"``): they are scored by ``rashomon eval
quotes`` but are not Rashomon ``Quote`` records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokens import Doc

from ..records import Quote
from . import actors as _actors  # noqa: F401  (registers rashomon_actors, used for speakers)
from .quote_model import (
    CANDIDATE_POS,
    MINILM_MODEL_PATH,
    MODEL_PATH,
    ContentSeq,
    CueModel,
    FeatureContext,
    Frags,
    best_source,
    builtin_model_path,
    content_choice,
    cue_features,
    feature_context,
    load_model,
    logistic,
    seq_chunks,
    seq_dense,
    seq_token_keys,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = [
    "CUES_ALL",
    "CUES_SPEECH",
    "Attribution",
    "QuoteSpan",
    "QuotesComponent",
    "attribute",
    "cue_candidates",
    "doc_attributions",
    "extract",
    "find_attributions",
    "quote_spans",
    "rule_kind",
]

#: Verbs of saying and writing: what a reader calls a "quote".
CUES_SPEECH: frozenset[str] = frozenset({
    "accuse", "acknowledge", "add", "admit", "agree", "allege", "announce", "answer", "argue",
    "ask", "assert", "boast", "call", "caution", "claim", "comment", "complain", "concede",
    "conclude", "concur", "confirm", "contend", "counter", "criticize", "declare", "deny",
    "describe", "disclose", "emphasise", "emphasize", "explain", "insist", "joke", "lament",
    "maintain", "mention", "note", "observe", "pledge", "post", "praise", "predict", "promise",
    "quip", "recall", "reiterate", "remark", "repeat", "reply", "report", "respond", "retort",
    "reveal", "say", "shout", "state", "stress", "suggest", "tell", "testify", "tweet", "urge",
    "vow", "warn", "write", "yell",
})

#: Cognition / stance / evidence verbs that attribute a proposition (PolNeAR counts them).
CUES_COGNITION: frozenset[str] = frozenset({
    "appear", "assume", "believe", "demonstrate", "doubt", "estimate", "expect", "fear", "feel",
    "find", "hope", "indicate", "know", "prefer", "prove", "reveal", "seem", "show", "suggest",
    "suspect", "think", "want", "wish", "worry",
})

#: Verbs that are cues only right next to a quotation ("…," he continued / went on).
CUES_QUOTE_ONLY: frozenset[str] = frozenset({
    "begin", "continue", "go", "read",
})

CUES_ALL: frozenset[str] = CUES_SPEECH | CUES_COGNITION

#: Cues whose content is a clause or quotation, never just an object noun phrase.
_CLAUSAL_ONLY: frozenset[str] = frozenset({
    "acknowledge", "add", "admit", "allege", "appear", "argue", "assert", "assume", "begin",
    "believe", "caution", "claim", "complain", "concede", "conclude", "confirm", "contend",
    "continue", "declare", "demonstrate", "disclose", "doubt", "emphasise", "emphasize",
    "estimate", "expect", "explain", "fear", "feel", "find", "go", "hope", "indicate", "insist",
    "know", "maintain", "note", "observe", "pledge", "predict", "promise", "prove", "read",
    "reiterate", "remark", "reply", "respond", "reveal", "say", "seem", "show", "state", "stress",
    "suggest", "suspect", "tell", "testify", "think", "vow", "warn", "worry",
})

_OPEN_CHARS = "“‘"
_CLOSE_CHARS = "”’"
_STRAIGHT = '"'
_QUOTE_CHARS = set('“”"') | {"''", "``"}


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A pair of quotation marks, character offsets into ``doc.text`` (marks included)."""

    start: int
    end: int


@dataclass(slots=True)
class Attribution:
    """One attribution relation in token indices (end exclusive)."""

    cue: tuple[int, int]
    source: tuple[int, int] | None
    content: list[tuple[int, int]] = field(default_factory=list)
    direct: bool = False
    cue_lemma: str = ""
    source_head: int | None = None  # token index of the source phrase's head
    sentence: int = 0  # index of the cue's sentence (doc.sents order)
    kind: str = "speech"  # speech | cognition | attribution (other stance) | according | floating
    speaker: str | None = None  # resolved canonical actor name
    speaker_id: str | None = None
    anonymous: bool = False
    source_text: str | None = None


# --------------------------------------------------------------------------- quote marks


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "$£€#"


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[QuoteSpan]:
    """Pair quotation marks in ``text[start:end]`` (one paragraph) by context.

    A mark preceded by start/space/opening punctuation, or followed directly by a word
    character after a sentence stop, opens; any other mark closes an open quotation.
    ``''`` / ```` `` ```` (PolNeAR's NYT style) count as double quotes. Unmatched marks
    are dropped; single quotes are only used when curly and clearly paired.
    """
    end = len(text) if end is None else end
    marks: list[tuple[int, int, str]] = []  # (pos, length, "open"|"close")
    i = start
    while i < end:
        ch = text[i]
        two = text[i:i + 2]
        length = 0
        if two in ("''", "``"):
            length = 2
        elif ch in '“”"':
            length = 1
        if not length:
            i += 1
            continue
        prev = text[i - 1] if i > start else " "
        nxt = text[i + length] if i + length < end else " "
        if two == "``" or ch == "“":
            kind = "open"
            if ch == "“" and not _is_word(nxt) and _is_word(prev):
                kind = "close"  # rare mistyped closing mark
        elif ch == "”" or two == "''":
            kind = "close"
            # a closing glyph glued to the next word after a stop opens a quote
            if _is_word(nxt) and (prev in ".!?,;: \n\t(—–-" or i == start):
                kind = "open"
        else:  # straight double quote: decide by the neighbours
            if prev.isspace() or prev in "([{—–-:" or i == start:
                kind = "open"
            elif nxt.isspace() or nxt in ".,;:!?)]}—–-" or i + 1 >= end:
                kind = "close"
            else:
                kind = "open" if _is_word(nxt) and not _is_word(prev) else "close"
        marks.append((i, length, kind))
        i += length
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for pos, length, kind in marks:
        if kind == "open":
            open_at = pos  # an unclosed earlier mark is dropped
        elif open_at is not None:
            spans.append(QuoteSpan(open_at, pos + length))
            open_at = None
    return spans


# --------------------------------------------------------------------------- helpers


def _doc_text(doc: Doc) -> str:
    """``doc.text`` once per Doc (spaCy rebuilds the string on every access)."""
    text = doc.user_data.get("rashomon_text")
    if not isinstance(text, str):
        text = doc.text
        doc.user_data["rashomon_text"] = text
    return text


def _paragraph_ranges(doc: Doc) -> list[tuple[int, int]]:
    roles = doc._.paragraph_roles if doc.has_extension("paragraph_roles") else None
    if roles:
        return [(int(s), int(e)) for s, e, _r in roles]
    out: list[tuple[int, int]] = []
    pos = 0
    text = _doc_text(doc)
    for part in text.split("\n"):
        if part.strip():
            out.append((pos, pos + len(part)))
        pos += len(part) + 1
    return out


def _tok_range(doc: Doc, start_char: int, end_char: int) -> tuple[int, int] | None:
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end


def _trim(doc: Doc, start: int, end: int, *, keep_quote: bool = True) -> tuple[int, int]:
    """Strip spaces and sentence punctuation at the edges (closing quote marks stay)."""
    while start < end and (doc[start].is_space or doc[start].text in {",", ";", "—", "–", "-", ":"}):
        start += 1
    while end > start:
        t = doc[end - 1]
        if t.is_space or (t.text in {".", ",", ";", ":", "—", "–", "-", "!", "?"} and not (
            keep_quote and end - 1 > start and doc[end - 2].text in _QUOTE_CHARS
        )):
            if t.text in {"!", "?"} and end - 1 > start:
                break  # a question/exclamation belongs to the content
            end -= 1
            continue
        break
    return start, end


def _subtree_range(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_CUE_LEFT_DEPS = {"aux", "auxpass", "neg", "advmod"}


def _cue_range(doc: Doc, v: Token) -> tuple[int, int]:
    """The cue verb with its adjacent auxiliaries/adverbs ("has also said") and a colon."""
    start = v.i
    while start > 0:
        t = doc[start - 1]
        # aux/neg/adverbs hanging from the cue, at most three tokens to its left
        if t.head.i == v.i and t.dep_ in _CUE_LEFT_DEPS and start - 1 >= v.i - 3:
            start -= 1
            continue
        break
    end = v.i + 1
    for t in v.children:
        if t.dep_ == "prt" and t.i == end:  # "pointed out"
            end += 1
    # PolNeAR keeps "in a statement" in the cue more often than not (40:21 on train)
    if end + 2 < len(doc) and doc[end].lower_ == "in" and doc[end + 1].lower_ in ("a", "the") \
            and doc[end + 2].lower_ == "statement":
        end += 3
    if end < len(doc) and doc[end].text == ":":
        end += 1
    return start, end


def _source_of(doc: Doc, v: Token) -> Token | None:
    for c in v.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    for c in v.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    # participles and infinitives borrow the subject of the verb they hang from
    if v.dep_ == "pcomp" and v.head.head.pos_ in ("VERB", "AUX"):
        return _source_of(doc, v.head.head)  # "hit back by saying …"
    if v.dep_ in ("advcl", "xcomp", "conj", "acl") and v.head.i != v.i:
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return v.head if v.tag_ == "VBG" else None
        return _source_of(doc, v.head) if v.head.pos_ in ("VERB", "AUX") else None
    return None


def _source_range(doc: Doc, head: Token, cue_start: int) -> tuple[int, int]:
    start, end = _subtree_range(head)
    if head.i < cue_start:
        end = min(end, cue_start)
    start, end = _trim(doc, start, end, keep_quote=False)
    # PolNeAR keeps the comma that closes an apposition or relative clause
    if end < len(doc) and doc[end].text == "," and end < cue_start and end - start > 1:
        end += 1
    return start, end


# --------------------------------------------------------------------------- main


@dataclass(slots=True)
class _DocContext:
    """What every cue decision in a document needs: sentences, quotations, paragraphs."""

    sents: list[Span]
    tok_sent: list[int]
    claim: list[bool]
    quotes: list[tuple[int, int, int]]  # (tok_start, tok_end, paragraph)
    in_quote: list[bool]
    paras: list[tuple[int, int]]
    feats: FeatureContext


def _doc_context(doc: Doc, claim_filter: bool = True) -> _DocContext:
    from .spacy_ext import is_claim_sentence

    sents = list(doc.sents)
    tok_sent = [0] * len(doc)
    for si, s in enumerate(sents):
        for i in range(s.start, s.end):
            tok_sent[i] = si
    claim = [is_claim_sentence(s) if claim_filter else True for s in sents]
    quotes: list[tuple[int, int, int]] = []
    paras = _paragraph_ranges(doc)
    for pi, (ps, pe) in enumerate(paras):
        for q in quote_spans(_doc_text(doc), ps, pe):
            r = _tok_range(doc, q.start, q.end)
            if r:
                quotes.append((r[0], r[1], pi))
    in_quote = [False] * len(doc)
    for qs, qe, _p in quotes:
        for i in range(qs + 1, max(qs + 1, qe - 1)):
            in_quote[i] = True
    return _DocContext(sents, tok_sent, claim, quotes, in_quote, paras, feature_context(doc, sents, in_quote))


def rule_kind(lemma: str) -> str | None:
    """Which rule word list ``lemma`` is on (a feature of the trained cue model)."""
    if lemma in CUES_SPEECH:
        return "speech"
    if lemma in CUES_COGNITION:
        return "cognition"
    if lemma in CUES_QUOTE_ONLY:
        return "quote_only"
    return None


def cue_candidates(doc: Doc, ctx: _DocContext) -> Iterator[tuple[int, Token]]:
    """(sentence index, token) of every token a cue decision is taken for.

    Tokens inside a quotation (nested speech, which PolNeAR never annotates) and in
    captions/boilerplate are skipped; "according to" is handled by its own rule.
    """
    for si, sent in enumerate(ctx.sents):
        if not ctx.claim[si]:
            continue
        for v in sent:
            if not ctx.in_quote[v.i]:
                yield si, v


def seq_chunk_ranges(ctx: _DocContext) -> list[tuple[int, int]]:
    """The token ranges the sequence cue tagger runs over: the claim sentences (cut when long)."""
    return seq_chunks([(s.start, s.end) for si, s in enumerate(ctx.sents) if ctx.claim[si]])


def sparse_cue_logits(doc: Doc, ctx: _DocContext, model: CueModel) -> dict[int, float]:
    """The sparse cue tagger's logit for every cue candidate (token index -> score)."""
    out: dict[int, float] = {}
    for _si, v in cue_candidates(doc, ctx):
        if v.pos_ in CANDIDATE_POS and not _is_according(doc, v):
            out[v.i] = model.cue.score(cue_features(doc, v, ctx.feats, rule_kind(v.lemma_.lower())))
    return out


def cue_probs(doc: Doc, ctx: _DocContext, model: CueModel) -> dict[int, float]:
    """P(cue head) for every cue candidate: the sequence tagger's when the model file has
    one and the Doc carries a ``doc.tensor`` of the width it was trained on, else the
    sparse tagger's."""
    logits = sparse_cue_logits(doc, ctx, model)
    seq = model.cue_seq
    if seq is not None and logits and seq.usable(doc):
        keys = seq_token_keys(doc)
        z = seq.logits(doc, seq_chunk_ranges(ctx), seq_dense(doc, ctx.feats, logits, rule_kind, keys[0]), keys)
        return {i: logistic(float(z[i])) for i in logits}
    return {i: logistic(s) for i, s in logits.items()}


def _is_according(doc: Doc, v: Token) -> bool:
    return v.lemma_.lower() == "accord" and v.i + 1 < len(doc) and doc[v.i + 1].lower_ == "to"


def find_attributions(doc: Doc, cues: frozenset[str] = CUES_SPEECH,
                      claim_filter: bool = True, model: CueModel | None = None,
                      rule_floor: bool = False) -> list[Attribution]:
    """All attributions in ``doc`` (see the module docstring for the cascade).

    With ``model`` (see :mod:`~rashomon.annotate.quote_model`) the trained cue tagger
    decides which tokens are cues instead of the word list ``cues``, the trained extent
    model sets the cue's boundaries and the content model picks indirect content. With
    ``rule_floor`` a verb on ``cues`` is a cue even when the model says no: Rashomon's
    speech quotes keep every say-verb the rules find (PolNeAR, which never annotates
    speech nested in other content, scores 0.01 F1 lower that way, so its evaluation
    runs without the floor).
    """
    ctx = _doc_context(doc, claim_filter)
    sents, quotes, paras = ctx.sents, ctx.quotes, ctx.paras
    out: list[Attribution] = []
    used_quotes: set[int] = set()
    probs = cue_probs(doc, ctx, model) if model is not None else {}
    # contents the sequence content scorer still has to weigh: scored in one batch below
    pending: list[_PendingContent] | None = \
        [] if model is not None and model.content_seq is not None and model.content_seq.usable(doc) else None
    for si, v in cue_candidates(doc, ctx):
        sent = sents[si]
        lemma = v.lemma_.lower()
        if _is_according(doc, v):
            att = _according_to(doc, v, sent, quotes)
            if att:
                att.sentence = si
                out.append(att)
            continue
        if model is not None:
            if v.pos_ not in CANDIDATE_POS:
                continue
            floor = rule_floor and v.pos_ in ("VERB", "AUX") and lemma in cues
            if not floor and probs[v.i] < model.threshold:
                continue
        elif v.pos_ not in ("VERB", "AUX") or (lemma not in cues and lemma not in CUES_QUOTE_ONLY):
            continue
        att = _verb_attribution(doc, v, sent, quotes, used_quotes, lemma, paras, model, pending)
        if att is None:
            continue
        att.sentence = si
        att.kind = "speech" if lemma in CUES_SPEECH or att.direct else \
            "cognition" if lemma in CUES_COGNITION else "attribution"
        out.append(att)
    if pending and model is not None and model.content_seq is not None:
        _choose_pending_contents(doc, pending, model.content_seq, quotes)
    out = _drop_nested(out)
    _add_continuations(doc, out, quotes, ctx.tok_sent, sents)
    return out


#: an indirect content still to be chosen: its attribution, cue head, cue, candidates and
#: their linear ranker scores
_PendingContent = tuple["Attribution", "Token", tuple[int, int], list[Frags], list[float]]


def _choose_pending_contents(doc: Doc, pending: list[_PendingContent], seq: ContentSeq,
                             quotes: list[tuple[int, int, int]]) -> None:
    """Add the sequence content scorer to the ranker scores of every pending content (all
    cues of the Doc in one batch) and set each attribution's content to the best one."""
    qtoks = [(qs, qe) for qs, qe, _p in quotes]
    extra = seq.batch_scores(doc, [(h, cue, spans) for _a, h, cue, spans, _s in pending], qtoks)
    assert extra is not None  # pending is only filled when the Doc has a usable tensor
    for (att, _h, _cue, spans, scores), more in zip(pending, extra, strict=True):
        total = [a + float(b) for a, b in zip(scores, more, strict=True)]
        best = spans[max(range(len(spans)), key=total.__getitem__)]
        att.content = [(s, _close_quote(doc, s, e, quotes)) for s, e in best]


def _adjacent_quote(doc: Doc, v: Token, sent: Span, quotes: list[tuple[int, int, int]],
                    src: tuple[int, int] | None, cue: tuple[int, int], para: int) -> list[int]:
    """Indices into ``quotes`` of the quotations this cue introduces or follows.

    Before the cue: ``“…,” the official said`` (only punctuation between the closing mark
    and the source/cue). After it: ``X said: “…”`` / ``said X, “…”`` (a few tokens of the
    cue's own clause, no sentence stop, in between). Always within one paragraph.
    """
    found: list[int] = []
    lo = min(cue[0], src[0]) if src else cue[0]
    hi = max(cue[1], src[1]) if src else cue[1]
    for qi, (qs, qe, p) in enumerate(quotes):
        if p != para or qe - qs < 3:
            continue
        if qe <= lo and lo - qe <= 3 and all(t.is_punct or t.is_space for t in doc[qe:lo]):
            found.append(qi)
            continue
        if qs >= hi and qs - hi <= 8:
            gap = doc[hi:qs]
            if any(t.text in {".", "!", "?"} for t in gap):
                continue
            if all(t.is_punct or t.is_space or (t.pos_ not in ("VERB", "AUX") and t.head.i in range(lo, qs))
                   for t in gap):
                found.append(qi)
    return found


def _para_of(paras: list[tuple[int, int]], char: int) -> int:
    for i, (s, e) in enumerate(paras):
        if s <= char < e:
            return i
    return -1


def _verb_attribution(doc: Doc, v: Token, sent: Span, quotes: list[tuple[int, int, int]],
                      used_quotes: set[int], lemma: str,
                      quotes_paras: list[tuple[int, int]], model: CueModel | None = None,
                      pending: list[_PendingContent] | None = None) -> Attribution | None:
    """One attribution for cue head ``v``, or None. With ``pending`` (a list), an indirect
    content with several candidates gets the ranker's choice for now and is queued there
    for the sequence content scorer (see :func:`_choose_pending_contents`)."""
    cue = _cue_range(doc, v) if model is None else model.cue_span(doc, v)
    subj = _source_of(doc, v)
    src = _source_range(doc, subj, cue[0]) if subj is not None else None
    if src is not None and subj is not None and model is not None:
        src = best_source(model.source, doc, subj, src, cue)
    # the content: an adjacent quotation, a clausal complement, or the host clause
    para = _para_of(quotes_paras, v.idx)
    qidx = [qi for qi in _adjacent_quote(doc, v, sent, quotes, src, cue, para) if qi not in used_quotes]
    content: list[tuple[int, int]] = []
    queued: tuple[list[Frags], list[float]] | None = None
    direct = False
    if not qidx and lemma in CUES_QUOTE_ONLY and model is None:
        return None
    if qidx:
        for qi in qidx:
            qs, qe, _p = quotes[qi]
            used_quotes.add(qi)
            content.append(_with_inner_comma(doc, qs, qe))
        direct = True
    elif model is not None:
        qtoks = [(qs, qe) for qs, qe, _p in quotes]
        choice = content_choice(model.content, doc, v, cue, qtoks, model.content_dense)
        if choice is not None:
            # the ranker's choice; with a usable content scorer (``pending``) it is
            # provisional and rechosen for all cues at once in _choose_pending_contents
            spans, scores = choice
            for s, e in spans[max(range(len(spans)), key=scores.__getitem__)]:
                content.append((s, _close_quote(doc, s, e, quotes)))
            if pending is not None and len(spans) > 1:
                queued = (spans, scores)
    else:
        comp = next((c for c in v.children if c.dep_ in ("ccomp", "xcomp") and c.i > v.i), None)
        if comp is None and lemma not in _CLAUSAL_ONLY:
            comp = next((c for c in v.children if c.dep_ in ("dobj",) and c.i > v.i), None)
        if comp is not None:
            s, e = _subtree_range(comp)
            # a trailing ", saying …" / ", conceding …" belongs to the cue, not the content
            for ch in comp.children:
                if ch.dep_ in ("advcl", "parataxis") and ch.tag_ == "VBG" and ch.i > comp.i \
                        and ch.left_edge.i > s and doc[ch.left_edge.i - 1].text == ",":
                    e = min(e, ch.left_edge.i - 1)
            s, e = _trim(doc, s, min(e, sent.end))
            e = _close_quote(doc, s, e, quotes)
            if e > s:
                content.append((s, e))
        elif v.dep_ in ("parataxis",) or (v.dep_ == "ROOT" and any(
                c.dep_ == "ccomp" and c.i < v.i for c in v.children)):
            # "X, he added, amounts to Y" / "Y, she said." (no quotation marks)
            host = v.head if v.dep_ == "parataxis" else next(c for c in v.children if c.dep_ == "ccomp" and c.i < v.i)
            lo = min(cue[0], src[0]) if src else cue[0]
            hi = max(cue[1], src[1]) if src else cue[1]
            before = _trim(doc, sent.start, lo)
            after = _trim(doc, hi, sent.end)
            if v.dep_ == "ROOT":
                after = (hi, hi)
            for s, e in (before, after):
                if (e > s and not (host.i < s or host.i >= e)) or (e - s > 1):
                    content.append((s, e))
            content = [c for c in content if c[1] > c[0]]
    if not content:
        return None
    att = Attribution(cue=cue, source=src, content=content, direct=direct, cue_lemma=lemma,
                      source_head=subj.i if subj is not None else None)
    if queued is not None and pending is not None:
        pending.append((att, v, cue, *queued))
    return att


def _with_inner_comma(doc: Doc, qs: int, qe: int) -> tuple[int, int]:
    return qs, qe


def _close_quote(doc: Doc, s: int, e: int, quotes: list[tuple[int, int, int]]) -> int:
    """Extend a content span that stops inside a quotation to its closing mark.

    The parse hangs the final stop and closing mark (``“lead by example.”``) on the
    sentence root; the content still owns them (as PolNeAR annotates).
    """
    for qs, qe, _p in quotes:
        if s <= qs < e < qe and qe - e <= 3:
            return qe
    return e


def _according_to(doc: Doc, v: Token, sent: Span, quotes: list[tuple[int, int, int]]) -> Attribution | None:
    to = doc[v.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    src = _trim(doc, *_subtree_range(pobj), keep_quote=False)
    cue = (v.i, v.i + 2)
    # content: the sentence without the "according to X" phrase
    lo, hi = v.i, src[1]
    before = _trim(doc, sent.start, lo)
    after = _trim(doc, hi, sent.end)
    content = [r for r in (before, after) if r[1] > r[0]]
    if not content:
        return None
    return Attribution(cue=cue, source=src, content=content, direct=False, cue_lemma="according to",
                       source_head=pobj.i, kind="according")


def _drop_nested(atts: list[Attribution]) -> list[Attribution]:
    """A cue inside another attribution's content is reported speech within speech."""
    keep: list[Attribution] = []
    for a in atts:
        nested = False
        for b in atts:
            if b is a:
                continue
            if any(s <= a.cue[0] < e for s, e in b.content):
                nested = True
                break
        if not nested:
            keep.append(a)
    return keep


def _continue_next_paragraph(doc: Doc, a: Attribution, para: int,
                             by_para: dict[int, list[tuple[int, int]]], bounds: list[tuple[int, int]],
                             taken: set[tuple[int, int]], cue_tokens: set[int]) -> None:
    """A paragraph that is one quotation and nothing else continues the quote before it.

    Only when the attribution's cue ends its own paragraph (``…,” Clinton said.``).
    """
    if para + 1 >= len(bounds):
        return
    end_char = doc[max(e for _s, e in a.content) - 1].idx
    cue_end_char = doc[a.cue[1] - 1].idx
    rest = _doc_text(doc)[max(end_char, cue_end_char):bounds[para][1]]
    if len(rest) > 60 or rest.count(".") > 1:
        return
    nxt = by_para.get(para + 1, [])
    if len(nxt) != 1:
        return
    qs, qe = nxt[0]
    ps, pe = bounds[para + 1]
    if doc[qs].idx - ps > 1 or pe - (doc[qe - 1].idx + len(doc[qe - 1].text)) > 2:
        return
    if (qs, qe) in taken or any(i in cue_tokens for i in range(qs, qe)):
        return
    a.content.append((qs, qe))
    taken.add((qs, qe))


def _add_continuations(doc: Doc, atts: list[Attribution], quotes: list[tuple[int, int, int]],
                       tok_sent: list[int], sents: list[Span]) -> None:
    """Quotation-only sentences right after a direct quote continue it (same paragraph)."""
    taken = {(s, e) for a in atts for (s, e) in a.content}
    by_para: dict[int, list[tuple[int, int]]] = {}
    for qs, qe, p in quotes:
        by_para.setdefault(p, []).append((qs, qe))
    cue_tokens = {i for a in atts for i in range(*a.cue)}
    para_bounds = _paragraph_ranges(doc)
    for a in atts:
        if not a.direct:
            continue
        last = max(e for _s, e in a.content)
        para = next((p for qs, qe, p in quotes if (qs, qe) in a.content), None)
        if para is None:
            continue
        _continue_next_paragraph(doc, a, para, by_para, para_bounds, taken, cue_tokens)
        for qs, qe in sorted(by_para.get(para, ())):
            if qs < last or (qs, qe) in taken:
                continue
            between = doc[last:qs]
            # only the rest of the cue sentence (", Mattis told reporters.") may intervene
            if any(i in cue_tokens for i in range(qs, qe)):
                break
            if tok_sent[qs] == tok_sent[max(last - 1, 0)] and not any(t.is_punct for t in between):
                break
            if any(not (t.is_punct or t.is_space) and tok_sent[t.i] != tok_sent[a.cue[0]] for t in between):
                break
            a.content.append((qs, qe))
            taken.add((qs, qe))
            last = qe


# --------------------------------------------------------------------------- speakers

_ANONYMITY = re.compile(
    r"\b(?:did not want to be (?:identified|named)|declined to be (?:identified|named)|"
    r"(?:on|under) (?:the )?condition of anonymity|not authori[sz]ed to (?:speak|comment|discuss)|"
    r"asked not to be (?:identified|named)|unnamed|anonymous|speaking anonymously)\b",
    re.IGNORECASE,
)
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})


def _cluster_by_id(doc: Doc) -> dict[str, Any]:
    from .actors import _actor_id, clusters

    return {_actor_id(doc, c): c for c in clusters(doc)}


def _resolve_speakers(doc: Doc, atts: list[Attribution]) -> None:
    """Give each attribution a canonical speaker: actor of the source, pronoun → recent speaker."""
    from .actors import actor_at, resolve_pronoun

    by_id = _cluster_by_id(doc)
    history: list[tuple[int, str]] = []  # (cue token, actor id) of resolved speakers, in order
    for a in sorted(atts, key=lambda x: x.cue[0]):
        if a.source is None:
            continue
        a.source_text = doc[a.source[0]:a.source[1]].text
        head = doc[a.source_head] if a.source_head is not None else None
        aid: str | None = None
        if head is not None and head.lower_ in _PRONOUNS and a.source[1] - a.source[0] == 1:
            want = ("person",) if head.lower_ in ("he", "she") else ("organization", "country") \
                if head.lower_ == "it" else ("person", "organization", "country")
            sent_floor = a.cue[0] - 200
            # the latest speaker of the right kind within the preceding text wins
            for tok, sid in reversed(history):
                c = by_id.get(sid)
                if tok >= sent_floor and c is not None and c.kind in want:
                    aid = sid
                    break
            if aid is None:
                aid = resolve_pronoun(doc, head)
        else:
            if head is not None:
                aid = actor_at(doc, head.i, head.i + 1)
            if aid is None:
                aid = actor_at(doc, a.source[0], a.source[1])
        c = by_id.get(aid) if aid else None
        if c is not None:
            a.speaker_id = aid
            a.speaker = c.name
            a.anonymous = c.kind == "person" and not c.named
            history.append((a.cue[0], aid))  # type: ignore[arg-type]
        if _ANONYMITY.search(a.source_text or ""):
            a.anonymous = True


def _floating_quotes(doc: Doc, atts: list[Attribution], sents: list[Span]) -> list[Attribution]:
    """Quotation paragraphs without a cue: the speaker is introduced just before them.

    "Foreign Ministry spokesman Mohammad Faisal later issued a formal statement …" followed
    by a paragraph that is only a quotation: the quotation is the statement's text. The
    subject of the previous sentence is taken if it is an actor, else the latest speaker.
    """
    from .actors import actor_at
    from .spacy_ext import is_claim_sentence

    by_id = _cluster_by_id(doc)
    taken = [r for a in atts for r in a.content]
    out: list[Attribution] = []
    for ps, pe in _paragraph_ranges(doc):
        for q in quote_spans(_doc_text(doc), ps, pe):
            r = _tok_range(doc, q.start, q.end)
            if r is None or r[1] - r[0] < 6:
                continue
            if any(s <= r[0] < e or r[0] <= s < r[1] for s, e in taken):
                continue
            # only a quotation that opens its paragraph and fills most of it
            text = _doc_text(doc)
            if text[ps:q.start].strip() or len(text[q.end:pe].strip()) > 3:
                continue
            sent_i = next((i for i, s in enumerate(sents) if s.start <= r[0] < s.end), None)
            if sent_i is None or sent_i == 0 or not is_claim_sentence(sents[sent_i]):
                continue
            prev = sents[sent_i - 1]
            verb = prev.root
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            aid = actor_at(doc, subj.i, subj.i + 1) if subj is not None else None
            att = Attribution(cue=(verb.i, verb.i + 1), source=None, content=[r], direct=True,
                              cue_lemma=verb.lemma_.lower(), sentence=sent_i, kind="floating")
            if aid is None:
                earlier = [a for a in atts if a.speaker_id and a.cue[0] < r[0]]
                if earlier:
                    aid = max(earlier, key=lambda a: a.cue[0]).speaker_id
            c = by_id.get(aid) if aid else None
            if c is None:
                continue
            att.speaker_id, att.speaker = aid, c.name
            att.anonymous = c.kind == "person" and not c.named
            if subj is not None:
                att.source_text = doc[subj.left_edge.i:subj.right_edge.i + 1].text
            out.append(att)
            taken.append(r)
    return out


# --------------------------------------------------------------------------- component

_ATTS_KEY = "rashomon_attributions"


def doc_attributions(doc: Doc) -> list[Attribution]:
    """Attributions the ``rashomon_quotes`` component found in ``doc`` (span level)."""
    return list(doc.user_data.get(_ATTS_KEY) or [])


def _strip_marks(text: str) -> str:
    text = text.strip()
    text = re.sub(r"^(?:``|''|[“”\"])\s*", "", text)
    text = re.sub(r"\s*(?:''|[“”\"])$", "", text)
    return text.strip()


def _quote_records(doc: Doc, atts: list[Attribution]) -> tuple[Quote, ...]:
    from .spacy_ext import sentence_index

    aid = doc._.article_id or ""
    out: list[Quote] = []
    # a quotation that is some attribution's direct content is not also a partial quote
    direct_spans = {(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for a in atts if a.direct
                    for s, e in a.content}
    for a in sorted(atts, key=lambda x: min(s for s, _e in x.content)):
        frags = sorted(a.content)
        start = doc[frags[0][0]].idx
        last = doc[frags[-1][1] - 1]
        end = last.idx + len(last.text)
        text = " ".join(_strip_marks(doc[s:e].text) if a.direct else doc[s:e].text for s, e in frags)
        sents = sorted({sentence_index(doc, doc[i].idx) for s, e in [*frags, a.cue] for i in (s, e - 1)})
        cue = doc[a.cue[0]:a.cue[1]].text.rstrip(":").strip() if a.kind != "floating" else None
        if a.kind == "floating":
            cue = doc[a.cue[0]].text
        out.append(Quote(article_id=aid, sentence_index=sentence_index(doc, start), text=text,
                         speaker=a.speaker, speaker_mention=a.source_text, cue=cue, direct=a.direct,
                         anonymous=a.anonymous, speaker_actor_id=a.speaker_id,
                         sentence_indices=tuple(sents), start=start, end=end))
        if not a.direct:
            # partial quotations inside reported speech: requested “Pakistan’s full support”
            for s, e in frags:
                for q in quote_spans(_doc_text(doc), doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)):
                    inner = _strip_marks(_doc_text(doc)[q.start:q.end])
                    if not inner or (q.start, q.end) in direct_spans:
                        continue
                    out.append(Quote(article_id=aid, sentence_index=sentence_index(doc, q.start),
                                     text=inner, speaker=a.speaker, speaker_mention=a.source_text,
                                     cue=cue, direct=True, anonymous=a.anonymous,
                                     speaker_actor_id=a.speaker_id,
                                     sentence_indices=(sentence_index(doc, q.start),),
                                     start=q.start, end=q.end))
    return tuple(out)


def _register() -> None:
    if not Doc.has_extension("quotes"):
        Doc.set_extension("quotes", getter=_quote_getter)


def _quote_getter(doc: Doc) -> tuple[Quote, ...]:
    # speech, "according to" and cue-less quotation paragraphs; not beliefs or stances
    return _quote_records(doc, [a for a in doc_attributions(doc) if a.kind not in ("cognition", "attribution")])


@contextmanager
def encoder_inputs(doc: Doc, model: CueModel | None) -> Iterator[None]:
    """While inside, ``doc.tensor`` is what ``model``'s dense parts read: for a model trained
    with a token encoder, the pipeline's rows followed by the encoder's (restored on exit,
    so the Doc keeps the tok2vec output other components expect). A Doc without a tok2vec
    ``doc.tensor`` is left alone, and the model falls back to its sparse parts."""
    tensor: Any = getattr(doc, "tensor", None)
    if model is None or model.encoder is None or len(doc) == 0 \
            or getattr(tensor, "shape", ())[:1] != (len(doc),) or getattr(tensor, "ndim", 0) != 2:
        yield
        return
    from .token_encoder import load_token_encoder, with_encoder_rows

    doc.tensor = with_encoder_rows(tensor, load_token_encoder(model.encoder).rows(doc))
    try:
        yield
    finally:
        doc.tensor = tensor


def attribute(doc: Doc, cues: frozenset[str] = CUES_SPEECH, model: CueModel | None = None) -> list[Attribution]:
    """Find the attributions of ``doc``, resolve their speakers and keep them on the Doc.

    In speech mode (``cues`` = :data:`CUES_SPEECH`) the model runs with the rules' say-verbs
    as a floor (see :func:`find_attributions`); with any other word list the model alone
    decides.
    """
    with encoder_inputs(doc, model):
        atts = find_attributions(doc, cues, model=model, rule_floor=cues is CUES_SPEECH)
    _resolve_speakers(doc, atts)
    atts.extend(_floating_quotes(doc, atts, list(doc.sents)))
    doc.user_data[_ATTS_KEY] = atts
    return atts


class QuotesComponent:
    """Finds attributions and quotes (see the module docstring); needs ``rashomon_actors``.

    ``cues``: "speech" (verbs of saying; what Rashomon stores as quotes) or "all" (also
    cognition and stance, as PolNeAR annotates) for the rule word lists. ``model``:
    "builtin" (the trained cue/extent/content model shipped in the package, see
    :mod:`~rashomon.annotate.quote_model`: "minilm" when the ``[embeddings]`` extra is
    installed, else "small"), "small" (the shipped model that reads ``doc.tensor`` only),
    "minilm" (the shipped model that also reads MiniLM token rows; needs the extra),
    "none" (rules only), or a path to a model JSON written by ``scripts/train_quotes.py``.
    With a model the tagger decides the cues; ``Quote`` records still hold only speech (a
    say-type cue or a quotation).
    """

    def __init__(self, cues: str = "speech", model: str = "builtin") -> None:
        if cues not in ("speech", "all"):
            raise ValueError(f"rashomon_quotes: cues must be 'speech' or 'all', not {cues!r}")
        self.cues = CUES_ALL if cues == "all" else CUES_SPEECH
        self.model_file: str | None = None  # the file the model came from (its name), None without one
        if model == "none":
            self.model: CueModel | None = None
        else:
            from pathlib import Path

            from .token_encoder import available

            named = {"small": MODEL_PATH, "minilm": MINILM_MODEL_PATH}
            path = builtin_model_path() if model == "builtin" else named.get(model) or Path(model)
            if not path.is_file():
                raise ValueError("rashomon_quotes: model must be 'builtin', 'small', 'minilm', 'none' or a "
                                 f"model file, not {model!r}")
            self.model = load_model(path)
            self.model_file = path.name
            if self.model.encoder is not None and not available():
                raise ValueError(f"rashomon_quotes: model {model!r} reads {self.model.encoder} token rows and "
                                 "needs the [embeddings] extra "
                                 "(pip install torch==2.13.0 && pip install 'rashomon[embeddings]')")

    def __call__(self, doc: Doc) -> Doc:
        from .actors import ActorsComponent, clusters

        if not clusters(doc) and not doc.user_data.get("rashomon_actor_clusters_done"):
            ActorsComponent()(doc)  # plain spaCy users may add only rashomon_quotes
        attribute(doc, self.cues, self.model)
        return doc


@Language.factory("rashomon_quotes", default_config={"cues": "speech", "model": "builtin"},
                  assigns=["doc._.quotes"], requires=["token.dep"])
def make_quotes(nlp, name, cues, model):  # type: ignore[no-untyped-def]
    # Unannotated on purpose: confection cannot resolve postponed (string) annotations.
    return QuotesComponent(str(cues), str(model))


_register()


def extract(doc: Doc) -> dict[str, Any]:
    return {"quotes": doc._.quotes}
