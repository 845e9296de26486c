"""The trained cue / extent / content model behind ``rashomon_quotes`` (quote_model.py)."""

from __future__ import annotations

import json

import pytest

from rashomon.annotate import quote_model as qm
from rashomon.annotate.quotes import CUES_ALL, QuotesComponent, find_attributions


def test_shipped_model_loads_once_and_is_plain_json():
    m = qm.load_model()
    assert m is qm.load_model()  # cached per process
    raw = json.loads(qm.MODEL_PATH.read_text(encoding="utf-8"))
    assert raw["format"] == qm.FORMAT
    assert 0.0 < m.threshold < 1.0
    assert m.meta.get("script") == "scripts/train_quotes.py"
    # the cue model knows the commonest cue and the long tail the word lists miss
    assert m.cue.weights.get("l=say", 0.0) > 0.0
    assert m.cue.weights.get("l=the", 0.0) == 0.0


def test_linear_model_round_trip():
    lm = qm.LinearModel({"a": 1.5, "b": -2.0}, 0.25)
    back = qm.LinearModel.from_json(json.loads(json.dumps(lm.to_json())))
    assert back == lm
    assert back.score(["a", "b", "unknown"]) == pytest.approx(-0.25)
    assert back.prob(["a"]) == pytest.approx(1 / (1 + pow(2.718281828459045, -1.75)))
    with pytest.raises(ValueError):
        qm.CueModel.from_json({"format": "something.else"})


def test_component_model_option(tmp_path):
    assert QuotesComponent("speech", "none").model is None
    assert QuotesComponent("all").model is qm.load_model()
    with pytest.raises(ValueError):
        QuotesComponent("speech", str(tmp_path / "missing.json"))


def test_model_finds_long_tail_cues(nlp):
    # stance cues that are on no word list; PolNeAR annotates both as attributions
    doc = nlp("Senator Smith endorsed Hillary Clinton for president on Monday.\n\n"
              "A new poll shows that Trump leads among white voters.")
    model_atts = find_attributions(doc, CUES_ALL, model=qm.load_model(qm.MODEL_PATH))
    rule_atts = find_attributions(doc, CUES_ALL)
    cues = {doc[a.cue[0]:a.cue[1]].text for a in model_atts}
    assert "endorsed" in cues and "shows" in cues
    assert "endorsed" not in {doc[a.cue[0]:a.cue[1]].text for a in rule_atts}
    endorsed = next(a for a in model_atts if doc[a.cue[0]].text == "endorsed")
    assert endorsed.kind == "attribution" and doc[endorsed.source[0]:endorsed.source[1]].text == "Senator Smith"
    assert doc[endorsed.content[0][0]:endorsed.content[-1][1]].text.startswith("Hillary Clinton")


def test_content_candidates_and_extent(nlp):
    doc = nlp("The senator has also said that the bill would fail, adding that it was too late.")
    said = next(t for t in doc if t.text == "said")
    s, e = qm.cue_extent(qm.load_model(qm.MODEL_PATH).extent, doc, said)
    assert doc[s:e].text == "has also said"
    cands = dict(qm.content_candidates(doc, said, (s, e)))
    texts = {" ".join(doc[a:b].text for a, b in frags) for frags in cands.values()}
    assert "that the bill would fail" in texts
    m = qm.load_model(qm.MODEL_PATH)
    best = qm.best_content(m.content, doc, said, (s, e), dense=m.content_dense)
    assert best is not None and doc[best[0][0]:best[-1][1]].text == "that the bill would fail"


def test_content_candidates_cut_trailing_constituents(nlp):
    # PolNeAR often ends the content before a trailing ", a defeat …" or "in the House"
    doc = nlp("The senator said the bill would fail in the House, a defeat that surprised nobody.")
    said = next(t for t in doc if t.text == "said")
    cands = qm.content_candidates(doc, said, (said.i, said.i + 1))
    texts = {" ".join(doc[a:b].text for a, b in fr) for _n, fr in cands}
    assert "the bill would fail in the House, a defeat that surprised nobody" in texts
    assert "the bill would fail in the House" in texts


def test_content_candidates_grow_to_whole_quotations(nlp):
    from rashomon.annotate.quotes import _doc_context

    doc = nlp('She said the plan was "a failure. It will end badly," and left.')
    said = next(t for t in doc if t.text == "said")
    quotes = [(a, b) for a, b, _p in _doc_context(doc, claim_filter=False).quotes]
    assert quotes
    texts = {doc[fr[0][0]:fr[-1][1]].text for _n, fr in qm.content_candidates(doc, said, (said.i, said.i + 1), quotes)}
    # the complement stops at the first sentence's end in the parse; the content runs to the closing mark
    assert 'the plan was "a failure. It will end badly,"' in texts
    assert qm._quote_closure(3, 6, [(5, 9)], 2) == (3, 9)
    assert qm._quote_closure(6, 9, [(5, 9)], 2) == (5, 9)
    assert qm._quote_closure(6, 9, [(5, 9)], 7) == (6, 9)  # never swallows the cue


def test_extent_ranker_round_trip_and_candidates(nlp):
    m = qm.load_model(qm.MODEL_PATH)
    assert m.extent_rank is not None
    back = qm.CueModel.from_json(json.loads(json.dumps(m.to_json())))
    assert back.extent_rank == m.extent_rank
    doc = nlp("The senator has also said in a statement that the bill would fail.")
    said = next(t for t in doc if t.text == "said")
    cands = qm.extent_candidates(doc, said)
    assert (said.i, said.i + 1) in cands and all(s <= said.i < e for s, e in cands)
    s, e = qm.best_extent(m.extent_rank, doc, said)
    # whole phrases only: never "said in a" with the noun cut off
    assert doc[e - 1].text not in ("in", "a")
    assert doc[s:e].text.endswith("said") or doc[s:e].text.endswith("statement")


def test_best_extent_matches_span_feature_scoring(nlp):
    # the incremental decoder must pick what scoring every span's full feature set picks
    m = qm.load_model(qm.MODEL_PATH)
    assert m.extent_rank is not None
    doc = nlp("Judicial Watch stated in a release Tuesday that the email was found. "
              "Trump has, so far, refused to release them, according to a post from the campaign.")
    for h in doc:
        if h.pos_ not in ("VERB", "AUX"):
            continue
        cands = qm.extent_candidates(doc, h)
        lo, hi = cands[0][0], cands[-1][1]
        tok = {j: qm.extent_features(doc, h, j) for j in range(lo, hi) if j != h.i}
        scores = {c: m.extent_rank.score(qm.extent_span_features(doc, h, c[0], c[1], tok)) for c in cands}
        best = qm.best_extent(m.extent_rank, doc, h)
        assert scores[best] == pytest.approx(max(scores.values()))
