"""Trained parts of attribution finding: cue tagger, cue extent and content choice.

Three small logistic-regression models, trained on PolNeAR **train** by
``scripts/train_quotes.py`` and shipped as one JSON file of feature weights
(``rashomon/annotate/models/quote_cues.json``, no pickle: a weight per feature string
and a bias, read once per process):

* **cue** — is this token the head of an attribution cue? One decision per verb, noun,
  adjective or adposition, from its lemma, part of speech, dependency label, the kinds of
  children it governs (a "that"-clause, an object, a subject and its entity type),
  nearby quotation marks and conjunctions of these with the lemma. PolNeAR's cues are a
  long tail (only a quarter are *say*): *according to*, *has chosen*, *called for*,
  *seemed*, *polls show*; a word list cannot cover them without false positives, the
  lemma × context weights can.
* **extent** — which neighbours of the head belong to the cue ("has also said",
  "said in a statement", "called for", "is expected"): one decision per token in a
  window of the head, taken outwards from the head until the first "no" (a cue is
  one contiguous span). A fifth model, **extent_rank** (round 3), ranks every
  contiguous span around the head (:func:`best_extent`) from the token-wise features of
  the tokens inside plus the span's edges (first/last word, the words just outside,
  whether a phrase is cut in two: "said in a | September statement"); the token-wise
  model stays as a fallback for model files without it.
* **content** — which of the parse's candidate spans is the content: the head's
  clausal complement (with "that"), its object, the object of a preposition in the
  cue ("insist on X"), the noun a relative clause modifies ("an offer the leadership
  rebuffed"), the rest of the sentence before or after the cue, ... (see
  :func:`content_candidates`). The highest-scoring candidate wins. Adjacent quotations
  stay with the rules in :mod:`~rashomon.annotate.quotes`.

Round 5 adds two optional parts (older model files load without them, and a Doc without
a usable ``doc.tensor`` falls back to the sparse models): :class:`SeqCue`, a small BiLSTM
over each sentence that takes the cue decision from the sparse cue logit, the spaCy
``doc.tensor`` rows and lemma/POS/dep/tag embeddings (trained with torch, run with numpy),
and :class:`SpanDense`, ``doc.tensor`` span vectors added to the content ranker. Round 6
adds :class:`ContentSeq`, a BiLSTM scorer of content spans. Round 7 ships a second file,
:data:`MINILM_MODEL_PATH`, whose dense parts read ``doc.tensor`` followed by MiniLM token
rows (:mod:`~rashomon.annotate.token_encoder`); :func:`builtin_model_path` picks it when the
``[embeddings]`` extra is installed.

Feature functions live here so that training and run time compute the same strings.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "CANDIDATE_POS",
    "MINILM_MODEL_PATH",
    "MODEL_PATH",
    "CueModel",
    "LinearModel",
    "SeqCue",
    "SpanDense",
    "best_extent",
    "best_source",
    "builtin_model_path",
    "content_candidates",
    "content_features",
    "cue_features",
    "extent_candidates",
    "extent_features",
    "feature_context",
    "load_model",
    "logistic",
    "seq_chunks",
    "seq_dense",
    "seq_token_keys",
    "source_candidates",
    "source_features",
]

MODEL_PATH = Path(__file__).parent / "models" / "quote_cues.json"
#: the same models trained on ``doc.tensor`` plus MiniLM token rows (round 7; needs the
#: ``[embeddings]`` extra at run time, see :mod:`~rashomon.annotate.token_encoder`)
MINILM_MODEL_PATH = Path(__file__).parent / "models" / "quote_cues_minilm.json"
FORMAT = "rashomon.quote_cues.v1"

#: Parts of speech whose tokens are cue-head candidates (98 % of PolNeAR train cue heads).
CANDIDATE_POS: frozenset[str] = frozenset({"VERB", "AUX", "NOUN", "ADJ", "ADP", "PROPN"})

#: Tokens on each side of the head the extent model looks at.
EXTENT_WINDOW = 5

_QUOTE_TOKENS = frozenset({'"', "“", "”", "''", "``", "‘", "’"})
_KEY_DEPS = frozenset({"ccomp", "xcomp", "dobj", "nsubj", "nsubjpass", "agent", "prep", "prt", "mark",
                       "dative", "attr", "oprd", "acomp", "pcomp", "advcl", "parataxis", "csubj"})
_EDGE_PUNCT = frozenset({",", ";", ":", ".", "—", "–", "-"})


def logistic(s: float) -> float:
    """1 / (1 + e^-s) (0 below -30)."""
    if s < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-s))


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Logistic regression over binary string features."""

    weights: dict[str, float]
    bias: float

    def score(self, feats: list[str]) -> float:
        # binary features, as in training: a feature listed twice counts once
        uniq = set(feats)
        return self.bias + sum(map(self.weights.get, uniq, repeat(0.0, len(uniq))))

    def prob(self, feats: list[str]) -> float:
        return logistic(self.score(feats))

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> LinearModel:
        return cls({str(k): float(v) for k, v in obj["weights"].items()}, float(obj["bias"]))

    def to_json(self) -> dict[str, Any]:
        return {"bias": round(self.bias, 6),
                "weights": {k: round(v, 4) for k, v in sorted(self.weights.items()) if abs(v) >= 2e-3}}


@dataclass(frozen=True, slots=True)
class CueModel:
    """The three models plus the decision threshold chosen on a held-out slice of train."""

    cue: LinearModel
    extent: LinearModel
    content: LinearModel
    source: LinearModel
    threshold: float
    meta: dict[str, Any]
    #: ranker over whole candidate extents (:func:`best_extent`); None: the token-wise extent
    extent_rank: LinearModel | None = None
    #: sequence tagger that takes the cue decision from the sparse ``cue`` logit and the
    #: sentence around the token (round 5); None: the ``cue`` model decides alone
    cue_seq: SeqCue | None = None
    #: real-valued part of the content ranker (round 5); None: the sparse features alone
    content_dense: SpanDense | None = None
    #: sequence content scorer added to the ranker (round 6); None: the linear ranker alone
    content_seq: ContentSeq | None = None
    #: token encoder whose rows follow ``doc.tensor`` in the dense parts' input (round 7,
    #: :data:`~rashomon.annotate.token_encoder.ENCODERS`); None: ``doc.tensor`` alone
    encoder: str | None = None

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> CueModel:
        if obj.get("format") != FORMAT:
            raise ValueError(f"quote model: expected format {FORMAT!r}, got {obj.get('format')!r}")
        return cls(LinearModel.from_json(obj["cue"]), LinearModel.from_json(obj["extent"]),
                   LinearModel.from_json(obj["content"]), LinearModel.from_json(obj["source"]),
                   float(obj["threshold"]), dict(obj.get("meta", {})),
                   LinearModel.from_json(obj["extent_rank"]) if obj.get("extent_rank") else None,
                   SeqCue.from_json(obj["cue_seq"]) if obj.get("cue_seq") else None,
                   SpanDense.from_json(obj["content_dense"]) if obj.get("content_dense") else None,
                   ContentSeq.from_json(obj["content_seq"]) if obj.get("content_seq") else None,
                   str(obj["encoder"]) if obj.get("encoder") else None)

    def cue_span(self, doc: Doc, h: Token) -> tuple[int, int]:
        """The cue's token range around its head ``h``: the span ranker when the file has one,
        else the token-wise extent model."""
        if self.extent_rank is not None:
            return best_extent(self.extent_rank, doc, h)
        return cue_extent(self.extent, doc, h)

    def to_json(self) -> dict[str, Any]:
        out = {"format": FORMAT, "threshold": self.threshold, "meta": self.meta,
               "cue": self.cue.to_json(), "extent": self.extent.to_json(), "content": self.content.to_json(),
               "source": self.source.to_json()}
        if self.extent_rank is not None:
            out["extent_rank"] = self.extent_rank.to_json()
        if self.cue_seq is not None:
            out["cue_seq"] = self.cue_seq.to_json()
        if self.content_dense is not None:
            out["content_dense"] = self.content_dense.to_json()
        if self.content_seq is not None:
            out["content_seq"] = self.content_seq.to_json()
        if self.encoder is not None:
            out["encoder"] = self.encoder
        return out


