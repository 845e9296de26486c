"""Story clustering: seeds form one story, copies are marked, ECB+ subtopics stay apart."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from rashomon.errors import ConfigError
from rashomon.eval.stories import b_cubed
from rashomon.records import AnnotatedArticle, Entity, Sentence
from rashomon.stories import cluster, entity_key, make_config, stem
from rashomon.stories._features import extract, number_key
from tests.helpers import make_article


@pytest.fixture(scope="module")
def seeds(nlp, seeds_dir) -> list[AnnotatedArticle]:
    from rashomon.annotate import annotate
    from rashomon.ingest import ingest

    res = ingest([str(p) for p in sorted(seeds_dir.glob("*.txt"))])
    assert not res.failures
    return annotate(res.articles, nlp)


def _by_outlet(items: list[AnnotatedArticle], outlet: str) -> AnnotatedArticle:
    return next(a for a in items if a.article.outlet == outlet)


def _redate(item: AnnotatedArticle, published: str | None, **changes) -> AnnotatedArticle:
    art = dataclasses.replace(item.article, published=published, **changes)
    return dataclasses.replace(item, article=art)


# -- pure functions ------------------------------------------------------------------------------

def test_b_cubed_hand_example():
    # pred A={1,2,3} B={4,5}; gold X={1,2} Y={3,4,5}.
    # precision per item: 2/3, 2/3, 1/3, 1, 1  -> 11/15; recall: 1, 1, 1/3, 2/3, 2/3 -> 11/15.
    p, r, f = b_cubed(["A", "A", "A", "B", "B"], ["X", "X", "Y", "Y", "Y"])
    assert p == pytest.approx(11 / 15)
    assert r == pytest.approx(11 / 15)
    assert f == pytest.approx(11 / 15)
    assert b_cubed([1, 1, 2], ["a", "a", "b"]) == (1.0, 1.0, 1.0)
    p, r, _ = b_cubed([0, 0, 0, 0], ["a", "a", "b", "b"])  # everything in one cluster
    assert (p, r) == (0.5, 1.0)
    with pytest.raises(ValueError):
        b_cubed([1], [1, 2])


def test_entity_keys_normalise_people_and_countries():
    assert entity_key("Donald Trump", "PERSON") == entity_key("Trump", "PERSON") == "trump"
    assert entity_key("President Trump’s", "PERSON") == "trump"
    assert entity_key("U.S.", "GPE") == entity_key("United States", "GPE") == "usa"
    assert entity_key("the Taliban", "ORG") == entity_key("Taliban", "ORG") == "taliban"
    assert entity_key("Pakistan", "GPE") == "pak"


def test_stem_and_numbers():
    assert stem("killings") == stem("killed") == stem("kills") == "kill"
    assert stem("charged") == stem("charges") == stem("charging")
    assert number_key("2,400") == "2400"
    assert number_key("81st") == "81th"
    assert number_key("3") is None  # small counts carry no identity
    assert number_key("20:09") is None


def test_captions_and_boilerplate_do_not_count():
    art = make_article([("Quake hits coastal town", "headline"),
                        ("A strong earthquake struck the coastal town on Monday.", "body"),
                        ("REUTERS/Photographer zebrafish aquarium", "caption"),
                        ("Subscribe to our newsletter", "boilerplate")])
    item = AnnotatedArticle(article=art, sentences=tuple(
        Sentence(index=i, text=p.text, role=p.role, start=art.text.index(p.text),
                 end=art.text.index(p.text) + len(p.text), paragraph=i)
        for i, p in enumerate(art.paragraphs)))
    keys = extract(item).counts
    assert "t:earthquak" in keys and "t:quak" in keys
    assert not any("zebrafish" in k or "newsletter" in k for k in keys)
    assert keys["t:quak"] == 2.0  # headline words count double


def test_unknown_option_fails_loudly():
    with pytest.raises(ConfigError):
        make_config(treshold=0.3)
    with pytest.raises(ConfigError):
        cluster([], linkage="ward")
    with pytest.raises(ConfigError):
        make_config(stream_order="random")


def _plain_item(aid: str, sents: list[str], published: str | None = None) -> AnnotatedArticle:
    """An annotated article from sentences alone (first one the headline), no entities."""
    art = make_article([(s, "headline" if i == 0 else "body") for i, s in enumerate(sents)],
                       id=aid, published=published)
    sentences, pos = [], 0
    for i, s in enumerate(sents):
        start = art.text.index(s, pos)
        sentences.append(Sentence(index=i, text=s, role="headline" if i == 0 else "body",
                                  start=start, end=start + len(s), paragraph=i))
        pos = start + len(s)
    return AnnotatedArticle(article=art, sentences=tuple(sentences))


def test_lead_years_come_from_the_first_sentences_only():
    from rashomon.stories._features import lead_years

    item = _plain_item("x", ["MONDAY, MAY 23, 2005", "The 76ers fired their coach after the 2004-05 season.",
                             "Turnout was 2.5% and 1990s-style rallies drew 2,005 people.",
                             "He first coached in 1983."])
    assert lead_years(item) == {"2005", "2004"}  # not "1990s", "2,005", nor the fourth sentence
    assert lead_years(item, 4) == {"2005", "2004", "1983"}
    assert extract(item).lead_years == {"2005", "2004"}


def test_a_story_dated_by_its_leads_penalises_a_lead_from_another_year():
    from collections import Counter

    from rashomon.stories._cluster import _lead_year, _Run

    assert _lead_year(Counter({"2008": 2, "2007": 1}), 3) == "2008"
    assert _lead_year(Counter({"2008": 1}), 1) is None  # one lead dates nothing
    assert _lead_year(Counter({"2004": 2, "2008": 1, "2009": 1}), 4) == "2004"
    assert _lead_year(Counter({"2004": 2, "2008": 1, "2009": 1, "2010": 1}), 5) is None  # not half
    body = "The Philadelphia 76ers fired coach Maurice Cheeks after a poor start, the team said."
    items = [_plain_item("a", ["76ers fire coach Cheeks", "The 2008-09 season started badly.", body]),
             _plain_item("b", ["Sixers fire Cheeks", "Saturday, December 13, 2008", body]),
             _plain_item("c", ["76ers fire coach O'Brien", "Posted: May 24, 2005", body]),
             _plain_item("d", ["76ers fire coach", body]),
             _plain_item("e", ["76ers fire coach", "Looking back from 2008 at 2005.", body])]
    cfg = make_config()
    run = _Run(items, [extract(a) for a in items], cfg)
    si = run.new_story("s")
    run.join(0, si)
    assert not run.conflicting_years(2, run.stories[si])  # one dated member does not date a story
    run.join(1, si)
    story = run.stories[si]
    assert run.conflicting_years(2, story)  # 2005 against a story its leads date to 2008
    assert not run.conflicting_years(3, story)  # no year in the lead: no evidence either way
    assert not run.conflicting_years(4, story)  # names 2008 too
    plain = _Run(items, run.feats, make_config(lead_year_penalty=1.0))
    plain.join(0, plain.new_story("s"))
    plain.join(1, 0)
    assert run.similarity(2, story) == pytest.approx(cfg.lead_year_penalty * plain.similarity(2, plain.stories[0]))
    assert run.similarity(3, story) == pytest.approx(plain.similarity(3, plain.stories[0]))
    # Removing a member undoes its dating.
    run.move(1, run.new_story("t"))
    assert not run.conflicting_years(2, run.stories[si])


# -- seeds ---------------------------------------------------------------------------------------

def test_seeds_form_one_story_that_explains_itself(seeds):
    stories = cluster(seeds)
    assert len(stories) == 1
    story = stories[0]
    assert set(story.article_ids) == {a.article.id for a in seeds}
    assert story.first_published == "2018-12-03" and story.last_published == "2018-12-04"
    assert story.title in {a.article.title for a in seeds}
    assert story.id.startswith("st_") and story.method.startswith("rashomon.stories.")
    for member in story.members:
        # Each member names what it shares: the people and places of the story.
        assert member.why.startswith("shares ")
        assert "Khan" in member.why or "Trump" in member.why
        assert "within 1 day" in member.why
        assert member.copy_of is None
    assert "Trump" in story.why and "Pakistan" in story.why and "2 articles from 2 outlets" in story.why


def test_deterministic(seeds):
    first = cluster(seeds)
    assert cluster(seeds) == first
    assert cluster(list(reversed(seeds))) == first  # dated input is sorted by date


def test_window_keeps_distant_dates_apart(seeds):
    voa = _by_outlet(seeds, "VOA")
    reuters = _redate(_by_outlet(seeds, "Reuters"), "2018-12-20")
    assert len(cluster([voa, reuters], window_days=3)) == 2
    assert len(cluster([voa, reuters], window_days=30)) == 1
    # Unknown dates match on content only.
    undated = _redate(_by_outlet(seeds, "Reuters"), None)
    (story,) = cluster([voa, undated])
    assert any("matched on content only" in m.why for m in story.members)


def test_wire_copies_join_their_original_and_are_marked(seeds):
    voa = _by_outlet(seeds, "VOA")
    # A wire copy that arrives first (earlier date) still waits for its original.
    copy = _redate(voa, "2018-12-02", id="copy-of-voa", outlet="Some Paper", duplicate_of=voa.article.id,
                   duplicate_kind="near", similarity=0.93)
    stories = cluster([*seeds, copy])
    assert len(stories) == 1
    members = {m.article_id: m for m in stories[0].members}
    assert members["copy-of-voa"].copy_of == voa.article.id
    assert "wire copy" in members["copy-of-voa"].why and "0.93" in members["copy-of-voa"].why
    assert sum(1 for m in members.values() if m.copy_of) == 1
    assert "1 copy" in stories[0].why


def test_incremental_existing_story_gets_new_members(seeds):
    voa, reuters = _by_outlet(seeds, "VOA"), _by_outlet(seeds, "Reuters")
    (first,) = cluster([voa])
    assert first.article_ids == (voa.article.id,)
    assert first.members[0].why.startswith("only report on")
    later = cluster([reuters], existing=[first], context=[voa])
    assert len(later) == 1
    assert later[0].id == first.id  # a story keeps its id as it grows
    assert later[0].article_ids == (voa.article.id, reuters.article.id)
    # Passing the old articles themselves works too, and they are not re-clustered.
    assert cluster([voa, reuters], existing=[first]) == later
    # Without the old articles the existing story cannot be described: it is kept as it was.
    alone = cluster([reuters], existing=[first])
    assert [s.article_ids for s in alone] == [(voa.article.id,), (reuters.article.id,)]
    assert alone[0].members == first.members


def test_unrelated_article_starts_its_own_story(seeds):
    art = make_article([("Volcano erupts in Iceland, flights grounded", "headline"),
                        ("The Eyjafjallajokull volcano erupted on Tuesday, grounding flights "
                         "across northern Europe as ash drifted over Scandinavia.", "body")],
                       published="2018-12-03", outlet="Example")
    from rashomon.annotate import annotate

    (item,) = annotate([art])
    stories = cluster([*seeds, item])
    assert len(stories) == 2
    assert any(s.article_ids == (art.id,) for s in stories)


def test_actors_dates_and_quantities_are_used_when_present():
    def item(aid: str, sents: list[str], ents: list[tuple[str, str, int]]) -> AnnotatedArticle:
        art = make_article([(s, "headline" if i == 0 else "body") for i, s in enumerate(sents)],
                           id=aid, published="2020-01-01")
        sentences, pos = [], 0
        for i, s in enumerate(sents):
            start = art.text.index(s, pos)
            sentences.append(Sentence(index=i, text=s, role="headline" if i == 0 else "body",
                                      start=start, end=start + len(s), paragraph=i))
            pos = start + len(s)
        entities = tuple(Entity(text=t, label=lab, sentence_index=si, start=0, end=len(t))
                         for t, lab, si in ents)
        return AnnotatedArticle(article=art, sentences=tuple(sentences), entities=entities)

    a = item("a", ["Mayor Smith opens bridge", "Mayor Jane Smith opened the bridge in Springfield."],
             [("Smith", "PERSON", 0), ("Jane Smith", "PERSON", 1), ("Springfield", "GPE", 1)])
    keys = extract(a).counts
    assert keys["e:smith"] == 3.0  # headline mention counts double, body once, one key
    assert "e:springfield" in keys


# -- ECB+ ----------------------------------------------------------------------------------------

def _ecb_docs(shared_data, split: str, subtopics: set[str], per_subtopic: int):
    from rashomon.eval.ecbplus import read_jsonl

    path = shared_data / "xsource" / "ecbplus" / f"ecbplus_{split}.jsonl.gz"
    if not path.exists():
        pytest.skip(f"{path} not found")
    rows = [d for d in read_jsonl(path) if d["subtopic"] in subtopics]
    out = []
    for _sub, group in itertools.groupby(sorted(rows, key=lambda d: d["subtopic"]), key=lambda d: d["subtopic"]):
        out.extend(list(group)[:per_subtopic])
    return out


@pytest.mark.slow
def test_two_ecb_subtopics_of_one_topic_do_not_merge(shared_data, nlp):
    from rashomon.annotate import annotate
    from rashomon.eval.stories import ecb_articles

    # Topic 2 (dev): two different Oscar hosts announced years apart; topic 18: two office shootings.
    docs = _ecb_docs(shared_data, "dev", {"2_ecb", "2_ecbplus", "18_ecb", "18_ecbplus"}, 4)
    articles, gold = ecb_articles(docs)
    stories = cluster(annotate(articles, nlp))
    for story in stories:
        assert len({gold[a][1] for a in story.article_ids}) == 1, story
    # ... and articles of one subtopic do group (not everything a singleton).
    assert len(stories) < len(articles)


@pytest.mark.slow
def test_accuracy_floor_on_ecb_dev_slice(shared_data):
    from rashomon.eval.stories import evaluate_annotated, load_annotated

    path = shared_data / "xsource" / "ecbplus" / "ecbplus_dev.jsonl.gz"
    if not path.exists():
        pytest.skip(f"{path} not found")
    annotated, gold = load_annotated(path, limit=80)  # topics 2, 5, 12 and part of 18
    scores = evaluate_annotated(annotated, gold)  # shuffled input order
    # Measured 1.000 subtopic / 0.681 topic B³ F1 on this slice (docs/sections/stories-evaluation.md);
    # the floors sit a little below so a regression fails, noise does not.
    assert scores["subtopic_b3_f1"] >= 0.97
    assert scores["subtopic_b3_precision"] >= 0.97  # subtopics of one topic are not merged
    assert scores["topic_b3_f1"] >= 0.6
    assert scores["n_docs"] == 80
    # Undated articles are ordered by the clusterer itself: the input order does not matter.
    for other in (evaluate_annotated(annotated, gold, seed="another"),
                  evaluate_annotated(annotated, gold, order="file")):
        assert {k: v for k, v in other.items() if k != "order"} == {
            k: v for k, v in scores.items() if k != "order"}


@pytest.mark.embeddings
def test_embedding_group_scores_but_never_finds_or_explains(seeds):
    from rashomon import embeddings
    from rashomon.stories import EMBEDDING_PRESET, embedding_text
    from rashomon.stories._cluster import _Run

    if not embeddings.available():
        pytest.skip("EMBEDDINGS TESTS SKIPPED: the [embeddings] extra is not installed")
    voa = _by_outlet(seeds, "VOA")
    assert embedding_text(voa, 1).startswith(voa.article.title)
    cfg = make_config(**EMBEDDING_PRESET)
    feats = [extract(a) for a in seeds]
    run = _Run(seeds, feats, cfg)
    assert all(sum(k.startswith("v:") for k in vec) == 384 for vec in run.vecs)
    assert not any(k.startswith("v:") for i in range(len(seeds)) for k in run.index_keys(i))
    lexical = _Run(seeds, feats, make_config())
    assert not any(k.startswith("v:") for vec in lexical.vecs for k in vec)
    stories = cluster(seeds, **EMBEDDING_PRESET)
    assert len(stories) == 1 and "v:" not in stories[0].why
    assert all("v:" not in m.why and m.why.startswith("shares ") for m in stories[0].members)
    # the two reports of one story are closer with their leads' embeddings than without
    assert stories[0].members[1].score > cluster(seeds)[0].members[1].score
