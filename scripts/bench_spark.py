"""Scaling curve of the whole pipeline: the CLI path vs the Spark job in local[1] and local[2].

Corpus: every ECB+ document (train + dev, real news texts), repeated with light perturbation
until there are --n articles: copy k shifts every number by k, replaces the document's most
frequent capitalised name with another surname, and is dated one of 14 consecutive days, so
ids differ, stories differ and the time blocking has days to split on. One JSONL file.

Each mode runs in its own process; peak memory is the largest sum of resident memory over
that process and all its children (JVM, Python workers), sampled every 0.2 s. A mode ending in
``@1cpu`` (``local[1]@1cpu``) runs pinned to one CPU with everything it starts (JVM, Python
workers), i.e. a one-core machine; unpinned ``local[1]`` has one task slot but its driver, JVM
threads and garbage collection use the other core. ``--ceiling`` first measures what the
hardware gives the pipeline's main cost: spaCy ``nlp.pipe`` in one process vs the same work in
two concurrent processes (the best ``local[2]`` could do on annotation). The JSON is rewritten
after every mode, so an interrupted run keeps what it measured.

    .venv/bin/python scripts/bench_spark.py --n 10000 --out docs/sections/spark-benchmarks.json

Writes a JSON of the measurements; docs/sections/spark-benchmarks.md quotes them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "xsource" / "ecbplus"
SURNAMES = ["Abara", "Bellweather", "Castellanos", "Dunmore", "Eriksen", "Fairbanks", "Galloway",
            "Halvorsen", "Ingram", "Jablonski", "Kowalczyk", "Lindqvist", "Montgomery", "Nakamura",
            "Okonkwo", "Petrakis", "Quintero", "Rasmussen", "Sandoval", "Takahashi", "Underwood",
            "Valdivia", "Whitfield", "Xiong", "Yamamoto", "Zeller"]
_NUM = re.compile(r"\b\d+\b")
_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{3,}\b")


def make_corpus(n: int, path: Path) -> int:
    from rashomon.eval.ecbplus import read_jsonl, to_article_row

    rows = [to_article_row(d) for split in ("train", "dev")
            for d in read_jsonl(DATA / f"ecbplus_{split}.jsonl.gz")]
    written = 0
    with path.open("w", encoding="utf-8") as fh:
        k = 0
        while written < n:
            for row in rows:
                if written >= n:
                    break
                text, title = row["text"], row["title"] or ""
                if k:
                    names = Counter(_NAME.findall(text))
                    if names:
                        name = names.most_common(1)[0][0]
                        new = SURNAMES[(k + len(name)) % len(SURNAMES)]
                        text, title = text.replace(name, new), title.replace(name, new)
                    text = _NUM.sub(lambda m, k=k: str(int(m.group(0)) + k), text)
                    title = _NUM.sub(lambda m, k=k: str(int(m.group(0)) + k), title)
                fh.write(json.dumps({"id": f"{row['id']}#{k}", "title": title, "text": text,
                                     "url": row["url"], "outlet": row["outlet"],
                                     "published": f"2024-05-{1 + (k + row['topic']) % 14:02d}"}) + "\n")
                written += 1
            k += 1
    return written


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, ()))
    return total


def measure(cmd: list[str], cpus: set[int] | None = None, log_dir: Path | None = None) -> dict[str, Any]:
    start = time.perf_counter()
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None  # inherited by the JVM and workers
    env = dict(os.environ, RASHOMON_BENCH_EVENT_LOG=str(log_dir)) if log_dir else None
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, preexec_fn=pin,
                            env=env)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.2)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, _ = proc.communicate()
    done.set()
    t.join()
    if proc.returncode != 0:
        raise SystemExit(f"{cmd} failed with exit code {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["wall_seconds"] = round(time.perf_counter() - start, 2)
    result["peak_rss_mb"] = round(peak / 2**20, 1)
    return result


def timeline(log_dir: Path, master: str) -> dict[str, Any]:
    """The task timeline of the newest event log in ``log_dir`` (and an SVG of it beside it)."""
    from spark_timeline import read_events, summarize, svg

    logs = sorted((p for p in log_dir.iterdir() if p.suffix != ".svg"),
                  key=lambda p: p.stat().st_mtime)
    m = re.match(r"local\[(\d+)", master)
    slots = int(m.group(1)) if m else os.cpu_count() or 1
    events = read_events(logs[-1])
    svg(events, slots, log_dir / "timeline.svg")
    return summarize(events, slots)


def _parse_texts(texts: list[str], barrier: Any, queue: Any) -> None:
    from rashomon.annotate import load_nlp

    nlp = load_nlp(components=())
    list(nlp.pipe(texts[:5]))  # warm
    barrier.wait()
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    queue.put(time.perf_counter() - t)


def hardware_ceiling(corpus: Path, k: int = 200) -> dict[str, float]:
    """spaCy parsing of ``k`` corpus texts in one process, then in each of two concurrent ones."""
    import multiprocessing as mp

    with corpus.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(k), fh, strict=False)]
    words = sum(len(t.split()) for t in texts)
    ctx = mp.get_context("spawn")
    seconds = {}
    for n in (1, 2):
        barrier, queue = ctx.Barrier(n), ctx.Queue()
        procs = [ctx.Process(target=_parse_texts, args=(texts, barrier, queue)) for _ in range(n)]
        for proc in procs:
            proc.start()
        seconds[n] = max(queue.get() for _ in procs)
        for proc in procs:
            proc.join()
    return {"texts": len(texts), "words": words, "one_process_seconds": round(seconds[1], 2),
            "two_processes_seconds": round(seconds[2], 2),
            "words_per_second_1": round(words / seconds[1]), "words_per_second_2": round(2 * words / seconds[2]),
            "scaling": round(2 * seconds[1] / seconds[2], 3)}


def run_cli(corpus: str, db: str) -> None:
    from rashomon.pipeline import analyze
    from rashomon.store import Store

    t = time.perf_counter()
    with Store(db) as store:
        analysis = analyze([corpus], store=store)
        counts = store.counts()
    print(json.dumps({"articles": len(analysis.articles), "stories": len(analysis.stories),
                      "seconds": round(time.perf_counter() - t, 2), "rows": counts}))


def run_spark(corpus: str, out: str, master: str) -> None:
    from rashomon.spark import JobOptions, run_job, spark_session

    t = time.perf_counter()
    log_dir = os.environ.get("RASHOMON_BENCH_EVENT_LOG")  # --event-log: where this mode's log goes
    conf = {"spark.eventLog.enabled": "true", "spark.eventLog.dir": Path(log_dir).resolve().as_uri(),
            "spark.eventLog.compress": "false"} if log_dir else None
    spark = spark_session(master, shuffle_partitions=8, driver_memory="2g", conf=conf)
    started = time.perf_counter() - t
    result = run_job(spark, [corpus], out, JobOptions())
    spark.stop()
    print(json.dumps({"articles": result.articles, "stories": result.stories, "blocks": result.blocks,
                      "largest_block": result.largest_block, "seconds": round(time.perf_counter() - t, 2),
                      "session_start_seconds": round(started, 2), "stages": result.seconds,
                      "rows": result.rows}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="articles in the corpus")
    ap.add_argument("--modes", default="cli,local[1],local[2]",
                    help="comma-separated: cli, local[N], local[N]@1cpu (pinned to one CPU)")
    ap.add_argument("--ceiling", action="store_true", help="measure 1 vs 2 spaCy processes first")
    ap.add_argument("--out", default=str(ROOT / "docs" / "sections" / "spark-benchmarks.json"))
    ap.add_argument("--event-log", type=Path,
                    help="write each Spark mode's event log under this folder and add its task timeline "
                         "(scripts/spark_timeline.py: busy/idle slot-seconds, an SVG) to the results")
    ap.add_argument("--child", nargs=3, metavar=("MODE", "CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, corpus, out = args.child
        run_cli(corpus, out) if mode == "cli" else run_spark(corpus, out, mode)
        return

    report: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}

    def save() -> None:
        report["machine"]["load_average_at_end"] = os.getloadavg()
        for base in ("local[1]", "local[1]@1cpu"):
            if base in results and "local[2]" in results:
                key = "speedup_local2_vs_local1" + ("_pinned" if base.endswith("@1cpu") else "")
                report[key] = round(results[base]["wall_seconds"] / results["local[2]"]["wall_seconds"], 2)
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="bench_spark_") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        n = make_corpus(args.n, corpus)
        results: dict[str, dict[str, float]] = {}
        report.update(articles=n, started=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), results=results)
        if args.ceiling:
            report["hardware_ceiling"] = hardware_ceiling(corpus)
            print("spaCy 1 vs 2 processes:", json.dumps(report["hardware_ceiling"]), flush=True)
            save()
        for mode in args.modes.split(","):
            master, _, pin = mode.partition("@")
            target = str(Path(tmp) / ("cli.duckdb" if master == "cli" else f"out-{master}"))
            log_dir = None
            if args.event_log and master.startswith("local"):
                log_dir = args.event_log / mode.replace("[", "").replace("]", "").replace("@", "-")
                log_dir.mkdir(parents=True, exist_ok=True)
            r = measure([sys.executable, __file__, "--child", master, str(corpus), target],
                        cpus={min(os.sched_getaffinity(0))} if pin == "1cpu" else None, log_dir=log_dir)
            if log_dir is not None:
                r["timeline"] = timeline(log_dir, master)
            r["articles_per_second"] = round(n / r["wall_seconds"], 2)
            results[mode] = r
            print(f"{mode:14s} {r['wall_seconds']:8.1f} s  {r['articles_per_second']:6.2f} articles/s  "
                  f"peak {r['peak_rss_mb']:.0f} MB", flush=True)
            save()
    print(json.dumps({k: v for k, v in report.items() if k != "results"}))


if __name__ == "__main__":
    main()
