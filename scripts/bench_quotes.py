"""Benchmark the quote components: annotate throughput with them off, with rules, with the models.

Pipelines over the same news texts (``--docs`` PolNeAR dev articles, default 50), each run
``--runs`` times alternating, best run kept, tokens/s:

* **off** — the spaCy model + ``rashomon_paragraphs``;
* **rules** — + ``rashomon_actors`` + ``rashomon_quotes`` with ``model="none"``;
* **model** — + ``rashomon_actors`` + ``rashomon_quotes`` with the small trained model
  (``model="small"``: sparse parts + BiLSTMs over ``doc.tensor``);
* **minilm** — the same with ``model="minilm"`` (also MiniLM token rows; only when the
  ``[embeddings]`` extra is installed).

Then the components alone on docs parsed once (ms per 1,000 tokens beyond the parse).

    .venv/bin/python scripts/bench_quotes.py [--docs 50] [--runs 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
POLNEAR = ROOT.parent / "shared" / "data" / "xsource" / "polnear" / "polnear_dev.jsonl.gz"


def pipeline(kind: str) -> Any:
    import spacy

    from rashomon.annotate import actors as _actors  # noqa: F401
    from rashomon.annotate import paragraphs as _paragraphs  # noqa: F401
    from rashomon.annotate import quotes as _quotes  # noqa: F401
    from rashomon.annotate.model import model_name

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*W095.*")
        nlp = spacy.load(model_name())
    nlp.add_pipe("rashomon_paragraphs", before="parser")
    if kind != "off":
        nlp.add_pipe("rashomon_actors", last=True)
        model = {"rules": "none", "model": "small"}.get(kind, kind)
        nlp.add_pipe("rashomon_quotes", last=True, config={"model": model})
    return nlp


def run(nlp: Any, texts: list[str]) -> tuple[float, int]:
    t = time.perf_counter()
    n = 0
    for doc in nlp.pipe(texts, batch_size=16):
        n += len(doc)
        _ = doc._.quotes if doc.has_extension("quotes") and "rashomon_quotes" in nlp.pipe_names else None
    return time.perf_counter() - t, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=POLNEAR)
    ap.add_argument("--docs", type=int, default=50)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    with gzip.open(args.data, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh][: args.docs]
    from rashomon.annotate.token_encoder import available

    kinds = ("off", "rules", "model", "minilm") if available() else ("off", "rules", "model")
    nlps = {k: pipeline(k) for k in kinds}
    run(nlps["off"], texts[:2])  # warm-up
    best: dict[str, float] = {}
    tokens = 0
    for _ in range(args.runs):
        for k in kinds:
            secs, tokens = run(nlps[k], texts)
            best[k] = min(best.get(k, secs), secs)
    out: dict[str, Any] = {"docs": len(texts), "tokens": tokens}
    for k in kinds:
        out[f"{k}_tokens_per_s"] = round(tokens / best[k])
    out["ratio_rules_off"] = round(best["off"] / best["rules"], 3)
    out["ratio_model_off"] = round(best["off"] / best["model"], 3)
    if "minilm" in best:
        out["ratio_minilm_off"] = round(best["off"] / best["minilm"], 3)
    # the components alone, on docs parsed once
    from rashomon.annotate.actors import ActorsComponent
    from rashomon.annotate.quotes import QuotesComponent, _quote_records, doc_attributions

    docs = list(nlps["off"].pipe(texts, batch_size=16))
    comps = [("rules", "none"), ("model", "small")] + [("minilm", "minilm")] * ("minilm" in kinds)
    for k, name in comps:
        comp = QuotesComponent("speech", name)
        t = time.perf_counter()
        for d in docs:
            d.user_data.clear()
            ActorsComponent()(d)
            comp(d)
            _quote_records(d, doc_attributions(d))
        out[f"{k}_components_ms_per_1k_tokens"] = round(1000 * (time.perf_counter() - t) / tokens * 1000, 1)
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
