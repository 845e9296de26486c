"""Train the attribution cue / extent / content models on PolNeAR train.

Reproduces ``rashomon/annotate/models/quote_cues.json``::

    .venv/bin/python scripts/train_quotes.py \\
        --data ../shared/data/xsource/polnear/polnear_train.jsonl.gz \\
        --out rashomon/annotate/models/quote_cues.json

Procedure (dev is never read):

1. Parse the 840 train articles with the annotation pipeline (spaCy model +
   ``rashomon_paragraphs`` + ``rashomon_actors``); ``--cache FILE`` keeps the parses in a
   DocBin so later runs skip the parser (~5 minutes on a busy 2-core machine).
2. Map each gold attribution to tokens; its cue *head* is the cue token whose syntactic
   head lies outside the cue.
3. Instances: every cue candidate token (see ``quotes.cue_candidates``; label: is a gold
   cue head); every token within 5 of a gold head in its sentence (label: inside the
   gold cue); every content candidate of a gold cue that is not next to a quotation
   (label: equals the gold content; attributions with no matching candidate are left out);
   every source candidate around the rules' source phrase (label: equals the gold source).
4. Fit four L2 logistic regressions (scikit-learn, liblinear; content and source as
   pairwise rankers: gold candidate minus each other one) on train outside ``--fold``
   (default: the first 720 articles), then run the whole extractor on the remaining train articles for each
   (C, threshold) pair and keep the pair with the best exact "all" F1.
5. Refit on all train articles with that pair and write the JSON (features seen fewer
   than ``--min-count`` times are dropped; weights rounded).

Round 5 adds two optional parts, compared with and without on the tuning slice
(``--seq``, ``--content-dense``): a BiLSTM cue tagger over ``doc.tensor`` + embeddings +
the sparse cue logit (trained with torch on out-of-fold sparse logits, exported as numpy
float16 arrays; torch is needed here only) and dense ``doc.tensor`` span vectors in the
content ranker. ``--fold A:B`` tunes on another slice (fit on the rest) to confirm a
choice; ``--skip-tuning`` refits with settings chosen that way. The shipped file::

    .venv/bin/python scripts/train_quotes.py --cache /tmp/polnear_train.spacy \\
        --skip-tuning --c 0.3 --thresholds 0.55 --seq on --content-dense on \\
        --content-seq on --content-alpha 1

Round 6 adds ``--content-seq``: a BiLSTM over the cue's sentence whose start / end /
inside token potentials score each content candidate, added ``--content-alpha`` times to
the content ranker (listwise softmax over each gold cue's candidates), and
``--seq-ensemble N`` (N cue taggers averaged; measured, not shipped).

Round 7 adds ``--encoder minilm``: every ``doc.tensor`` gets MiniLM token rows appended
(:mod:`rashomon.annotate.token_encoder`, cached next to ``--cache``), so the three dense
parts read 480 numbers per token, and the file records ``"encoder": "minilm"``. The
shipped ``quote_cues_minilm.json`` is the command above plus
``--encoder minilm --out rashomon/annotate/models/quote_cues_minilm.json`` (11 min).

Round 8 adds ``--encoder-rows FILE``: tune on precomputed token rows instead, such as the
cross-fitted rows of a fine-tuned MiniLM from ``scripts/finetune_encoder.py`` (measured,
not shipped; see that script).

Round 9 adds ``--save-tuned FILE``: the best model of the tuning run (fit outside
``--fold``), for a per-attribution breakdown on the fold.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rashomon.annotate import quote_model as qm  # noqa: E402
from rashomon.annotate import quotes as Q  # noqa: E402
from rashomon.annotate.token_encoder import ENCODERS as ENCODER_NAMES  # noqa: E402

Instance = tuple[list[str], int]


def read_records(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        return [json.loads(line) for line in fh if line.strip()]


def parse(records: list[dict[str, Any]], cache: Path | None, encoder: str | None = None,
          encoder_rows: Path | None = None) -> list[Any]:
    import numpy as np
    from spacy.tokens import DocBin

    from rashomon.eval.quotes import _paragraphs, build_nlp

    nlp = build_nlp("all", model="none")
    tensors = cache.with_name(cache.name + ".tensors.npy") if cache is not None else None
    if cache is not None and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) != len(records):
            raise SystemExit(f"{cache}: {len(docs)} docs for {len(records)} records; delete it")
        if tensors is None or not tensors.exists():
            raise SystemExit(f"{cache}: no {tensors} (doc.tensor rows, round 5); delete the cache")
        rows = np.load(tensors)
        if rows.shape[0] != sum(len(d) for d in docs):
            raise SystemExit(f"{tensors}: {rows.shape[0]} rows for {sum(len(d) for d in docs)} tokens; delete both")
        pos = 0
        for d in docs:  # the DocBin does not keep doc.tensor; the sequence cue tagger reads it
            d.tensor = np.ascontiguousarray(rows[pos:pos + len(d)], dtype=np.float32)
            pos += len(d)
    else:
        def gen() -> Iterable[Any]:
            for r in records:
                d = nlp.make_doc(r["text"])
                d._.paragraph_roles = _paragraphs(r["text"])
                yield d

        with nlp.select_pipes(disable=["rashomon_actors", "rashomon_quotes"]):
            docs = list(nlp.pipe(gen(), batch_size=16))
        if cache is not None and tensors is not None:
            db = DocBin(store_user_data=True)
            for d in docs:
                db.add(d)
            db.to_disk(cache)
            np.save(tensors, np.concatenate([np.asarray(d.tensor, dtype=np.float32) for d in docs]))
    if encoder_rows is not None:
        if not encoder_rows.exists():
            raise SystemExit(f"{encoder_rows}: no such rows file")
        append_rows(docs, np.load(encoder_rows), encoder_rows)
    elif encoder is not None:
        add_encoder_rows(docs, encoder, cache.with_name(f"{cache.name}.{encoder}.npy") if cache is not None else None)
    actors = nlp.get_pipe("rashomon_actors")
    return [actors(d) for d in docs]


def add_encoder_rows(docs: list[Any], encoder: str, cache: Path | None) -> None:
    """Append the token encoder's rows to every ``doc.tensor``, as
    :func:`rashomon.annotate.quotes.encoder_inputs` does at run time (cached in ``cache``)."""
    import numpy as np

    from rashomon.annotate.token_encoder import load_token_encoder

    if cache is not None and cache.exists():
        rows = np.load(cache)
    else:
        enc, t0, parts = load_token_encoder(encoder), time.time(), []
        for k in range(0, len(docs), 20):
            parts.extend(enc.rows_many(docs[k:k + 20]))
            print(f"  {encoder} rows: {min(k + 20, len(docs))}/{len(docs)} articles, {time.time() - t0:.0f}s",
                  flush=True)
        rows = np.concatenate(parts)
        if cache is not None:
            np.save(cache, rows)
    append_rows(docs, rows, cache)


def append_rows(docs: list[Any], rows: Any, source: Path | None) -> None:
    """Append ``rows`` (all tokens of ``docs`` in order × width) to every ``doc.tensor``."""
    from rashomon.annotate.token_encoder import with_encoder_rows

    n = sum(len(d) for d in docs)
    if rows.shape[0] != n:
        raise SystemExit(f"{source}: {rows.shape[0]} rows for {n} tokens (made for other articles)")
    pos = 0
    for d in docs:
        d.tensor = with_encoder_rows(d.tensor, rows[pos:pos + len(d)])
        pos += len(d)


def gold_attributions(doc: Any, record: dict[str, Any]) -> list[dict[str, Any]]:
    from rashomon.eval.quotes import _tokens

    out = []
    for a in record["attributions"]:
        if not a.get("cue"):
            continue
        g: dict[str, Any] = {r: (_tokens(doc, a[r]["fragments"]) if a.get(r) else frozenset())
                             for r in ("cue", "source", "content")}
        cue = g["cue"]
        if not cue:
            continue
        heads = [i for i in cue if doc[i].head.i not in cue or doc[i].head.i == i]
        g["head"] = min(heads) if heads else min(cue)
        out.append(g)
    return out


def _tokset(doc: Any, frags: qm.Frags) -> frozenset[int]:
    return frozenset(i for s, e in frags for i in range(s, e) if not doc[i].is_space)


Groups = list[list[Instance]]


#: a content group as the sequence content scorer sees it: cue head, cue range, candidate
#: fragments, index of the gold candidate
ContentGroup = tuple[int, tuple[int, int], list[qm.Frags], int]

#: cue, extent, content groups, source groups, extent groups, raw span vectors per content
#: group, the content groups' spans
PerDoc = tuple[list[Instance], list[Instance], Groups, Groups, Groups, list[Any], list[ContentGroup]]


def instances(doc: Any, gold: list[dict[str, Any]]) -> PerDoc:
    import numpy as np

    ctx = Q._doc_context(doc)
    heads = {g["head"] for g in gold}
    cue_x: list[Instance] = []
    for _si, v in Q.cue_candidates(doc, ctx):
        if v.pos_ not in qm.CANDIDATE_POS or Q._is_according(doc, v):
            continue
        feats = qm.cue_features(doc, v, ctx.feats, Q.rule_kind(v.lemma_.lower()))
        cue_x.append((feats, int(v.i in heads)))
    qtoks = [(qs, qe) for qs, qe, _p in ctx.quotes]
    ext_x: list[Instance] = []
    con_groups: Groups = []
    src_groups: Groups = []
    ext_groups: Groups = []
    con_dense: list[Any] = []
    con_spans: list[ContentGroup] = []
    tensor = np.asarray(doc.tensor, dtype=np.float32) if getattr(doc.tensor, "shape", (0,))[0] == len(doc) else None
    for g in gold:
        h = doc[g["head"]]
        if ctx.in_quote[h.i] or h.pos_ not in qm.CANDIDATE_POS:
            continue
        sent = h.sent
        for j in range(max(sent.start, h.i - qm.EXTENT_WINDOW), min(sent.end, h.i + qm.EXTENT_WINDOW + 1)):
            if j != h.i and not doc[j].is_space:
                ext_x.append((qm.extent_features(doc, h, j), int(j in g["cue"])))
        ecands = qm.extent_candidates(doc, h)
        elabels = [int(_tokset(doc, ((s, e),)) == g["cue"]) for s, e in ecands]
        if sum(elabels) == 1 and len(ecands) > 1:
            lo, hi = ecands[0][0], ecands[-1][1]
            tok = {j: qm.extent_features(doc, h, j) for j in range(lo, hi) if j != h.i}
            ext_groups.append([(qm.extent_span_features(doc, h, s, e, tok), y)
                               for (s, e), y in zip(ecands, elabels, strict=True)])
        cue = (min(g["cue"]), max(g["cue"]) + 1)
        subj = Q._source_of(doc, h)
        src = Q._source_range(doc, subj, cue[0]) if subj is not None else None
        if src is not None and subj is not None and g["source"]:
            scands = qm.source_candidates(doc, subj, src)
            slabels = [int(_tokset(doc, (r,)) == g["source"]) for _n, r in scands]
            if sum(slabels) == 1 and len(scands) > 1:
                src_groups.append([(qm.source_features(doc, subj, cue, n, r, src), y)
                                   for (n, r), y in zip(scands, slabels, strict=True)])
        if not g["content"]:
            continue
        para = Q._para_of(ctx.paras, h.idx)
        if Q._adjacent_quote(doc, h, sent, ctx.quotes, src, cue, para):
            continue  # direct quotations keep the rules' content
        cands = qm.content_candidates(doc, h, cue, qtoks)
        names = {n for n, _r in cands}
        labels = [int(_tokset(doc, r) == g["content"]) for _n, r in cands]
        if sum(labels) != 1:
            continue
        con_groups.append([(qm.content_features(doc, h, cue, n, r, names), y)
                           for (n, r), y in zip(cands, labels, strict=True)])
        con_spans.append((h.i, cue, [r for _n, r in cands], labels.index(1)))
        if tensor is not None:
            con_dense.append(qm.span_vectors(tensor, h.i, [r for _n, r in cands]).astype(np.float16))
    return cue_x, ext_x, con_groups, src_groups, ext_groups, con_dense, con_spans


def fit(data: list[Instance], c: float, min_count: int) -> qm.LinearModel:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for feats, _y in data for f in set(feats))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    rows, cols = [], []
    for r, (feats, _y) in enumerate(data):
        for f in set(feats):
            j = vocab.get(f)
            if j is not None:
                rows.append(r)
                cols.append(j)
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(data), len(vocab)))
    y = np.array([yy for _f, yy in data])
    lr = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0)
    lr.fit(x, y)
    inv = {i: f for f, i in vocab.items()}
    weights = {inv[i]: float(w) for i, w in enumerate(lr.coef_[0]) if abs(w) >= 1e-3}
    return qm.LinearModel(weights, float(lr.intercept_[0]))


def fit_ranker(groups: list[list[Instance]], c: float, min_count: int,
               dense: list[Any] | None = None) -> tuple[qm.LinearModel, Any]:
    """Pairwise ranking (gold candidate minus each other one), a linear score per candidate.

    ``dense``: per group, a real-valued matrix (one row per candidate) whose weights are
    fitted with the sparse ones; returned as the second value (None without ``dense``)."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for g in groups for feats, _y in g for f in set(feats))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    ys: list[int] = []
    drows: list[Any] = []
    for gi, g in enumerate(groups):
        pi = next(k for k, (_f, y) in enumerate(g) if y)
        pos = set(g[pi][0])
        for k, (feats, y) in enumerate(g):
            if y:
                continue
            neg = set(feats)
            sign = 1 if len(ys) % 2 == 0 else -1  # balanced classes, no intercept needed
            for f in pos - neg:
                if f in vocab:
                    rows.append(len(ys))
                    cols.append(vocab[f])
                    vals.append(float(sign))
            for f in neg - pos:
                if f in vocab:
                    rows.append(len(ys))
                    cols.append(vocab[f])
                    vals.append(float(-sign))
            if dense is not None:
                drows.append(sign * (dense[gi][pi].astype(np.float32) - dense[gi][k].astype(np.float32)))
            ys.append(int(sign > 0))
    x = csr_matrix((vals, (rows, cols)), shape=(len(ys), len(vocab)))
    if dense is not None:
        x = hstack([x, csr_matrix(np.stack(drows))], format="csr")
    lr = LogisticRegression(C=c, solver="liblinear", fit_intercept=False, max_iter=1000, random_state=0)
    lr.fit(x, np.array(ys))
    inv = {i: f for f, i in vocab.items()}
    coef = lr.coef_[0]
    lm = qm.LinearModel({inv[i]: float(coef[i]) for i in range(len(vocab)) if abs(coef[i]) >= 1e-3}, 0.0)
    return lm, (coef[len(vocab):].astype(np.float32) if dense is not None else None)


