"""Stories stage: group annotated articles that report the same story, and say why.

``cluster(articles)`` is an online, incremental clustering (no number of stories given in
advance) over entities, key terms and numbers within a publication-date window (plus, with
``embedding_weight > 0`` and the ``[embeddings]`` extra, sentence embeddings of each lead); see
:mod:`rashomon.stories._cluster` for the algorithm and ``docs/sections/stories-*.md`` for
its accuracy on ECB+ and its cost at 1k and 10k articles.
"""

from __future__ import annotations

from ._cluster import EMBEDDING_PRESET, METHOD, ClusterConfig, cluster, embed_articles, make_config, story_id
from ._features import embedding_text, entity_key, stem

__all__ = ["EMBEDDING_PRESET", "METHOD", "ClusterConfig", "cluster", "embed_articles", "embedding_text",
           "entity_key", "make_config", "stem", "story_id"]
