"""Entry point for ``spark-submit`` (and ``python -m rashomon.spark``).

    spark-submit --master yarn --conf spark.executor.memory=6g \\
        $(python -m rashomon.spark --path) s3a://bucket/crawl/2024-05-01/ --out s3a://bucket/rashomon/

Every executor needs Rashomon installed in its Python (a shared venv, a conda-pack archive
shipped with ``--archives``, or a container image). Options are those of
``rashomon spark run``; the master is the one spark-submit set.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--path"]:
        print(__file__)
        return
    from rashomon.cli.spark import run

    if "--master" not in args:
        args += ["--master", "submit"]
    run.main(args=args, prog_name="rashomon-spark")


if __name__ == "__main__":
    main()
