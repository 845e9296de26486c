"""The sequence content scorer (round 6): flags, span potentials, numpy = torch twin, file round trip."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from test_quote_seq import _train_script

from rashomon.annotate import quote_model as qm
from rashomon.annotate import quotes as Q

TEXT = ('The senator said on Monday that the bill, which passed the House, would fail in the Senate. '
        '"It is over," she told reporters.')


def test_span_potentials_add_start_end_and_inside():
    z = np.arange(30, dtype=np.float32).reshape(10, 3)  # window rows 0..9 for tokens 5..14
    got = qm.span_potentials(z, (5, 15), [((6, 8),), ((5, 6), (13, 20)), ((20, 22),)])
    # (6, 8): start of row 1, end of row 2, inside rows 1-2
    assert got[0] == z[1, 0] + z[2, 1] + z[1, 2] + z[2, 2]
    # a fragment running out of the window counts its start and the inside part within it only
    assert got[1] == (z[0, 0] + z[0, 1] + z[0, 2]) + (z[8, 0] + z[8, 2] + z[9, 2])
    assert got[2] == 0.0


def test_content_flags_mark_cue_quotes_and_sentence(nlp):
    doc = nlp(TEXT)
    said = next(t for t in doc if t.lower_ == "said")
    cue = (said.i, said.i + 1)
    ctx = Q._doc_context(doc, claim_filter=False)
    quotes = [(qs, qe) for qs, qe, _p in ctx.quotes]
    window = (0, len(doc))
    f = qm.content_flags(doc, said, cue, window, quotes)
    assert f.shape == (len(doc), qm.CONTENT_SEQ_DENSE)
    assert f[:, 0].nonzero()[0].tolist() == [said.i] and f[:, 1].nonzero()[0].tolist() == [said.i]
    qs, qe = quotes[0]
    assert f[qs, 3] == 1 and f[qe - 1, 3] == 1 and f[qs + 1:qe - 1, 2].all() and not f[:qs, 2].any()
    assert f[:said.sent.end, 4].all() and not f[said.sent.end:, 4].any()
    assert not f[:said.i + 1, 5].any() and f[said.i + 1:, 5].all()


def test_numpy_scores_match_torch_twin_and_survive_the_file(nlp):
    torch = pytest.importorskip("torch")
    tq = _train_script()
    doc = nlp(TEXT)
    hp = tq.SeqParams(hidden=5, proj=7, dims=(4, 3, 3, 2))
    vocab = {"lemma": {"say": 1, "bill": 2}, "pos": {"VERB": 1, "NOUN": 2}, "dep": {"ROOT": 1}, "tag": {"VBD": 1}}
    torch.manual_seed(2)
    net = tq.seq_net([len(vocab[n]) + 1 for n in ("lemma", "pos", "dep", "tag")], hp, doc.tensor.shape[1],
                     dense_width=qm.CONTENT_SEQ_DENSE, n_out=3)
    with torch.no_grad():
        for p in net.parameters():
            p.normal_(0.0, 0.5)
    cs = qm.ContentSeq(vocab, tq._export_arrays(net), {"alpha": 0.5})
    cs = qm.ContentSeq.from_json(json.loads(json.dumps(cs.to_json())))
    assert cs.alpha == 0.5
    _load(tq, net, cs)  # the twin with the float16-rounded weights the file keeps
    net.eval()
    said = next(t for t in doc if t.lower_ == "said")
    cue = (said.i, said.i + 1)
    spans = [fr for _n, fr in qm.content_candidates(doc, said, cue)]
    assert len(spans) > 2
    window = qm.content_window(doc, said, cue, spans)
    quotes = [(qs, qe) for qs, qe, _p in Q._doc_context(doc, claim_filter=False).quotes]
    z = cs.potentials(doc, said, cue, window, quotes)
    lo, hi = window
    keys = qm.seq_token_keys(doc)
    ids = np.stack([[vocab[n].get(x, 0) for x in keys[k]] for k, n in enumerate(("lemma", "pos", "dep", "tag"))], 1)
    flags = qm.content_flags(doc, said, cue, window, quotes)
    with torch.no_grad():
        ref = net(torch.from_numpy(ids[None, lo:hi]), torch.from_numpy(np.asarray(doc.tensor[None, lo:hi])),
                  torch.from_numpy(flags[None]), torch.tensor([hi - lo]))[0].numpy()
    np.testing.assert_allclose(z, ref, rtol=1e-4, atol=1e-4)
    got = cs.scores(doc, said, cue, spans, quotes)
    np.testing.assert_allclose(got, 0.5 * qm.span_potentials(ref, window, spans), rtol=1e-4, atol=1e-4)
    # in the model file: best_content adds it; a Doc without doc.tensor falls back to the ranker
    m = qm.load_model(qm.MODEL_PATH)
    full = qm.CueModel.from_json(json.loads(json.dumps(dataclasses.replace(m, content_seq=cs).to_json())))
    assert full.content_seq is not None and full.content_seq.alpha == 0.5
    assert qm.best_content(full.content, doc, said, cue, quotes, full.content_dense, full.content_seq) in spans
    bare = nlp.make_doc(TEXT)
    assert cs.scores(bare, bare[said.i], cue, spans) is None


def _load(tq, net, cs):
    import torch

    seq = qm.SeqCue(cs.vocab, cs.arrays, cs.meta)
    w_out, b_out = cs.arrays["w_out"], cs.arrays["b_out"]
    # load_seq_into expects the cue tagger's one-row output layer; the content net has three
    tq.load_seq_into(net, dataclasses.replace(seq, arrays={**cs.arrays, "w_out": w_out[0], "b_out": b_out[:1]}))
    with torch.no_grad():
        net.out.weight.copy_(torch.from_numpy(w_out))
        net.out.bias.copy_(torch.from_numpy(b_out))


def test_batched_choice_equals_one_cue_at_a_time(nlp):
    torch = pytest.importorskip("torch")
    tq = _train_script()
    doc = nlp("Officials said on Monday that the talks, which began in Doha last year, had stalled. "
              "The minister told reporters the plan would cost more than $2 billion. "
              "Critics argued that the deal was rushed and warned it could collapse by spring, "
              "and the agency said it expected a vote next week.")
    hp = tq.SeqParams(hidden=6, proj=8, dims=(4, 3, 3, 2))
    m = qm.load_model(qm.MODEL_PATH)
    torch.manual_seed(3)
    net = tq.seq_net([2, 2, 2, 2], hp, doc.tensor.shape[1], dense_width=qm.CONTENT_SEQ_DENSE, n_out=3)
    with torch.no_grad():
        for p in net.parameters():
            p.normal_(0.0, 1.0)
    vocab = {"lemma": {"say": 1}, "pos": {"VERB": 1}, "dep": {"ROOT": 1}, "tag": {"VBD": 1}}
    cs = qm.ContentSeq(vocab, tq._export_arrays(net), {"alpha": 5.0})  # large: it decides
    model = dataclasses.replace(m, content_seq=cs)
    atts = Q.find_attributions(doc, Q.CUES_ALL, model=model)
    ctx = Q._doc_context(doc)
    qtoks = [(qs, qe) for qs, qe, _p in ctx.quotes]
    checked = changed = 0
    for a in atts:
        if a.direct or a.kind == "according":
            continue
        h = doc[a.cue[0]:a.cue[1]].root
        one = qm.best_content(model.content, doc, h, a.cue, qtoks, model.content_dense, cs)
        assert one is not None and a.content == list(one)
        plain = qm.best_content(model.content, doc, h, a.cue, qtoks, model.content_dense)
        checked += 1
        changed += plain != one
    assert checked >= 3 and changed >= 1  # the scorer was in play, batched as one by one
