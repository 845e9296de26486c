"""Compare on the seed story (VOA 2018-12-03, Reuters 2018-12-04): the fact groups a reader
expects, no false conflict, and every citation pointing at a body sentence that exists."""

from __future__ import annotations

import pytest

from rashomon.annotate import annotate
from rashomon.compare import compare_story
from rashomon.ingest import ingest
from rashomon.records import CLAIM_ROLES, AnnotatedArticle, Fact, Story


@pytest.fixture(scope="module")
def seeds(nlp, seeds_dir) -> list[AnnotatedArticle]:
    return annotate(ingest([str(seeds_dir / "articles.jsonl")]).articles, nlp)


@pytest.fixture(scope="module")
def story(seeds) -> Story:
    return Story(id="seed-story", title="Trump letter to Khan", why="seeds",
                 article_ids=tuple(a.article.id for a in seeds))


@pytest.fixture(scope="module")
def comparison(story, seeds, nlp):
    return compare_story(story, seeds)


def _sentence(seeds, outlet: str, words: str) -> tuple[str, int]:
    for a in seeds:
        if a.article.outlet == outlet:
            for s in a.sentences:
                if words in s.text:
                    return a.article.id, s.index
    raise AssertionError(f"{outlet}: no sentence with {words!r}")


def _cites(fact: Fact) -> set[tuple[str, int]]:
    return {(c.article_id, c.sentence_index) for c in fact.citations}


def _kind(comparison, kind: str) -> list[Fact]:
    return [f for f in comparison.facts if f.kind == kind]


def test_letter_seeking_help_is_agreed(comparison, seeds):
    reuters = _sentence(seeds, "Reuters", "has asked for Pakistan’s help")
    voa = _sentence(seeds, "VOA", "sought Islamabad’s cooperation")
    assert any({reuters, voa} <= _cites(f) and set(f.outlets) == {"VOA", "Reuters"}
               for f in _kind(comparison, "agreed"))


def test_seventeen_year_war_is_agreed(comparison, seeds):
    reuters = _sentence(seeds, "Reuters", "17-year-old conflict")
    voa = _sentence(seeds, "VOA", "17-year Afghan war")
    assert any({reuters, voa} <= _cites(f) and "17" in f.statement for f in _kind(comparison, "agreed"))


@pytest.mark.parametrize(("phrase", "outlet"), [
    ("14,000 troops", "Reuters"), ("12-strong team", "Reuters"),
    ("2,400 service members", "VOA"), ("trillion dollars", "VOA"),
])
def test_numbers_only_one_outlet_gives(comparison, phrase, outlet):
    hits = [f for f in _kind(comparison, "single_source") if phrase in f.statement]
    assert hits, phrase
    assert all(f.outlets == (outlet,) for f in hits)
    assert not any(phrase in f.statement for f in _kind(comparison, "agreed"))


def test_no_false_conflict(comparison):
    # 14,000 troops stationed vs 2,400 service members lost; the eight-country tour named
    # by three countries in Reuters and seven in VOA: none of it is a contradiction.
    assert _kind(comparison, "conflict") == []


def test_ministry_statement_is_a_reworded_quote(comparison, seeds):
    quotes = [f for f in _kind(comparison, "reworded_quote") if "renew partnership" in f.statement]
    assert quotes
    fact = quotes[0]
    assert set(fact.outlets) == {"VOA", "Reuters"}
    assert any(d["op"] != "equal" for d in fact.diff)
    assert any(d["op"] == "equal" and "renew partnership" in d["a"] for d in fact.diff)
    assert _sentence(seeds, "Reuters", "renew partnership") in _cites(fact)


def test_letter_content_has_different_attribution(comparison, seeds):
    facts = _kind(comparison, "different_attribution")
    official = _sentence(seeds, "Reuters", "did not want to be identified")
    hits = [f for f in facts if official in _cites(f)]
    assert hits
    sources = {v["outlet"]: v for v in hits[0].values}
    assert sources["Reuters"]["anonymous"] is True
    assert sources["VOA"]["anonymous"] is False
    assert "Faisal" in sources["VOA"]["source"] or "Ministry" in sources["VOA"]["source"]


def test_every_citation_is_an_existing_body_sentence(comparison, seeds):
    sentences = {(a.article.id, s.index): s for a in seeds for s in a.sentences}
    assert comparison.facts
    for fact in comparison.facts:
        assert fact.citations, fact
        assert fact.story_id == "seed-story"
        for c in fact.citations:
            assert (c.article_id, c.sentence_index) in sentences, (fact.kind, c)
            assert sentences[(c.article_id, c.sentence_index)].role in CLAIM_ROLES
        for v in fact.values:
            cite = v.get("citation")
            if cite:
                assert (cite["article_id"], cite["sentence_index"]) in sentences


def test_captions_never_become_claims(comparison, seeds):
    captions = {(a.article.id, s.index) for a in seeds for s in a.sentences if s.role == "caption"}
    assert captions, "the Reuters seed has photo captions"
    assert not captions & {(c.article_id, c.sentence_index) for c in comparison.claims}


def test_fact_ids_are_deterministic(story, seeds, comparison):
    again = compare_story(story, seeds)
    assert [f.id for f in again.facts] == [f.id for f in comparison.facts]
    assert len({f.id for f in comparison.facts}) == len(comparison.facts)


def test_framing_voices_and_word_choice(comparison):
    outlets = comparison.framing["outlets"]
    assert outlets["Reuters"]["quotes_anonymous"] >= 1
    assert outlets["VOA"]["quotes_anonymous"] == 0
    assert outlets["VOA"]["voices_by_country"].get("PAK", 0) >= 1
    choices = comparison.framing["word_choice"]
    assert any("ask" in c["outlets"]["Reuters"]["predicates"] and "seek" in c["outlets"]["VOA"]["predicates"]
               for c in choices if {"Reuters", "VOA"} <= set(c["outlets"]))
    for data in outlets.values():
        assert data["leads_with"]
