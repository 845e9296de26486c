"""Stories stage: group annotated articles that report the same story, and say why.

``cluster(articles)`` is an online, incremental clustering (no number of stories given in
advance) over entities, key terms and numbers within a publication-date window; see
:mod:`rashomon.stories._cluster` for the algorithm and ``docs/sections/stories-*.md`` for
its accuracy on ECB+ and its cost at 1k and 10k articles.
"""

from __future__ import annotations

from ._cluster import METHOD, ClusterConfig, cluster, make_config, story_id
from ._features import entity_key, stem

__all__ = ["METHOD", "ClusterConfig", "cluster", "entity_key", "make_config", "stem", "story_id"]
