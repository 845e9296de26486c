"""A SparkSession configured for the Rashomon job (local mode here, any cluster manager there).

What the settings are for:

- ``spark.sql.sources.partitionOverwriteMode=dynamic``: writing a table replaces only the date
  partitions the run produced, so re-running a day's input is idempotent and other days stay.
- ``spark.task.maxFailures``: a failed task (an executor lost mid-partition, an out-of-memory
  worker) is retried. Local mode ignores that setting and reads retries from the master string
  instead, so ``local[N]`` becomes ``local[N,F]`` with the same F.
- ``spark.python.worker.reuse``: one Python worker per executor core lives across tasks, so
  the spaCy model is loaded once per worker process (``load_nlp`` caches it per process).
- ``spark.pyspark.python``: local runs use this interpreter (the one with Rashomon installed).
- ``spark.python.worker.memory=2g``: a Python worker spills an aggregation (groupByKey, join)
  to disk past this much memory, with a ``gc.collect`` per spill; annotated articles pass
  Spark's 512 MB default within a few hundred articles. Measured on 1,000 articles: the job
  took 145.7 → 124.8 s in ``local[1]`` and 128.6 → 106.9 s in ``local[2]`` (BENCHMARKS.md).
  Pass ``conf={"spark.python.worker.memory": ...}`` to change it.
- ``spark.scheduler.mode=FAIR``: the job runs its per-article claims and rows as a background
  job in its own pool while blocking and the block clustering (often one task) run, so the
  other cores work instead of idling (BENCHMARKS.md, Spark round 4). ``fairscheduler.xml``
  (``spark.scheduler.allocation.file``) gives the main pool priority: the background jobs
  take the cores it leaves idle, not half of them (BENCHMARKS.md, Spark round 5).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[2]"
#: The scheduler pools: the job's main pool first, its background pool on idle cores.
POOLS_FILE = Path(__file__).with_name("fairscheduler.xml")
DEFAULT_MAX_FAILURES = 4
_LOCAL = re.compile(r"^local\[(\d+|\*)\]$")


def local_master_with_retries(master: str, max_failures: int = DEFAULT_MAX_FAILURES) -> str:
    """``local[N]`` → ``local[N,F]`` (local mode only retries tasks when told so here)."""
    m = _LOCAL.match(master.strip())
    if m:
        return f"local[{m.group(1)},{max_failures}]"
    if master.strip() == "local":
        return f"local[1,{max_failures}]"
    return master


def spark_session(
    master: str | None = DEFAULT_MASTER,
    *,
    app_name: str = "rashomon",
    shuffle_partitions: int | None = None,
    ui: bool = False,
    max_failures: int = DEFAULT_MAX_FAILURES,
    driver_memory: str | None = None,
    conf: Mapping[str, Any] | None = None,
) -> SparkSession:
    """Get or create the session. ``master=None`` keeps what ``spark-submit`` set."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    local = master is not None and master.startswith("local")
    if master is not None:
        builder = builder.master(local_master_with_retries(master, max_failures))
    settings: dict[str, Any] = {
        "spark.sql.sources.partitionOverwriteMode": "dynamic",
        "spark.task.maxFailures": str(max_failures),
        "spark.python.worker.reuse": "true",
        "spark.python.worker.memory": "2g",
        "spark.scheduler.mode": "FAIR",
        "spark.scheduler.allocation.file": str(POOLS_FILE),
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.enabled": "true" if ui else "false",
        "spark.ui.showConsoleProgress": "false",
        # Parquet files readable by every DuckDB / pandas / R without a Spark-only encoding.
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    }
    if local:
        settings["spark.pyspark.python"] = sys.executable
        settings["spark.pyspark.driver.python"] = sys.executable
        # Keep spaCy's own threads from competing with Spark's task slots.
        settings["spark.executorEnv.OMP_NUM_THREADS"] = "1"
    if shuffle_partitions is not None:
        settings["spark.sql.shuffle.partitions"] = str(shuffle_partitions)
    if driver_memory is not None:
        settings["spark.driver.memory"] = driver_memory
    settings.update({k: str(v) for k, v in (conf or {}).items()})
    for key, value in settings.items():
        builder = builder.config(key, value)
    if local:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


__all__ = ["DEFAULT_MASTER", "DEFAULT_MAX_FAILURES", "POOLS_FILE", "local_master_with_retries", "spark_session"]
