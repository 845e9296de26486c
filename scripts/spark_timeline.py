"""Where a Spark run's task slots were busy and where they idled, from its event log.

    .venv/bin/python scripts/spark_timeline.py EVENT_LOG --slots 2 [--svg timeline.svg]

Reads a Spark event log (``spark.eventLog.enabled``, uncompressed JSON lines; ``bench_spark.py
--event-log DIR`` writes one per Spark mode) and prints, as JSON: the span from the first task
to the last, the busy task-seconds per scheduler pool (the job's main pool and the background
pool of ``rashomon.spark.job``), the idle slot-seconds (slots × span − busy) and the share of
the span in which at most one task ran (a serial phase on a two-slot run). ``--svg`` draws the
number of running tasks over time, stacked by pool, with each job's start marked.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MAIN_POOL = "default"


def _lines(path: Path) -> Iterator[str]:
    """Lines of an event log: one file, or a rolling log's folder (``eventlog_v2_*``, Spark 4's
    default) read in its files' order (``events_1_…``, ``events_2_…``)."""
    files = [path]
    if path.is_dir():
        files = sorted((p for p in path.iterdir() if p.name.startswith("events_")),
                       key=lambda p: int(p.name.split("_")[1]))
    for f in files:
        with f.open(encoding="utf-8") as fh:
            yield from fh


def read_events(path: Path) -> dict[str, Any]:
    """Tasks ``(launch s, finish s, pool)`` and jobs ``(submitted s, pool)``, in seconds from
    the first task's launch."""
    pool_of_stage: dict[int, str] = {}
    jobs: list[tuple[float, str]] = []
    tasks: list[tuple[float, float, str]] = []
    for line in _lines(path):
        if line.strip():
            ev = json.loads(line)
            kind = ev.get("Event")
            if kind == "SparkListenerJobStart":
                pool = (ev.get("Properties") or {}).get("spark.scheduler.pool") or MAIN_POOL
                for sid in ev.get("Stage IDs", ()):
                    pool_of_stage[sid] = pool
                jobs.append((ev["Submission Time"] / 1000, pool))
            elif kind == "SparkListenerTaskEnd":
                info = ev["Task Info"]
                tasks.append((info["Launch Time"] / 1000, info["Finish Time"] / 1000,
                              pool_of_stage.get(ev["Stage ID"], MAIN_POOL)))
    if not tasks:
        raise SystemExit(f"{path}: no finished tasks in this event log")
    t0 = min(t[0] for t in tasks)
    return {"tasks": [(a - t0, b - t0, p) for a, b, p in tasks],
            "jobs": [(s - t0, p) for s, p in jobs if s >= t0]}


def running(tasks: list[tuple[float, float, str]], step: float) -> tuple[list[float], dict[str, list[float]]]:
    """Average number of running tasks per pool in each ``step``-second bin."""
    end = max(t[1] for t in tasks)
    n = max(1, math.ceil(end / step))
    busy: dict[str, list[float]] = defaultdict(lambda: [0.0] * n)
    for a, b, pool in tasks:
        i = int(a / step)
        while i < n and i * step < b:
            lo, hi = max(a, i * step), min(b, (i + 1) * step)
            busy[pool][i] += max(0.0, hi - lo) / step
            i += 1
    return [i * step for i in range(n)], dict(busy)


def summarize(events: dict[str, Any], slots: int, step: float = 1.0) -> dict[str, Any]:
    tasks = events["tasks"]
    span = max(t[1] for t in tasks)
    per_pool: dict[str, float] = defaultdict(float)
    for a, b, pool in tasks:
        per_pool[pool] += b - a
    busy = sum(per_pool.values())
    times, by_pool = running(tasks, step)
    total = [sum(v[i] for v in by_pool.values()) for i in range(len(times))]
    return {"span_seconds": round(span, 1), "slots": slots, "tasks": len(tasks),
            "busy_task_seconds": {p: round(s, 1) for p, s in sorted(per_pool.items())},
            "idle_slot_seconds": round(slots * span - busy, 1),
            "utilisation": round(busy / (slots * span), 3),
            "share_at_most_one_task": round(sum(1 for x in total if x <= 1.0) / len(total), 3)}


def svg(events: dict[str, Any], slots: int, path: Path, step: float = 2.0) -> None:
    """Running tasks over time, stacked by pool (plain SVG, no plotting library)."""
    times, by_pool = running(events["tasks"], step)
    pools = sorted(by_pool, key=lambda p: (p != MAIN_POOL, p))
    colours = ["#3a6ea5", "#d08a2b", "#6a9a4b", "#a05a9a"]
    left, top, width, height = 50, 30, 760, 160
    span = times[-1] + step
    x = lambda t: left + width * t / span  # noqa: E731
    y = lambda v: top + height * (1 - v / max(slots, 1))  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 20}" height="{top + height + 60}" '
           'font-family="sans-serif" font-size="12">',
           f'<text x="{left}" y="18" fill="#333">running tasks over time ({slots} slots), by scheduler pool; '
           'ticks: job submitted</text>']
    base = [0.0] * len(times)
    for k, pool in enumerate(pools):
        vals = by_pool[pool]
        upper = [b + v for b, v in zip(base, vals, strict=True)]
        pts = [f"{x(t):.1f},{y(u):.1f}" for t, u in zip(times, upper, strict=True)]
        pts += [f"{x(t):.1f},{y(b):.1f}" for t, b in reversed(list(zip(times, base, strict=True)))]
        out.append(f'<polygon points="{" ".join(pts)}" fill="{colours[k % len(colours)]}" fill-opacity="0.8"/>')
        out.append(f'<rect x="{left + 10 + 150 * k}" y="{top + height + 34}" width="12" height="12" '
                   f'fill="{colours[k % len(colours)]}"/>')
        out.append(f'<text x="{left + 26 + 150 * k}" y="{top + height + 44}">{pool}</text>')
        base = upper
    for s in range(slots + 1):
        out.append(f'<line x1="{left}" x2="{left + width}" y1="{y(s):.1f}" y2="{y(s):.1f}" stroke="#ccc"/>')
        out.append(f'<text x="{left - 6}" y="{y(s) + 4:.1f}" text-anchor="end">{s}</text>')
    for t, _ in events["jobs"]:
        out.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top + height}" y2="{top + height + 6}" stroke="#000"/>')
    for t in range(0, int(span) + 1, max(60, int(span / 10) // 60 * 60)):
        out.append(f'<text x="{x(t):.1f}" y="{top + height + 20}" text-anchor="middle">{t} s</text>')
    out.append("</svg>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("log", type=Path)
    ap.add_argument("--slots", type=int, required=True)
    ap.add_argument("--svg", type=Path)
    args = ap.parse_args()
    events = read_events(args.log)
    print(json.dumps(summarize(events, args.slots), indent=2))
    if args.svg:
        svg(events, args.slots, args.svg)


if __name__ == "__main__":
    main()
