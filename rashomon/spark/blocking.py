"""Story clustering at scale: blocks of articles that could share a story, then the same
:func:`rashomon.stories.cluster` on each block.

The single-machine clustering (:mod:`rashomon.stories._cluster`) is an online pass over a
date-sorted stream. An article only ever looks at *candidate* stories: stories sharing one of
the article's ``candidate_keys`` most weighted keys (its "index keys": TF-IDF over entities,
terms and numbers, keys no other article has left out) and lying within ``window_days``.
Articles that share no index key, directly or through a chain of other articles, can never
end up in one story, and clustering them apart gives the same stories as clustering them
together. So the job:

1. computes each article's key counts in the executors (``stories.article_features``, the
   same function the stories stage uses) and the corpus-wide document frequency of every key
   (one ``groupBy``), so each article's TF-IDF weights, and therefore its index keys, are
   exactly those of a single-machine run over the whole input;
2. emits each article under every (index key, time bucket) it has; buckets are
   ``window_days`` wide and an article also enters the next bucket, so two articles at most
   ``window_days`` apart always meet; undated articles (matched on content only by the
   stories stage) meet every bucket of the key;
3. links the members of each (key, bucket) group to the group's smallest id — a star, so a
   group of *k* articles costs *k* edges, never *k²* — and finds connected components with
   iterative min-label propagation plus pointer jumping (:func:`connected_components`);
4. clusters every component (a "block") with :func:`rashomon.stories.cluster`, handing it the
   rest of the corpus's document frequencies as ``background`` so its IDF is the corpus's.

Within a component the stories stage sees exactly the candidates it would see in one run over
everything, hence the same stories, ids and explanations. Two approximations apply at scale
and are documented in ``docs/scale.md``: a story whose members chain over more than two
buckets can link an article to a member it meets in no bucket (the article and that member
then sit in different blocks only if nothing else connects them), and a component larger than
``max_block`` articles is cut into date windows so that no single task holds a day's news.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..records import AnnotatedArticle
from ..stories import day_number

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from ..stories import ArticleFeatures, ClusterConfig

#: Time bucket of undated articles (they meet every bucket of a key).
UNDATED = "*"


def features(item: AnnotatedArticle, cfg: ClusterConfig) -> ArticleFeatures:
    """The stories stage's own key counts of one article."""
    # The stories stage's feature function; reusing it (not a copy) keeps the blocking keys
    # identical to the keys the clustering itself uses.
    from ..stories import article_features

    return article_features(item, cfg)


def index_keys(feat: ArticleFeatures, gdf: Mapping[str, int], n_total: int,
               cfg: ClusterConfig) -> list[str]:
    """The article's index keys under the corpus-wide document frequencies ``gdf``.

    ``gdf`` maps a key to the number of articles of the whole input holding it (keys missing
    from it occur in this article only). The stories stage's own run object computes them, with
    the rest of the corpus as background, so the weights are bit-for-bit those of one big run.
    """
    from ..stories import index_keys as stories_index_keys

    return stories_index_keys(feat, gdf, n_total, cfg)


def time_buckets(published: str | None, window_days: float) -> tuple[str, ...]:
    """Buckets an article enters: its own and the next (two articles ≤ window apart meet)."""
    day = day_number(published)
    if day is None:
        return (UNDATED,)
    width = max(1, math.ceil(window_days))
    b = day // width
    return (str(b), str(b + 1))


