"""An :class:`~rashomon.records.Analysis` as rows of the store's tables, without DuckDB.

The Spark executors turn each block's analysis into table rows. Writing them through an
in-memory :class:`~rashomon.store.Store` first would give the same rows by construction, but
DuckDB's row-by-row ``executemany`` costs half as much as annotation itself (measured: 3.2 s
to store 100 ECB+ articles that took 6.2 s to annotate), so the rows are built here, with the
store's own column list and cell encoding. ``tests/test_spark_rows.py`` pins that these rows
equal what the store holds for the same analysis, so the two cannot drift apart silently.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from ..records import Analysis, AnnotatedArticle, Article, IngestFailure, Story, StoryMember, to_dict
from ..store import PER_ARTICLE_TABLES
from ..store.schema import TABLES, columns

#: Per-article tables (and the AnnotatedArticle field of each): the store's own lists, so a
#: table the store adds is written by the Spark job too.
PER_ARTICLE: tuple[str, ...] = PER_ARTICLE_TABLES


def _cell(value: Any, sql_type: str) -> Any:
    if sql_type == "JSON":
        return None if value is None else json.dumps(value, ensure_ascii=False)
    return value


@functools.cache
def table_columns(table: str) -> tuple[tuple[str, str], ...]:
    """The store's ``(column, SQL type)`` list of ``table``, derived once per process (the
    derivation reads type hints: slow enough to dominate when repeated for every row)."""
    return tuple(columns(TABLES[table]))


def _tuple(table: str, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(_cell(row.get(c), t) for c, t in table_columns(table))


def _members(story: Story) -> tuple[StoryMember, ...]:
    if story.members:
        return story.members
    return tuple(StoryMember(article_id=a, why=story.why) for a in story.article_ids)


#: What :func:`analysis_rows` can emit: articles and their annotations (with sources),
#: stories with their members, and the per-story results (facts, events, views).
#: ``"articles"`` is the union of two finer parts the Spark job emits in different tasks:
#: ``"article_records"`` (the ``articles`` table, which carries the duplicate links a block
#: computes) and ``"annotations"`` (the per-article tables and ``article_sources``, which
#: need nothing but the annotated article).
PARTS = frozenset({"articles", "stories", "results"})


def analysis_rows(analysis: Analysis, parts: frozenset[str] = PARTS) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """``(table, row)`` for every row the store would hold after ``save_analysis``.

    Ingest failures are not included (see :func:`failure_rows`: their timestamps are the
    run's, not the analysis's). ``parts`` selects which groups of tables to emit.
    """
    if "articles" in parts:
        yield from _article_rows(analysis)
    else:
        if "article_records" in parts:
            for a in analysis.articles:
                yield "articles", _tuple("articles", {**to_dict(a.article), "n_tokens": a.n_tokens})
        if "annotations" in parts:
            yield from annotation_rows(analysis.articles)
            yield from source_rows([a.article for a in analysis.articles] + list(analysis.copies))
    if "stories" in parts:
        for s in analysis.stories:
            yield "stories", _tuple("stories", to_dict(s))
            for m in _members(s):
                yield "story_members", _tuple("story_members", {"story_id": s.id, **to_dict(m)})
    if "results" in parts:
        yield from _result_rows(analysis)


def _article_rows(analysis: Analysis) -> Iterator[tuple[str, tuple[Any, ...]]]:
    for a in analysis.articles:
        yield "articles", _tuple("articles", {**to_dict(a.article), "n_tokens": a.n_tokens})
        yield from annotation_rows([a])
    yield from source_rows([a.article for a in analysis.articles] + list(analysis.copies))


def annotation_rows(articles: Iterable[AnnotatedArticle]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Rows of the per-article tables (sentences, entities, quotes …) of each article."""
    for a in articles:
        aid = a.article.id
        for name in PER_ARTICLE:
            for item in getattr(a, name):
                yield name, _tuple(name, {"article_id": aid, **to_dict(item)})


def _result_rows(analysis: Analysis) -> Iterator[tuple[str, tuple[Any, ...]]]:
    for f in analysis.facts:
        yield "facts", _tuple("facts", to_dict(f))
    for e in analysis.events:
        yield "events", _tuple("events", to_dict(e))
        for c in e.citations:
            yield "event_mentions", _tuple("event_mentions", {
                "event_id": e.id, "story_id": e.story_id, "article_id": c.article_id,
                "sentence_index": c.sentence_index})
    views: dict[str, dict[str, Any]] = {s.id: {"story_id": s.id} for s in analysis.stories}
    for key in ("framing", "summary", "timeline"):
        for item in getattr(analysis, key):
            sid = item.get("story_id")
            if sid in views:
                views[sid][key] = to_dict(item)
    for sid in sorted(views):
        yield "story_views", _tuple("story_views", views[sid])


def source_rows(articles: Iterable[Article]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """``article_sources``: where each article, or exact copy of it, was read from."""
    rows = {(a.id, a.source): {"article_id": a.id, "source": a.source, "url": a.url,
                               "outlet": a.outlet, "format": a.format} for a in articles}
    for row in rows.values():
        yield "article_sources", _tuple("article_sources", row)


def failure_rows(failures: Iterable[IngestFailure], now: datetime) -> Iterator[tuple[str, tuple[Any, ...]]]:
    for f in failures:
        yield "ingest_errors", _tuple("ingest_errors", {**to_dict(f), "first_seen": now, "last_seen": now})


__all__ = ["PARTS", "PER_ARTICLE", "analysis_rows", "annotation_rows", "failure_rows", "source_rows", "table_columns"]
