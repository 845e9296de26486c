"""Store tables, derived from the record types so the store, the Parquet export and the
Spark job share one schema.

Each table is a record type plus the columns that tie it to its parent (``article_id`` for
per-article rows whose record does not carry it, ``story_id`` for story-level views).
Scalar fields become typed columns; nested records, tuples and dicts become JSON columns.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from .. import records as r

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Table:
    name: str
    record: type | None
    key: tuple[str, ...]  # columns that identify the rows one upsert replaces
    extra: tuple[tuple[str, str], ...] = ()  # (column, SQL type) not on the record
    exclude: tuple[str, ...] = ()  # record fields stored elsewhere


def _sql_type(tp: Any) -> str:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return _sql_type(args[0]) if len(args) == 1 else "JSON"
    if tp is str or origin is typing.Literal or tp == r.Role:
        return "VARCHAR"
    if tp is bool:
        return "BOOLEAN"
    if tp is int:
        return "BIGINT"
    if tp is float:
        return "DOUBLE"
    return "JSON"


def columns(table: Table) -> list[tuple[str, str]]:
    cols: list[tuple[str, str]] = list(table.extra)
    if table.record is not None:
        hints = typing.get_type_hints(table.record, vars(r))
        for f in dataclasses.fields(table.record):
            if f.name not in table.exclude and f.name not in dict(cols):
                cols.append((f.name, _sql_type(hints[f.name])))
    return cols


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table("articles", r.Article, ("id",), extra=(("n_tokens", "BIGINT"),)),
        Table("sentences", r.Sentence, ("article_id",), extra=(("article_id", "VARCHAR"),)),
        Table("entities", r.Entity, ("article_id",), extra=(("article_id", "VARCHAR"),)),
        Table("quotes", r.Quote, ("article_id",)),
        Table("dates", r.DateMention, ("article_id",)),
        Table("quantities", r.Quantity, ("article_id",)),
        Table("places", r.Place, ("article_id",)),
        Table("actors", r.Actor, ("article_id",), extra=(("article_id", "VARCHAR"),)),
        # Events coded per article in the annotate pass, before stories and deduplication.
        Table("raw_events", r.Event, ("article_id",), extra=(("article_id", "VARCHAR"),)),
        Table("stories", r.Story, ("id",), exclude=("members", "article_ids")),
        Table("story_members", r.StoryMember, ("story_id",), extra=(("story_id", "VARCHAR"),)),
        Table("facts", r.Fact, ("story_id",)),
        Table("events", r.Event, ("story_id",)),
        Table("event_mentions", None, ("story_id",), extra=(
            ("event_id", "VARCHAR"), ("story_id", "VARCHAR"), ("article_id", "VARCHAR"),
            ("sentence_index", "BIGINT"))),
        Table("story_views", None, ("story_id",), extra=(
            ("story_id", "VARCHAR"), ("framing", "JSON"), ("summary", "JSON"),
            ("timeline", "JSON"))),
        # Every (article, source) pair ever read: exact copies of an article from other
        # files or URLs are recorded here rather than overwriting the article.
        Table("article_sources", None, ("article_id",), extra=(
            ("article_id", "VARCHAR"), ("source", "VARCHAR"), ("url", "VARCHAR"),
            ("outlet", "VARCHAR"), ("format", "VARCHAR"))),
        Table("ingest_errors", r.IngestFailure, ("source",), extra=(
            ("first_seen", "TIMESTAMP"), ("last_seen", "TIMESTAMP"))),
    )
}
