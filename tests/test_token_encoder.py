"""MiniLM token rows for the quote model (token_encoder.py) and the shipped MiniLM model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rashomon.annotate import quote_model as qm
from rashomon.annotate import quotes as Q
from rashomon.annotate import token_encoder as te

TEXT = ("Officials said on Monday that the talks had stalled. The minister told reporters the plan "
        "would cost more than $2 billion, according to a statement.\n\nCritics argued that the deal was rushed.")

needs_encoder = pytest.mark.skipif(not te.available(), reason="the [embeddings] extra is not installed")


def test_windows_cover_every_word_once(nlp):
    doc = nlp(TEXT + " " + " ".join(["word"] * (te.WINDOW + 30)) + ".")
    wins = te._windows(doc)
    flat = [i for w in wins for i in w]
    assert flat == [t.i for t in doc if not t.is_space]  # in order, no gaps, no repeats
    assert max(len(w) for w in wins) == te.WINDOW


@needs_encoder
def test_rows_are_contextual_and_batch_independent(nlp):
    enc = te.load_token_encoder()
    assert enc is te.load_token_encoder()  # once per process
    a = nlp("The bank said rates would rise.")
    b = nlp("They sat on the river bank.")
    ra, rb = enc.rows(a), enc.rows(b)
    assert ra.shape == (len(a), te.WIDTH) and ra.dtype == np.float32
    bank_a, bank_b = ra[1], rb[[t.text for t in b].index("bank")]
    cos = float(bank_a @ bank_b / np.linalg.norm(bank_a) / np.linalg.norm(bank_b))
    assert cos < 0.95  # the same word in two senses: different rows
    # batched with other Docs (padding) gives the same rows as alone
    ra2, rb2 = enc.rows_many([a, b])
    np.testing.assert_allclose(ra2, ra, atol=1e-4)
    np.testing.assert_allclose(rb2, rb, atol=1e-4)
    space = nlp("Hello  there.\n\nBye.")
    rs = enc.rows(space)
    assert all(not rs[t.i].any() for t in space if t.is_space)
    with pytest.raises(Exception, match="unknown token encoder"):
        te.load_token_encoder("bert-large")


@needs_encoder
def test_encoder_inputs_swap_and_restore_doc_tensor(nlp):
    m = qm.load_model(qm.MINILM_MODEL_PATH)
    assert m.encoder == "minilm" and m.cue_seq is not None and m.cue_seq.width == 96 + te.WIDTH
    doc = nlp(TEXT)
    before = doc.tensor.copy()
    with Q.encoder_inputs(doc, m):
        assert doc.tensor.shape == (len(doc), 96 + te.WIDTH)
        np.testing.assert_array_equal(doc.tensor[:, :96], before)
        assert m.cue_seq.usable(doc) and m.content_seq is not None and m.content_seq.usable(doc)
    np.testing.assert_array_equal(doc.tensor, before)  # other components still see tok2vec rows
    with pytest.raises(RuntimeError), Q.encoder_inputs(doc, m):
        raise RuntimeError("boom")
    np.testing.assert_array_equal(doc.tensor, before)  # restored on errors too
    small = qm.load_model(qm.MODEL_PATH)
    with Q.encoder_inputs(doc, small):
        assert doc.tensor is not None and doc.tensor.shape == before.shape
    # no tok2vec tensor: left alone, the sparse parts decide
    bare = nlp.make_doc("Officials said so.")
    with Q.encoder_inputs(bare, m):
        assert not m.cue_seq.usable(bare)


@needs_encoder
def test_builtin_is_the_minilm_model_when_the_extra_is_there(nlp):
    assert qm.builtin_model_path() == qm.MINILM_MODEL_PATH
    comp = Q.QuotesComponent("all")
    assert comp.model is qm.load_model(qm.MINILM_MODEL_PATH) and comp.model_file == qm.MINILM_MODEL_PATH.name
    small = Q.QuotesComponent("all", "small")
    assert small.model is qm.load_model(qm.MODEL_PATH) and small.model.encoder is None
    raw = json.loads(qm.MINILM_MODEL_PATH.read_text(encoding="utf-8"))
    assert raw["encoder"] == "minilm" and qm.CueModel.from_json(raw).to_json()["encoder"] == "minilm"
    # both models find the quotes of a plain report; the MiniLM one used its dense parts
    doc = nlp(TEXT)
    with Q.encoder_inputs(doc, comp.model):
        ctx = Q._doc_context(doc)
        probs = Q.cue_probs(doc, ctx, comp.model)
        sparse = {i: qm.logistic(s) for i, s in Q.sparse_cue_logits(doc, ctx, comp.model).items()}
    assert probs != sparse
    for m in (comp.model, small.model):
        d = nlp(TEXT)
        cues = {d[a.cue[0]:a.cue[1]].text for a in Q.attribute(d, Q.CUES_ALL, m)}
        assert {"said", "argued"} <= cues


def test_minilm_name_needs_the_extra(monkeypatch):
    monkeypatch.setattr(te, "available", lambda: False)
    assert qm.builtin_model_path() == qm.MODEL_PATH
    with pytest.raises(ValueError, match="embeddings"):
        Q.QuotesComponent("all", "minilm")


def test_env_keeps_the_small_model(monkeypatch):
    monkeypatch.setenv("RASHOMON_QUOTE_MODEL", "small")
    assert qm.builtin_model_path() == qm.MODEL_PATH
    monkeypatch.setenv("RASHOMON_QUOTE_MODEL", "")
    assert qm.builtin_model_path() == (qm.MINILM_MODEL_PATH if te.available() else qm.MODEL_PATH)


def _adapter(path, layer: int = 5, module: str = "attention.self.value", rank: int = 2, out: int = 384,
             seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    meta = {"format": "rashomon-lora-1", "rank": rank, "alpha": 2.0 * rank, "layers": 1}
    name = f"encoder.layer.{layer}.{module}"
    np.savez(path, **{f"{name}.A": rng.normal(size=(rank, 384)).astype(np.float32),
                      f"{name}.B": rng.normal(size=(out, rank)).astype(np.float32) * 0.05,
                      "meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)})


@needs_encoder
def test_adapter_is_merged_into_the_named_weights_only(tmp_path, nlp):
    torch = pytest.importorskip("torch")
    path = tmp_path / "ad.npz"
    _adapter(path)
    base = te.load_token_encoder()
    tuned = te.load_token_encoder("minilm", adapter=path)
    assert tuned is not base and tuned is te.load_token_encoder("minilm", adapter=path)
    b_params = dict(base._model.named_parameters())
    changed = [n for n, p in tuned._model.named_parameters() if not torch.equal(p, b_params[n])]
    assert changed == ["encoder.layer.5.attention.self.value.weight"]
    with np.load(path) as z:
        delta = 2.0 * (z["encoder.layer.5.attention.self.value.B"] @ z["encoder.layer.5.attention.self.value.A"])
    np.testing.assert_allclose(tuned._model.get_submodule("encoder.layer.5.attention.self.value").weight.detach()
                               - b_params["encoder.layer.5.attention.self.value.weight"].detach(), delta, atol=1e-5)
    doc = nlp("The minister said the plan was dead.")
    assert np.abs(tuned.rows(doc) - base.rows(doc)).max() > 1e-3  # the adapter reaches the rows


@needs_encoder
@pytest.mark.parametrize("kind", ["shape", "module", "missing", "garbage"])
def test_a_broken_adapter_is_a_config_error_naming_the_file(tmp_path, kind):
    from rashomon.errors import ConfigError

    path = tmp_path / f"{kind}.npz"
    if kind == "shape":
        _adapter(path, out=1536)  # value is 384 × 384
    elif kind == "module":
        _adapter(path, module="attention.self.nope")
    elif kind == "garbage":
        path.write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match=kind):
        te.load_token_encoder("minilm", adapter=path)
