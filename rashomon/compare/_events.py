"""Event-mention similarity: are two mentions the same happening?

Shared by claim alignment (do two sentences tell the same event?) and the ECB+
cross-document event coreference evaluation (:mod:`rashomon.eval.align`). A mention is a
trigger (its head lemma and a light stem, so "nominate" meets "nomination") with its
context: the content lemmas of its sentence, its local arguments (the trigger's
dependents), named entities, times, numbers and its document's TF-IDF vector.

The pair score is a logistic model over a dozen such features (:data:`FEATURES`) plus a
table of trigger pairs that tend to corefer ("hit" ~ "strike", "arrest" ~ "capture"),
both fitted on ECB+ *train* by :func:`rashomon.eval.align.fit` and frozen in
:mod:`rashomon.compare._event_model`. Trigger pairs train never saw are covered by WordNet
3.0 (shipped as a compact derived table, ``data/wordnet_events.json.gz``, built by
``scripts/build_wordnet_lexicon.py``): do the triggers share a sense ("foil" / "thwart"),
is one's sense the other's direct hypernym ("crash" / "accident"), or are they sisters.
Mentions are then clustered by average-link agglomeration with the threshold tuned on
train.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["FEATURES", "EventMention", "EventModel", "cluster_mentions", "normalize_trigger", "pair_features",
           "salience", "stem", "trigger_similarity"]

_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ments", "ment", "ates", "ated", "ate",
             "ees", "ee", "ers", "er", "ed", "es", "s", "e", "y")
#: Inflectional endings may leave a three-letter stem ("fired" → "fir" = "fire" → "fir");
#: derivational ones need four letters ("nation" is not "n").
_SHORT_OK = frozenset({"ed", "es", "s", "e"})


def normalize_trigger(word: str) -> str:
    """Lowercase letters and digits only: "Awards\t", "Oscars®", "#Oscar" meet their plain forms."""
    return "".join(ch for ch in word.lower() if ch.isalnum()) or word.lower()


# Remembered: claim alignment asks for the same few hundred predicate stems millions of times.
@functools.lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """A light derivational stem: "nominate", "nominee", "nomination" → "nomin"."""
    w = normalize_trigger(word)
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= (3 if suf in _SHORT_OK else 4):
            return w[: -len(suf)]
    return w


@dataclass(frozen=True)
class EventMention:
    id: str
    doc: str
    group: str  # clustering block: a gold topic/subtopic or a predicted story
    sentence: tuple[str, int]
    head: str  # trigger head lemma, lowercased
    pos: str
    lemmas: frozenset[str]  # all trigger lemmas
    args: frozenset[str]  # content lemmas of the sentence outside the trigger
    local: frozenset[str] = frozenset()  # lemmas of the trigger's own dependents
    entities: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    stem: str = field(default="")
    #: Rank of the mention's sentence in its document (0 = headline or lead): every report
    #: of a story opens with its main event, so lead mentions of two reports tend to corefer.
    rank: int = 0

    def __post_init__(self) -> None:
        if not self.stem:
            object.__setattr__(self, "stem", stem(self.head))


FEATURES: tuple[str, ...] = (
    "head_match", "trigger_jaccard", "prefix_match", "args_jaccard", "entity_overlap",
    "time_jaccard", "doc_cosine", "same_doc", "same_sentence", "same_pos",
    "head_match*doc_cosine", "head_match*args_jaccard", "stem_match", "pair_affinity",
    "pair_seen", "salience_product", "salience_min*stem_differs", "args_jaccard*stem_differs",
    "stem_match*args_jaccard", "stem_match*salience_min", "local_jaccard", "number_clash",
    "both_lead", "min_rank", "both_top_two", "wn_synonym*stem_differs", "wn_related*stem_differs",
    "wn_synonym*salience_min", "wn_related*salience_min", "wn_synonym*args_jaccard", "wn_related*args_jaccard",
    "wn_sister*stem_differs",
)

_WORDNET_FILE = Path(__file__).resolve().parent / "data" / "wordnet_events.json.gz"


@functools.cache
def _wordnet() -> tuple[dict[str, list[list[int]]], dict[str, str]]:
    """(lemma -> [synsets, hypernyms], irregular form -> lemma): WordNet 3.0, derived by
    scripts/build_wordnet_lexicon.py and shipped with the package (nothing is downloaded)."""
    with gzip.open(_WORDNET_FILE, "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    return dict(table["lemmas"]), dict(table["exceptions"])


#: Inflectional endings tried when a head is not a WordNet lemma (the parser leaves
#: adjectival participles and some plurals alone: "fired", "injured", "Oscars").
_DETACH = (("ies", "y"), ("ied", "y"), ("s", ""), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"),
           ("ing", ""))


@functools.cache
def wordnet_senses(lemma: str) -> tuple[frozenset[int], frozenset[int]]:
    """(synsets, their hypernyms) of a trigger lemma, after WordNet's morphology ("caught" → catch)."""
    table, exceptions = _wordnet()
    w = normalize_trigger(lemma)
    entry = table.get(w) or table.get(exceptions.get(w, ""))
    for suf, rep in _DETACH:
        if entry:
            break
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            base = w[: -len(suf)] + rep
            entry = table.get(base)
            if not entry and len(base) > 3 and base[-1] == base[-2] and not rep:  # "stopped" → stop
                entry = table.get(base[:-1])
    if not entry:
        return frozenset(), frozenset()
    return frozenset(entry[0]), frozenset(entry[1])