def train(per_doc: list[PerDoc], c: float,
          threshold: float, min_count: int, meta: dict[str, Any], content_dense: bool = False) -> qm.CueModel:
    cue_x = [i for d in per_doc for i in d[0]]
    ext_x = [i for d in per_doc for i in d[1]]
    groups = [g for d in per_doc for g in d[2]]
    sgroups = [g for d in per_doc for g in d[3]]
    egroups = [g for d in per_doc for g in d[4]]
    cd = None
    if content_dense:
        import numpy as np

        dense = [x for d in per_doc for x in d[5]]
        allr = np.concatenate(dense).astype(np.float32)
        mean, std = allr.mean(0), allr.std(0) + 1e-6
        del allr
        std_dense = [((x.astype(np.float32) - mean) / std) for x in dense]
        content, w = fit_ranker(groups, c, min_count, std_dense)
        cd = qm.SpanDense(w.astype(np.float16).astype(np.float32), mean.astype(np.float16).astype(np.float32),
                          std.astype(np.float16).astype(np.float32))
    else:
        content = fit_ranker(groups, c, min_count)[0]
    return qm.CueModel(fit(cue_x, c, min_count), fit(ext_x, c, min_count), content,
                       fit_ranker(sgroups, c, min_count)[0], threshold, meta,
                       prune(fit_ranker(egroups, c, min_count)[0], EXTENT_RANK_MIN_WEIGHT), content_dense=cd)


