"""``rashomon eval facts``: the pairwise fact labeller on hand-labelled cross-outlet pairs.

Data: ``eval/facts/basil_pairs.jsonl`` (see ``eval/facts/guidelines.md``): sentence pairs
from two outlets' reports of one event, labelled agree / conflict / unrelated by reading.

Each sentence becomes a one-sentence article annotated with every registered annotate
component (so quantities, dates, quotes and actors are the ones the pipeline would find),
then :func:`rashomon.compare.label_pair` labels the pair. IDF weights come from all
sentences of the same event in the file. Scores: conflict precision and recall, agree F1,
accuracy and the confusion matrix (gold → predicted).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import EvalError
from ..records import AnnotatedArticle, Article, Paragraph, Sentence
from .ecbplus import read_jsonl

__all__ = ["LABELS", "evaluate", "render"]

LABELS = ("agree", "conflict", "unrelated")


def _one_sentence_articles(texts: Sequence[tuple[str, str]]) -> list[AnnotatedArticle]:
    """Annotate each (outlet, sentence) as an article; keep it one sentence for the labeller."""
    from ..annotate import annotate

    arts = [Article(id=hashlib.sha1(f"{o}\n{t}".encode()).hexdigest()[:16], text=t,
                    paragraphs=(Paragraph(t),), outlet=o) for o, t in texts]
    out: list[AnnotatedArticle] = []
    for ann in annotate(arts):
        text = ann.article.text
        # The sentence splitter may cut a BASIL sentence in two; the pair is about the
        # whole sentence, so every record is moved onto sentence 0.
        one = (Sentence(index=0, text=text, role="body", start=0, end=len(text)),)
        fields: dict[str, Any] = {"sentences": one}
        for name in ("quotes", "dates", "quantities", "places"):
            fields[name] = tuple(dataclasses.replace(r, sentence_index=0) for r in getattr(ann, name))
        fields["entities"] = tuple(dataclasses.replace(e, sentence_index=0) for e in ann.entities)
        fields["actors"] = tuple(
            dataclasses.replace(a, mentions=tuple(dataclasses.replace(m, sentence_index=0) for m in a.mentions))
            for a in ann.actors)
        out.append(dataclasses.replace(ann, **fields))
    return out


def evaluate(data: Path, limit: int | None = None) -> dict[str, Any]:
    from ..compare import extract_claims, idf_table, label_pair

    rows = list(read_jsonl(data))
    if limit:
        rows = rows[:limit]
    if not rows:
        raise EvalError(f"{data}: no pairs")
    for key in ("text_a", "text_b", "label", "event_id"):
        if key not in rows[0]:
            raise EvalError(f"{data}: pairs need {key!r} (see eval/facts/guidelines.md)")
    texts = sorted({(r["outlet_a"], r["text_a"]) for r in rows} | {(r["outlet_b"], r["text_b"]) for r in rows})
    anns = _one_sentence_articles(texts)
    claims = extract_claims(anns)
    claim_of = {(c.outlet, c.text): c for c in claims}
    by_event: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in rows:
        by_event[r["event_id"]].update({(r["outlet_a"], r["text_a"]), (r["outlet_b"], r["text_b"])})
    idf = {ev: idf_table([claim_of[t] for t in ts if t in claim_of]) for ev, ts in by_event.items()}

    confusion: Counter[tuple[str, str]] = Counter()
    for r in rows:
        a, b = claim_of.get((r["outlet_a"], r["text_a"])), claim_of.get((r["outlet_b"], r["text_b"]))
        pred = "unrelated" if a is None or b is None else label_pair(a, b, idf[r["event_id"]])[0]
        confusion[(r["label"], pred)] += 1

    def prf(label: str) -> tuple[float, float, float]:
        tp = confusion[(label, label)]
        pred_n = sum(v for (g, p), v in confusion.items() if p == label)
        gold_n = sum(v for (g, p), v in confusion.items() if g == label)
        p = tp / pred_n if pred_n else 0.0
        r = tp / gold_n if gold_n else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    cp, cr, cf = prf("conflict")
    ap, ar, af = prf("agree")
    total = sum(confusion.values())
    return {
        "pairs": total,
        "conflict_precision": cp, "conflict_recall": cr, "conflict_f1": cf,
        "agree_precision": ap, "agree_recall": ar, "agree_f1": af,
        "accuracy": sum(confusion[(x, x)] for x in LABELS) / total,
        "gold_conflicts": sum(v for (g, _), v in confusion.items() if g == "conflict"),
        "predicted_conflicts": sum(v for (_, p), v in confusion.items() if p == "conflict"),
        **{f"confusion_{g}_{p}": confusion[(g, p)] for g in LABELS for p in LABELS},
    }


def render(scores: dict[str, Any]) -> Any:
    from rich.table import Table

    table = Table(title=f"Fact labeller on {scores['pairs']} hand-labelled cross-outlet pairs "
                        "(rows: gold, columns: predicted)")
    table.add_column("gold \\ predicted")
    for lab in LABELS:
        table.add_column(lab, justify="right")
    for g in LABELS:
        table.add_row(g, *(str(scores[f"confusion_{g}_{p}"]) for p in LABELS))
    table.caption = (f"conflict P {scores['conflict_precision']:.3f} R {scores['conflict_recall']:.3f} "
                     f"(gold {scores['gold_conflicts']}, predicted {scores['predicted_conflicts']}) · "
                     f"agree F1 {scores['agree_f1']:.3f} · accuracy {scores['accuracy']:.3f}; "
                     "targets: conflict P ≥ 0.9, R ≥ 0.6")
    return table
