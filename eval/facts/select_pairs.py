"""Select candidate cross-outlet sentence pairs from BASIL dev for hand labelling.

Per event (same event told by Fox / NYT / HuffPost): the two most similar cross-outlet
pairs by Rashomon's claim aligner, one pair whose sentences both carry a number of the same
counted noun (where conflicts live), and one uniformly random cross-outlet pair (seeded),
so the set is not biased towards what the system already aligns. Labels are added by hand
(see guidelines.md); this script only writes the unlabelled candidates.

A second pass (``--conflict-candidates FIRST_PASS.jsonl``) adds, per event, the most
similar not-yet-chosen cross-outlet pair whose sentences give different values of the same
counted noun or negate a shared predicate on one side only: conflicts are rare in
same-event coverage and would otherwise hardly appear in the set.

    .venv/bin/python eval/facts/select_pairs.py ../shared/data/xsource/basil/basil_dev.jsonl > first.jsonl
    .venv/bin/python eval/facts/select_pairs.py ../shared/data/xsource/basil/basil_dev.jsonl \
        --conflict-candidates first.jsonl > second.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from rashomon.compare import extract_claims, idf_table, similarity
from rashomon.records import AnnotatedArticle, Article, Paragraph, Sentence


def _annotated(art: dict) -> AnnotatedArticle:
    text = art["text"]
    sents = tuple(Sentence(index=s["sent"], text=text[s["char_start"]:s["char_end"]].strip(), role="body",
                           start=s["char_start"], end=s["char_end"]) for s in art["sentences"])
    article = Article(id=art["doc_id"], text=text, paragraphs=(Paragraph(text),), outlet=art["outlet"],
                      published=art.get("date"))
    return AnnotatedArticle(article=article, sentences=sents)


def main(path: str) -> None:
    rng = random.Random(20240611)
    events = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]
    for ev in events:
        anns = [_annotated(a) for a in ev["articles"]]
        claims = extract_claims(anns)
        idf = idf_table(claims)
        cross = [(a, b) for i, a in enumerate(claims) for b in claims[i + 1:] if a.outlet != b.outlet]
        if not cross:
            continue
        scored = sorted(cross, key=lambda p: -similarity(p[0], p[1], idf))
        picked: list[tuple[str, object, object]] = [("aligner", *scored[0]), ("aligner", *scored[1])]
        numeric = [p for p in cross if {n.unit for n in p[0].numbers if n.unit}
                   & {n.unit for n in p[1].numbers if n.unit}]
        if numeric:
            picked.append(("same_unit_number", *rng.choice(numeric)))
        picked.append(("random", *rng.choice(cross)))
        seen = set()
        for how, a, b in picked:
            key = (a.article_id, a.sentence_index, b.article_id, b.sentence_index)
            if key in seen:
                continue
            seen.add(key)
            print(json.dumps({
                "event_id": ev["event_id"], "main_event": ev["main_event"], "selected_by": how,
                "doc_a": a.article_id, "outlet_a": a.outlet, "sent_a": a.sentence_index, "text_a": a.text,
                "doc_b": b.article_id, "outlet_b": b.outlet, "sent_b": b.sentence_index, "text_b": b.text,
            }, ensure_ascii=False))


def _row(ev: dict, how: str, a, b) -> str:
    return json.dumps({
        "event_id": ev["event_id"], "main_event": ev["main_event"], "selected_by": how,
        "doc_a": a.article_id, "outlet_a": a.outlet, "sent_a": a.sentence_index, "text_a": a.text,
        "doc_b": b.article_id, "outlet_b": b.outlet, "sent_b": b.sentence_index, "text_b": b.text,
    }, ensure_ascii=False)


def conflict_candidates(path: str, first_pass: str) -> None:
    seen = set()
    for line in Path(first_pass).read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        seen.add((r["doc_a"], r["sent_a"], r["doc_b"], r["sent_b"]))
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        ev = json.loads(line)
        claims = extract_claims([_annotated(a) for a in ev["articles"]])
        idf = idf_table(claims)
        cands = []
        for i, a in enumerate(claims):
            for b in claims[i + 1:]:
                if a.outlet == b.outlet or (a.article_id, a.sentence_index, b.article_id, b.sentence_index) in seen:
                    continue
                differs = any(x.unit and x.unit == y.unit and x.value != y.value
                              for x in a.numbers for y in b.numbers)
                negation = bool(set(a.negated) ^ set(b.negated)) and bool(set(a.predicates) & set(b.predicates))
                if differs or negation:
                    cands.append((similarity(a, b, idf), a, b, "number_differs" if differs else "negation_differs"))
        cands.sort(key=lambda x: -x[0])
        for _, a, b, how in cands[:1]:
            print(_row(ev, how, a, b))


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[2] == "--conflict-candidates":
        conflict_candidates(sys.argv[1], sys.argv[3])
    else:
        main(sys.argv[1])
