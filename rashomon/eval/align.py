"""``rashomon eval align``: cross-document event coreference on ECB+.

The claim aligner's event similarity (:mod:`rashomon.compare._events`) clusters ECB+ event
mentions; the clusters are scored against the gold chains with MUC, B³ and CEAF-e (CoNLL
F1 = their mean), singletons included, on mentions of the validated sentences only
(``in_annotated_sentence``), as in Barhom et al. 2019 / Cattan et al. 2021.

Setting (say which, it matters): mentions are clustered **within gold subtopics** by
default (``within="subtopic"``): ECB+ subtopics are the story clusters (same kind of event,
one instance), what Rashomon's story clustering produces and what Barhom et al.'s
predicted document clusters approximate (B³ 96.8 against gold subtopics). ``within="topic"``
clusters within the larger gold topics (two seminal events each), the harder setting.

Two mention sets:

- ``mentions="gold"``: the gold event mentions (``type == "event"``);
- ``mentions="predicted"``: our own detector over the parse: verbs (not auxiliaries) and
  event nominals (nouns that trigger events in ECB+ train, :data:`EVENT_NOUNS` of the
  fitted model, plus deverbal suffixes), one head token plus an adjacent particle. A
  predicted mention counts only if its token span equals a gold mention's; unmatched
  gold mentions cost recall, spurious ones precision (the reference scorer's treatment).

The model (weights, threshold, trigger-pair table, event nouns) was fitted on ECB+ train
with :func:`fit`; ``evaluate(..., refit=True)`` refits from the train split found in
``data`` (or beside it) instead of using the frozen one.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..compare._events import (
    FEATURES,
    EventMention,
    EventModel,
    cluster_mentions,
    group_features,
    normalize_trigger,
    salience,
    tfidf_vectors,
)
from ..errors import EvalError
from ._coref import conll
from .ecbplus import read_jsonl

__all__ = ["detect_mentions", "evaluate", "fit", "render", "write_model"]

_STOP_WORDS = ("the a an of to in on for and or but is are was were be been has have had it its "
               "this that with by at as from he she they his her their we i you said says")
_STOP = frozenset(_STOP_WORDS.split())
_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})
_NOMINAL_SUFFIXES = ("tion", "sion", "ment", "ure", "ance", "ence", "ing", "al")
_MODEL_FILE = Path(__file__).resolve().parents[1] / "compare" / "_event_model.py"

Token = tuple[str, str, str, str, int, str]  # text, lemma, pos, dep, head index, entity type


# --------------------------------------------------------------------------- reading


def _split_docs(data: Path, limit: int | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(documents to score, train documents). A folder with both splits scores the non-train ones."""
    docs = list(read_jsonl(data))
    if not docs:
        raise EvalError(f"{data}: no ECB+ documents")
    if "mentions" not in docs[0] or "sentences" not in docs[0]:
        raise EvalError(f"{data}: not ECB+ JSONL (needs 'sentences' and 'mentions')")
    splits = {d.get("split") for d in docs}
    train = [d for d in docs if d.get("split") == "train"]
    score = [d for d in docs if d.get("split") != "train"] if splits - {"train"} else docs
    if limit:
        keep = sorted({d["topic"] for d in score})[:limit]
        score = [d for d in score if d["topic"] in keep]
    return score, train


def _parse(docs: Sequence[dict[str, Any]]) -> dict[tuple[str, int], list[Token]]:
    """Parse every validated sentence once, on ECB+'s own tokens (offsets stay exact)."""
    from spacy.tokens import Doc

    from ..annotate import load_nlp

    nlp = load_nlp(components=())
    keys: list[tuple[str, int]] = []
    inputs: list[Doc] = []
    for d in docs:
        for s in d["annotated_sentences"]:
            toks = d["sentences"][s]
            if toks:
                keys.append((d["doc_id"], s))
                inputs.append(Doc(nlp.vocab, words=[t if t.strip() else "_" for t in toks]))
    out: dict[tuple[str, int], list[Token]] = {}
    for key, doc in zip(keys, nlp.pipe(inputs, batch_size=64), strict=True):
        out[key] = [(t.text, t.lemma_.lower(), t.pos_, t.dep_, t.head.i, t.ent_type_) for t in doc]
    return out


