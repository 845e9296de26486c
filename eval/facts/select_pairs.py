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

A third pass (``--disagreement-candidates LABELLED.jsonl``) picks figure / date / negation
disagreement candidates and a second random pair per event with regular expressions and
word overlap only (no Rashomon code), skipping pairs already in LABELLED.jsonl:

    .venv/bin/python eval/facts/select_pairs.py ../shared/data/xsource/basil/basil_dev.jsonl \
        --disagreement-candidates eval/facts/basil_pairs.jsonl > third.jsonl
"""

from __future__ import annotations

import json
import random
import re
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


# ----------------------------------------------------------------- third pass
# Disagreement candidates chosen WITHOUT Rashomon: plain regular expressions and word
# overlap, so the added pairs are not shaped by what the labeller under test can see.


def _words_of(text: str) -> list[str]:
    return text.split()

_STOP = frozenset(_words_of(
    "a an the of to in on at for from by with and or but as is are was were be been being has have had do "
    "does did it its this that these those he she they his her their them him we our you your i me my "
    "said says say will would could should may might can also who which what when where there than then "
    "not no never n't about after before over into more most one two mr mrs ms just all any some new"
))
_NEGATION = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without|deny|denied|denies)\b|n[’']t\b",
                       re.IGNORECASE)
_MONTHS = _words_of("january february march april may june july august september october november december "
                    "jan feb mar apr jun jul aug sep sept oct nov dec")
_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMBER = re.compile(r"(?<![\w.])(\$?\d[\d,]*(?:\.\d+)?%?|one|two|three|four|five|six|seven|eight|nine|ten|"
                     r"eleven|twelve|twenty|thirty|forty|fifty|hundred|dozens?|hundreds|thousands)"
                     r"((?:\s+(?:million|billion|trillion|thousand))?)"
                     r"(?:\s+(percent|per cent)|\s+(?:[a-z-]+\s+)?([a-z]+))?", re.IGNORECASE)


def _stem(w: str) -> str:
    w = w.lower().strip("'’")
    for suf in ("ings", "ing", "ies", "ed", "es", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def _content(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z'’-]+", text) if w.lower() not in _STOP and len(w) > 2}


def _counts(text: str) -> dict[str, set[str]]:
    """counted noun (stemmed) -> the figures given for it ("50,000 pages" -> {"page": {"50,000"}})."""
    out: dict[str, set[str]] = {}
    for m in _NUMBER.finditer(text):
        if re.fullmatch(r"(19|20)\d\d", m.group(1)):
            continue  # a year is a date, handled below
        figure = (m.group(1) + m.group(2)).lower()
        if figure.endswith("%") or m.group(3):
            noun = "percent"
        elif m.group(4):
            noun = _stem(m.group(4))
        elif m.group(1).startswith("$"):
            noun = "$"
        else:
            continue
        if noun not in _STOP:
            out.setdefault(noun, set()).add(figure.rstrip("%"))
    return out


def _dates(text: str) -> set[str]:
    words = {w.lower().strip(".,") for w in text.split()}
    return ({w for w in words if w in _MONTHS or w in _DAYS}
            | set(re.findall(r"\b(?:19|20)\d\d\b", text)))


def _sentences(art: dict) -> list[tuple[int, str]]:
    text = art["text"]
    return [(s["sent"], text[s["char_start"]:s["char_end"]].strip()) for s in art["sentences"]]


def disagreement_candidates(path: str, existing: str, per_event: int = 3, random_per_event: int = 1,
                            seed: int = 20250101) -> None:
    """Per event: the cross-outlet pairs sharing the most content words whose sentences give
    different figures for one counted noun, different dates, or negate on one side only
    (selected_by ``value_differs`` / ``date_differs`` / ``negation_differs_lexical``), plus
    ``random_per_event`` uniformly random cross-outlet pairs (``random_second_pass``)."""
    rng = random.Random(seed)
    seen = set()
    for line in Path(existing).read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        seen.add((r["doc_a"], r["sent_a"], r["doc_b"], r["sent_b"]))
        seen.add((r["doc_b"], r["sent_b"], r["doc_a"], r["sent_a"]))
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        ev = json.loads(line)
        arts = ev["articles"]
        sents = {a["doc_id"]: _sentences(a) for a in arts}
        cands: list[tuple[float, str, dict, int, str, dict, int, str]] = []
        cross = []
        for i, a in enumerate(arts):
            for b in arts[i + 1:]:
                for sa, ta in sents[a["doc_id"]]:
                    for sb, tb in sents[b["doc_id"]]:
                        if (a["doc_id"], sa, b["doc_id"], sb) in seen or len(ta) < 30 or len(tb) < 30:
                            continue
                        cross.append((a, sa, ta, b, sb, tb))
                        ca, cb = _content(ta), _content(tb)
                        shared = ca & cb
                        if len(shared) < 3:
                            continue
                        overlap = len(shared) / len(ca | cb)
                        na, nb = _counts(ta), _counts(tb)
                        da, db = _dates(ta), _dates(tb)
                        how = ""
                        if any(na[k] != nb[k] for k in set(na) & set(nb)):
                            how = "value_differs"
                        elif da and db and da != db and not (da <= db or db <= da):
                            how = "date_differs"
                        elif bool(_NEGATION.search(ta)) != bool(_NEGATION.search(tb)) and overlap >= 0.2:
                            how = "negation_differs_lexical"
                        if how:
                            cands.append((overlap, how, a, sa, ta, b, sb, tb))
        # Figures first (where most factual conflicts live), then dates, then negation;
        # within a kind the pairs sharing the most words; each sentence used once.
        rank = {"value_differs": 0, "date_differs": 1, "negation_differs_lexical": 2}
        cands.sort(key=lambda c: (rank[c[1]], -c[0]))
        quota = {"value_differs": per_event, "date_differs": 1, "negation_differs_lexical": 1}
        picked = 0
        used: set[tuple[str, int]] = set()
        for _overlap, how, a, sa, ta, b, sb, tb in cands:
            if picked == per_event:
                break
            if not quota[how] or (a["doc_id"], sa) in used or (b["doc_id"], sb) in used:
                continue  # spread the picks over kinds and over different sentences
            quota[how] -= 1
            used.update({(a["doc_id"], sa), (b["doc_id"], sb)})
            seen.add((a["doc_id"], sa, b["doc_id"], sb))
            picked += 1
            print(_raw_row(ev, how, a, sa, ta, b, sb, tb))
        for a, sa, ta, b, sb, tb in rng.sample(cross, min(random_per_event, len(cross))):
            if (a["doc_id"], sa, b["doc_id"], sb) not in seen:
                print(_raw_row(ev, "random_second_pass", a, sa, ta, b, sb, tb))


def _raw_row(ev: dict, how: str, a: dict, sa: int, ta: str, b: dict, sb: int, tb: str) -> str:
    return json.dumps({
        "event_id": ev["event_id"], "main_event": ev["main_event"], "selected_by": how,
        "doc_a": a["doc_id"], "outlet_a": a["outlet"], "sent_a": sa, "text_a": ta,
        "doc_b": b["doc_id"], "outlet_b": b["outlet"], "sent_b": sb, "text_b": tb,
    }, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[2] == "--conflict-candidates":
        conflict_candidates(sys.argv[1], sys.argv[3])
    elif len(sys.argv) > 3 and sys.argv[2] == "--disagreement-candidates":
        disagreement_candidates(sys.argv[1], sys.argv[3])
    else:
        main(sys.argv[1])
