"""Benchmark the event coder beyond the spaCy parse.

Parses a sentence sample once with the same pipes the coder uses (timed: the raw parse
rate), then times only :func:`rashomon.events.code_doc` over the parsed Docs (the coder
rate), in the same run and process. Sentences come from the event benchmark data
(``../shared/data/events``: the event-location silver file has ~9,500 news sentences) or
from any JSONL file with a ``text`` field.

    .venv/bin/python scripts/bench_events.py --n 2000 [--data FILE] [--out docs/sections/events-benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "events" / "event_location_silver.train.jsonl"


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="sentences to parse and code")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=3, help="coder passes (best is reported)")
    ap.add_argument("--out", type=Path, default=None, help="write a markdown section here")
    args = ap.parse_args()

    from rashomon.annotate import load_nlp
    from rashomon.events import code_doc
    from rashomon.events.codebook import load_codebook
    from rashomon.events.verbs import load_lexicon

    texts = sentences(args.data, args.n)
    nlp = load_nlp()
    keep = {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "rashomon_paragraphs"}
    disable = [p for p in nlp.pipe_names if p not in keep]
    load_codebook(), load_lexicon()  # loaded once per process, not part of the per-sentence cost

    t0, c0 = time.perf_counter(), time.process_time()
    docs = list(nlp.pipe(texts, batch_size=64, disable=disable))
    parse_s, parse_cpu = time.perf_counter() - t0, time.process_time() - c0
    n_sents = sum(1 for d in docs for _ in d.sents)

    best = best_cpu = float("inf")
    n_events = 0
    for _ in range(max(1, args.repeat)):
        t1, c1 = time.perf_counter(), time.process_time()
        n_events = sum(len(code_doc(d, skip_roles=True)) for d in docs)
        best = min(best, time.perf_counter() - t1)
        best_cpu = min(best_cpu, time.process_time() - c1)

    parse_rate = n_sents / parse_s
    coder_rate = n_sents / best
    lines = [
        "## Event coder throughput",
        "",
        f"Command: `.venv/bin/python scripts/bench_events.py --n {args.n}` "
        f"(sentences from `{args.data.name}`; parse once, then time only the coder, best of {args.repeat}).",
        "",
        "| stage | sentences | wall s | sentences/s (wall) | CPU s | sentences/s (CPU) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| spaCy parse ({', '.join(p for p in nlp.pipe_names if p not in disable)}) | {n_sents} "
        f"| {parse_s:.2f} | {parse_rate:,.0f} | {parse_cpu:.2f} | {n_sents / parse_cpu:,.0f} |",
        f"| event coder (`code_doc`, beyond the parse) | {n_sents} | {best:.2f} | {coder_rate:,.0f} "
        f"| {best_cpu:.2f} | {n_sents / best_cpu:,.0f} |",
        "",
        f"{n_events} raw events coded. Machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs shared with other jobs (load average at start "
        f"{os.getloadavg()[0]:.1f}), Python {platform.python_version()}. CPU seconds are this "
        f"process's own time, less sensitive to the other jobs than wall time.",
    ]
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
