"""scripts/finetune_encoder.py (quotes round 8): labels, the cached-states forward and the
adapter file reproduce what the run-time token encoder computes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from rashomon.annotate import token_encoder as te

ROOT = Path(__file__).resolve().parents[1]
TEXT = ('The senator said in a statement that the bill would fail. "It is over," she told reporters.\n\n'
        "A new poll shows that Trump leads, according to the campaign.")

pytestmark = pytest.mark.skipif(not te.available(), reason="the [embeddings] extra is not installed")


def _script():
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("finetune_encoder", ROOT / "scripts" / "finetune_encoder.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _gold(doc):
    said = next(t.i for t in doc if t.text == "said")
    content = frozenset(range(said + 5, said + 9))  # "the bill would fail"
    return [{"head": said, "cue": frozenset({said}), "source": frozenset({said - 1}), "content": content}]


def test_labels_follow_the_gold_spans_in_run_time_windows(nlp):
    ft = _script()
    doc = nlp(TEXT)
    gold = _gold(doc)
    wins = ft.labelled_windows([doc], [gold])
    assert [w for _j, w, _y in wins] == te._windows(doc)
    j, w, y = wins[0]
    assert j == 0 and y.shape == (len(w), len(ft.LABELS))
    col = {n: k for k, n in enumerate(ft.LABELS)}
    said = gold[0]["head"]
    assert y[w.index(said), col["head"]] == 1 and y[:, col["head"]].sum() == 1
    assert y[w.index(said - 1), col["source"]] == 1
    assert [doc[w[k]].text for k in np.nonzero(y[:, col["content"]])[0]] == ["the", "bill", "would", "fail"]
    assert [doc[w[k]].text for k in np.nonzero(y[:, col["content_first"]])[0]] == ["the"]
    assert [doc[w[k]].text for k in np.nonzero(y[:, col["content_last"]])[0]] == ["fail"]
    assert sum(yy.sum() for _j, _w, yy in wins[1:]) == 0  # other sentences: no labels


def test_cached_states_forward_and_adapter_file_match_the_run_time_encoder(nlp, tmp_path):
    torch = pytest.importorskip("torch")
    from transformers import AutoModel, AutoTokenizer

    ft = _script()
    doc = nlp(TEXT)
    wins = ft.labelled_windows([doc], [_gold(doc)])
    base = te.model_path(None)
    tok = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModel.from_pretrained(base, local_files_only=True).eval()
    states, word_ids = ft.lower_states(model, tok, [doc], wins, 4, None)
    ks = list(range(len(wins)))
    offsets = np.zeros(2, dtype=np.int64)

    # no adapter: the top layers on cached layer-4 states give the run-time rows
    rows = np.zeros((len(doc), te.WIDTH), dtype=np.float32)
    ft.window_rows(model.encoder.layer[4:], states, word_ids, wins, ks, rows, offsets)
    np.testing.assert_allclose(rows, te.load_token_encoder().rows(doc), atol=1e-4)

    # LoRA with random B: the written adapter, merged at run time, gives the same rows
    args = SimpleNamespace(layers=2, rank=4, alpha=8.0, epochs=0, lr=0.0)
    mods = ft.add_lora(model, 4, args.rank, args.alpha, dropout=0.0)
    assert len(mods) == 12  # q, k, v, attention output, intermediate, output × 2 layers
    with torch.no_grad():
        for m in mods.values():
            m.B.normal_(0.0, 0.02)
    tuned = np.zeros_like(rows)
    ft.window_rows(model.encoder.layer[4:], states, word_ids, wins, ks, tuned, offsets)
    assert np.abs(tuned - rows).max() > 1e-3
    path = tmp_path / "ad.npz"
    np.savez_compressed(path, **ft.adapter_arrays(mods, args))
    np.testing.assert_allclose(te.load_token_encoder("minilm", adapter=path).rows(doc), tuned, atol=1e-4)
