"""Stories stage: group annotated articles that report the same story, and say why.

``cluster(articles)`` is an online, incremental clustering (no number of stories given in
advance) over entities, key terms and numbers within a publication-date window (plus, with
``embedding_weight > 0`` and the ``[embeddings]`` extra, sentence embeddings of each lead); see
:mod:`rashomon.stories._cluster` for the algorithm and ``docs/sections/stories-*.md`` for
its accuracy on ECB+ and its cost at 1k and 10k articles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..records import AnnotatedArticle
from ._cluster import (
    EMBEDDING_PRESET,
    METHOD,
    ClusterConfig,
    _extract,
    _Run,
    cluster,
    day_number,
    embed_articles,
    make_config,
    story_id,
)
from ._features import ArticleFeatures, embedding_text, entity_key, stem

__all__ = ["EMBEDDING_PRESET", "METHOD", "ArticleFeatures", "ClusterConfig", "article_features", "cluster",
           "day_number", "embed_articles", "embedding_text", "entity_key", "index_keys", "make_config", "stem",
           "story_id"]


def article_features(item: AnnotatedArticle, config: ClusterConfig) -> ArticleFeatures:
    """The key counts :func:`cluster` computes for one article under ``config``.

    Public for callers that partition the work themselves (the Spark job's blocking): their
    keys are then the clustering's own keys, not a copy that could drift.
    """
    return _extract(item, config)


def index_keys(features: ArticleFeatures, document_frequency: Mapping[str, int], n_articles: int,
               config: ClusterConfig) -> list[str]:
    """The keys :func:`cluster` looks an article's candidate stories up by, in a run over
    ``n_articles`` articles where ``document_frequency`` gives each key's number of articles
    (keys missing from it occur in this article only).

    Computed by the clustering's own run object with the rest of the corpus as background,
    so the weights are bit for bit those of one run over everything.
    """
    bg = {k: float(document_frequency[k] - 1) for k in features.counts if document_frequency.get(k, 1) > 1}
    run = _Run((), [features], replace(config, background=bg, background_docs=max(0, n_articles - 1)))
    return run.index_keys(0)
