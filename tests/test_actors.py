"""Actors: canonical people and organisations, countries and roles from the text itself."""

from __future__ import annotations

import pytest

from rashomon.annotate import actor_kb, annotate
from rashomon.annotate.actors import merge_actors
from rashomon.ingest import ingest
from rashomon.records import Actor, AnnotatedArticle


@pytest.fixture(scope="module")
def seeds(nlp, seeds_dir) -> dict[str, AnnotatedArticle]:
    result = ingest([str(seeds_dir / "articles.jsonl")])
    return {a.article.outlet or "": a for a in annotate(result.articles, nlp)}


def _actor(ann: AnnotatedArticle, name: str) -> Actor:
    hits = [a for a in ann.actors if a.name == name]
    assert len(hits) == 1, f"{name!r}: {[a.name for a in ann.actors]}"
    return hits[0]


def test_trump_is_one_actor_in_voa(seeds):
    trump = _actor(seeds["VOA"], "Donald Trump")
    texts = {m.text for m in trump.mentions}
    assert {"U.S. President Donald Trump", "President Trump", "The American leader", "the U.S. president"} <= texts
    assert (trump.country, trump.role, trump.code, trump.kind) == ("USA", "government", "USAGOV", "person")


def test_trump_is_one_actor_in_reuters(seeds):
    trump = _actor(seeds["Reuters"], "Donald Trump")
    texts = [m.text for m in trump.mentions]
    assert "The U.S. president" in texts and texts.count("Trump") >= 3
    assert all(m.sentence_index >= 0 for m in trump.mentions)


def test_faisal_belongs_to_pakistans_foreign_ministry(seeds):
    faisal = _actor(seeds["VOA"], "Mohammad Faisal")
    assert faisal.country == "PAK" and faisal.role == "government"
    assert faisal.affiliation == "Pakistan Foreign Ministry"
    assert {"Faisal", "the spokesman"} <= {m.text for m in faisal.mentions}


def test_titles_from_the_text(seeds):
    reuters = seeds["Reuters"]
    assert _actor(reuters, "Ashraf Ghani").country == "AFG"
    assert _actor(reuters, "Jim Mattis").country == "USA"
    khan = _actor(seeds["VOA"], "Imran Khan")
    assert khan.country == "PAK" and "The Pakistani leader" in {m.text for m in khan.mentions}


def test_organisations(seeds):
    reuters = seeds["Reuters"]
    ministry = _actor(reuters, "Pakistan Foreign Ministry")
    assert {m.text for m in ministry.mentions} == {"The Pakistani foreign ministry", "Pakistan’s foreign ministry"}
    assert ministry.code == "PAKGOV"
    taliban = _actor(reuters, "Taliban")
    assert taliban.code == "AFGINS"
    state = _actor(seeds["VOA"], "State Department")
    assert state.code == "USAGOV" and state.kind == "organization"


def test_anonymous_official_is_one_actor(seeds):
    reuters = seeds["Reuters"]
    officials = [a for a in reuters.actors if a.name.endswith("administration official")]
    assert len(officials) == 1
    texts = [m.text for m in officials[0].mentions]
    assert texts[0] == "a senior Trump administration official" and texts.count("the official") == 2
    assert officials[0].country == "USA"


def test_merge_actors_across_the_story(seeds):
    voa, reuters = seeds["VOA"], seeds["Reuters"]
    merged, mapping = merge_actors([voa.actors, reuters.actors])
    trump_ids = {mapping[a.id] for ann in (voa, reuters) for a in ann.actors if a.name == "Donald Trump"}
    assert len(trump_ids) == 1
    khan_ids = {mapping[a.id] for ann in (voa, reuters) for a in ann.actors if a.name == "Imran Khan"}
    assert len(khan_ids) == 1
    story_trump = next(a for a in merged if a.id in trump_ids)
    assert {m.article_id for m in story_trump.mentions} == {voa.article.id, reuters.article.id}
    # Khan and Trump stay apart; every input actor is mapped
    assert trump_ids != khan_ids
    assert all(a.id in mapping for ann in (voa, reuters) for a in ann.actors)


def test_merge_keeps_namesakes_of_different_countries_apart():
    a = Actor(id="1#a0", name="Ahmed Khan", country="PAK", role="government")
    b = Actor(id="2#a0", name="Khan", country="AFG", role="government")
    c = Actor(id="3#a0", name="Khan", country=None, role=None)
    merged, mapping = merge_actors([(a,), (b,), (c,)])
    assert mapping["1#a0"] != mapping["2#a0"]
    assert len(merged) == 2


@pytest.mark.parametrize(("text", "code"), [
    ("U.S.", "USA"), ("American", "USA"), ("Pakistan’s", "PAK"), ("Islamabad", "PAK"),
    ("the United States", "USA"), ("Afghan", "AFG"), ("Buenos Aires", "ARG"), ("Springfield", None),
])
def test_country_of(text, code):
    assert actor_kb.country_of(text) == code


@pytest.mark.parametrize(("text", "role"), [
    ("spokesman", "government"), ("Foreign Ministry spokesman", "government"), ("the Taliban", "insurgent"),
    ("Defense Secretary", "military"), ("senior Trump administration official", "government"),
    ("U.S. Special Representative", "government"), ("newspaper", "media"), ("zebra", None),
])
def test_role_of(text, role):
    assert actor_kb.role_of(text) == role


def test_actor_code():
    assert actor_kb.actor_code("USA", "government") == "USAGOV"
    assert actor_kb.actor_code("PAK", None) == "PAK"
    assert actor_kb.actor_code(None, "insurgent") == "INS"
    assert actor_kb.actor_code(None, None) is None
