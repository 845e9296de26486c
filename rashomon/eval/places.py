"""``rashomon eval places``: toponyms and event locations on the event-location gold.

Data: the format of ``../shared/data/events/event_location_gold.dev.jsonl`` (Halterman
2019, ahalterman/event_location): one record per (sentence, event verb) with the verb's
character span and the gold location span(s) of that verb (``[]`` = the sentence gives
no location for it). Only ``meta.source == "RELABEL"`` records are gold; others are
skipped. Some gold spans are broken in the source (zero-width or one character, e.g.
``"g"`` for "San Carlos"); records whose only spans are broken are left out of the
location scores and counted in ``skipped_broken_gold``.

Scores (fractions 0–1):

* ``toponym_recall`` — gold location spans (distinct, per sentence) overlapped by a place
  ``rashomon_places`` found; ``toponym_resolved`` — of those, the share resolved to a
  country (or continent) by the offline gazetteer.
* ``location_precision`` / ``location_recall`` / ``location_f1`` — per verb, the place
  :func:`~rashomon.annotate.places.place_of_verb` picks, matched to the gold spans by
  character overlap; precision over verbs with a predicted place, recall over verbs with
  a gold place.
* ``no_location_accuracy`` — verbs whose gold says "no location" for which no place is
  predicted.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EvalError

if TYPE_CHECKING:
    from rich.table import Table

__all__ = ["evaluate", "render"]

COMPONENTS = ("rashomon_paragraphs", "rashomon_places")


def _valid(span: dict[str, Any]) -> bool:
    return int(span["end"]) - int(span["start"]) >= 2


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(data: Path, limit: int | None = None, **_options: Any) -> dict[str, Any]:
    from ..annotate import load_nlp
    from ..annotate.places import place_of_verb
    from .ecbplus import read_jsonl

    records = [r for r in read_jsonl(data)
               if r.get("dataset", "event_location") == "event_location"
               and (r.get("meta") or {}).get("source", "RELABEL") == "RELABEL"]
    if not records:
        raise EvalError(f"{data}: no event-location gold records (need 'text', 'verbs', 'locations')")
    if limit:
        records = records[:limit]
    try:
        texts = sorted({str(r["text"]) for r in records})
    except KeyError as exc:
        raise EvalError(f"{data}: record without {exc}") from exc
    nlp = load_nlp(components=COMPONENTS)
    docs = dict(zip(texts, nlp.pipe(texts, batch_size=64), strict=True))

    # Toponym coverage: distinct gold spans per sentence.
    gold_spans: dict[str, set[tuple[int, int]]] = {}
    for r in records:
        gold_spans.setdefault(r["text"], set()).update(
            (int(s["start"]), int(s["end"])) for s in r["locations"] if _valid(s))
    n_gold = found = resolved = 0
    for text, spans in gold_spans.items():
        places = [(p.start_char, p.end_char, p) for p in docs[text]._.places if not p._.place_is_dateline]
        for g in spans:
            n_gold += 1
            hit = [p for s, e, p in places if _overlaps((s, e), g)]
            if hit:
                found += 1
                if any(p._.place_country or p._.place_feature == "continent" for p in hit):
                    resolved += 1

    tp_pred = n_pred = tp_gold = n_with_gold = none_ok = n_none = skipped = 0
    for r in records:
        doc = docs[r["text"]]
        valid = [(int(s["start"]), int(s["end"])) for s in r["locations"] if _valid(s)]
        if r["locations"] and not valid:
            skipped += 1
            continue
        verbs = [span for v in r["verbs"]
                 if (span := doc.char_span(int(v["start"]), int(v["end"]), alignment_mode="expand")) is not None]
        if not verbs:
            skipped += 1
            continue
        pred = place_of_verb(verbs[0].root)
        pred_span = (pred.start_char, pred.end_char) if pred is not None else None
        if valid:
            n_with_gold += 1
            if pred_span and any(_overlaps(pred_span, g) for g in valid):
                tp_gold += 1
        else:
            n_none += 1
            none_ok += pred_span is None
        if pred_span is not None:
            n_pred += 1
            tp_pred += any(_overlaps(pred_span, g) for g in valid)

    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_with_gold if n_with_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "records": len(records),
        "sentences": len(texts),
        "gold_toponyms": n_gold,
        "toponym_recall": round(found / n_gold, 4) if n_gold else 0.0,
        "toponym_resolved": round(resolved / found, 4) if found else 0.0,
        "location_precision": round(precision, 4),
        "location_recall": round(recall, 4),
        "location_f1": round(f1, 4),
        "no_location_accuracy": round(none_ok / n_none, 4) if n_none else 0.0,
        "verbs_with_gold_location": n_with_gold,
        "verbs_without_location": n_none,
        "skipped_broken_gold": skipped,
    }


def render(scores: dict[str, Any]) -> Table:
    from rich.table import Table

    table = Table(title=f"Places and event locations ({scores.get('records')} verbs, "
                        f"{scores.get('sentences')} sentences)")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in scores.items():
        table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
    return table
