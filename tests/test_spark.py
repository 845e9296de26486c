"""The Spark job in local mode: same output as the CLI, errors table, reruns, DuckDB queries.

Needs pyspark and a Java runtime (`make spark-deps` installs both when it can); without them
every test here is skipped with the reason in the summary line.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner


def _missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (run `make spark-deps`)"
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and Path(java_home, "bin", "java").exists()):
        return "no Java runtime (run `make spark-deps` as root, or apt-get install openjdk-17-jre-headless)"
    return None


_WHY = _missing()
pytestmark = [pytest.mark.spark,
              pytest.mark.skipif(_WHY is not None, reason=f"SPARK TESTS SKIPPED: {_WHY}")]

#: Store queries a user runs; the Parquet output must answer them exactly as the CLI's store.
QUERIES = {
    "articles": "select id, source, outlet, published, title, duplicate_of, duplicate_kind, n_tokens from articles",
    "sentences": "select article_id, \"index\", text, role, start, \"end\" from sentences",
    "entities": "select article_id, text, label, sentence_index, start from entities",
    "quotes": "select article_id, sentence_index, text, speaker, cue from quotes",
    "stories": "select id, title, why, first_published, last_published, method from stories",
    "story_members": "select story_id, article_id, why, score, copy_of from story_members",
    "facts": "select id, story_id, kind, statement, citations from facts",
    "events": "select id, story_id, cameo_code, source_actor, target_actor, citations from events",
    "event_mentions": "select event_id, story_id, article_id, sentence_index from event_mentions",
    "outlets": "select outlet, count(*) from articles group by 1",
}


@pytest.fixture(scope="session")
def spark():
    from rashomon.spark import spark_session

    session = spark_session("local[2]", shuffle_partitions=4)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory, seeds_dir, shared_data) -> list[str]:
    """The seeds (as .txt files and again as JSONL: exact copies) and 240 ECB+ documents.

    ECB+ has no publication dates; each topic gets its own days so the job's time buckets
    split the corpus into several blocks, as a real news stream would be.
    """
    from rashomon.eval.ecbplus import read_jsonl, to_article_row

    folder = tmp_path_factory.mktemp("corpus")
    docs = itertools.islice(read_jsonl(shared_data / "xsource" / "ecbplus" / "ecbplus_dev.jsonl.gz"), 0, 240)
    with (folder / "ecbplus.jsonl").open("w", encoding="utf-8") as fh:
        for d in docs:
            row = to_article_row(d)
            row["published"] = f"2019-{1 + row['topic'] % 12:02d}-{1 + 9 * (row['topic'] % 3) + len(row['id']) % 2:02d}"
            fh.write(json.dumps(row) + "\n")
    seeds = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    return [*seeds, str(seeds_dir / "articles.jsonl"), str(folder / "ecbplus.jsonl")]


@pytest.fixture(scope="session")
def cli_store(corpus, tmp_path_factory, nlp) -> Path:
    from rashomon.pipeline import analyze
    from rashomon.store import Store

    db = tmp_path_factory.mktemp("cli") / "cli.duckdb"
    with Store(db) as store:
        analyze(corpus, store=store, nlp=nlp)
    return db


@pytest.fixture(scope="session")
def spark_out(spark, corpus, tmp_path_factory):
    from rashomon.spark import JobOptions, run_job

    out = tmp_path_factory.mktemp("spark") / "out"
    # The ECB+ file (~0.5 MB) is read as several line ranges, in parallel tasks.
    result = run_job(spark, corpus, out, JobOptions(partitions=4, split_bytes=150_000))
    return out, result


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return sorted(con.execute(sql).fetchall(), key=repr)


@pytest.mark.slow
def test_spark_output_equals_cli_store(cli_store, spark_out):
    from rashomon.spark import attach_views

    out, result = spark_out
    assert result.blocks > 1  # the corpus was really split and clustered block by block
    cli = duckdb.connect(str(cli_store), read_only=True)
    pq = duckdb.connect()
    attach_views(pq, out)
    for name, sql in QUERIES.items():
        assert _rows(pq, sql) == _rows(cli, sql), name
    n_articles = cli.execute("select count(*) from articles").fetchone()[0]
    assert n_articles > 150 and result.articles == n_articles
    assert cli.execute("select count(*) from stories").fetchone()[0] > 10
    # Partitioned by publication date; the seeds' two days are two partitions.
    dates = {p.name for p in (out / "articles").iterdir() if p.is_dir()}
    assert {"pub_date=2018-12-03", "pub_date=2018-12-04"} <= dates


@pytest.mark.slow
def test_story_articles_by_join_equal_by_broadcast(spark, corpus, tmp_path):
    """Past ``driver_members`` memberships the story stage joins instead of broadcasting;
    both routes give the same tables."""
    from rashomon.spark import JobOptions, run_job

    seeds = [p for p in corpus if not p.endswith("ecbplus.jsonl")]
    by_bcast = tmp_path / "bcast"
    by_join = tmp_path / "join"
    run_job(spark, seeds, by_bcast, JobOptions(partitions=2))
    run_job(spark, seeds, by_join, JobOptions(partitions=2, driver_members=0))
    con = duckdb.connect()
    for table in ("stories", "story_members", "facts", "events", "story_views"):
        sql = f"select * from read_parquet('{{}}/{table}/**/*.parquet', hive_partitioning=true)"
        rows = _rows(con, sql.format(by_join))
        assert rows and rows == _rows(con, sql.format(by_bcast)), table


@pytest.mark.slow
def test_import_parquet_gives_the_cli_store(cli_store, spark_out, tmp_path):
    from rashomon.cli import main
    from rashomon.store import Store

    out, _ = spark_out
    db = tmp_path / "imported.duckdb"
    for _ in range(2):  # importing twice changes nothing
        res = CliRunner().invoke(main, ["import-parquet", str(out), "--db", str(db)])
        assert res.exit_code == 0, res.output
    with Store(db, read_only=True) as mine, Store(cli_store, read_only=True) as theirs:
        assert mine.counts() | {"ingest_errors": 0} == theirs.counts() | {"ingest_errors": 0}
        for sql in QUERIES.values():
            assert _rows(mine.con, sql) == _rows(theirs.con, sql)
        # Stories load back as records, members in the stories stage's order.
        assert mine.load_stories() == theirs.load_stories()


def _poisoned_inputs(folder: Path, seeds_dir: Path) -> list[str]:
    rows = [
        {"outlet": "Wire", "published": "2018-12-05", "title": "Khan replies",
         "text": "Khan replies\n\nPakistan's prime minister said he would help the Afghan peace talks. "
                 "Officials in Islamabad welcomed the letter from Washington on Wednesday."},
        "{this is not json",
        # Over spaCy's max_length: reading works, annotating fails, for this article only.
        {"outlet": "Spam", "published": "2018-12-05", "title": "Huge",
         "text": "Huge\n\n" + ("word " * 220_000)},
    ]
    bad = folder / "mixed.jsonl"
    bad.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n",
                   encoding="utf-8")
    (folder / "garbage.bin").write_bytes(b"\x00\x01\x02 not an article \x00" * 50)
    seeds = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    return [*seeds, str(bad), str(folder / "garbage.bin"), str(folder / "missing.txt")]


@pytest.mark.slow
def test_bad_records_go_to_errors_and_reruns_are_idempotent(spark, seeds_dir, tmp_path):
    from rashomon.cli import main

    inputs = _poisoned_inputs(tmp_path, seeds_dir)
    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(main, ["spark", "run", *inputs, "--out", str(out), "--partitions", "2",
                               "--json", str(tmp_path / "run.json")])
    assert res.exit_code == 0, res.output
    first = json.loads((tmp_path / "run.json").read_text())
    con = duckdb.connect()

    def table(name: str) -> list[tuple]:
        return _rows(con, f"select * exclude (first_seen, last_seen) from read_parquet("
                          f"'{out}/{name}/**/*.parquet', hive_partitioning=true)"
                     if name == "ingest_errors" else
                     f"select * from read_parquet('{out}/{name}/**/*.parquet', hive_partitioning=true)")

    errors = table("ingest_errors")
    by_stage = {(Path(e[0]).name.split(":")[0], e[2]) for e in errors}
    assert ("mixed.jsonl", "ingest") in by_stage  # the broken JSON line
    assert ("mixed.jsonl", "annotate") in by_stage  # the article spaCy refused
    assert ("garbage.bin", "ingest") in by_stage
    assert ("missing.txt", "ingest") in by_stage
    annotate_error = next(e for e in errors if e[2] == "annotate")
    assert annotate_error[-1] == "2018-12-05"  # dated by the article it lost
    outlets_sql = f"select outlet, pub_date from read_parquet('{out}/articles/**/*.parquet', hive_partitioning=true)"
    assert {o for o, _ in _rows(con, outlets_sql)} == {"VOA", "Reuters", "Wire"}  # the rest survived
    before = {name: table(name) for name in ("articles", "sentences", "stories", "story_members")}

    # Same input again: the same partitions are replaced, nothing is duplicated.
    res = runner.invoke(main, ["spark", "run", *inputs, "--out", str(out), "--partitions", "2",
                               "--json", str(tmp_path / "run2.json")])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "run2.json").read_text())["rows"] == first["rows"]
    for name, rows in before.items():
        assert table(name) == rows, name

    # A run over one day's input replaces that day only: the other days stay (Spark's writer
    # here, over the files the default pyarrow writer left: the same layout either way).
    voa = [p for p in inputs if "voa-" in p]
    res = runner.invoke(main, ["spark", "run", *voa, "--out", str(out), "--partitions", "2", "--writer", "spark"])
    assert res.exit_code == 0, res.output
    assert {o: str(d) for o, d in _rows(con, outlets_sql)} == {
        "VOA": "2018-12-03", "Reuters": "2018-12-04", "Wire": "2018-12-05"}


def test_parquet_input_reads_like_jsonl(spark, seeds_dir, tmp_path):
    """A Parquet table of articles (JSONL field names) gives the articles the JSONL gives."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from rashomon.ingest import ingest
    from rashomon.spark.job import read_inputs

    rows = [json.loads(line) for line in (seeds_dir / "articles.jsonl").read_text().splitlines() if line]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "seeds.parquet")
    articles, failures = read_inputs(spark, [str(tmp_path / "seeds.parquet")])
    got = sorted(articles.map(lambda oa: oa[1]).collect(), key=lambda a: a.id)
    want = sorted(ingest([str(seeds_dir / "articles.jsonl")]).articles, key=lambda a: a.id)
    assert failures.count() == 0
    assert {a.source.rsplit(":", 1)[0] for a in got} == {str(tmp_path / "seeds.parquet")}

    def fields(a):
        return {f: getattr(a, f) for f in a.__slots__ if f != "source"}

    assert [fields(a) for a in got] == [fields(a) for a in want]