_lock = threading.Lock()
_cache: dict[str, CueModel] = {}


def builtin_model_path() -> Path:
    """The shipped model to use: the MiniLM one when the ``[embeddings]`` extra is installed,
    else the one that reads ``doc.tensor`` alone. ``RASHOMON_QUOTE_MODEL=small`` keeps the
    latter even with the extra (the MiniLM pass makes annotation ~3× slower than the small model, see
    ``docs/sections/quotes-benchmarks.md``)."""
    import os

    from .token_encoder import available

    if os.environ.get("RASHOMON_QUOTE_MODEL", "").strip().lower() == "small":
        return MODEL_PATH
    return MINILM_MODEL_PATH if MINILM_MODEL_PATH.is_file() and available() else MODEL_PATH


def load_model(path: Path | None = None) -> CueModel:
    """A model file (default: :func:`builtin_model_path`), parsed once per process."""
    p = str(path or builtin_model_path())
    with _lock:
        m = _cache.get(p)
        if m is None:
            with open(p, encoding="utf-8") as fh:
                m = CueModel.from_json(json.load(fh))
            _cache[p] = m
    return m


# --------------------------------------------------------------------------- features


def _ent(t: Token) -> str:
    return t.ent_type_ or ("PRON" if t.pos_ == "PRON" else t.pos_)


@dataclass(frozen=True, slots=True)
class FeatureContext:
    """Per-token facts computed once per Doc (``Token.sent`` is slow to ask per token)."""

    in_quote: list[bool]  # inside a paired quotation (marks excluded)
    qmark: list[bool]  # the token is a quotation mark
    sent_start: list[int]
    sent_end: list[int]
    sent_quote: list[bool]  # the token's sentence holds a quotation mark


def feature_context(doc: Doc, sents: list[Span], in_quote: list[bool]) -> FeatureContext:
    qmark = [t.text in _QUOTE_TOKENS for t in doc]
    n = len(doc)
    start, end, has_q = [0] * n, [n] * n, [False] * n
    for sent in sents:
        q = any(qmark[sent.start:sent.end])
        for i in range(sent.start, sent.end):
            start[i], end[i], has_q[i] = sent.start, sent.end, q
    return FeatureContext(in_quote, qmark, start, end, has_q)


def cue_features(doc: Doc, t: Token, fc: FeatureContext, rule_kind: str | None) -> list[str]:
    """Features of token ``t`` as a possible cue head (``rule_kind``: its rule word list, if any)."""
    lemma = t.lemma_.lower()
    dep = t.dep_
    head = t.head
    f = [f"l={lemma}", f"p={t.pos_}", f"tag={t.tag_}", f"dep={dep}", f"l|dep={lemma}|{dep}",
         f"l|tag={lemma}|{t.tag_}", f"hl={head.lemma_.lower()}", f"hdep={head.dep_}",
         f"dep|hp={dep}|{head.pos_}"]
    if rule_kind:
        f.append(f"rule={rule_kind}")
        f.append(f"rule|dep={rule_kind}|{dep}")
    n = len(doc)
    nxt = doc[t.i + 1] if t.i + 1 < n else None
    prv = doc[t.i - 1] if t.i > 0 else None
    if nxt is not None:
        f.append(f"nw={nxt.lower_}")
        f.append(f"l|nw={lemma}|{nxt.lower_}")
    if prv is not None:
        f.append(f"pw={prv.lower_}")
        f.append(f"l|pw={lemma}|{prv.lower_}")
    deps: set[str] = set()
    for c in t.children:
        cd = c.dep_
        if cd not in _KEY_DEPS:
            continue
        deps.add(cd)
        if cd == "prep" or cd == "prt":
            f.append(f"l|{cd}={lemma}|{c.lower_}")
        elif cd == "dobj" or cd == "attr":
            f.append(f"l|obj={lemma}|{c.lemma_.lower()}")  # "made the point", "raised concern"
            f.append(f"obj={c.lemma_.lower()}")
        elif cd in ("nsubj", "nsubjpass", "agent"):
            s = c
            if cd == "agent":
                s = next((g for g in c.children if g.dep_ == "pobj"), c)
            f.append(f"subj={_ent(s)}")
            f.append(f"l|subj={lemma}|{_ent(s)}")
            f.append(f"subjl={s.lemma_.lower()}")
        elif cd == "ccomp" and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
            f.append("that")
            f.append(f"l|that={lemma}")
    for cd in deps:
        f.append(f"c={cd}")
        f.append(f"l|c={lemma}|{cd}")
    if not deps & {"nsubj", "nsubjpass", "agent", "csubj"}:
        f.append(f"l|nosubj={lemma}")
    i = t.i
    if fc.in_quote[i]:
        f.append("inq")
    lo, hi = max(fc.sent_start[i], i - 4), min(fc.sent_end[i], i + 5)
    if any(fc.qmark[lo:i]):
        f.append("qL")
        f.append(f"l|qL={lemma}")
    if any(fc.qmark[i + 1:hi]):
        f.append("qR")
        f.append(f"l|qR={lemma}")
    if fc.sent_quote[i]:
        f.append("qS")
    if i == fc.sent_start[i] or (prv is not None and prv.is_space):
        f.append("first")
    return f


