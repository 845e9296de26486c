"""Cited summary, "only X says" and timeline on the seed story."""

from __future__ import annotations

import pytest

from rashomon.annotate import annotate
from rashomon.compare import compare_story
from rashomon.ingest import ingest
from rashomon.records import CLAIM_ROLES, Story
from rashomon.summarize import SUMMARY_SENTENCES, summarize_story


@pytest.fixture(scope="module")
def seeds(nlp, seeds_dir):
    return annotate(ingest([str(seeds_dir / "articles.jsonl")]).articles, nlp)


@pytest.fixture(scope="module")
def result(seeds):
    story = Story(id="seed-story", title="t", why="seeds", article_ids=tuple(a.article.id for a in seeds))
    comparison = compare_story(story, seeds)
    return summarize_story(story, seeds, comparison.facts)


def _body(seeds):
    return {(a.article.id, s.index): s for a in seeds for s in a.sentences if s.role in CLAIM_ROLES}


def _check_citations(items, seeds):
    body = _body(seeds)
    for item in items:
        assert item["citations"], item
        for c in item["citations"]:
            assert (c["article_id"], c["sentence_index"]) in body


def test_summary_cites_every_supporting_sentence(result, seeds):
    summary, _, _ = result
    assert 0 < len(summary) <= SUMMARY_SENTENCES
    _check_citations(summary, seeds)
    # The lead fact both outlets tell (the letter seeking help) heads the summary, citing both.
    outlets_of = {a.article.id: a.article.outlet for a in seeds}
    first = summary[0]
    assert "letter" in first["text"]
    assert {outlets_of[c["article_id"]] for c in first["citations"]} == {"VOA", "Reuters"}
    # Every summary sentence is a sentence of one of the articles (extractive).
    texts = {s.text for s in _body(seeds).values()}
    assert all(item["text"] in texts for item in summary)


def test_only_lists_name_each_outlet(result, seeds):
    _, _, only = result
    assert set(only) == {"VOA", "Reuters"}
    _check_citations([x for v in only.values() for x in v], seeds)
    reuters = " ".join(x["text"] for x in only["Reuters"])
    voa = " ".join(x["text"] for x in only["VOA"])
    assert "14,000 troops" in reuters and "12-strong team" in reuters
    assert "2,400 service members" in voa and "trillion dollars" in voa
    assert "14,000" not in voa and "2,400" not in reuters


def test_timeline_resolves_the_seed_dates(result, seeds):
    _, timeline, _ = result
    _check_citations(timeline, seeds)
    dates = [e["date"] for e in timeline]
    assert dates == sorted(dates)

    def entry(date: str, words: str):
        hits = [e for e in timeline if e["date"] == date and words in e["text"]]
        assert hits, (date, words, [(e["date"], e["text"][:60]) for e in timeline])
        return hits[0]

    entry("2018-12-03", "received the letter")  # VOA: "Monday morning"
    entry("2018-12-02", "eight-country tour")  # Reuters: "on Sunday"
    entry("2018-11", "do a damn thing")  # Reuters: "Last month, Trump said"
    entry("2018-11", "television interview")  # VOA: "last month"
    qatar = [e for e in timeline if "Qatar" in e["text"] and "meeting" in e["text"]]
    assert qatar and qatar[0]["date"] == "2018-11"
    assert qatar[0]["date_source"] == "previous sentence"
    # A deadline ("by April 2019") is not a happening.
    assert not any(e["date"] == "2019-04" for e in timeline)
