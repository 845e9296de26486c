"""Read the Spark job's Parquet output with DuckDB: as views, or imported into a store.

The job writes ``DIR/<table>/pub_date=YYYY-MM-DD/*.parquet`` with the store's columns (see
:mod:`rashomon.spark.schemas`). Two ways to run the store's queries on it:

- :func:`attach_views` creates one DuckDB view per table over the Parquet files (nothing is
  copied; good for a laptop looking at a cluster's output);
- :func:`import_parquet` upserts every table into a :class:`~rashomon.store.Store` file, after
  which every ``rashomon`` command (``show``, ``export``, ``report``, ``serve``) works on it.

Neither needs Spark or Java.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..store.schema import TABLES, columns
from .schemas import PARTITION_COLUMN


def _glob(root: Path, table: str) -> str | None:
    folder = root / table
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return None
    return str(folder / "**" / "*.parquet").replace("'", "''")


def _relation(pattern: str, table: str) -> str:
    cols = ", ".join(f'"{c}"' for c, _ in columns(TABLES[table]))
    # The partition column comes back from the path; the store's tables do not have it.
    return (f"(SELECT {cols} FROM read_parquet('{pattern}', hive_partitioning = true, "
            f"union_by_name = true))")


def attach_views(con: Any, root: str | Path) -> list[str]:
    """Create a view per table found under ``root`` on the DuckDB connection ``con``."""
    base = Path(root)
    if not base.is_dir():
        raise StoreError(f"{base} is not a folder of Parquet tables")
    made = []
    for table in TABLES:
        pattern = _glob(base, table)
        if pattern is None:
            continue
        con.execute(f'CREATE OR REPLACE VIEW "{table}" AS SELECT * FROM {_relation(pattern, table)}')
        made.append(table)
    return made


def import_parquet(root: str | Path, db: str | Path) -> dict[str, int]:
    """Upsert the Parquet tables under ``root`` into the store ``db``; rows per table.

    Rows are replaced by the table's key (article id, story id …), as the store's own upserts
    do, so importing the same output twice changes nothing.
    """
    from ..store import Store

    base = Path(root)
    if not base.is_dir():
        raise StoreError(f"{base} is not a folder of Parquet tables")
    counts: dict[str, int] = {}
    with Store(db) as store:
        con = store.con
        con.execute("BEGIN")
        try:
            for name, table in TABLES.items():
                pattern = _glob(base, name)
                if pattern is None:
                    continue
                rel = _relation(pattern, name)
                key = table.key[0]
                con.execute(f'DELETE FROM "{name}" WHERE "{key}" IN (SELECT DISTINCT "{key}" FROM {rel})')
                cols = ", ".join(f'"{c}"' for c, _ in columns(table))
                # File order is kept (DuckDB preserves insertion order): a story's members stay
                # in the order the stories stage gave them.
                con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM {rel}')
                counts[name] = con.execute(f"SELECT count(*) FROM {rel}").fetchone()[0]  # type: ignore[index]
            con.execute("COMMIT")
        except Exception as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"cannot import {base}: {exc}") from exc
    return counts


__all__ = ["PARTITION_COLUMN", "attach_views", "import_parquet"]
