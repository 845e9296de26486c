"""Parquet tables written by the executors with pyarrow, committed by the driver.

Spark's DataFrame writer takes the rows the Python workers build as pickles, unpickles them
in the JVM, converts them to Spark rows and encodes the Parquet there. Measured on the
per-article tables of 1,500 benchmark articles (135k rows, ``local[1]``, warm JVM): 8.3–9.5
CPU-seconds, ~6 of them in the JVM; the same rows written by pyarrow in the Python worker
that built them: 1.8–2.0. In ``local[2]`` that JVM work competed with the Python workers for
the two cores (10k articles: the article-table write tasks took 60 task-seconds there against
26 in ``local[1]``, where the JVM had the second core to itself); with this writer the
10k-article speed-up ``local[2]`` / ``local[1]`` went from 1.75× to 1.91–1.94×
(``docs/sections/spark-benchmarks.md``, round 6).

The output is what Spark's writer makes: ``DIR/<table>/pub_date=<date>/part-*.parquet``
with the store's columns (the partition column comes from the path), and a run replaces
only the date partitions it writes (Spark's dynamic partition overwrite). Each task writes
its files under a staging folder and returns their names; the driver moves the files of
the successful task attempts into place once the Spark job has finished, so a failed or
retried attempt never leaves rows behind, and removes the staging folder.

Outputs on other file systems (``hdfs://``, ``s3a://`` …) are written by Spark's own writer
(:func:`rashomon.spark.job.run_articles` picks it); this one needs a path the driver and the
executors share, as local mode always has.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..store.schema import TABLES, columns
from .schemas import PARTITION_COLUMN

#: Staging folders live in the output folder (same file system: moving a file is a rename),
#: beside the tables, not inside them, so a reader globbing ``<table>/**`` never sees them.
STAGING_PREFIX = ".rashomon-staging-"


@dataclass(frozen=True)
class WrittenFile:
    """A file a task wrote: ``staging/<table>/pub_date=<date>/<name>``."""

    table: str
    date: str
    name: str
    rows: int


@cache
def arrow_schema(table: str) -> Any:
    """The pyarrow schema of ``table``'s files: the store's columns (JSON as text, timestamps
    without a time zone, as the store and Spark's ``TIMESTAMP_NTZ`` hold them)."""
    import pyarrow as pa

    types = {"VARCHAR": pa.string(), "JSON": pa.string(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
             "BOOLEAN": pa.bool_(), "TIMESTAMP": pa.timestamp("us")}
    return pa.schema([pa.field(c, types[t]) for c, t in columns(TABLES[table])])


def staging_dir(out: str | os.PathLike[str]) -> str:
    """A new, unique staging folder under ``out`` (created by the first task that writes)."""
    return str(Path(out) / f"{STAGING_PREFIX}{uuid.uuid4().hex}")


def write_rows(rows: Iterable[tuple[str, tuple[Any, ...]]], staging: str,
               rows_per_file: int = 250_000) -> Iterator[WrittenFile]:
    """Write a partition's ``(table, row + date)`` rows as Parquet files under ``staging``.

    Rows are gathered per table and date, and a file is written each time a group reaches
    ``rows_per_file`` rows (which bounds the memory a task holds), then for the rest.
    """
    groups: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for table, row in rows:
        key = (table, row[-1])
        group = groups.setdefault(key, [])
        group.append(row)
        if len(group) >= rows_per_file:
            yield _write_file(staging, *key, group)
            groups[key] = []
    for key, group in groups.items():
        if group:
            yield _write_file(staging, *key, group)


def _write_file(staging: str, table: str, date: str, rows: Sequence[tuple[Any, ...]]) -> WrittenFile:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    cols = list(zip(*rows, strict=True))  # the last column is the date: it goes in the path
    data = pa.Table.from_arrays([pa.array(col, type=f.type) for col, f in zip(cols, schema, strict=False)],
                                schema=schema)
    folder = Path(staging) / table / f"{PARTITION_COLUMN}={date}"
    folder.mkdir(parents=True, exist_ok=True)
    # A name per attempt: a retried task writes new files, and only the ones it reports are moved.
    name = f"part-{uuid.uuid4().hex}.parquet"
    pq.write_table(data, folder / name)
    return WrittenFile(table, date, name, len(rows))


def commit(out: str | os.PathLike[str], staging: str, written: Iterable[WrittenFile]) -> dict[str, int]:
    """Move the files of successful tasks into ``out``: each date partition written replaces
    the one a previous run left (the others stay); returns rows per table."""
    by_partition: dict[tuple[str, str], list[WrittenFile]] = {}
    for f in written:
        by_partition.setdefault((f.table, f.date), []).append(f)
    counts: dict[str, int] = {}
    root = Path(out)
    for (table, date), files in sorted(by_partition.items()):
        target = root / table / f"{PARTITION_COLUMN}={date}"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        source = Path(staging) / table / f"{PARTITION_COLUMN}={date}"
        for f in files:
            os.replace(source / f.name, target / f.name)
            counts[table] = counts.get(table, 0) + f.rows
    for table in {t for t, _ in by_partition}:
        (root / table / "_SUCCESS").touch()  # as Spark's committer marks a finished table
    discard(staging)  # with any file a failed attempt left
    return counts


def discard(staging: str) -> None:
    """Remove a staging folder and whatever tasks wrote in it (a failed job, or after commit)."""
    shutil.rmtree(staging, ignore_errors=True)


def is_local(out: str) -> bool:
    """Whether ``out`` is a path of this machine's file system (``file:`` URIs included)."""
    return out.startswith("file:") or "://" not in out


def local_path(out: str) -> str:
    """``out`` as a path (a ``file:`` URI's path)."""
    from urllib.parse import unquote, urlparse

    return unquote(urlparse(out).path) if out.startswith("file:") else out


__all__ = ["STAGING_PREFIX", "WrittenFile", "arrow_schema", "commit", "discard", "is_local",
           "local_path", "staging_dir", "write_rows"]
