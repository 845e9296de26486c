"""``rashomon spark run`` (the pipeline as a Spark job) and ``rashomon import-parquet``."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ._options import parse_field_map


@click.group("spark")
def spark() -> None:
    """Run the pipeline on Apache Spark: WARC / JSONL / Parquet in, Parquet tables out.

    Needs pyspark and Java 17+ (`pip install 'rashomon[spark]'`, or `make spark-deps`).
    """


@spark.command("run")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Folder of Parquet tables (one sub-folder per store table, partitioned by pub_date).")
@click.option("--master", default="local[2]", show_default=True,
              help="Spark master (local[N], yarn, k8s://…, spark://…); 'submit' keeps the one "
                   "spark-submit set.")
@click.option("--partitions", type=int, default=None,
              help="Partitions for the annotate stage (default: 4 × the cores Spark has).")
@click.option("--window-days", default=3.0, show_default=True, help="Story time window (also the blocking bucket).")
@click.option("--max-block", default=20_000, show_default=True,
              help="Largest block clustered as one task; larger components are cut into date windows.")
@click.option("--batch-size", default=32, show_default=True, help="nlp.pipe batch size in a task.")
@click.option("--field", "field_map", multiple=True, metavar="OURS=THEIRS",
              help="Map a JSONL/CSV/Parquet column to a field, e.g. --field text=body.")
@click.option("--max-mb", default=50.0, show_default=True, help="Refuse inputs larger than this many megabytes.")
@click.option("--writer", type=click.Choice(["auto", "arrow", "spark"]), default="auto", show_default=True,
              help="Who writes the Parquet: pyarrow in the Python workers (local or shared paths; "
                   "the cheaper one), Spark's writer (any Hadoop file system), or auto: arrow for a path.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the run's counts and timings (JSON).")
def run(inputs: tuple[str, ...], out: str, master: str, partitions: int | None, window_days: float,
        max_block: int, batch_size: int, field_map: tuple[str, ...], max_mb: float, writer: str,
        json_path: str | None) -> None:
    """Ingest, annotate, cluster and compare INPUTS on Spark; write Parquet tables to --out.

    INPUTS are local files, folders or globs (visible to every executor), or URIs of a
    Hadoop file system (hdfs://, s3a://, gs://): WARC/WARC.gz, JSONL(.gz), Parquet of
    articles (JSONL field names), and every format `rashomon analyze` reads. Re-running over
    the same input replaces the same date partitions. Records that cannot be read go to the
    ingest_errors table; the job does not fail for them.
    """
    from ..spark import JobOptions, run_job, spark_session

    mapping = {theirs: ours for ours, theirs in parse_field_map(field_map).items()}
    opts = JobOptions(window_days=window_days, batch_size=batch_size, partitions=partitions,
                      max_block=max_block, field_map=mapping, max_bytes=int(max_mb * 1_000_000),
                      writer=writer)
    session = spark_session(None if master == "submit" else master)
    result = run_job(session, list(inputs), out, opts)
    console = Console(highlight=False)
    table = Table(title=f"Parquet tables in {out}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in result.rows.items():
        table.add_row(name, str(n))
    console.print(table)
    console.print(f"{result.articles} articles, {result.stories} stories, {result.errors} errors; "
                  f"{result.blocks} blocks (largest {result.largest_block}); "
                  f"{result.seconds.get('total', 0):.1f} s")
    if json_path:
        Path(json_path).write_text(json.dumps(result.to_dict(), indent=2), encoding="utf-8")


@click.command("import-parquet")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--db", default="rashomon.duckdb", show_default=True, metavar="FILE",
              help="DuckDB store file (created if missing).")
def import_parquet(folder: str, db: str) -> None:
    """Load the Parquet tables of `rashomon spark run` into a DuckDB store.

    Rows are upserted by their keys, so importing twice changes nothing; afterwards
    `rashomon show`, `export` and `report` work on the store. (Or query the Parquet in place:
    DuckDB's read_parquet('FOLDER/articles/**/*.parquet', hive_partitioning=true).)
    """
    from ..spark.parquet import import_parquet as run_import

    counts = run_import(folder, db)
    if not counts:
        raise click.ClickException(f"no Parquet tables found in {folder}")
    Console(highlight=False).print(
        ", ".join(f"{n} {name}" for name, n in counts.items()) + f" imported into {db}")