def extent_features(doc: Doc, h: Token, j: int) -> list[str]:
    """Features of token ``j`` for "belongs to the cue headed by ``h``"."""
    t = doc[j]
    off = j - h.i
    side = "L" if off < 0 else "R"
    hl = h.lemma_.lower()
    rel = "h" if t.head.i == h.i else ("c" if h.head.i == t.i else ("s" if t.head.i == h.head.i else "o"))
    f = [f"off={max(-EXTENT_WINDOW, min(EXTENT_WINDOW, off))}", f"w|s={t.lower_}|{side}",
         f"p|s={t.pos_}|{side}", f"d|s={t.dep_}|{side}", f"rel|s={rel}|{side}",
         f"d|rel|s={t.dep_}|{rel}|{side}", f"w|hl={t.lower_}|{hl}", f"w|off={t.lower_}|{off}",
         f"tag|s={t.tag_}|{side}", f"htag|s={h.tag_}|{side}", f"hl|s={hl}|{side}",
         f"w|rel|s={t.lower_}|{rel}|{side}"]
    # the whole phrase the token sits in, seen from the head: "[in a statement]" is part
    # of a cue far more often than "[on Thursday]"; "for" in "called [for X]" without X
    c = t
    for _ in range(4):
        if c.head.i == h.i or c.head.i == c.i:
            break
        c = c.head
    if c.head.i == h.i and c.i != h.i:
        obj = next((g.lemma_.lower() for g in c.children if g.dep_ in ("pobj", "dobj", "pcomp")), "-")
        f.append(f"ph|s={c.lower_}|{obj}|{side}")
        f.append(f"ph|hl={c.lower_}|{obj}|{hl}")
        f.append(f"phd|s={c.dep_}|{t.i == c.right_edge.i}|{side}")
    return f


def _trim(doc: Doc, s: int, e: int) -> tuple[int, int]:
    while s < e and (doc[s].is_space or doc[s].text in _EDGE_PUNCT):
        s += 1
    while e > s and (doc[e - 1].is_space or doc[e - 1].text in _EDGE_PUNCT):
        e -= 1
    return s, e


Frags = tuple[tuple[int, int], ...]


def _quote_closure(s: int, e: int, quotes: Sequence[tuple[int, int]], cue_end: int) -> tuple[int, int]:
    """Grow ``(s, e)`` to whole quotations: PolNeAR's content never stops inside one.

    A span that opens a quotation and stops before it closes runs to the closing mark
    (also across sentences: ``that he was the only … “fighting to defend … I’ll tell you
    this, …”``); a span that starts right inside a quotation which it outlasts takes the
    opening mark (``" We are frustrated and horrified " by the …``), unless that would
    swallow the cue.
    """
    for qs, qe in quotes:
        if qs < s < qe and qs >= cue_end and s - qs <= 2:
            s = qs
        if s <= qs < e < qe:
            e = qe
    return s, e


