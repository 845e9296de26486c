#!/usr/bin/env python
"""Bounded loopback load test of ``rashomon serve`` (and the text-search latency).

Two steps::

    # 1. a store of ~1k real articles (ECB+ train+dev and BASIL from ../shared/data),
    #    through the whole pipeline (a few minutes, once)
    .venv/bin/python scripts/loadtest.py build --out bench.duckdb

    # 2. start `rashomon serve --read-only` on 127.0.0.1 in a subprocess, then
    #    2,000 story-page requests at concurrency 20 (httpx async), the same for the
    #    story JSON, and sequential text searches; prints a Markdown report
    .venv/bin/python scripts/loadtest.py run --db bench.duckdb --markdown docs/sections/web-benchmarks-run.md

Only 127.0.0.1 is ever contacted: the script starts its own server there and refuses any
other host. Errors are any non-200 answer or failed connection; latency is wall time per
request as the client sees it.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "xsource"
SEARCH_TERMS = ["police", "earthquake", "Obama", "killed", "Apple", "shooting", "arrested", "Taliban",
                "president said", "fire", "election", "hospital", "court", "China", "quake", "attack"]


# -- build -------------------------------------------------------------------------------------

def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for split in ("train", "dev"):
        path = SHARED / "ecbplus" / f"ecbplus_{split}.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                rows.append({"text": doc["text"], "title": None, "outlet": None, "published": None,
                             "url": None})
    with (SHARED / "basil" / "basil_dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            for art in json.loads(line)["articles"]:
                rows.append({"text": art["text"], "title": art.get("title"), "outlet": art.get("outlet"),
                             "published": art.get("date"), "url": art.get("url")})
    return rows


def build(out: Path) -> None:
    from rashomon import pipeline
    from rashomon.ingest import ingest
    from rashomon.records import Analysis
    from rashomon.store import Store

    rows = _rows()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bench.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        t0 = time.perf_counter()
        result = ingest([str(src)])
        annotated = pipeline.annotate_articles(result.articles)
        stories = pipeline.cluster_stories(annotated)
        by_id = {a.article.id: a for a in annotated}
        parts: list[Analysis] = []
        failed = 0
        for story in stories:
            arts = [by_id[i] for i in story.article_ids if i in by_id]
            try:
                parts.append(pipeline.analyze_stories(arts, [story], options=pipeline.Options(events=False)))
            except pipeline.StageError as exc:
                # A compare failure on one story must not cost the benchmark its store; the
                # story keeps its articles, without facts.
                failed += 1
                print(f"story {story.id}: {exc}", file=sys.stderr)
                parts.append(Analysis(articles=tuple(arts), stories=(story,)))
        try:
            events = pipeline.analyze_stories(annotated, stories, options=pipeline.Options(compare=False)).events
        except pipeline.StageError as exc:
            print(f"events: {exc}", file=sys.stderr)
            events = ()
        analysis = Analysis(
            articles=tuple(annotated), stories=tuple(stories), failures=result.failures,
            facts=tuple(f for p in parts for f in p.facts), framing=tuple(x for p in parts for x in p.framing),
            summary=tuple(x for p in parts for x in p.summary), timeline=tuple(x for p in parts for x in p.timeline),
            events=events)
        with Store(out) as store:
            store.save_analysis(analysis)
            counts = store.counts()
        took = time.perf_counter() - t0
    print(f"built {out}: {len(analysis.articles)} articles, {len(analysis.stories)} stories "
          f"({failed} without facts: compare failed), {counts.get('facts', 0)} facts, "
          f"{counts.get('events', 0)} events in {took:.0f} s")


# -- run ---------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-c", "from rashomon.cli import main; main()", "serve", "--db", str(db),
           "--host", "127.0.0.1", "--port", str(port), "--read-only"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stories?limit=1", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start within 60 s")


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


async def _hammer(base: str, paths: list[str], concurrency: int) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors: dict[str, int] = {}
    sem = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        async def one(path: str) -> None:
            async with sem:
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    await r.aread()
                    if r.status_code != 200:
                        errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                latencies.append((time.perf_counter() - t0) * 1000)

        t0 = time.perf_counter()
        await asyncio.gather(*(one(p) for p in paths))
        wall = time.perf_counter() - t0
    return {"requests": len(paths), "errors": sum(errors.values()), "error_kinds": errors,
            "p50_ms": _pct(latencies, 50), "p99_ms": _pct(latencies, 99), "max_ms": max(latencies),
            "rps": len(paths) / wall, "wall_s": wall}


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, Python {platform.python_version()}, {platform.system()}"


def run(db: Path, requests: int, concurrency: int, searches: int, markdown: Path | None) -> None:
    import duckdb
    import httpx

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start_server(db, port)
    try:
        stories = httpx.get(f"{base}/api/stories?limit=500", timeout=30).json()
        ids = [s["id"] for s in stories["items"]]
        articles = httpx.get(f"{base}/api/articles?limit=1", timeout=30).json()["total"]
        if not ids:
            raise SystemExit(f"{db} has no stories")
        rng = random.Random(7)
        # cold: every story page once, each rendered from the store (nothing cached yet)
        cold = asyncio.run(_hammer(base, [f"/stories/{i}" for i in ids], concurrency))
        pages = [f"/stories/{rng.choice(ids)}" for _ in range(requests)]
        warm = asyncio.run(_hammer(base, pages, concurrency))
        api = asyncio.run(_hammer(base, [f"/api/stories/{rng.choice(ids)}" for _ in range(requests)], concurrency))
        listing = asyncio.run(_hammer(base, ["/"] * (requests // 4), concurrency))
        # text search: sequential, one client, so each number is one query's latency
        search_lat: list[float] = []
        story_search: list[float] = []
        with httpx.Client(base_url=base, timeout=30) as c:
            for k in range(searches):
                term = SEARCH_TERMS[k % len(SEARCH_TERMS)]
                t0 = time.perf_counter()
                assert c.get("/api/articles", params={"q": term, "limit": 20}).status_code == 200
                search_lat.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                assert c.get("/api/stories", params={"q": term, "limit": 20}).status_code == 200
                story_search.append((time.perf_counter() - t0) * 1000)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

    lines = [
        f"Machine: {_machine()}; DuckDB {duckdb.__version__}. Store: `{db.name}`, {articles} articles, "
        f"{len(ids)} stories (load spread over up to 500 of them).",
        "",
        f"Command: `.venv/bin/python scripts/loadtest.py run --db {db.name} --requests {requests} "
        f"--concurrency {concurrency} --searches {searches}` (server: `rashomon serve --read-only`, "
        "uvicorn, one process, 127.0.0.1).",
        "",
        "| phase | requests | concurrency | errors | p50 ms | p99 ms | max ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, res in (("story pages, first view of each (rendered from the store)", cold),
                      ("story pages, random (`GET /stories/{id}`)", warm),
                      ("story JSON, random (`GET /api/stories/{id}`)", api),
                      ("story list (`GET /`)", listing)):
        lines.append(f"| {name} | {res['requests']} | {concurrency} | {res['errors']} | {res['p50_ms']:.1f} | "
                     f"{res['p99_ms']:.1f} | {res['max_ms']:.1f} | {res['rps']:.0f} |")
    lines += [
        "",
        "| text search (sequential) | queries | p50 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| `GET /api/articles?q=…` (ILIKE scan of title + text) | {len(search_lat)} | "
        f"{statistics.median(search_lat):.1f} | {_pct(search_lat, 99):.1f} | {max(search_lat):.1f} |",
        f"| `GET /api/stories?q=…` (title or any member article) | {len(story_search)} | "
        f"{statistics.median(story_search):.1f} | {_pct(story_search, 99):.1f} | {max(story_search):.1f} |",
    ]
    for res in (cold, warm, api, listing):
        if res["error_kinds"]:
            lines.append(f"\nErrors: {res['error_kinds']}")
    text = "\n".join(lines) + "\n"
    print(text)
    if markdown:
        markdown.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build a ~1k-article store from ../shared/data")
    b.add_argument("--out", type=Path, default=Path("bench.duckdb"))
    r = sub.add_parser("run", help="load-test `rashomon serve` on 127.0.0.1")
    r.add_argument("--db", type=Path, required=True)
    r.add_argument("--requests", type=int, default=2000)
    r.add_argument("--concurrency", type=int, default=20)
    r.add_argument("--searches", type=int, default=200)
    r.add_argument("--markdown", type=Path, default=None, help="also write the report here")
    args = ap.parse_args()
    if args.cmd == "build":
        build(args.out)
    else:
        if not args.db.exists():
            raise SystemExit(f"no store at {args.db}; run `scripts/loadtest.py build --out {args.db}` first")
        run(args.db, args.requests, args.concurrency, args.searches, args.markdown)


if __name__ == "__main__":
    main()