#: The extent ranker's weights below this are dropped (110k -> 33k weights; the tuning
#: slice scores the same: exact "all" F1 0.5004 -> 0.5011).
EXTENT_RANK_MIN_WEIGHT = 0.05


def prune(m: qm.LinearModel, min_weight: float) -> qm.LinearModel:
    return qm.LinearModel({k: w for k, w in m.weights.items() if abs(w) >= min_weight}, m.bias)


# --------------------------------------------------------------------------- sequence cue tagger (round 5)


@dataclasses.dataclass
class SeqDoc:
    """What the sequence cue tagger sees of one article (inputs besides the sparse logit)."""

    doc: Any
    keys: tuple[list[str], list[str], list[str], list[str]]
    tensor: Any  # (n, width) float32
    chunks: list[tuple[int, int]]
    cands: list[int]  # cue candidate tokens, in the order of the cue instances
    labels: Any  # (n,) int8: 1 gold head, 0 other candidate, -1 not a candidate
    ctx: Any


def seq_doc(doc: Any, gold: list[dict[str, Any]]) -> SeqDoc:
    import numpy as np

    ctx = Q._doc_context(doc)
    heads = {g["head"] for g in gold}
    cands = [v.i for _si, v in Q.cue_candidates(doc, ctx)
             if v.pos_ in qm.CANDIDATE_POS and not Q._is_according(doc, v)]
    labels = np.full(len(doc), -1, dtype=np.int8)
    for i in cands:
        labels[i] = int(i in heads)
    return SeqDoc(doc, qm.seq_token_keys(doc), np.asarray(doc.tensor, dtype=np.float32), Q.seq_chunk_ranges(ctx),
                  cands, labels, ctx)