def test_components_on_spark_equal_union_find(spark):
    import random

    from rashomon.spark.blocking import connected_components, union_find

    rng = random.Random(3)
    nodes = [f"n{i:03d}" for i in range(300)]
    # Long chains make label propagation need several rounds (pointer jumping shortens them).
    edges = [(nodes[i], nodes[i + 1]) for i in range(0, 120)] + \
        [(rng.choice(nodes[150:]), rng.choice(nodes[150:])) for _ in range(120)]
    got = connected_components(spark, spark.createDataFrame([(n,) for n in nodes], "node string"),
                               spark.createDataFrame(edges, "src string, dst string"))
    assert dict(got.rdd.map(lambda r: (r["node"], r["component"])).collect()) == union_find(nodes, edges)


def test_failed_tasks_are_retried(spark, tmp_path):
    """A task that dies on its first attempt (a lost executor, say) is run again: the session
    turns local[N] into local[N,F] so local mode retries as a cluster does."""
    from pyspark import TaskContext

    assert spark.sparkContext.master.startswith("local[2,")

    def flaky(part):
        ctx = TaskContext.get()
        if ctx is not None and ctx.partitionId() == 1 and ctx.attemptNumber() == 0:
            raise RuntimeError("simulated executor failure")
        return [sum(part)]

    assert sum(spark.sparkContext.parallelize(range(100), 2).mapPartitions(flaky).collect()) == 4950