def star_edges(members: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """Edges linking one key's articles: ``members`` are ``(bucket, article_id)``.

    Every dated bucket becomes a star around its smallest id; the undated articles form one
    more star, whose centre is linked to every dated star's centre (undated articles may join
    a story of any date).
    """
    by_bucket: dict[str, set[str]] = {}
    for bucket, aid in members:
        by_bucket.setdefault(bucket, set()).add(aid)
    centres: list[str] = []
    undated_centre: str | None = None
    for bucket, ids in by_bucket.items():
        centre = min(ids)
        for aid in ids:
            if aid != centre:
                yield aid, centre
        if bucket == UNDATED:
            undated_centre = centre
        else:
            centres.append(centre)
    if undated_centre is not None:
        for c in centres:
            if c != undated_centre:
                yield c, undated_centre


def connected_components(spark: SparkSession, nodes: DataFrame, edges: DataFrame,
                         *, max_iterations: int = 64) -> DataFrame:
    """``(node, component)`` where component is the smallest node id of its component.

    ``nodes`` has a string column ``node``; ``edges`` has ``src``, ``dst``. Each round sends
    every node's label across its edges (both ways), keeps the minimum, then jumps pointers
    (a node takes its label's label), which halves chain lengths; rounds stop when no label
    changes. Work per round is linear in edges; rounds grow with log of the diameter.
    """
    from pyspark.sql import functions as F

    und = edges.select(F.col("src").alias("a"), F.col("dst").alias("b")).unionByName(
        edges.select(F.col("dst").alias("a"), F.col("src").alias("b"))).distinct()
    und = und.localCheckpoint()
    labels = nodes.select(F.col("node"), F.col("node").alias("label")).distinct().localCheckpoint()
    for _ in range(max_iterations):
        sent = und.join(labels.withColumnRenamed("node", "a"), "a").select(
            F.col("b").alias("node"), F.col("label"))
        merged = labels.unionByName(sent).groupBy("node").agg(F.min("label").alias("label"))
        # Pointer jumping: a node's label becomes its label's label when that is smaller.
        hop = merged.alias("m").join(merged.alias("l"), F.col("m.label") == F.col("l.node"), "left") \
            .select(F.col("m.node").alias("node"),
                    F.least(F.col("m.label"), F.coalesce(F.col("l.label"), F.col("m.label"))).alias("label"))
        hop = hop.localCheckpoint()
        changed = hop.alias("n").join(labels.alias("o"), "node") \
            .where(F.col("n.label") != F.col("o.label")).limit(1).count()
        labels = hop
        if not changed:
            return labels.withColumnRenamed("label", "component")
    raise RuntimeError(f"connected components did not converge in {max_iterations} rounds")


def union_find(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``node -> component`` (smallest id of the component), in one process.

    Used when the edge list is small enough to collect (the job's ``driver_edges`` limit):
    the same components as :func:`connected_components`, without its rounds of joins.
    """
    parent: dict[str, str] = {n: n for n in nodes}

    def find(x: str) -> str:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra  # the smaller id stays root, so roots are component minima
    return {n: find(n) for n in parent}


def split_block(component: str, published: str | None, size: int, max_block: int,
                window_days: float) -> str:
    """Block key of an article: its component, cut into date windows when too large.

    A component of more than ``max_block`` articles (a day's worth of one country's politics
    can chain into one) would be a single slow task; it is cut into windows of
    ``window_days × ceil(size / max_block)`` days, so each window holds about ``max_block``.
    """
    if size <= max_block:
        return component
    day = day_number(published)
    if day is None:
        return f"{component}/{UNDATED}"
    span = max(1, math.ceil(window_days)) * math.ceil(size / max_block)
    return f"{component}/{day // span}"


def block_background(feats: Sequence[ArticleFeatures], gdfs: Sequence[Mapping[str, int]],
                     n_total: int) -> tuple[dict[str, float], int]:
    """Document frequencies of the rest of the corpus, for the keys of one block.

    With ``background`` = corpus df − block df and ``background_docs`` = corpus size − block
    size, the stories stage's IDF inside the block equals its IDF over the whole corpus.
    """
    local: Counter[str] = Counter()
    for f in feats:
        local.update(f.counts.keys())
    corpus: dict[str, int] = {}
    for g in gdfs:
        corpus.update(g)
    bg = {k: float(corpus[k] - n) for k, n in local.items() if corpus.get(k, n) > n}
    return bg, max(0, n_total - len(feats))


def cluster_block(items: Sequence[AnnotatedArticle], gdfs: Sequence[Mapping[str, int]],
                  n_total: int, cfg: ClusterConfig,
                  feats: Sequence[ArticleFeatures] | None = None) -> list[Any]:
    """The stories of one block, by the stories stage, with corpus-wide IDF.

    ``feats`` (each item's :func:`features`) lets ``items`` carry their articles only: the
    block is one task, so what it receives is what one core must deserialise.
    """
    from ..stories import cluster

    first: dict[str, int] = {}
    for i, a in enumerate(items):  # exact copies share an id: the stories stage counts it once
        first.setdefault(a.article.id, i)
    bg, bg_docs = background_from_frequencies([gdfs[i] for i in first.values()], n_total)
    given = None if feats is None else {f.article_id: f for f in feats}
    return cluster(items, config=replace(cfg, background=bg or None, background_docs=bg_docs), features=given)


def background_from_frequencies(gdfs: Sequence[Mapping[str, int]], n_total: int) -> tuple[dict[str, float], int]:
    """:func:`block_background` from the block's corpus frequencies alone.

    Each article's ``gdf`` holds every key of the article that another article of the corpus
    has too; a key held by no other article has no background either way. So the block's
    own frequency of every key with a background is the number of ``gdfs`` naming it, and
    the articles' features need not be extracted again in the (serial) block task.
    """
    local: Counter[str] = Counter()
    corpus: dict[str, int] = {}
    for g in gdfs:
        local.update(g.keys())
        corpus.update(g)
    bg = {k: float(corpus[k] - n) for k, n in local.items() if corpus[k] > n}
    return bg, max(0, n_total - len(gdfs))


__all__ = ["UNDATED", "background_from_frequencies", "block_background", "cluster_block", "connected_components",
           "day_number", "features", "index_keys", "split_block", "star_edges", "time_buckets", "union_find"]