def oof_cue_logits(per_doc: list[PerDoc], c: float, min_count: int, folds: int = 5) -> list[list[float]]:
    """Out-of-fold sparse cue logits for every candidate of every article (``folds`` folds
    of whole articles), so the sequence tagger learns from logits as confident as at run time."""
    out: list[list[float]] = [[] for _ in per_doc]
    for k in range(folds):
        fit_x = [x for i, d in enumerate(per_doc) if i % folds != k for x in d[0]]
        m = fit(fit_x, c, min_count)
        for i, d in enumerate(per_doc):
            if i % folds == k:
                out[i] = [m.score(f) for f, _y in d[0]]
    return out


@dataclasses.dataclass
class SeqParams:
    epochs: int = 8
    hidden: int = 48
    proj: int = 64
    dims: tuple[int, int, int, int] = (32, 8, 16, 8)
    lemma_min: int = 20
    dropout: float = 0.2
    lr: float = 2e-3
    batch: int = 32
    seed: int = 0
    threads: int = 2
    ensemble: int = 1  # taggers with seeds seed … seed + ensemble - 1, logits averaged


def _seq_vocab(keys: Sequence[tuple[list[str], ...]], lemma_min: int) -> dict[str, dict[str, int]]:
    """Embedding rows for lemmas seen ``lemma_min`` times and every POS / dep / tag (0: unknown)."""
    out = {}
    for k, name in enumerate(("lemma", "pos", "dep", "tag")):
        counts = Counter(x for ks in keys for x in ks[k])
        keep = sorted(x for x, n in counts.items() if n >= (lemma_min if name == "lemma" else 1))
        out[name] = {x: i + 1 for i, x in enumerate(keep)}  # 0: unknown
    return out


def _seq_arrays(items: list[SeqDoc], logits: list[list[float]], vocab: dict[str, dict[str, int]]) -> list[Any]:
    """Per chunk: (ids (L, 4), tensor (L, width), dense (L, 7), labels (L,))."""
    import numpy as np

    out = []
    for it, lg in zip(items, logits, strict=True):
        dense = qm.seq_dense(it.doc, it.ctx.feats, dict(zip(it.cands, lg, strict=True)), Q.rule_kind)
        ids = np.stack([np.fromiter((vocab[name].get(x, 0) for x in it.keys[k]), dtype=np.int64)
                        for k, name in enumerate(("lemma", "pos", "dep", "tag"))], axis=1)
        for s, e in it.chunks:
            if (it.labels[s:e] >= 0).any():
                out.append((ids[s:e], it.tensor[s:e], dense[s:e], it.labels[s:e].astype(np.float32)))
    return out


def _new_seq_net(hp: SeqParams, vocab: dict[str, dict[str, int]], tensors: list[Any],
                 lengths: list[int], **kw: Any) -> tuple[Any, Any, list[list[int]], Any]:
    """A freshly seeded sequence net whose input standardisation comes from ``tensors`` (the
    ``doc.tensor`` rows it will read), its Adam optimiser, batches of item indices sorted
    by ``lengths`` (so padding stays short) and the numpy generator that shuffles them."""
    import numpy as np
    import torch

    torch.manual_seed(hp.seed)
    torch.set_num_threads(hp.threads)
    allt = np.concatenate(tensors)
    net = seq_net([len(vocab[n]) + 1 for n in ("lemma", "pos", "dep", "tag")], hp, allt.shape[1], **kw)
    net.mean.copy_(torch.from_numpy(allt.mean(0)))
    net.std.copy_(torch.from_numpy(allt.std(0) + 1e-6))
    opt = torch.optim.Adam(net.parameters(), lr=hp.lr)
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    batches = [order[i:i + hp.batch] for i in range(0, len(order), hp.batch)]
    return net, opt, batches, np.random.default_rng(hp.seed)


def train_seq(items: list[SeqDoc], logits: list[list[float]], hp: SeqParams,
              log: Any = None, watch: tuple[list[SeqDoc], qm.CueModel] | None = None) -> qm.SeqCue:
    """Fit the BiLSTM cue tagger with torch (training only) and export numpy weights.

    ``watch``: held-out articles and the sparse model fitted without them; the token-level
    cue-head F1 there is logged after every epoch (to choose the number of epochs)."""
    import torch
    from torch import nn

    vocab = _seq_vocab([it.keys for it in items], hp.lemma_min)
    chunks = _seq_arrays(items, logits, vocab)
    net, opt, batches, rng = _new_seq_net(hp, vocab, [it.tensor for it in items], [len(c[3]) for c in chunks])
    lossf = nn.BCEWithLogitsLoss(reduction="sum")
    for ep in range(hp.epochs):
        net.train()
        rng.shuffle(batches)
        total, n = 0.0, 0
        for b in batches:
            ids, ten, den, lab, lens = _pad([chunks[i] for i in b])
            if hp.dropout:  # word dropout: unknown lemmas are learned from rare ones
                ids[:, :, 0] = ids[:, :, 0].masked_fill(torch.rand(ids.shape[:2]) < 0.1, 0)
            z = net(ids, ten, den, lens)
            mask = lab >= 0
            loss = lossf(z[mask], lab[mask]) / max(int(mask.sum()), 1)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += float(loss.detach()) * int(mask.sum())
            n += int(mask.sum())
        if log:
            msg = f"  seq epoch {ep + 1}: loss {total / max(n, 1):.4f}"
            if watch is not None:
                net.eval()
                now = dataclasses.replace(watch[1], cue_seq=export_seq(net, vocab, hp))
                sp, sq, ys = seq_token_scores(watch[0], now)
                msg += f"; held-out cue-head F1 {best_f1(sq, ys)[0]:.4f} (sparse {best_f1(sp, ys)[0]:.4f})"
            log(msg)
    net.eval()
    return export_seq(net, vocab, hp)