def wordnet_relation(a: str, b: str) -> tuple[float, float, float]:
    """For two lemmas: (they share a sense, one's sense is a direct hypernym of the other's,
    their senses share a direct hypernym)."""
    sa, ha = wordnet_senses(a)
    sb, hb = wordnet_senses(b)
    if sa & sb:
        return 1.0, 0.0, 0.0
    if sa & hb or ha & sb:
        return 0.0, 1.0, 0.0
    return 0.0, 0.0, float(bool(ha & hb))


@dataclass(frozen=True)
class EventModel:
    """Fitted weights (one per :data:`FEATURES` entry), bias, threshold, trigger-pair table."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    affinity: Mapping[tuple[str, str], tuple[int, int]]  # (stem, stem) -> (coreferent, total)

    def probability(self, feats: np.ndarray) -> np.ndarray:
        z = feats @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-z))


def _jac(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def trigger_similarity(a: str, b: str, affinity: Mapping[tuple[str, str], tuple[int, int]]) -> float:
    """How likely two trigger lemmas name the same kind of happening (1.0 for one stem)."""
    sa, sb = stem(a), stem(b)
    if sa == sb:
        return 1.0
    pos, tot = affinity.get((sa, sb) if sa < sb else (sb, sa), (0, 0))
    return (pos + 0.1) / (tot + 1) if tot else 0.0


def salience(mentions: Iterable[EventMention]) -> dict[tuple[str, str], float]:
    """Share of a group's documents whose mentions use a trigger stem (the story's main events)."""
    docs: dict[str, set[str]] = defaultdict(set)
    by_stem: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in mentions:
        docs[m.group].add(m.doc)
        by_stem[(m.group, m.stem)].add(m.doc)
    return {k: len(v) / len(docs[k[0]]) for k, v in by_stem.items()}


def pair_features(a: EventMention, b: EventMention, doc_cos: float,
                  sal: Mapping[tuple[str, str], float],
                  affinity: Mapping[tuple[str, str], tuple[int, int]]) -> list[float]:
    head = float(a.head == b.head)
    args = _jac(a.args, b.args)
    st = float(a.stem == b.stem)
    key = (a.stem, b.stem) if a.stem < b.stem else (b.stem, a.stem)
    pos, tot = affinity.get(key, (0, 0))
    aff = (pos + 0.1) / (tot + 1) if (tot and not st) else 0.0
    sa, sb = sal.get((a.group, a.stem), 0.0), sal.get((b.group, b.stem), 0.0)
    wn_syn, wn_rel, wn_sister = (0.0, 0.0, 0.0) if st else wordnet_relation(a.head, b.head)
    clash = float(bool(a.numbers) and bool(b.numbers) and not (a.numbers & b.numbers))
    return [
        head, _jac(a.lemmas, b.lemmas), float(a.head[:4] == b.head[:4] and len(a.head) > 3),
        args, float(bool(a.entities & b.entities)), _jac(a.times, b.times), doc_cos,
        float(a.doc == b.doc), float(a.sentence == b.sentence), float(a.pos == b.pos),
        head * doc_cos, head * args, st, aff, float(tot > 0), sa * sb, min(sa, sb) * (1 - st),
        args * (1 - st), st * args, st * min(sa, sb), _jac(a.local, b.local), clash,
        float(a.rank == 0 and b.rank == 0), min(a.rank, b.rank, 10) / 10, float(max(a.rank, b.rank) <= 1),
        wn_syn, wn_rel, wn_syn * min(sa, sb), wn_rel * min(sa, sb), wn_syn * args, wn_rel * args, wn_sister,
    ]


def tfidf_vectors(docs: Mapping[str, Sequence[str]]) -> dict[str, dict[str, float]]:
    """L2-normalised TF-IDF vectors of each document's (lowercased, filtered) words."""
    df: Counter[str] = Counter()
    counts = {d: Counter(words) for d, words in docs.items()}
    for c in counts.values():
        df.update(c.keys())
    n = len(docs)
    out: dict[str, dict[str, float]] = {}
    for d, c in counts.items():
        vec = {w: (1 + math.log(k)) * math.log(n / df[w]) for w, k in c.items()}
        norm = math.sqrt(sum(x * x for x in vec.values())) or 1.0
        out[d] = {w: x / norm for w, x in vec.items()}
    return out


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def group_features(mentions: Sequence[EventMention], doc_vecs: Mapping[str, Mapping[str, float]],
                   sal: Mapping[tuple[str, str], float],
                   affinity: Mapping[tuple[str, str], tuple[int, int]],
                   ) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Feature rows for every pair of ``mentions`` (i < j) and the pair indices."""
    doc_cos: dict[tuple[str, str], float] = {}
    rows: list[list[float]] = []
    pairs: list[tuple[int, int]] = []
    for i, j in itertools.combinations(range(len(mentions)), 2):
        a, b = mentions[i], mentions[j]
        key = (a.doc, b.doc)
        if key not in doc_cos:
            doc_cos[key] = cosine(doc_vecs.get(a.doc, {}), doc_vecs.get(b.doc, {}))
        rows.append(pair_features(a, b, doc_cos[key], sal, affinity))
        pairs.append((i, j))
    return np.asarray(rows, dtype=float).reshape(len(rows), len(FEATURES)), pairs


def agglomerate(n: int, pairs: Sequence[tuple[int, int]], sims: np.ndarray, threshold: float,
                method: str = "average") -> list[int]:
    """Cluster labels (0-based, in first-appearance order) for ``n`` items from pair scores."""
    if n == 0:
        return []
    if n == 1:
        return [0]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = np.ones((n, n))
    for (i, j), s in zip(pairs, sims, strict=True):
        dist[i, j] = dist[j, i] = max(0.0, 1.0 - float(s))  # scores may round above 1
    np.fill_diagonal(dist, 0.0)
    z = linkage(squareform(dist, checks=False), method=method)
    raw = fcluster(z, t=1.0 - threshold, criterion="distance")
    relabel: dict[int, int] = {}
    return [relabel.setdefault(int(c), len(relabel)) for c in raw]


def cluster_mentions(mentions: Sequence[EventMention], doc_vecs: Mapping[str, Mapping[str, float]],
                     model: EventModel) -> dict[str, str]:
    """``{mention id: cluster id}``; clusters never cross a mention ``group``."""
    sal = salience(mentions)
    by_group: dict[str, list[EventMention]] = defaultdict(list)
    for m in mentions:
        by_group[m.group].append(m)
    out: dict[str, str] = {}
    for group, items in sorted(by_group.items()):
        feats, pairs = group_features(items, doc_vecs, sal, model.affinity)
        probs = model.probability(feats) if len(pairs) else np.zeros(0)
        labels = agglomerate(len(items), pairs, probs, model.threshold)
        for m, lab in zip(items, labels, strict=True):
            out[m.id] = f"{group}/{lab}"
    return out
