from __future__ import annotations

import duckdb
import pytest
from helpers import make_article

from rashomon.records import Analysis, Citation, Fact, IngestFailure, Story, StoryMember
from rashomon.store import SCHEMA_VERSION, Store


@pytest.fixture()
def annotated(nlp):
    from rashomon.annotate import annotate

    arts = [
        make_article([("Khan gets a letter", "headline"), ("Trump wrote to Khan on Monday.", "body")],
                     outlet="VOA", published="2018-12-03"),
        make_article([("[Breaking] Trump asks Pakistan", "headline"), ("Trump asked Pakistan for help.", "body")],
                     outlet="Reuters", published="2018-12-04"),
    ]
    return annotate(arts, nlp)


def _analysis(annotated):
    ids = tuple(a.article.id for a in annotated)
    story = Story(id="s1", title="Trump letter", article_ids=ids, why="shares Trump, Khan",
                  members=tuple(StoryMember(i, why="shares Trump") for i in ids))
    fact = Fact(id="f1", story_id="s1", kind="agreed", statement="Trump wrote to Khan",
                citations=(Citation(ids[0], 1), Citation(ids[1], 1)), outlets=("VOA", "Reuters"))
    return Analysis(articles=tuple(annotated), stories=(story,), facts=(fact,),
                    failures=(IngestFailure("bad.bin", "binary content"),),
                    summary=({"story_id": "s1", "sentences": [{"text": "x", "citations": []}]},))


def test_roundtrip_and_idempotent(annotated, tmp_path):
    db = tmp_path / "r.duckdb"
    analysis = _analysis(annotated)
    with Store(db) as store:
        store.save_analysis(analysis)
        first = store.counts()
        store.save_analysis(analysis)  # re-running changes nothing
        assert store.counts() == first
        back = store.load_analysis()
    assert back.articles == analysis.articles
    assert back.stories == analysis.stories
    assert back.facts == analysis.facts
    assert back.failures == analysis.failures
    assert back.summary == analysis.summary
    # Plain SQL works on the file with the stock duckdb client.
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from sentences where role = 'headline'").fetchone()[0] == 2
    assert con.execute("select value from meta where key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)


def test_migrations_recorded_once(tmp_path):
    db = tmp_path / "m.duckdb"
    with Store(db) as s:
        names = [r["name"] for r in s.query("select name from schema_migrations")]
    with Store(db) as s:
        assert s.migrate() == []
        assert [r["name"] for r in s.query("select name from schema_migrations")] == names


def test_text_that_looks_like_json_stays_text(annotated):
    store = Store(":memory:")
    store.save_articles(annotated)
    titles = {a.article.title for a in store.load_articles()}
    assert titles == {a.article.title for a in annotated}
    heads = [r["text"] for r in store.query("select text from sentences where role='headline' order by text")]
    assert any(h.startswith("[Breaking]") for h in heads)


def test_failures_keep_first_seen(tmp_path):
    with Store(tmp_path / "f.duckdb") as s:
        s.save_failures([IngestFailure("a.bin", "binary")])
        first = s.query("select first_seen from ingest_errors")[0]["first_seen"]
        s.save_failures([IngestFailure("a.bin", "binary")])
        rows = s.query("select first_seen, last_seen from ingest_errors")
        assert len(rows) == 1 and rows[0]["first_seen"] == first
        s.clear_failures(["a.bin"])
        assert s.load_failures() == []


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export(annotated, tmp_path, fmt):
    store = Store(":memory:")
    store.save_analysis(_analysis(annotated))
    written = store.export(tmp_path / "out", fmt)
    names = {p.stem for p in written}
    assert {"articles", "sentences", "stories", "facts", "ingest_errors"} <= names
    reader = {"parquet": "read_parquet", "csv": "read_csv_auto", "jsonl": "read_json_auto"}[fmt]
    path = tmp_path / "out" / f"articles.{fmt}"
    n = duckdb.connect().execute(f"select count(*) from {reader}('{path}')").fetchone()[0]
    assert n == 2


def test_reclustering_replaces_stale_stories(annotated):
    store = Store(":memory:")
    store.save_analysis(_analysis(annotated))
    ids = [a.article.id for a in annotated]
    split = [Story(id=f"n{i}", title="t", article_ids=(aid,), why="alone") for i, aid in enumerate(ids)]
    store.save_stories(split)
    assert sorted(s.id for s in store.load_stories()) == ["n0", "n1"]
    assert store.query("select count(*) as n from facts")[0]["n"] == 0
