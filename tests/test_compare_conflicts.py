"""Conflict detection on small hand-made stories: the same thing measured differently
clashes; different things, overlapping hedges and lists never do."""

from __future__ import annotations

import pytest

from rashomon.annotate import annotate
from rashomon.compare import compare_story
from rashomon.records import Article, Paragraph, Story


def _story(nlp, *texts: str):
    arts = []
    for i, text in enumerate(texts):
        paras = tuple(Paragraph(p) for p in text.split("\n\n"))
        arts.append(Article(id=f"art{i}", text=text, paragraphs=paras, outlet=f"Outlet{i}",
                            published="2020-03-10"))
    annotated = annotate(arts, nlp)
    story = Story(id="s", title="t", why="test", article_ids=tuple(a.id for a in arts))
    return compare_story(story, annotated)


def _conflicts(result):
    return [f for f in result.facts if f.kind == "conflict"]


def test_different_death_tolls_conflict_with_both_values(nlp):
    result = _story(
        nlp,
        "Police said 12 people were killed in the bombing of the central market in Kabul on Tuesday.",
        "Police said 19 people were killed in the bombing of the central market in Kabul on Tuesday.",
    )
    conflicts = _conflicts(result)
    assert len(conflicts) == 1
    values = {v["outlet"]: v["value"] for v in conflicts[0].values}
    assert "12" in values["Outlet0"] and "19" in values["Outlet1"]
    assert {(c.article_id, c.sentence_index) for c in conflicts[0].citations} == {("art0", 0), ("art1", 0)}


def test_different_counted_things_do_not_conflict(nlp):
    result = _story(
        nlp,
        "The United States still has 14,000 troops in Afghanistan, officials said.",
        "The U.S. military has lost more than 2,400 service members in Afghanistan, officials said.",
    )
    assert _conflicts(result) == []


@pytest.mark.parametrize(("a", "b"), [
    ("More than 2,400 soldiers were killed in the war, the ministry said.",
     "About 2,450 soldiers were killed in the war, the ministry said."),
    ("Khalilzad began an eight-country tour, including Pakistan, Russia and Qatar.",
     "Khalilzad began a tour of Kabul, Russia, Uzbekistan, Belgium and Qatar."),
])
def test_compatible_tellings_do_not_conflict(nlp, a, b):
    assert _conflicts(_story(nlp, a, b)) == []


def test_same_figure_is_agreed(nlp):
    result = _story(
        nlp,
        "The storm destroyed 3,200 homes along the coast, the governor said on Monday.",
        "Some 3,200 homes along the coast were destroyed by the storm, officials said.",
    )
    agreed = [f for f in result.facts if f.kind == "agreed" and "3,200" in f.statement]
    assert agreed and set(agreed[0].outlets) == {"Outlet0", "Outlet1"}
