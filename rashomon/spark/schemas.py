"""Spark schemas of the Parquet tables, derived from the store's table definitions.

There is one schema: :data:`rashomon.store.schema.TABLES`. Each Parquet table written by the
Spark job has exactly the store table's columns (JSON columns hold the same JSON text), plus
the partition column :data:`PARTITION_COLUMN` (the publication date, ``unknown`` when the
article has none). DuckDB reads the Parquet back with ``hive_partitioning`` and the store's
queries run unchanged once that column is dropped (:mod:`rashomon.spark.parquet`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..store.schema import TABLES, columns

if TYPE_CHECKING:
    from pyspark.sql.types import DataType, StructType

#: Partition column of every table: ``YYYY-MM-DD`` or :data:`UNKNOWN_DATE`.
PARTITION_COLUMN = "pub_date"
UNKNOWN_DATE = "unknown"

#: Where a table's rows take their partition date from.
#: ``article``: the row's ``article_id`` (or ``id`` for articles) → the article's date;
#: ``story``: the row's ``story_id`` (``id`` for stories) → the story's first date;
#: ``error``: the failed article's date when known, else ``unknown``.
DATE_FROM: dict[str, str] = {
    "articles": "article", "sentences": "article", "entities": "article", "quotes": "article",
    "dates": "article", "quantities": "article", "places": "article", "actors": "article",
    "raw_events": "article", "article_sources": "article",
    "stories": "story", "story_members": "story", "facts": "story", "events": "story",
    "event_mentions": "story", "story_views": "story", "ingest_errors": "error",
}


def table_names() -> list[str]:
    """Every table the job writes, in the store's order."""
    return list(TABLES)


def column_names(table: str) -> list[str]:
    return [c for c, _ in columns(TABLES[table])]


def _spark_type(sql_type: str) -> DataType:
    from pyspark.sql import types as T

    return {
        "VARCHAR": T.StringType(),
        "JSON": T.StringType(),  # JSON text, as the store's JSON columns hold
        "BIGINT": T.LongType(),
        "DOUBLE": T.DoubleType(),
        "BOOLEAN": T.BooleanType(),
        "TIMESTAMP": T.TimestampNTZType(),  # the store's TIMESTAMP has no time zone
    }[sql_type]


def spark_schema(table: str, *, with_partition: bool = True) -> StructType:
    """The Spark ``StructType`` of ``table`` (store columns, then ``pub_date``)."""
    from pyspark.sql import types as T

    fields = [T.StructField(c, _spark_type(t), nullable=True) for c, t in columns(TABLES[table])]
    if with_partition:
        fields.append(T.StructField(PARTITION_COLUMN, T.StringType(), nullable=False))
    return T.StructType(fields)


__all__ = ["DATE_FROM", "PARTITION_COLUMN", "UNKNOWN_DATE", "column_names", "spark_schema",
           "table_names"]
