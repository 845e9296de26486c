"""The ``rashomon`` command line: thin click commands over the library API.

Commands live in small modules; each exposes a click command or group object listed in
:data:`COMMAND_MODULES`, so the CLI stays one import away from the library functions it
calls (sqlite-utils' habit). Shared options are written once in :mod:`._options`.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from .. import __version__
from ..errors import RashomonError


class _Group(click.Group):
    """Turns Rashomon's own errors into one readable line (exit 2) instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RashomonError as exc:
            raise click.ClickException(str(exc)) from exc

#: (module, attribute) of every command or group besides the core ones below.
COMMAND_MODULES: list[tuple[str, str]] = [
    ("rashomon.cli.core", "analyze"),
    ("rashomon.cli.core", "ingest"),
    ("rashomon.cli.core", "stories"),
    ("rashomon.cli.core", "show"),
    ("rashomon.cli.core", "export"),
    ("rashomon.cli.core", "report"),
    ("rashomon.cli.evaluate", "eval_cmd"),
    ("rashomon.cli.serve", "serve"),
    ("rashomon.cli.events", "events"),
    ("rashomon.cli.spark", "spark"),
    ("rashomon.cli.spark", "import_parquet"),
]


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rashomon")
def main() -> None:
    """Rashomon: one story, many tellings.

    Reads news articles from many outlets (text, HTML, RSS/Atom, JSONL/CSV, WARC, URLs),
    groups the ones that report the same story, and shows claim by claim where they agree,
    differ and contradict, whom each quotes, and who did what to whom, citing sentences.

    Start with `rashomon analyze FILES... --db news.duckdb --json out.json --html report.html`.
    """


def _register() -> None:
    for module, attr in COMMAND_MODULES:
        cmd = getattr(importlib.import_module(module), attr)
        main.add_command(cmd)


_register()