def content_candidates(doc: Doc, h: Token, cue: tuple[int, int],
                       quotes: Sequence[tuple[int, int]] = ()) -> list[tuple[str, Frags]]:
    """Candidate contents (name, token-range fragments) for the cue ``cue`` headed by ``h``.

    Subtrees of the dependents of every cue token (whole, and cut before each ", …"
    clause at their right), the object of a preposition, runs of consecutive right
    dependents ("named [five people] [to the committee]"), subject + infinitive for
    raising verbs ("[X] seemed [to be …]", two fragments), the phrase a relative clause
    hangs from, and the rest of the sentence after / before the cue. Every single-span
    candidate also yields cuts before a trailing constituent at any depth (", when …",
    ", which …", "who …" without a comma) and the variant starting at its own "that"
    ("told CNN Tuesday [that …]"). With ``quotes`` (token ranges of the paired
    quotations) spans are grown to whole quotations (:func:`_quote_closure`).
    Duplicates keep the first name.
    """
    out: list[tuple[str, Frags]] = []
    seen: set[Frags] = set()
    # a content after its cue never holds the verb the cue hangs from ("… to emphasize
    # that X,” the spokesman added": "added" is the governor, not part of the content)
    ancestors = {a.i for a in h.ancestors if a.i >= cue[1]}

    def add(name: str, *frags: tuple[int, int]) -> None:
        if quotes:
            frags = tuple(_quote_closure(fs, fe, quotes, cue[1]) for fs, fe in frags)
        fr = tuple(f for f in frags if f[1] > f[0])
        if any(s >= cue[1] and any(s <= a < e for a in ancestors) for s, e in fr):
            return
        if fr and len(fr) == len(frags) and fr not in seen:
            seen.add(fr)
            out.append((name, fr))

    sent = h.sent
    rights: list[Token] = []
    for i in range(*cue):
        for c in doc[i].children:
            if cue[0] <= c.i < cue[1] or c.dep_ in ("punct", "aux", "auxpass", "neg", "cc", "det"):
                continue
            if c.i > cue[1] - 1:
                rights.append(c)
            s, e = c.left_edge.i, c.right_edge.i + 1
            add(f"child_{c.dep_}", _trim(doc, s, e))
            if c.dep_ == "prep":
                for g in c.children:
                    if g.dep_ in ("pobj", "pcomp"):
                        add("prep_obj", _trim(doc, g.left_edge.i, g.right_edge.i + 1))
            for g in c.rights:  # cut before each ", …" clause hanging at the right
                gs = g.left_edge.i
                if gs > s and doc[gs - 1].text == ",":
                    add(f"cut_{c.dep_}", _trim(doc, s, gs - 1))
    rights.sort(key=lambda t: t.i)
    for k in range(1, len(rights)):
        first, last = rights[0], rights[k]
        if doc[last.left_edge.i - 1].text == ",":
            break
        add("run", _trim(doc, first.left_edge.i, last.right_edge.i + 1))
    subj = next((c for c in h.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    xcomp = next((c for c in h.children if c.dep_ == "xcomp" and c.i > h.i), None)
    if subj is not None and xcomp is not None and subj.i < cue[0]:
        add("subj_xcomp", _trim(doc, subj.left_edge.i, min(subj.right_edge.i + 1, cue[0])),
            _trim(doc, xcomp.left_edge.i, xcomp.right_edge.i + 1))
    if h.dep_ in ("relcl", "acl") and h.head.i < h.i:
        n = h.head
        add("relhead", _trim(doc, n.left_edge.i, h.left_edge.i))
    add("after", _trim(doc, cue[1], sent.end))
    add("before", _trim(doc, sent.start, cue[0]))
    for name, fr in list(out):
        if len(fr) != 1 or name == "before":
            continue
        s, e = fr[0]
        base = name.split("_", 1)[-1]
        for t in doc[s + 1:e]:
            if t.lower_ == "that" and t.dep_ == "mark":
                add(f"that_{base}", (t.i, e))
            le = t.left_edge.i
            # only a constituent that runs to the span's end (at any depth) can be cut off
            if le <= s or t.right_edge.i + 2 < e:
                continue
            if doc[le - 1].text == ",":
                add(f"dcut_{base}", _trim(doc, s, le - 1))
            elif t.dep_ in ("relcl", "acl", "advcl", "prep", "conj"):
                add(f"ncut_{base}", _trim(doc, s, le))
    return out


def content_features(doc: Doc, h: Token, cue: tuple[int, int], name: str, frags: Frags,
                     names: set[str]) -> list[str]:
    """Features of candidate ``name`` made of ``frags`` (``names``: kinds of all candidates)."""
    hl = h.lemma_.lower()
    r = (frags[0][0], frags[-1][1])
    length = sum(e - s for s, e in frags)
    lb = "1" if length == 1 else "2-3" if length <= 3 else "4-8" if length <= 8 else "9-20" if length <= 20 else "21+"
    kind = name.split("_", 1)[0]
    f = [f"n={name}", f"n|hl={name}|{hl}", f"n|hdep={name}|{h.dep_}", f"n|len={name}|{lb}",
         f"n|hp={name}|{h.pos_}", f"k={kind}", f"n|cuelen={name}|{min(cue[1] - cue[0], 4)}",
         f"n|first={name}|{doc[r[0]].lower_}", f"n|last={name}|{doc[r[1] - 1].is_punct}"]
    for other in ("child_ccomp", "child_xcomp", "child_dobj", "prep_obj", "child_pobj", "run", "subj_xcomp"):
        if other in names and other != name:
            f.append(f"n|has={name}|{other}")
    if any(doc[i].text in _QUOTE_TOKENS for s, e in frags for i in range(s, e)):
        f.append(f"n|q={name}")
    if r[0] >= cue[1]:
        f.append(f"n|gap={name}|{min(r[0] - cue[1], 3)}")
    if r[1] > h.sent.end:
        f.append(f"n|xsent={name}")  # grown to a quotation that outlasts the sentence
    # which of the head's dependents the span holds whole, in part or not at all: "told
    # [reporters] [that …]" vs "told reporters [that …]" is a choice between these
    toks = {i for s, e in frags for i in range(s, e)}
    for c in h.children:
        if c.dep_ in ("punct", "aux", "auxpass", "neg", "det") or cue[0] <= c.i < cue[1]:
            continue
        sub = range(c.left_edge.i, c.right_edge.i + 1)
        n_in = sum(1 for i in sub if i in toks)
        how = "in" if n_in == len(sub) else "out" if n_in == 0 else "part"
        f.append(f"{how}={c.dep_}")
        f.append(f"{how}|hl={c.dep_}|{hl}")
    if r[0] > 0:
        f.append(f"n|prev={name}|{doc[r[0] - 1].lower_}")
    # what follows the span says whether it was cut in the right place (", and", ", who")
    nxt = r[1]
    while nxt < len(doc) and doc[nxt].is_space:
        nxt += 1
    if nxt < len(doc):
        w = doc[nxt].lower_
        if w == "," and nxt + 1 < len(doc):
            w = "," + doc[nxt + 1].lower_ if doc[nxt + 1].is_stop else ",_" + doc[nxt + 1].pos_
        f.append(f"n|next={name}|{w}")
        f.append(f"k|next={kind}|{w}")
    else:
        f.append(f"n|next={name}|END")
    return f


def content_choice(model: LinearModel, doc: Doc, h: Token, cue: tuple[int, int],
                   quotes: Sequence[tuple[int, int]] = (),
                   dense: SpanDense | None = None) -> tuple[list[Frags], list[float]] | None:
    """The content candidates of a cue and their linear ranker scores (plus ``dense``, the
    ranker's real-valued part, when the Doc has a usable ``doc.tensor``); None if there is
    no candidate."""
    cands = content_candidates(doc, h, cue, quotes)
    if not cands:
        return None
    names = {n for n, _r in cands}
    scores = [model.score(content_features(doc, h, cue, n, fr, names)) for n, fr in cands]
    spans = [fr for _n, fr in cands]
    if dense is not None and len(cands) > 1:
        extra = dense.scores(doc, h, spans)
        if extra is not None:
            scores = [a + float(b) for a, b in zip(scores, extra, strict=True)]
    return spans, scores


def best_content(model: LinearModel, doc: Doc, h: Token, cue: tuple[int, int],
                 quotes: Sequence[tuple[int, int]] = (), dense: SpanDense | None = None,
                 seq: ContentSeq | None = None) -> Frags | None:
    """The highest-scoring content candidate, or None if there is none (``dense``: the
    real-valued part of the ranker, ``seq``: the sequence content scorer; both added when
    the Doc has a usable ``doc.tensor``). :func:`~rashomon.annotate.quotes.find_attributions`
    scores all cues of a Doc with ``seq`` in one batch instead (same result)."""
    choice = content_choice(model, doc, h, cue, quotes, dense)
    if choice is None:
        return None
    spans, scores = choice
    if seq is not None and len(spans) > 1:
        extra = seq.scores(doc, h, cue, spans, quotes)
        if extra is not None:
            scores = [a + float(b) for a, b in zip(scores, extra, strict=True)]
    return spans[max(range(len(spans)), key=scores.__getitem__)]


def span_vectors(tensor: Any, h: int, spans: Sequence[Frags]) -> Any:
    """Raw dense description of candidate spans (rows of ``doc.tensor``): the mean row of the
    span, its first and last rows, the row just after it, and the mean × the cue head's row."""
    import numpy as np

    n, width = tensor.shape
    out = np.zeros((len(spans), 5 * width), dtype=np.float32)
    hv = tensor[h]
    for k, fr in enumerate(spans):
        idx = np.concatenate([np.arange(s, e) for s, e in fr])
        m = tensor[idx].mean(0)
        last = fr[-1][1]
        out[k, :width] = m
        out[k, width:2 * width] = tensor[fr[0][0]]
        out[k, 2 * width:3 * width] = tensor[last - 1]
        if last < n:
            out[k, 3 * width:4 * width] = tensor[last]
        out[k, 4 * width:] = m * hv
    return out


@dataclass(frozen=True, eq=False)
class SpanDense:
    """The real-valued part of the content ranker (round 5): ``w`` · standardised
    :func:`span_vectors`, added to the sparse score of each candidate."""

    w: Any
    mean: Any
    std: Any

    @property
    def width(self) -> int:
        return int(self.mean.shape[0]) // 5

    def scores(self, doc: Doc, h: Token, spans: Sequence[Frags]) -> Any:
        tensor = getattr(doc, "tensor", None)
        if tensor is None or getattr(tensor, "shape", ()) != (len(doc), self.width):
            return None
        return ((span_vectors(tensor, h.i, spans) - self.mean) / self.std) @ self.w

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> SpanDense:
        d = obj["w"]["shape"]
        return cls(_unb64(obj["w"]["data"], d), _unb64(obj["mean"]["data"], d), _unb64(obj["std"]["data"], d))

    def to_json(self) -> dict[str, Any]:
        return {k: {"shape": list(getattr(self, k).shape), "data": _b64(getattr(self, k))}
                for k in ("w", "mean", "std")}


def source_candidates(doc: Doc, head: Token, base: tuple[int, int]) -> list[tuple[str, tuple[int, int]]]:
    """Candidate source spans around the rules' source phrase ``base`` headed by ``head``.

    PolNeAR is split on what a source keeps: "Barkley" vs "Barkley, who said he
    typically votes Democratic," and "New York Times reporter Matt Flegenheimer" vs
    "Matt Flegenheimer". Candidates: the rules' phrase, without its closing comma, cut
    before each ", …" dependent at the head's right (apposition, relative clause), and
    the run of proper nouns around the head (the bare name).
    """
    out: list[tuple[str, tuple[int, int]]] = [("base", base)]
    seen = {base}

    def add(name: str, r: tuple[int, int]) -> None:
        if base[0] <= r[0] < r[1] <= base[1] and r not in seen:
            seen.add(r)
            out.append((name, r))

    s, e = base
    if e - s > 1 and doc[e - 1].text == ",":
        add("nocomma", (s, e - 1))
    for r in head.rights:
        if r.i < e and r.left_edge.i > s and doc[r.left_edge.i - 1].text == ",":
            add(f"cut_{r.dep_}", _trim(doc, s, r.left_edge.i - 1))
            add(f"cutc_{r.dep_}", (s, r.left_edge.i))
    if head.pos_ == "PROPN":
        a = head.i
        while a - 1 >= s and doc[a - 1].pos_ == "PROPN" and doc[a - 1].dep_ in ("compound", "flat"):
            a -= 1
        add("name", (a, head.i + 1))
    return out


def source_features(doc: Doc, head: Token, cue: tuple[int, int], name: str, r: tuple[int, int],
                    base: tuple[int, int]) -> list[str]:
    """Features of source candidate ``name`` spanning ``r`` (``base``: the rules' phrase)."""
    hl = doc[cue[0]:cue[1]].root.lemma_.lower()
    length = r[1] - r[0]
    lb = "1" if length == 1 else "2-3" if length <= 3 else "4-6" if length <= 6 else "7+"
    rest = base[1] - r[1]
    after = doc[r[1]].lower_ if r[1] < base[1] else "END"
    if after == "," and r[1] + 1 < base[1]:
        nxt = doc[r[1] + 1]
        after = "," + (nxt.lower_ if nxt.is_stop else "_" + (nxt.ent_type_ or nxt.pos_))
    side = "pre" if r[1] <= cue[0] else "post"
    return [f"n={name}", f"n|len={name}|{lb}", f"n|rest={name}|{min(rest, 8)}", f"n|after={name}|{after}",
            f"n|side={name}|{side}", f"n|ent={name}|{head.ent_type_ or head.pos_}", f"n|cue={name}|{hl}",
            f"n|first={name}|{doc[r[0]].pos_}"]


def best_source(model: LinearModel, doc: Doc, head: Token, base: tuple[int, int],
                cue: tuple[int, int]) -> tuple[int, int]:
    """The highest-scoring source candidate (the rules' phrase when nothing else scores higher)."""
    cands = source_candidates(doc, head, base)
    if len(cands) == 1:
        return base
    return max(cands, key=lambda c: model.score(source_features(doc, head, cue, c[0], c[1], base)))[1]


def cue_extent(model: LinearModel, doc: Doc, h: Token) -> tuple[int, int]:
    """The cue's token range: the head plus neighbours the extent model accepts, outwards.

    (Choosing the contiguous span with the best summed log-odds instead was measured on
    two train folds: 0.001 lower exact "all" F1.)
    """
    sent = h.sent
    s = h.i
    for j in range(h.i - 1, max(sent.start, h.i - EXTENT_WINDOW) - 1, -1):
        if doc[j].is_space or model.prob(extent_features(doc, h, j)) < 0.5:
            break
        s = j
    e = h.i + 1
    for j in range(h.i + 1, min(sent.end, h.i + EXTENT_WINDOW + 1)):
        if doc[j].is_space or model.prob(extent_features(doc, h, j)) < 0.5:
            break
        e = j + 1
    return s, e


def extent_candidates(doc: Doc, h: Token) -> list[tuple[int, int]]:
    """Contiguous token ranges around the head ``h`` (within :data:`EXTENT_WINDOW`, one sentence)."""
    sent = h.sent
    lo = h.i
    while lo - 1 >= max(sent.start, h.i - EXTENT_WINDOW) and not doc[lo - 1].is_space:
        lo -= 1
    hi = h.i + 1
    while hi < min(sent.end, h.i + EXTENT_WINDOW + 1) and not doc[hi].is_space:
        hi += 1
    return [(s, e) for s in range(lo, h.i + 1) for e in range(h.i + 1, hi + 1)]


def extent_span_features(doc: Doc, h: Token, s: int, e: int, tok_feats: dict[int, list[str]]) -> list[str]:
    """Features of the cue extent ``(s, e)`` headed by ``h`` (``tok_feats``: extent features per token).

    The token-wise features of every token inside, plus what the span's edges look like:
    the first/last word, the tokens just outside, and whether a phrase is cut in two
    ("said in a | September statement").
    """
    f = [f"in|{x}" for j in range(s, e) if j != h.i for x in tok_feats[j]]
    return f + _extent_edge_features(doc, h, s, e, {}, {})


def _extent_edge_features(doc: Doc, h: Token, s: int, e: int, right: dict[int, int],
                          left: dict[int, int]) -> list[str]:
    """The edge part of :func:`extent_span_features` (``right``/``left``: cached subtree edges)."""
    for j in range(s, e):
        if j not in right:
            right[j] = doc[j].right_edge.i
            left[j] = doc[j].left_edge.i
    return [*_start_features(doc, h, s, left), *_end_features(doc, h, e, right), f"len={min(e - s, 6)}"]


def _end_features(doc: Doc, h: Token, e: int, right: Mapping[int, int]) -> list[str]:
    """Features of an extent ending before token ``e`` (``right``: right edges of the tokens after ``h``)."""
    hl = h.lemma_.lower()
    last = doc[e - 1]
    rcut = any(right[j] >= e for j in range(h.i + 1, e))  # a phrase cut in two at the end
    f = [f"last={last.lower_}|{last.pos_}", f"lastp={last.pos_}|{last.dep_}", f"lastw|hl={last.lower_}|{hl}",
         f"rlen={e - h.i - 1}", f"rcut={rcut}", f"rcut|last={rcut}|{last.pos_}", f"rcut|hl={rcut}|{hl}"]
    if e < len(doc):
        nx = doc[e]
        f += [f"next={nx.lower_}", f"nextp={nx.pos_}|{nx.dep_}", f"next|hl={nx.lower_}|{hl}"]
    return f


def _start_features(doc: Doc, h: Token, s: int, left: Mapping[int, int]) -> list[str]:
    """Features of an extent starting at token ``s`` (``left``: left edges of the tokens before ``h``)."""
    first = doc[s]
    lcut = any(left[j] < s for j in range(s, h.i))
    f = [f"first={first.pos_}|{first.dep_}", f"llen={h.i - s}", f"lcut={lcut}"]
    if s > 0:
        pv = doc[s - 1]
        f += [f"prev={pv.lower_}", f"prevp={pv.pos_}|{pv.dep_}"]
    return f


def best_extent(model: LinearModel, doc: Doc, h: Token) -> tuple[int, int]:
    """The highest-ranked candidate extent of the cue headed by ``h``.

    Scores every candidate as ``model.score(extent_span_features(...))`` would (features
    as a set; the edge features have distinct prefixes, so their weights add up per
    edge), but grows the set of the inside tokens' features one token at a time and
    scores each possible right / left edge once instead of rebuilding every span.
    """
    cands = extent_candidates(doc, h)
    if len(cands) == 1:
        return cands[0]
    lo, hi = cands[0][0], cands[-1][1]
    g = model.weights.get
    tok = {j: [f"in|{x}" for x in extent_features(doc, h, j)] for j in range(lo, hi) if j != h.i}
    right = {j: doc[j].right_edge.i for j in range(h.i + 1, hi)}
    left = {j: doc[j].left_edge.i for j in range(lo, h.i)}
    # Each edge's features are scored once; only the inside tokens' features depend on both.
    end_score = {e: sum(g(x, 0.0) for x in _end_features(doc, h, e, right)) for e in range(h.i + 1, hi + 1)}
    start_score = {s: sum(g(x, 0.0) for x in _start_features(doc, h, s, left)) for s in range(lo, h.i + 1)}
    best, best_score = cands[0], -math.inf
    for s in range(lo, h.i + 1):
        inner: set[str] = set()
        run = model.bias + start_score[s]
        for j in range(s, h.i):
            for x in tok[j]:
                if x not in inner:
                    inner.add(x)
                    run += g(x, 0.0)
        for e in range(h.i + 1, hi + 1):
            if e - 1 != h.i:
                for x in tok[e - 1]:
                    if x not in inner:
                        inner.add(x)
                        run += g(x, 0.0)
            score = run + end_score[e] + g(f"len={min(e - s, 6)}", 0.0)
            if score > best_score:
                best, best_score = (s, e), score
    return best


# --------------------------------------------------------------------------- sequence cue tagger

#: Tokens longer than this (per sentence) are cut into chunks for the tagger.
SEQ_MAX_LEN = 200
SEQ_DENSE = 7  # sparse logit, candidate, in quotation, quotation mark, rule kind (3)
_RULE_KINDS = ("speech", "cognition", "quote_only")


def _b64(a: Any) -> str:
    import base64

    import numpy as np

    return base64.b64encode(np.ascontiguousarray(a, dtype="<f2").tobytes()).decode("ascii")


def _unb64(s: str, shape: Sequence[int]) -> Any:
    import base64

    import numpy as np

    return np.frombuffer(base64.b64decode(s), dtype="<f2").astype(np.float32).reshape(tuple(shape))


def seq_chunks(sents: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The token ranges the tagger runs over: sentences, long ones cut into :data:`SEQ_MAX_LEN` pieces."""
    out = []
    for s, e in sents:
        for a in range(s, e, SEQ_MAX_LEN):
            out.append((a, min(e, a + SEQ_MAX_LEN)))
    return out


#: string-store hash -> (lower-cased for lemmas) string; hashes are the same for every vocab
_KEY_STRINGS: dict[tuple[int, int], str] = {}


def seq_token_keys(doc: Doc) -> tuple[list[str], list[str], list[str], list[str]]:
    """Lemma (lower case), POS, dependency label and tag of every token (the embedded inputs).

    Read with one ``doc.to_array`` and a cache of the strings behind the hashes (asking
    each token for four strings cost ~2.5 ms per 1,000 tokens)."""
    from spacy.attrs import DEP, LEMMA, POS, TAG

    arr = doc.to_array([LEMMA, POS, DEP, TAG])
    strings = doc.vocab.strings
    if len(_KEY_STRINGS) > 500_000:
        _KEY_STRINGS.clear()
    out: list[list[str]] = []
    for k in range(4):
        col: list[str] = []
        for h in arr[:, k].tolist():
            s = _KEY_STRINGS.get((k, h))
            if s is None:
                s = strings[h] if h else ""
                if k == 0:
                    s = s.lower()
                _KEY_STRINGS[(k, h)] = s
            col.append(s)
        out.append(col)
    return out[0], out[1], out[2], out[3]


def seq_dense(doc: Doc, fc: FeatureContext, logits: Mapping[int, float],
              rule_kind: Callable[[str], str | None], lemmas: Sequence[str] | None = None) -> Any:
    """The per-token real-valued inputs besides ``doc.tensor``: the sparse tagger's logit
    (``logits``: candidate token -> logit, clipped to ±10 and scaled by 1/5), a candidate
    flag, inside a quotation, is a quotation mark, and the token's rule word list
    (``rule_kind``, :func:`rashomon.annotate.quotes.rule_kind`; ``lemmas``: the lower-case
    lemmas if already known)."""
    import numpy as np

    n = len(doc)
    d = np.zeros((n, SEQ_DENSE), dtype=np.float32)
    for i, z in logits.items():
        d[i, 0] = max(-10.0, min(10.0, z)) / 5.0
        d[i, 1] = 1.0
    d[:, 2] = fc.in_quote
    d[:, 3] = fc.qmark
    kinds: dict[str, int | None] = {}
    for i, lemma in enumerate(lemmas if lemmas is not None else (t.lemma_.lower() for t in doc)):
        k = kinds.get(lemma, -1)
        if k == -1:
            rk = rule_kind(lemma)
            k = kinds[lemma] = None if rk is None else _RULE_KINDS.index(rk)
        if k is not None:
            d[i, 4 + k] = 1.0
    return d


@dataclass(frozen=True, eq=False)
class SeqCue:
    """A small BiLSTM over each sentence that scores every token as a cue head (round 5).

    Inputs per token: the spaCy pipeline's ``doc.tensor`` row (standardised), embeddings
    of its lemma, POS, dependency label and tag, and :func:`seq_dense` (which carries the
    sparse cue tagger's logit, so the BiLSTM learns a correction to it from the
    sentence around the token). Trained with torch by ``scripts/train_quotes.py``; run
    time is numpy only (one matrix product per step for all sentences of a Doc).
    """

    vocab: dict[str, dict[str, int]]  # "lemma" / "pos" / "dep" / "tag" -> row (0: unknown)
    arrays: dict[str, Any]  # numpy float32 arrays, names as in ARRAYS
    meta: dict[str, Any]
    #: further taggers of a seed ensemble (same inputs, other seeds): :meth:`logits` is the
    #: mean of all their logits. Stored as ``"ensemble"`` in the JSON; a file without it is
    #: one tagger, and a reader that ignores the key uses the first tagger alone.
    extra: tuple[SeqCue, ...] = ()

    #: array name -> how its shape is read from the JSON ("shape" lists are stored)
    ARRAYS = ("emb_lemma", "emb_pos", "emb_dep", "emb_tag", "mean", "std", "w_in", "b_in",
              "wih_f", "whh_f", "b_f", "wih_b", "whh_b", "b_b", "w_out", "b_out")

    @property
    def width(self) -> int:
        return int(self.arrays["mean"].shape[0])

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> SeqCue:
        arrays = {k: _unb64(obj["arrays"][k]["data"], obj["arrays"][k]["shape"]) for k in cls.ARRAYS}
        return cls({k: dict(v) for k, v in obj["vocab"].items()}, arrays, dict(obj.get("meta", {})),
                   tuple(cls.from_json(o) for o in obj.get("ensemble", ())))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"vocab": self.vocab, "meta": self.meta,
                               "arrays": {k: {"shape": list(self.arrays[k].shape), "data": _b64(self.arrays[k])}
                                          for k in self.ARRAYS}}
        if self.extra:
            out["ensemble"] = [m.to_json() for m in self.extra]
        return out

    @classmethod
    def ensemble(cls, taggers: Sequence[SeqCue]) -> SeqCue:
        """One tagger whose logit is the mean of those of ``taggers`` (each a single tagger)."""
        first, *rest = taggers
        if any(t.width != first.width for t in rest):
            raise ValueError("SeqCue.ensemble: taggers trained on doc.tensor of different widths")
        return cls(first.vocab, first.arrays, first.meta, tuple(rest))

    @property
    def members(self) -> tuple[SeqCue, ...]:
        """The single taggers whose logits :meth:`logits` averages (just ``self`` without an ensemble)."""
        if not self.extra:
            return (self,)
        return (SeqCue(self.vocab, self.arrays, self.meta), *self.extra)

    def usable(self, doc: Doc) -> bool:
        """Whether ``doc.tensor`` is there with the width the tagger was trained on."""
        return getattr(getattr(doc, "tensor", None), "shape", ()) == (len(doc), self.width)

    def inputs(self, doc: Doc, dense: Any, keys: tuple[list[str], ...] | None = None) -> Any:
        """The projected input of every token (n × P), or None if the Doc has no usable tensor
        (``keys``: :func:`seq_token_keys` if already known)."""
        import numpy as np

        if not self.usable(doc):
            return None
        w_in = self.arrays["w_in"]
        return np.tanh(static_projection(self.vocab, self.arrays, doc, keys) + dense @ w_in[:, -dense.shape[1]:].T)

    def logits(self, doc: Doc, chunks: Sequence[tuple[int, int]], dense: Any,
               keys: tuple[list[str], ...] | None = None) -> Any:
        """A cue-head logit for every token of ``chunks`` (others: -inf), or None without a tensor
        (a seed ensemble: the mean logit of its taggers)."""
        if not self.extra:
            return self._logits(doc, chunks, dense, keys)
        if not self.usable(doc):
            return None
        keys = keys or seq_token_keys(doc)
        zs = [m._logits(doc, chunks, dense, keys) for m in self.members]
        out = zs[0]
        for z in zs[1:]:
            out = out + z
        return out / len(zs)

    def _logits(self, doc: Doc, chunks: Sequence[tuple[int, int]], dense: Any,
                keys: tuple[list[str], ...] | None = None) -> Any:
        import numpy as np

        x = self.inputs(doc, dense, keys)
        if x is None:
            return None
        a = self.arrays
        out = np.full(len(doc), -np.inf, dtype=np.float32)
        if not chunks:
            return out
        hf, hb, toks = bilstm_states(a, x, chunks)
        feats = np.concatenate([hf[toks], hb[toks], dense[toks, :1]], axis=1)
        out[toks] = feats @ a["w_out"] + a["b_out"][0]
        return out


def static_projection(vocab: Mapping[str, Mapping[str, int]], arrays: Mapping[str, Any], doc: Doc,
                      keys: tuple[list[str], ...] | None = None) -> Any:
    """The part of a sequence model's input projection that does not depend on the per-token
    flags: embeddings of lemma, POS, dependency label and tag plus the standardised
    ``doc.tensor`` row, times their columns of ``w_in``, plus ``b_in`` (n × P, before tanh)."""
    import numpy as np

    a = arrays
    keys = keys or seq_token_keys(doc)
    n = len(doc)
    ids = [np.fromiter((v.get(k, 0) for k in ks), dtype=np.int64, count=n)
           for v, ks in zip((vocab["lemma"], vocab["pos"], vocab["dep"], vocab["tag"]), keys, strict=True)]
    x = np.concatenate([a["emb_lemma"][ids[0]], a["emb_pos"][ids[1]], a["emb_dep"][ids[2]],
                        a["emb_tag"][ids[3]], (np.asarray(doc.tensor, dtype=np.float32) - a["mean"]) / a["std"]],
                       axis=1)
    return x @ a["w_in"][:, :x.shape[1]].T + a["b_in"]


def _gate_scale(hidden: int) -> Any:
    import numpy as np

    half = np.full(4 * hidden, 0.5, dtype=np.float32)
    half[2 * hidden:3 * hidden] = 1.0
    return half


def bilstm_states(a: Mapping[str, Any], x: Any, chunks: Sequence[tuple[int, int]]) -> tuple[Any, Any, Any]:
    """Forward and backward hidden states (n × H each) of the one-layer BiLSTM in ``a`` run
    over each token range of ``chunks`` of the projected inputs ``x`` (n × P), all ranges
    stepped together; plus the covered token indices (chunk by chunk)."""
    import numpy as np

    chunks = sorted(chunks, key=lambda c: c[0] - c[1])  # longest first: the active ones are a prefix
    n = x.shape[0]
    hidden = a["whh_f"].shape[1]
    lens = np.array([e - s for s, e in chunks])
    steps = int(lens[0])
    active = [int((lens > t).sum()) for t in range(steps)]
    fwd_idx = np.full((len(chunks), steps), 0, dtype=np.int64)
    bwd_idx = np.full((len(chunks), steps), 0, dtype=np.int64)
    for b, (s, e) in enumerate(chunks):
        fwd_idx[b, :e - s] = np.arange(s, e)
        bwd_idx[b, :e - s] = np.arange(e - 1, s - 1, -1)
    hs = []
    half = _gate_scale(hidden)
    for idx, wih, whh, bias in ((fwd_idx, a["wih_f"], a["whh_f"], a["b_f"]),
                                (bwd_idx, a["wih_b"], a["whh_b"], a["b_b"])):
        # gates i f g o as in torch; the rows of i, f and o are halved so that one tanh
        # per step gives all four (sigmoid(x) = (1 + tanh(x / 2)) / 2)
        g_all = x @ (wih * half[:, None]).T + bias * half
        whh_t = np.ascontiguousarray((whh * half[:, None]).T)
        h_tok = np.zeros((n, hidden), dtype=np.float32)
        h = np.zeros((len(chunks), hidden), dtype=np.float32)
        c = np.zeros((len(chunks), hidden), dtype=np.float32)
        for t in range(steps):
            k = active[t]
            g = np.tanh(g_all[idx[:k, t]] + h[:k] @ whh_t)
            sg = 0.5 + 0.5 * g  # sigmoid of the i, f, o gates (the g part is unused)
            c[:k] = sg[:, hidden:2 * hidden] * c[:k] + sg[:, :hidden] * g[:, 2 * hidden:3 * hidden]
            h[:k] = sg[:, 3 * hidden:] * np.tanh(c[:k])
            h_tok[idx[:k, t]] = h[:k]
        hs.append(h_tok)
    toks = np.concatenate([fwd_idx[b, :lens[b]] for b in range(len(chunks))])
    return hs[0], hs[1], toks


# --------------------------------------------------------------------------- sequence content scorer

#: per-token flags of the content scorer: in this cue, the cue head, inside a paired
#: quotation, a quotation mark, in the cue's sentence, after the cue
CONTENT_SEQ_DENSE = 6
_content_cache = threading.local()


def content_window(doc: Doc, h: Token, cue: tuple[int, int], spans: Sequence[Frags]) -> tuple[int, int]:
    """The token range the content scorer reads for a cue: its sentence and every candidate,
    at most :data:`SEQ_MAX_LEN` tokens (cut around the cue)."""
    sent = h.sent
    lo = min([sent.start, cue[0], *(fr[0][0] for fr in spans)])
    hi = max([sent.end, cue[1], *(fr[-1][1] for fr in spans)])
    if hi - lo > SEQ_MAX_LEN:
        lo = max(lo, min(cue[0] - SEQ_MAX_LEN // 4, hi - SEQ_MAX_LEN))
        hi = min(hi, lo + SEQ_MAX_LEN)
    return lo, hi


def content_flags(doc: Doc, h: Token, cue: tuple[int, int], window: tuple[int, int],
                  quotes: Sequence[tuple[int, int]]) -> Any:
    """:data:`CONTENT_SEQ_DENSE` flags of every token of ``window`` (rows: window tokens)."""
    import numpy as np

    lo, hi = window
    d = np.zeros((hi - lo, CONTENT_SEQ_DENSE), dtype=np.float32)
    d[max(cue[0], lo) - lo:max(min(cue[1], hi) - lo, 0), 0] = 1.0
    if lo <= h.i < hi:
        d[h.i - lo, 1] = 1.0
    for qs, qe in quotes:
        if qe <= lo or qs >= hi:
            continue
        d[max(qs + 1, lo) - lo:max(min(qe - 1, hi) - lo, 0), 2] = 1.0
        for i in (qs, qe - 1):
            if lo <= i < hi:
                d[i - lo, 3] = 1.0
    sent = h.sent
    d[max(sent.start, lo) - lo:max(min(sent.end, hi) - lo, 0), 4] = 1.0
    d[max(cue[1], lo) - lo:, 5] = 1.0
    return d


def span_entries(window: tuple[int, int], spans: Sequence[Frags]) -> Any:
    """Which potentials make up each candidate's score, as rows (candidate, window row,
    channel): channel 0 the start of each fragment's first token, 1 the end of its last,
    2 inside for each of its tokens; tokens outside the window take no part. Training
    sums the same rows (``scripts/train_quotes.py``)."""
    import numpy as np

    lo, hi = window
    out: list[tuple[int, int, int]] = []
    for k, fr in enumerate(spans):
        for s, e in fr:
            if lo <= s < hi:
                out.append((k, s - lo, 0))
            if lo <= e - 1 < hi:
                out.append((k, e - 1 - lo, 1))
            out.extend((k, t - lo, 2) for t in range(max(s, lo), min(e, hi)))
    return np.array(out, dtype=np.int64).reshape(-1, 3)


def span_potentials(z: Any, window: tuple[int, int], spans: Sequence[Frags]) -> Any:
    """Score of each candidate from per-token potentials ``z`` (window rows × start / end /
    inside): the sum of its :func:`span_entries`."""
    import numpy as np

    e = span_entries(window, spans)
    out = np.zeros(len(spans), dtype=np.float64)
    np.add.at(out, e[:, 0], z[e[:, 1], e[:, 2]])
    return out.astype(np.float32)


@dataclass(frozen=True, eq=False)
class ContentSeq:
    """A BiLSTM that reads a cue's sentence (and the candidates' reach) with the cue marked
    and gives every token a start, end and inside potential; a content candidate's score is
    :func:`span_potentials`, added ``alpha`` times to the linear ranker's score (round 6).

    Same inputs as :class:`SeqCue` except the flags (:func:`content_flags`). Trained with
    torch by ``scripts/train_quotes.py`` (softmax over each gold cue's candidates); run time
    is numpy only.
    """

    vocab: dict[str, dict[str, int]]
    arrays: dict[str, Any]  # as SeqCue.ARRAYS; w_out is 3 × 2H, b_out 3
    meta: dict[str, Any]

    @property
    def width(self) -> int:
        return int(self.arrays["mean"].shape[0])

    @property
    def alpha(self) -> float:
        return float(self.meta.get("alpha", 1.0))

    def usable(self, doc: Doc) -> bool:
        return getattr(getattr(doc, "tensor", None), "shape", ()) == (len(doc), self.width)

    def _static(self, doc: Doc) -> Any:
        # one Doc's cues are scored one after another: keep its static projection (the Doc
        # itself is held, so an equal id cannot be a new Doc)
        held = getattr(_content_cache, "item", None)
        if held is not None and held[0] is doc and held[1] is self:
            return held[2]
        x = static_projection(self.vocab, self.arrays, doc)
        _content_cache.item = (doc, self, x)
        return x

    def potentials(self, doc: Doc, h: Token, cue: tuple[int, int], window: tuple[int, int],
                   quotes: Sequence[tuple[int, int]] = ()) -> Any:
        """Start / end / inside potentials of the tokens of ``window`` (rows × 3)."""
        return self._potentials(doc, [(h, cue, window)], quotes)[0]

    def _potentials(self, doc: Doc, items: Sequence[tuple[Token, tuple[int, int], tuple[int, int]]],
                    quotes: Sequence[tuple[int, int]]) -> list[Any]:
        # the windows of all cues are stacked as rows and stepped together as one batch
        import numpy as np

        a = self.arrays
        static = self._static(doc)
        w_flags = a["w_in"][:, -CONTENT_SEQ_DENSE:].T
        xs, chunks, pos = [], [], 0
        for h, cue, (lo, hi) in items:
            xs.append(np.tanh(static[lo:hi] + content_flags(doc, h, cue, (lo, hi), quotes) @ w_flags))
            chunks.append((pos, pos + hi - lo))
            pos += hi - lo
        hf, hb, _toks = bilstm_states(a, np.concatenate(xs), chunks)
        z = np.concatenate([hf, hb], axis=1) @ a["w_out"].T + a["b_out"]
        return [z[s:e] for s, e in chunks]

    def scores(self, doc: Doc, h: Token, cue: tuple[int, int], spans: Sequence[Frags],
               quotes: Sequence[tuple[int, int]] = ()) -> Any:
        """``alpha`` × the score of each candidate, or None without a usable ``doc.tensor``."""
        out = self.batch_scores(doc, [(h, cue, spans)], quotes)
        return None if out is None else out[0]

    def batch_scores(self, doc: Doc, items: Sequence[tuple[Token, tuple[int, int], Sequence[Frags]]],
                     quotes: Sequence[tuple[int, int]] = ()) -> list[Any] | None:
        """:meth:`scores` of several cues of one Doc (``items``: head, cue range, candidates),
        computed in one batch; None without a usable ``doc.tensor``."""
        if not self.usable(doc):
            return None
        if not items:
            return []
        windows = [content_window(doc, h, cue, spans) for h, cue, spans in items]
        zs = self._potentials(doc, [(h, cue, w) for (h, cue, _s), w in zip(items, windows, strict=True)], quotes)
        return [self.alpha * span_potentials(z, w, spans)
                for z, w, (_h, _c, spans) in zip(zs, windows, items, strict=True)]

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ContentSeq:
        arrays = {k: _unb64(obj["arrays"][k]["data"], obj["arrays"][k]["shape"]) for k in SeqCue.ARRAYS}
        return cls({k: dict(v) for k, v in obj["vocab"].items()}, arrays, dict(obj.get("meta", {})))

    def to_json(self) -> dict[str, Any]:
        return {"vocab": self.vocab, "meta": self.meta,
                "arrays": {k: {"shape": list(self.arrays[k].shape), "data": _b64(self.arrays[k])}
                           for k in SeqCue.ARRAYS}}
