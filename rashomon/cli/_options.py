"""Options shared by several commands, written once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..store import DEFAULT_DB

F = Callable[..., Any]


def db_option(f: F) -> F:
    return click.option("--db", default=DEFAULT_DB, show_default=True, metavar="FILE",
                        help="DuckDB store file (created if missing).")(f)


def ingest_options(f: F) -> F:
    for opt in reversed([
        click.option("--allow-urls", is_flag=True,
                     help="Fetch http(s) inputs (off by default: no network unless asked)."),
        click.option("--allow-private", is_flag=True,
                     help="With --allow-urls, also fetch private/loopback addresses."),
        click.option("--fetch-links", is_flag=True,
                     help="For RSS/Atom entries, fetch the linked page (needs --allow-urls)."),
        click.option("--field", "field_map", multiple=True, metavar="OURS=THEIRS",
                     help="Map a JSONL/CSV column to a field, e.g. --field text=body."),
        click.option("--max-mb", default=50.0, show_default=True,
                     help="Refuse inputs larger than this many megabytes."),
    ]):
        f = opt(f)
    return f


def parse_field_map(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r} is not OURS=THEIRS", param_hint="--field")
        ours, theirs = pair.split("=", 1)
        out[ours.strip()] = theirs.strip()
    return out
