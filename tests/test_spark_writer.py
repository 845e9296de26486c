"""The pyarrow Parquet writer of the Spark job (rashomon.spark.writer), without Spark:
file layout, dynamic partition overwrite, uncommitted attempts, schemas."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

pytest.importorskip("pyarrow")


def _sentence(aid: str, i: int, date: str) -> tuple:
    from rashomon.spark.rows import table_columns

    cells = {"article_id": aid, "index": i, "text": f"Sentence {i} of {aid}.", "role": "body",
             "start": 10 * i, "end": 10 * i + 9}
    return (*(cells.get(c) for c, _ in table_columns("sentences")), date)


def _read(out: Path, table: str) -> list[tuple]:
    con = duckdb.connect()
    return sorted(con.execute(
        f"select article_id, \"index\", cast(pub_date as varchar) from read_parquet("
        f"'{out}/{table}/**/*.parquet', hive_partitioning=true)").fetchall())


def test_arrow_schema_is_the_store_schema():
    import pyarrow as pa

    from rashomon.spark.schemas import PARTITION_COLUMN, spark_schema, table_names
    from rashomon.spark.writer import arrow_schema

    kinds = {"StringType": pa.string(), "LongType": pa.int64(), "DoubleType": pa.float64(),
             "BooleanType": pa.bool_(), "TimestampNTZType": pa.timestamp("us")}
    for table in table_names():
        fields = [f for f in spark_schema(table).fields if f.name != PARTITION_COLUMN]
        assert [(f.name, kinds[type(f.dataType).__name__]) for f in fields] == \
            [(f.name, f.type) for f in arrow_schema(table)], table


def test_commit_replaces_written_dates_only_and_drops_unreported_files(tmp_path):
    from rashomon.spark.writer import commit, staging_dir, write_rows

    out = tmp_path / "out"
    first = staging_dir(out)
    rows = [("sentences", _sentence("a", i, "2018-12-03")) for i in range(3)] + \
        [("sentences", _sentence("b", 0, "2018-12-04"))]
    assert commit(out, first, list(write_rows(rows, first))) == {"sentences": 4}
    assert (out / "sentences" / "_SUCCESS").exists() and not Path(first).exists()

    # A rerun writing 2018-12-03 again replaces that day and keeps 2018-12-04. A failed
    # attempt's file (written, never reported to the driver) is not committed.
    second = staging_dir(out)
    list(write_rows([("sentences", _sentence("lost", 0, "2018-12-03"))], second))
    reported = list(write_rows([("sentences", _sentence("c", 0, "2018-12-03"))], second))
    assert commit(out, second, reported) == {"sentences": 1}
    assert _read(out, "sentences") == [("b", 0, "2018-12-04"), ("c", 0, "2018-12-03")]
    assert not any(p.name.startswith(".") for p in out.iterdir())  # no staging left


def test_rows_per_file_bounds_a_file(tmp_path):
    from rashomon.spark.writer import commit, staging_dir, write_rows

    out = tmp_path / "out"
    staging = staging_dir(out)
    files = list(write_rows((("sentences", _sentence("a", i, "2019-01-01")) for i in range(7)), staging,
                            rows_per_file=3))
    assert [f.rows for f in files] == [3, 3, 1]
    commit(out, staging, files)
    assert len(list((out / "sentences" / "pub_date=2019-01-01").glob("*.parquet"))) == 3
    assert len(_read(out, "sentences")) == 7


def test_timestamps_and_json_round_trip(tmp_path):
    from rashomon.records import IngestFailure
    from rashomon.spark.rows import failure_rows
    from rashomon.spark.writer import commit, staging_dir, write_rows

    now = datetime(2026, 12, 6, 4, 30, 1, 250000)
    rows = [(t, (*r, "unknown")) for t, r in failure_rows(
        [IngestFailure(source="x.bin", reason="binary file", stage="ingest")], now)]
    out = tmp_path / "out"
    staging = staging_dir(out)
    commit(out, staging, list(write_rows(rows, staging)))
    got = duckdb.connect().execute(
        f"select source, reason, stage, first_seen from read_parquet('{out}/ingest_errors/**/*.parquet')").fetchall()
    assert got == [("x.bin", "binary file", "ingest", now)]


def test_local_paths_and_uris():
    from rashomon.spark.writer import is_local, local_path

    assert is_local("/data/out") and is_local("out") and is_local("file:///data/out")
    assert not is_local("s3a://bucket/out") and not is_local("hdfs://nn/out")
    assert local_path("file:///data/my%20out") == "/data/my out" and local_path("out") == "out"
