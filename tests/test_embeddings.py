"""The optional sentence encoder (``[embeddings]`` extra; `make test` installs it)."""

from __future__ import annotations

import pytest

from rashomon import embeddings
from rashomon.errors import ConfigError

pytestmark = [pytest.mark.embeddings,
              pytest.mark.skipif(not embeddings.available(),
                                 reason="EMBEDDINGS TESTS SKIPPED: the [embeddings] extra is not installed")]


def test_encoder_ranks_a_paraphrase_above_an_unrelated_sentence() -> None:
    enc = embeddings.load_encoder()
    v = enc.encode(["Trump asked Pakistan for help with the Afghan peace talks.",
                    "Trump sought Pakistan's cooperation on Afghan peace.",
                    "The Academy Awards ceremony will be held in February."])
    assert v.shape == (3, enc.dim) and enc.dim == 384
    assert abs(float(v[0] @ v[0]) - 1.0) < 1e-4  # rows are L2-normalised
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.3


def test_encoder_is_loaded_once_and_handles_no_texts() -> None:
    assert embeddings.load_encoder() is embeddings.load_encoder()
    assert embeddings.load_encoder().encode([]).shape == (0, 384)


def test_unknown_model_path_is_a_config_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="cannot load embedding model"):
        embeddings.load_encoder(str(tmp_path / "no-such-model"))


def test_analyze_with_embeddings_keeps_the_seed_story_whole(seeds_dir, tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from rashomon.cli import main

    out = tmp_path / "a.json"
    res = CliRunner().invoke(main, ["analyze", *map(str, sorted(seeds_dir.glob("*.txt"))), "--no-store",
                                    "--embeddings", "--json", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert len(doc["stories"]) == 1 and len(doc["stories"][0]["article_ids"]) == 2