def train_seq_ensemble(items: list[SeqDoc], logits: list[list[float]], hp: SeqParams,
                       log: Any = None, watch: tuple[list[SeqDoc], qm.CueModel] | None = None) -> list[qm.SeqCue]:
    """``hp.ensemble`` taggers with seeds ``hp.seed`` … (a seed ensemble, see
    :meth:`~rashomon.annotate.quote_model.SeqCue.ensemble`); the list of single taggers."""
    out = []
    n = hp.ensemble
    for k in range(n):
        if log and n > 1:
            log(f"  seq tagger {k + 1}/{n} (seed {hp.seed + k})")
        out.append(train_seq(items, logits, dataclasses.replace(hp, seed=hp.seed + k), log=log, watch=watch))
    return out


def _pad(batch: list[Any]) -> tuple[Any, Any, Any, Any, Any]:
    import numpy as np
    import torch

    lens = [len(b[3]) for b in batch]
    L = max(lens)
    n = len(batch)
    ids = np.zeros((n, L, 4), dtype=np.int64)
    ten = np.zeros((n, L, batch[0][1].shape[1]), dtype=np.float32)
    den = np.zeros((n, L, batch[0][2].shape[1]), dtype=np.float32)
    lab = np.full((n, L), -1.0, dtype=np.float32)
    for k, (a, b, c, d) in enumerate(batch):
        m = len(d)
        ids[k, :m], ten[k, :m], den[k, :m], lab[k, :m] = a, b, c, d
    return (torch.from_numpy(ids), torch.from_numpy(ten), torch.from_numpy(den), torch.from_numpy(lab),
            torch.tensor(lens))


def _seq_net_class() -> Any:
    import torch
    from torch import nn

    class _SeqNet(nn.Module):
        """The torch twin of :class:`rashomon.annotate.quote_model.SeqCue` (same arithmetic)."""

        def __init__(self, sizes: list[int], hp: SeqParams, width: int, dense_width: int = qm.SEQ_DENSE,
                     n_out: int = 0) -> None:
            """``n_out`` 0: one cue logit from the states and the sparse logit (SeqCue);
            else ``n_out`` outputs from the states alone (ContentSeq: start / end / inside)."""
            super().__init__()
            self.embs = nn.ModuleList(nn.Embedding(n, d) for n, d in zip(sizes, hp.dims, strict=True))
            self.register_buffer("mean", torch.zeros(width))
            self.register_buffer("std", torch.ones(width))
            self.inp = nn.Linear(sum(hp.dims) + width + dense_width, hp.proj)
            self.lstm = nn.LSTM(hp.proj, hp.hidden, batch_first=True, bidirectional=True)
            self.n_out = n_out
            self.out = nn.Linear(2 * hp.hidden + (0 if n_out else 1), n_out or 1)
            self.drop = nn.Dropout(hp.dropout)

        def forward(self, ids: Any, ten: Any, den: Any, lens: Any) -> Any:
            x = torch.cat([e(ids[..., k]) for k, e in enumerate(self.embs)]
                          + [(ten - self.mean) / self.std, den], dim=-1)
            x = torch.tanh(self.inp(self.drop(x)))
            packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=ids.shape[1])
            if self.n_out:
                return self.out(self.drop(h))
            return self.out(torch.cat([self.drop(h), den[..., :1]], dim=-1)).squeeze(-1)

    return _SeqNet


def seq_net(sizes: list[int], hp: SeqParams, width: int, **kw: Any) -> Any:
    return _seq_net_class()(sizes, hp, width, **kw)


def export_seq(net: Any, vocab: dict[str, dict[str, int]], hp: SeqParams) -> qm.SeqCue:
    """numpy weights of a trained net, rounded to float16 as the JSON stores them."""
    return qm.SeqCue(vocab, _export_arrays(net), _hp_meta(hp))


def _hp_meta(hp: SeqParams) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(hp).items()}


def _export_arrays(net: Any) -> dict[str, Any]:
    import numpy as np

    def a(t: Any) -> Any:
        return t.detach().cpu().numpy().astype(np.float16).astype(np.float32)

    lstm = net.lstm
    arrays = {
        "emb_lemma": a(net.embs[0].weight), "emb_pos": a(net.embs[1].weight), "emb_dep": a(net.embs[2].weight),
        "emb_tag": a(net.embs[3].weight), "mean": a(net.mean), "std": a(net.std),
        "w_in": a(net.inp.weight), "b_in": a(net.inp.bias),
        "wih_f": a(lstm.weight_ih_l0), "whh_f": a(lstm.weight_hh_l0), "b_f": a(lstm.bias_ih_l0 + lstm.bias_hh_l0),
        "wih_b": a(lstm.weight_ih_l0_reverse), "whh_b": a(lstm.weight_hh_l0_reverse),
        "b_b": a(lstm.bias_ih_l0_reverse + lstm.bias_hh_l0_reverse),
        "w_out": a(net.out.weight if net.n_out else net.out.weight[0]), "b_out": a(net.out.bias),
    }
    return arrays


def load_seq_into(net: Any, seq: qm.SeqCue) -> None:
    """Put the (stored, float16-rounded) weights of ``seq`` into its torch twin ``net``."""
    import torch

    a = {k: torch.from_numpy(v.copy()) for k, v in seq.arrays.items()}
    lstm = net.lstm
    with torch.no_grad():
        for k, e in enumerate(net.embs):
            e.weight.copy_(a[("emb_lemma", "emb_pos", "emb_dep", "emb_tag")[k]])
        net.mean.copy_(a["mean"])
        net.std.copy_(a["std"])
        net.inp.weight.copy_(a["w_in"])
        net.inp.bias.copy_(a["b_in"])
        for suf, d in (("", "f"), ("_reverse", "b")):
            getattr(lstm, f"weight_ih_l0{suf}").copy_(a[f"wih_{d}"])
            getattr(lstm, f"weight_hh_l0{suf}").copy_(a[f"whh_{d}"])
            getattr(lstm, f"bias_ih_l0{suf}").copy_(a[f"b_{d}"])
            getattr(lstm, f"bias_hh_l0{suf}").zero_()
        net.out.weight.copy_(a["w_out"][None, :])
        net.out.bias.copy_(a["b_out"])


