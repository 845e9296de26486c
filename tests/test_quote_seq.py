"""The sequence cue tagger (round 5): numpy inference, its torch twin, file round trip, fallbacks."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from rashomon.annotate import quote_model as qm
from rashomon.annotate import quotes as Q

ROOT = Path(__file__).resolve().parents[1]
TEXT = ('The senator has also said in a statement that the bill would fail. "It is over," she told reporters.\n\n'
        "A new poll shows that Trump leads among white voters, according to the campaign.")


def _train_script():
    spec = importlib.util.spec_from_file_location("train_quotes", ROOT / "scripts" / "train_quotes.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_quotes", mod)  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_seq_chunks_cut_long_sentences():
    assert qm.seq_chunks([(0, 5), (5, 5 + qm.SEQ_MAX_LEN + 3)]) == [
        (0, 5), (5, 5 + qm.SEQ_MAX_LEN), (5 + qm.SEQ_MAX_LEN, 8 + qm.SEQ_MAX_LEN)]


def test_numpy_inference_matches_torch_forward(nlp):
    torch = pytest.importorskip("torch")
    tq = _train_script()
    doc = nlp(TEXT)
    assert doc.tensor.shape[0] == len(doc)
    hp = tq.SeqParams(hidden=6, proj=8, dims=(4, 3, 3, 2))
    vocab = {"lemma": {"say": 1, "tell": 2, "poll": 3}, "pos": {"VERB": 1, "NOUN": 2},
             "dep": {"ROOT": 1, "nsubj": 2}, "tag": {"VBD": 1}}
    torch.manual_seed(1)
    net = tq.seq_net([len(vocab[n]) + 1 for n in ("lemma", "pos", "dep", "tag")], hp, doc.tensor.shape[1])
    with torch.no_grad():
        for p in net.parameters():
            p.normal_(0.0, 0.5)
        net.mean.normal_(0.0, 0.1)
        net.std.uniform_(0.5, 2.0)
    seq = qm.SeqCue.from_json(json.loads(json.dumps(tq.export_seq(net, vocab, hp).to_json())))
    tq.load_seq_into(net, seq)  # the twin with the weights as stored (float16)
    net.eval()
    ctx = Q._doc_context(doc, claim_filter=False)
    logits = {t.i: float(k) - 3.0 for k, t in enumerate(doc) if t.pos_ in qm.CANDIDATE_POS}
    dense = qm.seq_dense(doc, ctx.feats, logits, Q.rule_kind)
    chunks = qm.seq_chunks([(s.start, s.end) for s in ctx.sents])
    z = seq.logits(doc, chunks, dense)
    keys = qm.seq_token_keys(doc)
    assert keys == ([t.lemma_.lower() for t in doc], [t.pos_ for t in doc], [t.dep_ for t in doc],
                    [t.tag_ for t in doc])
    ids = np.stack([[vocab[n].get(x, 0) for x in keys[k]] for k, n in enumerate(("lemma", "pos", "dep", "tag"))], 1)
    for s, e in chunks:
        with torch.no_grad():
            ref = net(torch.from_numpy(ids[None, s:e]), torch.from_numpy(np.asarray(doc.tensor[None, s:e])),
                      torch.from_numpy(dense[None, s:e]), torch.tensor([e - s]))[0].numpy()
        np.testing.assert_allclose(z[s:e], ref, rtol=1e-4, atol=1e-4)
    # the batched numpy decoding does not depend on which other chunks are in the Doc
    one = seq.logits(doc, chunks[:1], dense)
    np.testing.assert_allclose(one[chunks[0][0]:chunks[0][1]], z[chunks[0][0]:chunks[0][1]], rtol=1e-5, atol=1e-5)
    assert np.isneginf(one[chunks[-1][0]])


def test_model_files_without_the_tagger_still_load_and_run(nlp):
    raw = json.loads(qm.MODEL_PATH.read_text(encoding="utf-8"))
    raw.pop("cue_seq", None)
    old = qm.CueModel.from_json(raw)
    assert old.cue_seq is None and "cue_seq" not in old.to_json()
    doc = nlp(TEXT)
    atts = Q.find_attributions(doc, Q.CUES_ALL, model=old)
    assert any("said" in doc[a.cue[0]:a.cue[1]].text for a in atts)


def test_without_a_tensor_the_sparse_tagger_decides(nlp):
    m = qm.load_model(qm.MODEL_PATH)
    doc = nlp(TEXT)
    ctx = Q._doc_context(doc)
    sparse = {i: qm.logistic(s) for i, s in Q.sparse_cue_logits(doc, ctx, m).items()}
    with_tensor = Q.cue_probs(doc, ctx, m)
    assert with_tensor.keys() == sparse.keys()
    doc.tensor = np.zeros((0, 0), dtype=np.float32)
    assert Q.cue_probs(doc, ctx, m) == sparse
    if m.cue_seq is not None:
        assert with_tensor != sparse
        back = qm.CueModel.from_json(json.loads(json.dumps(m.to_json())))
        assert back.cue_seq is not None and back.cue_seq.vocab == m.cue_seq.vocab
        for k in qm.SeqCue.ARRAYS:
            np.testing.assert_array_equal(back.cue_seq.arrays[k], m.cue_seq.arrays[k])


def test_seed_ensemble_averages_logits_and_round_trips(nlp):
    m = qm.load_model(qm.MODEL_PATH)
    if m.cue_seq is None:
        pytest.skip("the shipped model has no sequence tagger")
    one = m.cue_seq.members[0]
    rng = np.random.default_rng(0)
    other = qm.SeqCue(one.vocab, {k: v + rng.normal(0.0, 0.05, v.shape).astype(np.float32) if k.startswith("w")
                                  else v for k, v in one.arrays.items()}, dict(one.meta, seed=1))
    ens = qm.SeqCue.ensemble([one, other])
    back = qm.SeqCue.from_json(json.loads(json.dumps(ens.to_json())))
    assert len(back.members) == 2 and "ensemble" not in one.to_json()
    assert qm.SeqCue.from_json(json.loads(json.dumps(one.to_json()))).extra == ()  # one tagger: as before
    doc = nlp(TEXT)
    ctx = Q._doc_context(doc)
    dense = qm.seq_dense(doc, ctx.feats, Q.sparse_cue_logits(doc, ctx, m), Q.rule_kind)
    chunks = Q.seq_chunk_ranges(ctx)
    z1, z2, z = one.logits(doc, chunks, dense), other.logits(doc, chunks, dense), back.logits(doc, chunks, dense)
    fin = np.isfinite(z1)
    assert (np.isfinite(z) == fin).all() and not np.allclose(z1[fin], z2[fin])
    np.testing.assert_allclose(z[fin], (z1[fin] + z2[fin]) / 2, rtol=1e-3, atol=1e-3)
    full = qm.CueModel.from_json(json.loads(json.dumps(dataclasses.replace(m, cue_seq=ens).to_json())))
    assert full.cue_seq is not None and len(full.cue_seq.members) == 2
