"""The WordNet-derived trigger lexicon the event-pair model reads (scripts/build_wordnet_lexicon.py)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from rashomon.compare._events import (
    _WORDNET_FILE,
    FEATURES,
    EventMention,
    pair_features,
    wordnet_relation,
    wordnet_senses,
)


def test_synonyms_and_derivations_share_a_sense():
    assert wordnet_relation("arrest", "apprehend")[0] == 1.0
    assert wordnet_relation("killing", "kill")[0] == 1.0  # noun derived from the verb
    assert wordnet_relation("earthquake", "quake")[0] == 1.0


def test_hypernyms_are_related_not_synonyms():
    assert wordnet_relation("crash", "accident") == (0.0, 1.0, 0.0)
    assert wordnet_relation("arrest", "capture")[0] == 0.0


def test_unrelated_triggers_get_nothing():
    assert wordnet_relation("arrest", "earthquake") == (0.0, 0.0, 0.0)
    assert wordnet_relation("qwertyuiop", "arrest") == (0.0, 0.0, 0.0)


def test_unlemmatised_heads_fall_back_to_wordnet_morphology():
    assert wordnet_senses("caught")[0] == wordnet_senses("catch")[0]  # irregular form
    assert wordnet_senses("fired")[0] == wordnet_senses("fire")[0]  # not the tree "fir"
    assert wordnet_senses("stopped")[0] == wordnet_senses("stop")[0]
    assert wordnet_senses("oscars")[0]


def test_same_stem_pairs_leave_the_wordnet_features_at_zero():
    def mention(i: str, head: str) -> EventMention:
        return EventMention(id=i, doc=i, group="g", sentence=(i, 0), head=head, pos="VERB",
                            lemmas=frozenset({head}), args=frozenset())

    feats = dict(zip(FEATURES, pair_features(mention("a", "arrest"), mention("b", "arrested"), 0.0, {}, {}),
                     strict=True))
    assert feats["stem_match"] == 1.0
    assert feats["wn_synonym*stem_differs"] == feats["wn_related*stem_differs"] == 0.0
    feats = dict(zip(FEATURES, pair_features(mention("a", "arrest"), mention("b", "apprehend"), 0.0, {}, {}),
                     strict=True))
    assert feats["wn_synonym*stem_differs"] == 1.0


def test_shipped_lexicon_carries_the_wordnet_licence():
    with gzip.open(_WORDNET_FILE, "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    assert "Princeton University" in table["licence"]
    assert len(table["lemmas"]) > 20000


@pytest.mark.slow
def test_build_script_is_deterministic(tmp_path):
    wordnet = Path("/usr/share/wordnet")
    if not (wordnet / "data.verb").exists():
        pytest.skip("WordNet database files absent (apt-get install wordnet-base)")
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "build_wordnet_lexicon.py"
    out = tmp_path / "lexicon.json.gz"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == _WORDNET_FILE.read_bytes()