# --------------------------------------------------------------------------- sequence content scorer (round 6)


def _content_seq_arrays(docs: list[Any], groups: list[list[ContentGroup]], keys: Sequence[tuple[list[str], ...]],
                        vocab: dict[str, dict[str, int]]) -> list[Any]:
    """Per content group: (ids (L, 4), tensor (L, width), flags (L, 6), candidate entries
    [(candidate, row, channel)], gold candidate, token labels (L, 3))."""
    import numpy as np

    out = []
    for doc, gs, ks in zip(docs, groups, keys, strict=True):
        if not gs:
            continue
        ids = np.stack([np.fromiter((vocab[name].get(x, 0) for x in ks[k]), dtype=np.int64)
                        for k, name in enumerate(("lemma", "pos", "dep", "tag"))], axis=1)
        tensor = np.asarray(doc.tensor, dtype=np.float32)
        qtoks = [(qs, qe) for qs, qe, _p in Q._doc_context(doc).quotes]
        for h, cue, spans, gold in gs:
            lo, hi = qm.content_window(doc, doc[h], cue, spans)
            entries = qm.span_entries((lo, hi), spans)
            lab = np.zeros((hi - lo, 3), dtype=np.float32)
            mine = entries[entries[:, 0] == gold]
            lab[mine[:, 1], mine[:, 2]] = 1.0
            out.append((ids[lo:hi], tensor[lo:hi], qm.content_flags(doc, doc[h], cue, (lo, hi), qtoks),
                        entries, len(spans), gold, lab))
    return out


def train_content_seq(docs: list[Any], groups: list[list[ContentGroup]], hp: SeqParams, alpha: float,
                      aux: float = 0.3, log: Any = None) -> qm.ContentSeq:
    """Fit the sequence content scorer: per gold cue, a softmax over its candidates' scores
    (:func:`~rashomon.annotate.quote_model.span_potentials`), plus ``aux`` × a token-level
    loss on the gold candidate's start / end / inside labels."""
    import numpy as np
    import torch
    from torch import nn

    keys = [qm.seq_token_keys(d) for d in docs]
    vocab = _seq_vocab(keys, hp.lemma_min)
    data = _content_seq_arrays(docs, groups, keys, vocab)
    net, opt, batches, rng = _new_seq_net(hp, vocab, [np.asarray(d.tensor, dtype=np.float32) for d in docs],
                                          [len(r[0]) for r in data],
                                          dense_width=qm.CONTENT_SEQ_DENSE, n_out=3)
    bce = nn.BCEWithLogitsLoss(reduction="sum")
    for ep in range(hp.epochs):
        net.train()
        rng.shuffle(batches)
        total, right, n = 0.0, 0, 0
        for b in batches:
            rows = [data[i] for i in b]
            ids, ten, den, _lab, lens = _pad([(r[0], r[1], r[2], np.zeros(len(r[0]), np.float32)) for r in rows])
            if hp.dropout:
                ids[:, :, 0] = ids[:, :, 0].masked_fill(torch.rand(ids.shape[:2]) < 0.1, 0)
            z = net(ids, ten, den, lens)  # (B, L, 3)
            L = z.shape[1]
            kmax = max(r[4] for r in rows)
            flat, slot = [], []
            for bi, r in enumerate(rows):
                e = r[3]
                flat.append(torch.from_numpy((bi * L + e[:, 1]) * 3 + e[:, 2]))
                slot.append(torch.from_numpy(bi * kmax + e[:, 0]))
            sc = torch.zeros(len(rows) * kmax).index_add_(0, torch.cat(slot), z.reshape(-1)[torch.cat(flat)])
            mask = torch.ones(len(rows), kmax, dtype=torch.bool)
            for bi, r in enumerate(rows):
                mask[bi, r[4]:] = False
            sc = sc.view(len(rows), kmax).masked_fill(~mask, -1e9)
            gold = torch.tensor([r[5] for r in rows])
            loss = nn.functional.cross_entropy(sc, gold, reduction="sum")
            if aux:
                lab = torch.zeros_like(z)
                tmask = torch.zeros(z.shape[:2], dtype=torch.bool)
                for bi, r in enumerate(rows):
                    lab[bi, :len(r[6])] = torch.from_numpy(r[6])
                    tmask[bi, :len(r[6])] = True
                loss = loss + aux * bce(z[tmask], lab[tmask]) / 3.0
            opt.zero_grad()
            (loss / len(rows)).backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += float(loss.detach())
            right += int((sc.argmax(1) == gold).sum())
            n += len(rows)
        if log:
            log(f"  content seq epoch {ep + 1}: loss {total / max(n, 1):.4f}, train ranking accuracy {right / n:.3f}")
    net.eval()
    meta = {**_hp_meta(hp), "alpha": alpha, "aux": aux}
    return qm.ContentSeq(vocab, _export_arrays(net), meta)


def seq_token_scores(items: list[SeqDoc], model: qm.CueModel) -> tuple[list[float], list[float], list[int]]:
    """(sparse logit, sequence logit, label) of every candidate of ``items`` (token-level check)."""
    sp: list[float] = []
    sq: list[float] = []
    ys: list[int] = []
    assert model.cue_seq is not None
    for it in items:
        doc = it.doc
        lg = Q.sparse_cue_logits(doc, it.ctx, model)
        z = model.cue_seq.logits(doc, it.chunks, qm.seq_dense(doc, it.ctx.feats, lg, Q.rule_kind))
        for i in it.cands:
            sp.append(lg[i])
            sq.append(float(z[i]))
            ys.append(int(it.labels[i]))
    return sp, sq, ys


def best_f1(scores: list[float], ys: list[int]) -> tuple[float, float]:
    """Best token-level F1 over thresholds and its logit threshold."""
    import numpy as np

    s = np.asarray(scores)
    y = np.asarray(ys)
    order = np.argsort(-s)
    tp = np.cumsum(y[order])
    k = np.arange(1, len(s) + 1)
    f1 = 2 * tp / (k + y.sum())
    j = int(f1.argmax())
    return float(f1[j]), float(s[order][j])


