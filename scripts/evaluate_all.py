"""`make eval`: run every `rashomon eval` on ../shared/data and write EVALUATION.md.

Scores go to eval/results/<name>.json (one JSON object per evaluation, the same object
`rashomon eval NAME --json FILE` writes); EVALUATION.md gets a headline table built from
those files plus each stage's analysis section (docs/sections/*-evaluation.md).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

#: name -> (data path, headline keys, published anchor text)
RUNS: dict[str, tuple[Path, tuple[str, ...], str]] = {
    "quotes": (SHARED / "xsource/polnear/polnear_dev.jsonl.gz",
               ("cue_f1_exact", "source_f1_exact", "content_f1_exact", "all_f1_exact", "all_f1_overlap",
                "speaker_accuracy"),
               "Citron on PARC3 (not PolNeAR): exact F1 cue 0.823 / source 0.820 / content 0.593 / all 0.567, "
               "overlap all 0.832; Gender Gap Tracker quote F1 0.837, speaker accuracy 0.865. "
               "Target: all_f1_exact ≥ 0.65, speaker_accuracy ≥ 0.88."),
    "stories": (SHARED / "xsource/ecbplus/ecbplus_dev.jsonl.gz",
                ("topic_b3_f1", "subtopic_b3_f1", "ari", "v_measure"),
                "Barhom et al. 2019 document clusters on ECB+ test: subtopic B³ F1 0.968, ARI 0.965, "
                "V-measure 0.984. Target: subtopic B³ F1 ≥ 0.97."),
    "align": (SHARED / "xsource/ecbplus/ecbplus_dev.jsonl.gz",
              ("conll_f1", "muc_f1", "b3_f1", "ceafe_f1", "conll_f1_predicted"),
              "ECB+ test, gold mentions, CoNLL F1: Barhom 2019 0.795, GPT-4 few-shot 0.768, "
              "Min et al. 2024 0.867. Target ≥ 0.80."),
    "facts": (ROOT / "eval/facts/basil_pairs.jsonl",
              ("conflict_precision", "conflict_recall", "agree_f1"),
              "No published anchor (our hand-labelled BASIL pairs). Target: conflict precision ≥ 0.9, "
              "recall ≥ 0.6."),
    "events": (SHARED / "events",
               ("element_accuracy", "record_accuracy", "cameo_root_macro_f1", "plover_macro_f1"),
               "PETRARCH1 vs PETRARCH2 agree on ≈ 40 % of stories; ConfliBERT ≈ 0.9 macro-F1 on CAMEO "
               "roots (GPU transformer). Target ≥ 0.80 per element, ≥ 0.60 full records."),
    "places": (SHARED / "events/event_location_gold.dev.jsonl",
               ("location_precision", "location_recall", "toponym_recall", "toponym_resolved"),
               "Event location (Halterman 2019 gold, dev part); no published score on this split."),
}


def run(name: str, data: Path) -> dict | None:
    out = ROOT / "eval" / "results" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(ROOT / ".venv/bin/rashomon"), "eval", name, "--data", str(data), "--json", str(out)]
    print("$", " ".join(cmd), file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT)
    if proc.returncode != 0:
        print(f"eval {name} failed with exit code {proc.returncode}", file=sys.stderr)
        return None
    scores = json.loads(out.read_text())
    scores.setdefault("_seconds", round(time.perf_counter() - t0, 1))
    return scores


#: (stage, score key, target) drawn in docs/evaluation.svg: our dev score against the issue's target.
PLOT = [("quotes", "all_f1_exact", 0.65), ("quotes", "speaker_accuracy", 0.88),
        ("stories", "subtopic_b3_f1", 0.97), ("align", "conll_f1", 0.80),
        ("facts", "conflict_precision", 0.90), ("facts", "conflict_recall", 0.60),
        ("events", "element_accuracy", 0.80), ("events", "record_accuracy", 0.60)]


def plot(path: Path) -> bool:
    """A horizontal bar per headline score with a tick at its target (plain SVG, no plotting library)."""
    rows = []
    for name, key, target in PLOT:
        res = ROOT / "eval" / "results" / f"{name}.json"
        if res.exists() and isinstance(json.loads(res.read_text()).get(key), (int, float)):
            rows.append((f"{name} · {key}", float(json.loads(res.read_text())[key]), target))
    if not rows:
        return False
    left, width, row_h = 230, 420, 26
    h = 40 + row_h * len(rows)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" height="{h}" '
           'font-family="sans-serif" font-size="12">',
           f'<text x="{left}" y="16" fill="#333">dev score (bar) vs target (black tick); 0 to 1</text>']
    for i, (label, value, target) in enumerate(rows):
        y = 28 + i * row_h
        colour = "#3a8f4b" if value >= target else "#c9772b"
        out.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{label}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{width}" height="18" fill="#eef0f2"/>')
        out.append(f'<rect x="{left}" y="{y}" width="{width * value:.1f}" height="18" fill="{colour}"/>')
        out.append(f'<line x1="{left + width * target:.1f}" x2="{left + width * target:.1f}" y1="{y - 2}" '
                   f'y2="{y + 20}" stroke="#000" stroke-width="2"/>')
        out.append(f'<text x="{left + width + 6}" y="{y + 14}">{value:.3f}</text>')
    out.append("</svg>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return True


def fmt(v: object) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", default=list(RUNS))
    ap.add_argument("--no-run", action="store_true", help="Only rebuild EVALUATION.md from eval/results.")
    args = ap.parse_args()
    for name in args.names:
        data = RUNS[name][0]
        if not args.no_run:
            if not data.exists():
                print(f"skip {name}: {data} not found", file=sys.stderr)
                continue
            run(name, data)
    lines = ["# Evaluation", "",
             "Accuracy of each stage on the public benchmark data in `../shared/data` (development parts:"
             " held-out test parts exist and are scored separately). Written by `make eval`"
             " (`scripts/evaluate_all.py`), which runs `rashomon eval NAME --data PATH --json"
             " eval/results/NAME.json` for each stage; the tables below are read from those JSON files.", "",
             "| stage | data | score | value | published anchor / target |", "| --- | --- | --- | ---: | --- |"]
    for name, (data, keys, anchor) in RUNS.items():
        res = ROOT / "eval" / "results" / f"{name}.json"
        if not res.exists():
            lines.append(f"| {name} | `{data.name}` | — | not measured | {anchor} |")
            continue
        scores = json.loads(res.read_text())
        for i, key in enumerate(keys):
            lines.append(f"| {name if i == 0 else ''} | {('`' + data.name + '`') if i == 0 else ''} | "
                         f"`{key}` | {fmt(scores.get(key, '—'))} | {anchor if i == 0 else ''} |")
    lines.append("")
    if plot(ROOT / "docs" / "evaluation.svg"):
        lines += ["![dev scores against targets](docs/evaluation.svg)", "",
                  "Green: target reached on dev; orange: not reached. Each stage's section below explains"
                  " the gap.", ""]
    for sec in sorted((ROOT / "docs" / "sections").glob("*-evaluation.md")):
        lines += [sec.read_text(encoding="utf-8").rstrip(), ""]
    (ROOT / "EVALUATION.md").write_text("\n".join(lines), encoding="utf-8")
    print("wrote EVALUATION.md")


if __name__ == "__main__":
    main()