def _doc_vectors(docs: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    words = {d["doc_id"]: [t.lower() for s in d["sentences"] for t in s
                           if t.isalpha() and t.lower() not in _STOP] for d in docs}
    return tfidf_vectors(words)


def _mention(mid: str, doc: dict[str, Any], group: str, sent: int, idx: Sequence[int],
             parse: list[Token]) -> EventMention:
    span = set(idx)
    heads = [i for i in idx if parse[i][4] not in span or parse[i][4] == i]
    h = heads[0] if heads else idx[0]
    # "on suspicion": a preposition heading a mention hands over to its object.
    if parse[h][2] == "ADP":
        h = next((i for i in idx if parse[i][2] in ("NOUN", "VERB", "PROPN")), h)
    local: set[str] = set()
    frontier = [h] + ([parse[h][4]] if parse[h][2] in ("NOUN", "PROPN") else [])
    children: dict[int, list[int]] = defaultdict(list)
    for j, t in enumerate(parse):
        if t[4] != j:
            children[t[4]].append(j)
    for i in frontier:
        for j in children[i]:
            local.add(parse[j][1])
            local.update(parse[k][1] for k in children[j])
    ranks = sorted(doc["annotated_sentences"])
    return EventMention(
        id=mid, doc=doc["doc_id"], group=group, sentence=(doc["doc_id"], sent),
        head=normalize_trigger(parse[h][1]), pos=parse[h][2],
        rank=ranks.index(sent) if sent in ranks else len(ranks), lemmas=frozenset(parse[i][1] for i in idx),
        args=frozenset(t[1] for j, t in enumerate(parse)
                       if j not in span and t[2] in ("NOUN", "PROPN", "NUM")),
        local=frozenset(local - {parse[i][1] for i in idx}),
        entities=frozenset(t[1] for t in parse if t[5] in _ENTITY_LABELS),
        times=frozenset(t[0].lower() for t in parse if t[5] in ("DATE", "TIME")),
        numbers=frozenset(t[0].lower() for t in parse if t[2] == "NUM"),
    )


def _group_of(doc: dict[str, Any], within: str) -> str:
    if within == "topic":
        return str(doc["topic"])
    if within == "subtopic":
        return str(doc["subtopic"])
    raise EvalError(f"within must be 'topic' or 'subtopic', not {within!r}")


def gold_mentions(docs: Sequence[dict[str, Any]], parse: dict[tuple[str, int], list[Token]],
                  within: str = "subtopic") -> tuple[list[EventMention], dict[str, str]]:
    """Gold event mentions of the validated sentences and their gold chains (keyed by span)."""
    mentions: list[EventMention] = []
    chains: dict[str, str] = {}
    for d in docs:
        for m in d["mentions"]:
            if m["type"] != "event" or not m["in_annotated_sentence"]:
                continue
            key = (d["doc_id"], m["sent"])
            if key not in parse:
                continue
            mid = _span_id(d["doc_id"], m["sent"], m["token_numbers"])
            mentions.append(_mention(mid, d, _group_of(d, within), m["sent"], m["token_numbers"],
                                     parse[key]))
            chains[mid] = m["chain_id"]
    return mentions, chains


def _span_id(doc_id: str, sent: int, tokens: Iterable[int]) -> str:
    return f"{doc_id}:{sent}:{','.join(str(t) for t in sorted(tokens))}"


# ------------------------------------------------------------------ predicted mentions


def detect_mentions(parse: list[Token], event_nouns: frozenset[str]) -> list[list[int]]:
    """Token index lists of event triggers in one parsed sentence: verbs and event nominals."""
    out: list[list[int]] = []
    for i, (text, lemma, pos, dep, _head, ent) in enumerate(parse):
        if ent and ent not in ("EVENT",) and pos != "VERB":
            continue
        is_event = (
            (pos == "VERB" and dep not in ("aux", "auxpass") and lemma not in ("be", "have"))
            or (pos == "NOUN" and (lemma in event_nouns
                                   or (lemma.endswith(_NOMINAL_SUFFIXES[:4]) and len(lemma) > 6
                                       and lemma in event_nouns)))
        )
        if not is_event or not re.match(r"[A-Za-z]", text):
            continue
        span = [i]
        if i + 1 < len(parse) and parse[i + 1][3] == "prt" and parse[i + 1][4] == i:
            span.append(i + 1)
        out.append(span)
    return out


def predicted_mentions(docs: Sequence[dict[str, Any]], parse: dict[tuple[str, int], list[Token]],
                       event_nouns: frozenset[str], within: str = "subtopic") -> list[EventMention]:
    mentions: list[EventMention] = []
    for d in docs:
        for s in d["annotated_sentences"]:
            key = (d["doc_id"], s)
            if key not in parse:
                continue
            for span in detect_mentions(parse[key], event_nouns):
                mentions.append(_mention(_span_id(d["doc_id"], s, span), d, _group_of(d, within),
                                         s, span, parse[key]))
    return mentions


# ------------------------------------------------------------------------- fitting


def _affinity(mentions: Sequence[EventMention], chains: dict[str, str]) -> dict[tuple[str, str], tuple[int, int]]:
    pos: Counter[tuple[str, str]] = Counter()
    tot: Counter[tuple[str, str]] = Counter()
    by_group: dict[str, list[EventMention]] = defaultdict(list)
    for m in mentions:
        by_group[m.group].append(m)
    for items in by_group.values():
        for a, b in itertools.combinations(items, 2):
            if a.stem == b.stem:
                continue
            k = (a.stem, b.stem) if a.stem < b.stem else (b.stem, a.stem)
            tot[k] += 1
            pos[k] += chains[a.id] == chains[b.id]
    return {k: (pos[k], tot[k]) for k in tot}


def _event_nouns(docs: Sequence[dict[str, Any]], parse: dict[tuple[str, int], list[Token]]) -> frozenset[str]:
    """Noun lemmas that are event triggers in at least half their train occurrences."""
    as_event: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for d in docs:
        for m in d["mentions"]:
            key = (d["doc_id"], m["sent"])
            if m["type"] == "event" and m["in_annotated_sentence"] and key in parse:
                for i in m["token_numbers"]:
                    if parse[key][i][2] == "NOUN":
                        as_event[parse[key][i][1]] += 1
        for s in d["annotated_sentences"]:
            for t in parse.get((d["doc_id"], s), []):
                if t[2] == "NOUN":
                    seen[t[1]] += 1
    return frozenset(w for w, n in as_event.items() if n >= 2 and n / seen[w] >= 0.5)


def fit(train_docs: Sequence[dict[str, Any]], within: str = "subtopic",
        folds: int = 5, C: float = 1.0, verbose: bool = False) -> tuple[EventModel, frozenset[str]]:
    """Fit the pair model on ECB+ train: logistic weights, threshold, trigger-pair table.

    The trigger-pair table is cross-fitted (each fold's features use a table built from
    the other folds' topics) so the weights do not learn to trust pairs seen in training.
    """
    from sklearn.linear_model import LogisticRegression

    parse = _parse(train_docs)
    mentions, chains = gold_mentions(train_docs, parse, within)
    vecs = _doc_vectors(train_docs)
    topics = sorted({d["topic"] for d in train_docs})
    topic_of = {d["doc_id"]: d["topic"] for d in train_docs}
    rows: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    fold_of: list[int] = []
    tables: list[dict[tuple[str, str], tuple[int, int]]] = []
    parts: list[list[EventMention]] = []
    for f in range(folds):
        held = set(topics[f::folds])
        table = _affinity([m for m in mentions if topic_of[m.doc] not in held], chains)
        part = [m for m in mentions if topic_of[m.doc] in held]
        tables.append(table)
        parts.append(part)
        sal = salience(part)
        by_group: dict[str, list[EventMention]] = defaultdict(list)
        for m in part:
            by_group[m.group].append(m)
        for items in by_group.values():
            feats, pairs = group_features(items, vecs, sal, table)
            rows.append(feats)
            labels.append(np.array([chains[items[i].id] == chains[items[j].id] for i, j in pairs]))
            fold_of.append(f)
    x = np.vstack(rows)
    y = np.concatenate(labels)
    clf = LogisticRegression(max_iter=5000, C=C).fit(x, y)
    # The threshold is chosen out of fold: each fold is clustered with weights fitted on the
    # other folds and a trigger-pair table built from them, as unseen topics will be.
    fold_models: list[tuple[tuple[float, ...], float]] = []
    for f in range(folds):
        keep = [k for k, g in enumerate(fold_of) if g != f]
        c = LogisticRegression(max_iter=5000, C=C).fit(np.vstack([rows[k] for k in keep]),
                                                        np.concatenate([labels[k] for k in keep]))
        fold_models.append((tuple(float(w) for w in c.coef_[0]), float(c.intercept_[0])))
    best = (-1.0, 0.5)
    for th in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        response: dict[str, str] = {}
        for f in range(folds):
            w, b = fold_models[f]
            response.update(cluster_mentions(parts[f], vecs, EventModel(w, b, th, tables[f])))
        score = conll(chains, response)["conll_f1"]
        if verbose:
            print(f"C {C} threshold {th}: out-of-fold train CoNLL F1 {score:.4f}")
        if score > best[0]:
            best = (score, th)
    table = _affinity(mentions, chains)
    model = EventModel(tuple(float(w) for w in clf.coef_[0]), float(clf.intercept_[0]), best[1],
                       {k: v for k, v in table.items() if v[0] >= 1})
    return model, _event_nouns(train_docs, parse)


def write_model(model: EventModel, event_nouns: frozenset[str], path: Path = _MODEL_FILE) -> None:
    """Freeze a fitted model as a Python module (no pickles, reviewable in a diff)."""
    lines = [
        '"""Event-pair model fitted on ECB+ train by ``rashomon.eval.align.fit`` (generated; do not edit).',
        "",
        "Regenerate: ``python -m rashomon.eval.align --fit ../shared/data/xsource/ecbplus/ecbplus_train.jsonl.gz``.",
        '"""',
        "",
        "# ruff: noqa: E501",
        "from __future__ import annotations",
        "",
        f"FEATURES = {FEATURES!r}",
        f"WEIGHTS = {tuple(round(w, 5) for w in model.weights)!r}",
        f"BIAS = {round(model.bias, 5)!r}",
        f"THRESHOLD = {model.threshold!r}",
        "#: (trigger stem, trigger stem) -> (coreferent pairs, pairs) in ECB+ train subtopics",
        f"AFFINITY: dict[tuple[str, str], tuple[int, int]] = {dict(sorted(model.affinity.items()))!r}",
        f"EVENT_NOUNS: frozenset[str] = frozenset({sorted(event_nouns)!r})",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def frozen_model() -> tuple[EventModel, frozenset[str]]:
    from ..compare import _event_model as m

    if tuple(m.FEATURES) != FEATURES:
        raise EvalError("the frozen event model was fitted on other features; refit it")
    return EventModel(tuple(m.WEIGHTS), m.BIAS, m.THRESHOLD, m.AFFINITY), m.EVENT_NOUNS


# ------------------------------------------------------------------------ evaluate


def evaluate(data: Path, limit: int | None = None, mentions: str = "both",
             within: str = "subtopic", refit: bool = False) -> dict[str, Any]:
    """Score event coreference on ``data`` (an ECB+ split file or folder).

    ``mentions``: "gold", "predicted" or "both" (default; fills ``conll_f1`` and
    ``conll_f1_predicted``). ``limit``: only the first N topics.
    """
    data = Path(data)
    docs, train = _split_docs(data, limit)
    if refit:
        if not train:
            sibling = data.parent if data.is_file() else data
            cands = sorted(sibling.glob("*train*.jsonl*"))
            train = list(read_jsonl(cands[0])) if cands else []
        if not train:
            raise EvalError(f"refit needs the ECB+ train split in or beside {data}")
        model, nouns = fit(train, within)
    else:
        model, nouns = frozen_model()
    parse = _parse(docs)
    vecs = _doc_vectors(docs)
    out: dict[str, Any] = {"setting": f"within gold {within}s", "topics": len({d['topic'] for d in docs}),
                           "documents": len(docs), "threshold": model.threshold}
    gold, chains = gold_mentions(docs, parse, within)
    out["gold_mentions"] = len(gold)
    if mentions in ("gold", "both"):
        scores = conll(chains, cluster_mentions(gold, vecs, model))
        out.update(scores)
        lemma = conll(chains, {m.id: f"{m.group}/{m.head}" for m in gold})
        out["lemma_baseline_conll_f1"] = lemma["conll_f1"]
    if mentions in ("predicted", "both"):
        pred = predicted_mentions(docs, parse, nouns, within)
        found = {m.id for m in pred}
        response = cluster_mentions(pred, vecs, model)
        scores = conll(chains, response)
        tp = len(found & set(chains))
        out["predicted_mentions"] = len(pred)
        out["mention_precision"] = tp / len(pred) if pred else 0.0
        out["mention_recall"] = tp / len(chains) if chains else 0.0
        for k, v in scores.items():
            out[f"{k}_predicted" if k == "conll_f1" else f"predicted_{k}"] = v
    return out


def render(scores: dict[str, Any]) -> Any:
    from rich.table import Table

    table = Table(title=f"ECB+ cross-document event coreference ({scores.get('setting', '')})")
    table.add_column("mentions")
    for col in ("MUC F1", "B³ F1", "CEAF-e F1", "CoNLL F1"):
        table.add_column(col, justify="right")
    if "conll_f1" in scores:
        table.add_row("gold", *(f"{scores[k]:.3f}" for k in ("muc_f1", "b3_f1", "ceafe_f1", "conll_f1")))
    if "conll_f1_predicted" in scores:
        table.add_row("predicted", *(f"{scores[k]:.3f}" for k in
                                     ("predicted_muc_f1", "predicted_b3_f1", "predicted_ceafe_f1",
                                      "conll_f1_predicted")))
    if "lemma_baseline_conll_f1" in scores:
        table.caption = (f"head-lemma baseline (gold mentions): {scores['lemma_baseline_conll_f1']:.3f}; "
                         "anchors (test topics, gold mentions): Barhom 2019 0.795, GPT-4 0.768, "
                         "Min et al. 2024 0.867")
    return table


def _main(argv: Sequence[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description="Fit the event-pair model on ECB+ train and freeze it.")
    ap.add_argument("--fit", required=True, type=Path, help="ECB+ train JSONL(.gz)")
    ap.add_argument("--within", default="subtopic", choices=("topic", "subtopic"))
    ap.add_argument("--C", type=float, default=1.0, help="inverse L2 strength of the logistic pair model")
    args = ap.parse_args(argv)
    model, nouns = fit(list(read_jsonl(args.fit)), args.within, C=args.C, verbose=True)
    write_model(model, nouns)
    print(f"threshold {model.threshold}; {len(model.affinity)} trigger pairs; {len(nouns)} event nouns; "
          f"log-odds per feature: " + ", ".join(f"{n}={w:.2f}" for n, w in zip(FEATURES, model.weights,
                                                                              strict=True)))


if __name__ == "__main__":
    _main()