def score(docs: list[Any], records: list[dict[str, Any]], model: qm.CueModel | None) -> dict[str, Any]:
    from rashomon.eval.quotes import _polnear_scores, score_polnear_doc

    totals: Counter[str] = Counter()
    for d, r in zip(docs, records, strict=True):
        Q.attribute(d, Q.CUES_ALL, model)
        totals.update(score_polnear_doc(d, r))
    return _polnear_scores(dict(totals), len(docs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/xsource/polnear/polnear_train.jsonl.gz")
    ap.add_argument("--out", type=Path, default=qm.MODEL_PATH)
    ap.add_argument("--cache", type=Path, default=None,
                    help="DocBin file for the parses, plus FILE.tensors.npy for doc.tensor (created if missing)")
    ap.add_argument("--fold", default="720:840",
                    help="A:B: tune on train articles A..B-1, fit on all the others (default: the last 120)")
    ap.add_argument("--c", type=float, nargs="+", default=[0.3, 1.0])
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.4, 0.45, 0.5, 0.55, 0.6])
    ap.add_argument("--min-count", type=int, default=10)
    ap.add_argument("--seq", choices=("both", "off", "on"), default="both",
                    help="sequence cue tagger: tune with and without it (both), never, or always")
    ap.add_argument("--content-dense", choices=("both", "off", "on"), default="off",
                    help="dense doc.tensor span vectors in the content ranker: tune with and without, never, always")
    ap.add_argument("--seq-epochs", type=int, nargs="+", default=[SeqParams.epochs])
    ap.add_argument("--seq-hidden", type=int, nargs="+", default=[SeqParams.hidden])
    ap.add_argument("--seq-seed", type=int, default=0)
    ap.add_argument("--seq-ensemble", type=int, default=1,
                    help="N: average the logits of N sequence taggers (seeds --seq-seed … +N-1); when tuning, "
                         "each single tagger is scored too")
    ap.add_argument("--content-seq", choices=("both", "off", "on"), default="off",
                    help="sequence content scorer added to the content ranker: tune with and without, never, always")
    ap.add_argument("--content-alpha", type=float, nargs="+", default=[1.0],
                    help="weights of the sequence content scorer to try (the first one with --skip-tuning)")
    ap.add_argument("--content-epochs", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2, help="torch threads")
    ap.add_argument("--encoder", choices=sorted(ENCODER_NAMES), default=None,
                    help="the dense parts also read this token encoder's rows (round 7; cached in "
                         "CACHE.minilm.npy); the model file records it")
    ap.add_argument("--encoder-rows", type=Path, default=None,
                    help="append these precomputed rows (an .npy of n_tokens × width, e.g. "
                         "finetune_encoder.py --rows) instead of an encoder's; tuning only (needs --no-final)")
    ap.add_argument("--skip-tuning", action="store_true",
                    help="refit on all of train with the first --c / --thresholds / --seq-* values and "
                         "--seq on|off, --content-dense on|off as given (chosen on train folds before)")
    ap.add_argument("--no-final", action="store_true", help="tune only; do not refit on all of train or write")
    ap.add_argument("--save-tuned", type=Path, default=None,
                    help="write the best model of the tuning run (fit outside --fold) here, for error analysis")
    args = ap.parse_args()

    t0 = time.time()
    records = read_records(args.data)
    if args.encoder_rows is not None and (not args.no_final or args.encoder is not None):
        raise SystemExit("--encoder-rows: no run-time encoder computes them, so it needs --no-final and no --encoder")
    docs = parse(records, args.cache, args.encoder, args.encoder_rows)
    print(f"parsed {len(docs)} articles in {time.time() - t0:.0f}s", flush=True)
    golds = [gold_attributions(d, r) for d, r in zip(docs, records, strict=True)]
    per_doc = [instances(d, g) for d, g in zip(docs, golds, strict=True)]
    print(f"instances: cue {sum(len(p[0]) for p in per_doc)}, extent {sum(len(p[1]) for p in per_doc)}, "
          f"content groups {sum(len(p[2]) for p in per_doc)}, source groups {sum(len(p[3]) for p in per_doc)}",
          flush=True)
    use_seq = args.seq != "off"
    items = [seq_doc(d, g) for d, g in zip(docs, golds, strict=True)] if use_seq else []
    for it, p in zip(items, per_doc, strict=False):
        assert len(it.cands) == len(p[0])

    if args.skip_tuning:
        if args.seq == "both" or args.content_dense == "both":
            raise SystemExit("--skip-tuning needs --seq on|off and --content-dense on|off")
        hp0 = SeqParams(epochs=args.seq_epochs[0], hidden=args.seq_hidden[0], seed=args.seq_seed, threads=args.threads,
                        ensemble=args.seq_ensemble)
        if args.content_seq == "both":
            raise SystemExit("--skip-tuning needs --content-seq on|off")
        write_final(args, per_doc, items, args.c[0], args.thresholds[0], hp0 if args.seq == "on" else None,
                    args.content_dense == "on", "chosen on train folds (see docs/sections/quotes-evaluation.md)", t0,
                    docs, args.content_alpha[0] if args.content_seq == "on" else None)
        return
    a, b = (int(x) for x in args.fold.split(":"))
    fit_idx = [i for i in range(len(docs)) if not a <= i < b]
    tune_docs, tune_recs = docs[a:b], records[a:b]
    base = score(tune_docs, tune_recs, None)
    print(f"rules only on tuning slice {a}:{b}: all F1 {base['all_f1_exact']:.4f} cue F1 {base['cue_f1_exact']:.3f}")
    best: tuple[float, float, float, SeqParams | None, bool, float | None] | None = None
    variants = [SeqParams(epochs=e, hidden=h, seed=args.seq_seed, threads=args.threads, ensemble=args.seq_ensemble)
                for e in args.seq_epochs for h in args.seq_hidden]
    # the content scorer does not depend on C: fitted once, each alpha is a copy
    cseqs: list[qm.ContentSeq | None] = [] if args.content_seq == "on" else [None]
    if args.content_seq != "off":
        t1 = time.time()
        fitted = train_content_seq([docs[i] for i in fit_idx], [per_doc[i][6] for i in fit_idx],
                                   _content_hp(args), 1.0, log=lambda s: print(s, flush=True))
        print(f"content seq trained in {time.time() - t1:.0f}s", flush=True)
        cseqs += [dataclasses.replace(fitted, meta={**fitted.meta, "alpha": x}) for x in args.content_alpha]
    for c in args.c:
        bases: list[tuple[qm.CueModel, bool]] = []
        if args.content_dense != "on":
            bases.append((train([per_doc[i] for i in fit_idx], c, 0.5, args.min_count, {}), False))
        if args.content_dense != "off":
            bases.append((train([per_doc[i] for i in fit_idx], c, 0.5, args.min_count, {}, content_dense=True), True))
        seqs: list[tuple[qm.SeqCue | None, SeqParams | None]] = [] if args.seq == "on" else [(None, None)]
        if use_seq:
            oof = oof_cue_logits([per_doc[i] for i in fit_idx], c, args.min_count)
            for hv in variants:
                t1 = time.time()
                singles = train_seq_ensemble([items[i] for i in fit_idx], oof, hv, log=lambda s: print(s, flush=True),
                                             watch=(items[a:b], bases[0][0]))
                dt = time.time() - t1
                cands = [(t, dataclasses.replace(hv, seed=hv.seed + k, ensemble=1)) for k, t in enumerate(singles)]
                if len(singles) > 1:  # each tagger alone, then the ensemble
                    cands.append((qm.SeqCue.ensemble(singles), hv))
                for tagger, hq in cands:
                    sp, sq, ys = seq_token_scores(items[a:b], dataclasses.replace(bases[0][0], cue_seq=tagger))
                    f_sp, f_sq = best_f1(sp, ys), best_f1(sq, ys)
                    print(f"C={c} {hq}: {len(singles)} tagger(s) trained in {dt:.0f}s; token-level cue-head F1 "
                          f"on the slice: sparse {f_sp[0]:.4f} (logit {f_sp[1]:.2f}), sequence {f_sq[0]:.4f} "
                          f"(logit {f_sq[1]:.2f})", flush=True)
                    seqs.append((tagger, hq))
        for mb, cd in bases:
            for seq, hp in seqs:
                for cs, th in ((x, t) for x in cseqs for t in args.thresholds):
                    m2 = dataclasses.replace(mb, threshold=th, cue_seq=seq, content_seq=cs)
                    s = score(tune_docs, tune_recs, m2)
                    al = cs.alpha if cs is not None else None
                    print(f"C={c} dense={cd} seq={_seq_label(hp)} cseq={al} "
                          f"threshold={th}: all F1 {s['all_f1_exact']:.4f} (P {s['all_precision_exact']:.3f} "
                          f"R {s['all_recall_exact']:.3f}) cue {s['cue_f1_exact']:.3f} "
                          f"source {s['source_f1_exact']:.3f} content {s['content_f1_exact']:.3f} "
                          f"speaker {s['speaker_accuracy']:.3f}", flush=True)
                    if best is None or s["all_f1_exact"] > best[0]:
                        best = (s["all_f1_exact"], c, th, hp, cd, al)
                        if args.save_tuned is not None:
                            # with the encoder recorded, as write_final does, so the run time reads the same rows
                            tuned = dataclasses.replace(m2, encoder=args.encoder)
                            args.save_tuned.write_text(json.dumps(tuned.to_json()), encoding="utf-8")
    assert best is not None
    _f1, c, th, hp, cd, al = best
    print(f"best on the slice: all F1 {best[0]:.4f} with C={c}, threshold={th}, seq={hp}, dense={cd}, "
          f"content seq alpha={al}", flush=True)
    if args.no_final:
        return
    write_final(args, per_doc, items, c, th, hp, cd, f"fit on train outside [{a}:{b}], threshold/C chosen on "
                f"train[{a}:{b}] (all F1 exact {best[0]:.4f})", t0, docs, al)


