"""The Spark job's row building and blocking helpers, checked without Spark or Java.

``rashomon.spark.rows`` builds the store's rows without DuckDB (for speed); these tests pin
that they equal what :class:`~rashomon.store.Store` holds for the same analysis, and that
clustering components separately with corpus-wide background frequencies gives the stories of
one run over everything (the property the Spark blocking relies on).
"""

from __future__ import annotations

import itertools
import random

import pytest

from rashomon.spark.blocking import (
    UNDATED,
    background_from_frequencies,
    block_background,
    cluster_block,
    features,
    index_keys,
    split_block,
    star_edges,
    time_buckets,
    union_find,
)
from rashomon.spark.rows import analysis_rows
from rashomon.store import Store
from rashomon.store.schema import TABLES


@pytest.fixture(scope="module")
def seeds_analysis(seeds_dir, nlp):
    from rashomon.pipeline import analyze

    files = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    return analyze([*files, str(seeds_dir / "articles.jsonl")], nlp=nlp)


def _normal(value):
    if isinstance(value, str) and value[:1] in "[{":
        import json

        try:
            return json.dumps(json.loads(value), sort_keys=True)
        except ValueError:
            return value
    return value


def test_rows_equal_what_the_store_holds(seeds_analysis):
    analysis = seeds_analysis
    assert analysis.stories and analysis.articles
    ours: dict[str, list[tuple]] = {name: [] for name in TABLES}
    for table, row in analysis_rows(analysis):
        ours[table].append(tuple(_normal(v) for v in row))
    with Store(":memory:") as store:
        store.save_analysis(analysis)
        for name in TABLES:
            if name == "ingest_errors":
                continue
            theirs = [tuple(_normal(v) for v in r)
                      for r in store.con.execute(f'SELECT * FROM "{name}"').fetchall()]
            assert sorted(ours[name], key=repr) == sorted(theirs, key=repr), name
    assert ours["sentences"] and ours["story_members"]
    assert analysis.copies and len(ours["article_sources"]) > len(ours["articles"])  # seeds twice


def test_article_parts_split_like_the_whole(seeds_analysis):
    """The job writes the articles table from the block task and the per-article tables from
    the annotate partitions: together they are exactly the "articles" part."""
    whole = sorted(analysis_rows(seeds_analysis, frozenset({"articles"})), key=repr)
    parts = sorted(analysis_rows(seeds_analysis, frozenset({"article_records", "annotations"})), key=repr)
    assert parts == whole
    records = {t for t, _ in analysis_rows(seeds_analysis, frozenset({"article_records"}))}
    assert records == {"articles"}


def test_star_edges_are_linear_and_connect_undated():
    members = [("5", "a3"), ("5", "a1"), ("5", "a2"), ("6", "a4"), (UNDATED, "a9"), (UNDATED, "a8")]
    edges = list(star_edges(members))
    # k articles in a bucket cost k-1 edges; the undated star's centre meets every dated centre.
    assert sorted(edges) == sorted([("a2", "a1"), ("a3", "a1"), ("a9", "a8"),
                                    ("a1", "a8"), ("a4", "a8")])
    big = [("1", f"x{i:04d}") for i in range(500)]
    assert len(list(star_edges(big))) == 499


def test_time_buckets_meet_within_the_window():
    days = ["2018-12-01", "2018-12-02", "2018-12-03", "2018-12-04", "2018-12-06", "2018-12-09"]
    for a, b in itertools.combinations(days, 2):
        gap = abs(int(a[-2:]) - int(b[-2:]))
        meet = set(time_buckets(a, 3.0)) & set(time_buckets(b, 3.0))
        if gap <= 3:
            assert meet, (a, b)
    assert time_buckets(None, 3.0) == (UNDATED,)
    assert time_buckets("not a date", 3.0) == (UNDATED,)


def test_union_find_roots_are_component_minima():
    rng = random.Random(7)
    nodes = [f"n{i:03d}" for i in range(200)]
    edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(150)]
    comp = union_find(nodes, edges)
    for a, b in edges:
        assert comp[a] == comp[b]
    for node, root in comp.items():
        assert root <= node
        assert comp[root] == root


def test_split_block_cuts_only_large_components():
    assert split_block("c", "2018-12-03", 10, 100, 3.0) == "c"
    a = split_block("c", "2018-12-03", 1000, 100, 3.0)
    b = split_block("c", "2019-03-03", 1000, 100, 3.0)
    assert a != b and a.startswith("c/")
    assert split_block("c", None, 1000, 100, 3.0) == f"c/{UNDATED}"


def test_blocks_with_background_cluster_like_one_run(shared_data, nlp):
    """Components of shared index keys, each clustered with the rest of the corpus as
    background, give exactly the stories of one run over all articles."""
    from rashomon.annotate import annotate
    from rashomon.eval.ecbplus import read_jsonl, to_article_row
    from rashomon.ingest import iter_bytes
    from rashomon.stories import cluster, make_config

    rows = [to_article_row(d) for d in itertools.islice(
        read_jsonl(shared_data / "xsource" / "ecbplus" / "ecbplus_train.jsonl.gz"), 0, 400, 5)]
    import json

    # Each ECB+ topic (one kind of event, two seminal events) gets its own week, so the
    # time buckets split the corpus as a stream of real news would be split.
    for r in rows:
        r["published"] = f"2019-{1 + r['topic'] // 4:02d}-{1 + 7 * (r['topic'] % 4) + len(r['id']) % 3:02d}"
    data = "\n".join(json.dumps(r) for r in rows).encode()
    articles = [a for a in iter_bytes(data, "ecb.jsonl", "jsonl") if hasattr(a, "paragraphs")]
    items = annotate(articles, nlp)
    cfg = make_config()
    whole = cluster(items, config=cfg)

    feats = [features(a, cfg) for a in items]
    df: dict[str, int] = {}
    for f in feats:
        for k in f.counts:
            df[k] = df.get(k, 0) + 1
    gdfs = [{k: df[k] for k in f.counts if df[k] > 1} for f in feats]
    n = len(items)
    edges = []
    by_key: dict[str, list[tuple[str, str]]] = {}
    for f, g in zip(feats, gdfs, strict=True):
        for k in index_keys(f, g, n, cfg):
            for b in time_buckets(f.published, cfg.window_days):
                by_key.setdefault(k, []).append((b, f.article_id))
    for members in by_key.values():
        edges.extend(star_edges(members))
    comp = union_find([f.article_id for f in feats], edges)
    blocks: dict[str, list[int]] = {}
    for i, f in enumerate(feats):
        blocks.setdefault(comp[f.article_id], []).append(i)
    assert len(blocks) > 1  # the test means something only if the corpus splits
    split = [s for idx in blocks.values()
             for s in cluster_block([items[i] for i in idx], [gdfs[i] for i in idx], n, cfg)]
    assert sorted(split, key=lambda s: s.id) == sorted(whole, key=lambda s: s.id)
    # The background is what makes it exact: without it IDF differs and so may the stories.
    _bg, docs = block_background([feats[i] for i in next(iter(blocks.values()))],
                                [gdfs[i] for i in next(iter(blocks.values()))], n)
    assert docs == n - len(next(iter(blocks.values())))
    # The block task computes the same background from the corpus frequencies alone.
    for idx in blocks.values():
        want = block_background([feats[i] for i in idx], [gdfs[i] for i in idx], n)
        assert background_from_frequencies([gdfs[i] for i in idx], n) == want
    assert any(block_background([feats[i] for i in idx], [gdfs[i] for i in idx], n)[0] for idx in blocks.values())
