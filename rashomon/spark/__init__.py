"""The Rashomon pipeline as an Apache Spark job (pyspark; local mode or any cluster).

The job calls the same stage functions as the CLI — ingest's readers, ``annotate_iter``,
``stories.cluster``, the pipeline's per-story stages and events — inside Spark tasks, and
writes the store's tables as Parquet partitioned by publication date::

    from rashomon.spark import JobOptions, run_job, spark_session

    spark = spark_session("local[2]")
    result = run_job(spark, ["crawl/*.warc.gz", "exports/"], "out/", JobOptions())

Command line: ``rashomon spark run INPUT... --out DIR`` and ``rashomon import-parquet DIR``;
on a cluster: ``spark-submit $(python -m rashomon.spark --path) INPUT... --out DIR``
(see ``docs/scale.md``). pyspark loads only when a function here is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .job import JobOptions, JobResult, run_job
    from .parquet import attach_views, import_parquet
    from .session import spark_session

__all__ = ["JobOptions", "JobResult", "attach_views", "import_parquet", "run_job", "spark_session"]

_WHERE = {"JobOptions": "job", "JobResult": "job", "run_job": "job", "attach_views": "parquet",
          "import_parquet": "parquet", "spark_session": "session"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(name)