def test_spark_schema_matches_store_schema():
    from rashomon.spark.schemas import PARTITION_COLUMN, spark_schema, table_names
    from rashomon.store import Store

    with Store(":memory:") as store:
        for name in table_names():
            cols = [r[0] for r in store.con.execute(f'DESCRIBE "{name}"').fetchall()]
            assert [f.name for f in spark_schema(name).fields] == [*cols, PARTITION_COLUMN]


def test_story_balance_puts_big_stories_first_and_apart():
    from rashomon.spark.job import balance_stories, story_cost

    sizes = [("a", 30), ("b", 5), ("c", 29), ("d", 3), ("e", 10), ("f", 1)]
    slot = balance_stories([(s, story_cost(n)) for s, n in sizes], 3)
    assert set(slot) == {s for s, _ in sizes}
    assert slot["a"] == 0 and slot["c"] == 1  # the two biggest never share a task
    loads = [sum(story_cost(n) for s, n in sizes if slot[s] == p) for p in range(3)]
    assert loads == sorted(loads, reverse=True)  # heaviest partition is scheduled first
    assert balance_stories([("x", story_cost(4))], 8) == {"x": 0}


def test_story_cost_follows_claim_pairs_when_known():
    from rashomon.spark.job import balance_stories, story_cost

    # claim alignment compares the claims of every two members: cross-article claim pairs
    assert story_cost(2, claims=[3, 4]) - story_cost(2, claims=[0, 0]) == 12
    assert story_cost(1, claims=[500]) == story_cost(1, claims=[0])  # one article: no pairs
    # a big story of terse articles costs less than a smaller one of long articles
    terse, long_ = story_cost(30, claims=[2] * 30), story_cost(10, claims=[40] * 10)
    assert terse < long_
    assert story_cost(30) > story_cost(10)  # without claims: members only
    costs = [("terse", terse), ("long", long_), ("mid", story_cost(5, claims=[40] * 5))]
    assert balance_stories(costs, 3)["long"] == 0  # the costliest story's task starts first


