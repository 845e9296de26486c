"""Benchmark event coding: what the ``rashomon_events`` component adds to the annotate pass.

Measured in one process, on the same inputs:

1. **Annotate with vs without events.** ECB+ news documents (``--docs``, default 100, from
   ``../shared/data/xsource/ecbplus``) go through ingest's JSONL reader and
   :func:`rashomon.annotate.annotate_iter` twice per pipeline, alternating, with every
   Rashomon component and with every component except ``rashomon_events``; best pass of
   each, tokens/s.
2. **The coder alone.** The same documents, parsed once by the pipeline without events,
   then only the component (coding + Event records) is timed: sentences/s beyond the parse.
3. **Bare sentences.** News sentences from ``event_location_silver.train.jsonl`` parsed once,
   then :func:`rashomon.events.code_doc` timed (the evaluation path), next to the raw parse.

    .venv/bin/python scripts/bench_events.py [--docs 100] [--n 2000] [--out docs/sections/events-benchmarks.md]

``make bench`` runs it (``scripts/bench.py``) before merging the ``*-benchmarks.md`` sections.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVENTS = ROOT.parent / "shared" / "data" / "events" / "event_location_silver.train.jsonl"
ECBPLUS = ROOT.parent / "shared" / "data" / "xsource" / "ecbplus"
FALLBACK = ROOT / "data" / "ecbplus-sample" / "ecbplus_dev_articles.jsonl"
DEFAULT_OUT = ROOT / "docs" / "sections" / "events-benchmarks.md"


def sentences(path: Path, n: int) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text") or ""
            if text and text not in seen:
                seen.add(text)
                out.append(text)
            if len(out) >= n:
                break
    return out


def article_rows(n: int) -> tuple[list[dict[str, object]], str]:
    from rashomon.eval.ecbplus import read_jsonl, to_article_row

    if ECBPLUS.exists():
        rows = [to_article_row(d) for f in sorted(ECBPLUS.glob("ecbplus_*.jsonl.gz")) for d in read_jsonl(f)]
        where = "ECB+ train+dev documents"
    else:
        rows = [json.loads(line) for line in FALLBACK.open(encoding="utf-8")]
        where = f"{FALLBACK.name}"
    return rows[:n], where


def _timed(fn):  # type: ignore[no-untyped-def]
    t0, c0 = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100, help="ECB+ documents to annotate")
    ap.add_argument("--n", type=int, default=2000, help="bare sentences to parse and code")
    ap.add_argument("--repeat", type=int, default=2, help="passes per measurement (best is reported)")
    ap.add_argument("--out", type=Path, default=None, help="write the markdown section here")
    args = ap.parse_args()

    import warnings

    warnings.filterwarnings("ignore")
    from rashomon.annotate import annotate_iter, load_nlp
    from rashomon.annotate.components import DEFAULT_COMPONENTS
    from rashomon.events import code_doc
    from rashomon.events.component import EventsComponent, extract
    from rashomon.ingest import ingest

    load = os.getloadavg()[0]
    rows, where = article_rows(args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        articles = ingest([str(corpus)]).articles

    with_events = load_nlp()
    without = load_nlp(components=tuple(c for c in DEFAULT_COMPONENTS if c != "rashomon_events"))
    for nlp in (with_events, without):
        list(nlp.pipe(["Warm up: the minister met the envoy on Monday."] * 4))

    # 1. annotate throughput, alternating the two pipelines
    best: dict[str, tuple[float, float]] = {}
    tokens = {"with": 0, "without": 0}
    n_raw = 0
    for _ in range(max(1, args.repeat)):
        for key, nlp in (("without", without), ("with", with_events)):
            recs, wall, cpu = _timed(lambda nlp=nlp: list(annotate_iter(articles, nlp)))
            tokens[key] = sum(a.n_tokens for a in recs)
            if key == "with":
                n_raw = sum(len(a.raw_events) for a in recs)
            old = best.get(key)
            best[key] = (min(wall, old[0]) if old else wall, min(cpu, old[1]) if old else cpu)

    # 2. the component alone, on the annotate pass's own Docs
    docs = list(without.pipe((_make(without, a) for a in articles), batch_size=32))
    n_doc_sents = sum(1 for d in docs for _ in d.sents)
    comp = EventsComponent()
    coder_wall = coder_cpu = float("inf")
    for _ in range(max(1, args.repeat) + 1):
        _, wall, cpu = _timed(lambda: [extract(comp(d)) for d in docs])
        coder_wall, coder_cpu = min(coder_wall, wall), min(coder_cpu, cpu)

    # 3. bare sentences (the evaluation path), next to their raw parse
    texts = sentences(EVENTS, args.n) if EVENTS.exists() else []
    parse_pipes = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "rashomon_paragraphs")
    disable = [p for p in without.pipe_names if p not in parse_pipes]
    sent_rows: list[str] = []
    if texts:
        sdocs, p_wall, p_cpu = _timed(lambda: list(without.pipe(texts, batch_size=64, disable=disable)))
        n_s = sum(1 for d in sdocs for _ in d.sents)
        s_wall = s_cpu = float("inf")
        n_ev = 0
        for _ in range(max(1, args.repeat) + 1):
            n_ev, wall, cpu = _timed(lambda: sum(len(code_doc(d, skip_roles=True)) for d in sdocs))
            s_wall, s_cpu = min(s_wall, wall), min(s_cpu, cpu)
        sent_rows = [
            f"| spaCy parse of {n_s:,} bare news sentences (`{EVENTS.name}`) | {p_wall:.2f} | "
            f"{n_s / p_wall:,.0f} | {p_cpu:.2f} | {n_s / p_cpu:,.0f} |",
            f"| `code_doc` on those parsed sentences ({n_ev} raw events) | {s_wall:.2f} | "
            f"{n_s / s_wall:,.0f} | {s_cpu:.2f} | {n_s / s_cpu:,.0f} |",
        ]

    tw, tc = tokens["without"], tokens["with"]
    (w0, c0), (w1, c1) = best["without"], best["with"]
    lines = [
        "## Event coding throughput",
        "",
        f"Command: `.venv/bin/python scripts/bench_events.py --docs {args.docs} --n {args.n}` "
        f"(run by `make bench`). {len(articles)} {where}, {n_doc_sents:,} sentences; best of "
        f"{max(1, args.repeat)} alternating passes. Machine: {platform.machine()}, {os.cpu_count()} CPUs "
        f"shared with other jobs (load average at start {load:.1f}), Python {platform.python_version()}. "
        "CPU seconds are this process's own time, less sensitive to the other jobs than wall time.",
        "",
        "Event coding is the `rashomon_events` spaCy component, last in the annotate pipeline: it reads the"
        " parse, the resolved dates and the places (datelines apart) the annotate pass already made, and"
        " stores un-deduplicated events on `AnnotatedArticle.raw_events`; `code_events` then only assigns"
        " stories and merges (no second parse).",
        "",
        "| annotate (ingest JSONL → `annotate_iter`) | tokens | wall s | tokens/s (wall) | CPU s | tokens/s (CPU) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| all components except `rashomon_events` | {tw:,} | {w0:.2f} | {tw / w0:,.0f} | {c0:.2f} | {tw / c0:,.0f} |",
        f"| all components with `rashomon_events` ({n_raw} raw events) | {tc:,} | {w1:.2f} | {tc / w1:,.0f} "
        f"| {c1:.2f} | {tc / c1:,.0f} |",
        "",
        f"With events the annotate pass runs at {w0 / w1:.2f}× (wall) / {c0 / c1:.2f}× (CPU) the speed"
        " without them.",
        "",
        "| coder alone (beyond the parse) | wall s | sentences/s (wall) | CPU s | sentences/s (CPU) |",
        "|---|---:|---:|---:|---:|",
        f"| `rashomon_events` + `extract` on the {len(docs)} annotated ECB+ Docs ({n_doc_sents:,} sentences) "
        f"| {coder_wall:.2f} | {n_doc_sents / coder_wall:,.0f} | {coder_cpu:.2f} | {n_doc_sents / coder_cpu:,.0f} |",
        *sent_rows,
        "",
        "Target (issue 6): ≥ 1,500 sentences/s for the coder itself on this 2-core machine. Anchors:"
        " PETRARCH-2 codes ≈ 150 sentences/s, TABARI 1–2k (their own figures, other hardware and input)."
        " Before the component existed, `code_events` parsed every article a second time (tok2vec,"
        " tagger, parser, lemmatizer, NER), i.e. it cost as much as the raw parse row above; now the"
        " only cost beyond annotate is the coder row.",
        "",
        "What keeps the coder fast: a verb whose lemma is not in the lexicon (most verbs) is dropped"
        " before any tree walk; common nouns that cannot name an actor are rejected before the"
        " noun-phrase analysis; the per-Doc entity index, lexicon, codebook and country/role look-ups"
        " are built or cached once.",
    ]
    report = "\n".join(lines)
    print(report)
    out = args.out
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report + "\n", encoding="utf-8")


def _make(nlp, article):  # type: ignore[no-untyped-def]
    from rashomon.annotate import make_doc

    return make_doc(nlp, article)


if __name__ == "__main__":
    main()
