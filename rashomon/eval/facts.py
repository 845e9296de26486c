"""``rashomon eval facts``: the pairwise fact labeller on hand-labelled cross-outlet pairs.

Data: ``eval/facts/basil_pairs.jsonl`` (see ``eval/facts/guidelines.md``): sentence pairs
from two outlets' reports of one event, labelled agree / conflict / unrelated by reading.

Each sentence becomes a one-sentence article annotated with every registered annotate
component (so quantities, dates, quotes and actors are the ones the pipeline would find),
then :func:`rashomon.compare.label_pair` labels the pair. A sentence gets its article's
publication date when the row gives one (``date_a`` / ``date_b``), so "on Friday" resolves
as it would in the full article. IDF weights come from all sentences of the same event in
the file.

Rows may carry ``split``: ``"tune"`` rows were used to set the labeller's thresholds and
rules, so the headline scores (``conflict_precision``, ``conflict_recall``, ``agree_f1``,
...) are computed on the other rows only; ``all_*`` and ``tune_*`` report the whole file
and the tuning rows. Without a ``split`` field every row is a reporting row. Scores:
conflict precision and recall, agree F1, accuracy and the confusion matrix (gold →
predicted).
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


def _one_sentence_articles(texts: Sequence[tuple[str, str, str | None]]) -> list[AnnotatedArticle]:
    """Annotate each (outlet, sentence, published) as an article; keep it one sentence for the labeller."""
    from ..annotate import annotate

    arts = [Article(id=hashlib.sha1(f"{o}\n{t}\n{d}".encode()).hexdigest()[:16], text=t,
                    paragraphs=(Paragraph(t),), outlet=o, published=d) for o, t, d in texts]
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
    texts = sorted({(r["outlet_a"], r["text_a"], r.get("date_a")) for r in rows}
                   | {(r["outlet_b"], r["text_b"], r.get("date_b")) for r in rows}, key=str)
    anns = _one_sentence_articles(texts)
    claims = extract_claims(anns)
    by_id = {a.article.id: (o, t, d) for a, (o, t, d) in zip(anns, texts, strict=True)}
    claim_of = {by_id[c.article_id]: c for c in claims}
    by_event: dict[str, set[tuple[str, str, str | None]]] = defaultdict(set)
    for r in rows:
        by_event[r["event_id"]].update({(r["outlet_a"], r["text_a"], r.get("date_a")),
                                        (r["outlet_b"], r["text_b"], r.get("date_b"))})
    idf = {ev: idf_table([claim_of[t] for t in ts if t in claim_of]) for ev, ts in by_event.items()}

    confusion: dict[str, Counter[tuple[str, str]]] = {"report": Counter(), "tune": Counter(), "all": Counter()}
    for r in rows:
        a = claim_of.get((r["outlet_a"], r["text_a"], r.get("date_a")))
        b = claim_of.get((r["outlet_b"], r["text_b"], r.get("date_b")))
        pred = "unrelated" if a is None or b is None else label_pair(a, b, idf[r["event_id"]])[0]
        part = "tune" if r.get("split") == "tune" else "report"
        confusion[part][(r["label"], pred)] += 1
        confusion["all"][(r["label"], pred)] += 1

    out: dict[str, Any] = {}
    for part, prefix in (("report", ""), ("all", "all_"), ("tune", "tune_")):
        if part == "tune" and not confusion["tune"]:
            continue
        out.update({f"{prefix}{k}": v for k, v in _scores(confusion[part]).items()})
    return out


def _scores(confusion: Counter[tuple[str, str]]) -> dict[str, Any]:
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
        "accuracy": sum(confusion[(x, x)] for x in LABELS) / total if total else 0.0,
        "gold_conflicts": sum(v for (g, _), v in confusion.items() if g == "conflict"),
        "predicted_conflicts": sum(v for (_, p), v in confusion.items() if p == "conflict"),
        **{f"confusion_{g}_{p}": confusion[(g, p)] for g in LABELS for p in LABELS},
    }


def render(scores: dict[str, Any]) -> Any:
    from rich.table import Table

    part = "reporting" if "all_pairs" in scores and scores["all_pairs"] != scores["pairs"] else "all"
    table = Table(title=f"Fact labeller on {scores['pairs']} hand-labelled cross-outlet pairs ({part} rows; "
                        "rows: gold, columns: predicted)")
    table.add_column("gold \\ predicted")
    for lab in LABELS:
        table.add_column(lab, justify="right")
    for g in LABELS:
        table.add_row(g, *(str(scores[f"confusion_{g}_{p}"]) for p in LABELS))
    table.caption = (f"conflict P {scores['conflict_precision']:.3f} R {scores['conflict_recall']:.3f} "
                     f"(gold {scores['gold_conflicts']}, predicted {scores['predicted_conflicts']}) · "
                     f"agree F1 {scores['agree_f1']:.3f} · accuracy {scores['accuracy']:.3f}; "
                     "targets: conflict P ≥ 0.9, R ≥ 0.6")
    if "all_pairs" in scores and scores["all_pairs"] != scores["pairs"]:
        table.caption += (f"\nall {scores['all_pairs']} rows (tuning rows included): conflict P "
                          f"{scores['all_conflict_precision']:.3f} R {scores['all_conflict_recall']:.3f} "
                          f"(gold {scores['all_gold_conflicts']}) · agree F1 {scores['all_agree_f1']:.3f}")
    return table