def test_scheduler_pools_give_the_main_pool_priority():
    import xml.etree.ElementTree as ET

    from rashomon.spark.job import BACKGROUND_POOL
    from rashomon.spark.session import POOLS_FILE

    pools = {p.get("name"): int(p.findtext("minShare") or 0) for p in ET.parse(POOLS_FILE).getroot()}
    # a pool under its minShare is served first: the main pool's exceeds any core count
    assert set(pools) == {"default", BACKGROUND_POOL}
    assert pools["default"] >= 10_000 and pools[BACKGROUND_POOL] == 0


@pytest.mark.slow
def test_arrow_and_spark_writers_write_the_same_tables(spark, seeds_dir, tmp_path):
    """pyarrow in the workers (the default for a local path) and Spark's DataFrame writer
    (other file systems) give the same rows, partitions and column types."""
    from rashomon.spark import JobOptions, run_job
    from rashomon.spark.schemas import table_names

    inputs = [*sorted(str(p) for p in seeds_dir.glob("*.txt")), str(seeds_dir / "articles.jsonl")]
    results = {w: run_job(spark, inputs, tmp_path / w, JobOptions(partitions=2, writer=w))
               for w in ("arrow", "spark")}
    assert results["arrow"].rows == results["spark"].rows and results["arrow"].rows["quotes"] > 0
    con = duckdb.connect()
    for table in table_names():
        if not results["spark"].rows[table]:
            continue
        sql = f"select * from read_parquet('{{}}/{table}/**/*.parquet', hive_partitioning=true)"
        assert _rows(con, sql.format(tmp_path / "arrow")) == _rows(con, sql.format(tmp_path / "spark")), table
        kinds = [con.execute(f"describe {sql.format(tmp_path / w)}").fetchall() for w in ("arrow", "spark")]
        assert kinds[0] == kinds[1], table
    assert not any(p.name.startswith(".") for p in (tmp_path / "arrow").iterdir())  # staging removed


def test_a_retried_write_task_commits_its_rows_once(spark, tmp_path):
    from pyspark import TaskContext

    from rashomon.spark.rows import table_columns
    from rashomon.spark.writer import commit, staging_dir, write_rows

    out = tmp_path / "out"
    staging = staging_dir(out)
    n_cols = len(table_columns("sentences"))

    def flaky(part):
        rows = [("sentences", (f"a{i}", i, *([None] * (n_cols - 2)), "2018-12-03")) for i in part]
        done = list(write_rows(rows, staging))  # files written, then the attempt dies
        ctx = TaskContext.get()
        if ctx is not None and ctx.partitionId() == 1 and ctx.attemptNumber() == 0:
            raise RuntimeError("simulated executor failure after writing")
        return done

    files = spark.sparkContext.parallelize(range(40), 2).mapPartitions(flaky).collect()
    assert commit(out, staging, files) == {"sentences": 40}
    got = duckdb.connect().execute(
        f"select count(*), count(distinct article_id) from read_parquet('{out}/sentences/**/*.parquet')").fetchone()
    assert got == (40, 40)