def _content_hp(args: Any) -> SeqParams:
    return SeqParams(epochs=args.content_epochs, seed=args.seq_seed, threads=args.threads)


def _seq_label(hp: SeqParams | None) -> str:
    if hp is None:
        return "-"
    seeds = f"seed {hp.seed}" if hp.ensemble == 1 else f"seeds {hp.seed}-{hp.seed + hp.ensemble - 1}"
    return f"{hp.epochs}ep/{hp.hidden}h/{seeds}"


def write_final(args: Any, per_doc: list[PerDoc], items: list[SeqDoc], c: float, th: float,
                hp: SeqParams | None, cd: bool, tuning: str, t0: float, docs: list[Any],
                content_alpha: float | None) -> None:
    """Refit every model on all of train with the chosen settings and write the JSON."""
    meta = {"trained_on": "PolNeAR v1.0.0 train (840 articles)", "C": c, "threshold": th,
            "tuning": tuning, "script": "scripts/train_quotes.py"}
    model = train(per_doc, c, th, args.min_count, meta, content_dense=cd)
    if hp is not None:
        seq = qm.SeqCue.ensemble(train_seq_ensemble(items, oof_cue_logits(per_doc, c, args.min_count), hp,
                                                    log=lambda s: print(s, flush=True)))
        model = dataclasses.replace(model, cue_seq=seq)
    if content_alpha is not None:
        cs = train_content_seq(docs, [p[6] for p in per_doc], _content_hp(args), content_alpha,
                               log=lambda s: print(s, flush=True))
        model = dataclasses.replace(model, content_seq=cs)
    if args.encoder is not None:
        model = dataclasses.replace(model, encoder=args.encoder)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(model.to_json(), fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB): C={c} threshold={th} seq={hp} dense={cd}; "
          f"{len(model.cue.weights)}/{len(model.extent.weights)}/{len(model.content.weights)}/"
          f"{len(model.source.weights)} weights; "
          f"{time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
