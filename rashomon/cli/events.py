"""``rashomon events``: event data out of a store (or an analysis JSON document)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..store import DEFAULT_DB


@click.group("events")
def events() -> None:
    """Who did what to whom: CAMEO / PLOVER events, deduplicated and cited."""


@events.command("export")
@click.option("--format", "fmt", type=click.Choice(["gdelt", "plover", "parquet", "csv"]),
              default="gdelt", show_default=True,
              help="gdelt: events + mentions TSV; plover: PLOVER JSON; parquet/csv: both tables.")
@click.option("--db", default=DEFAULT_DB, show_default=True, metavar="FILE",
              help="DuckDB store written by `rashomon analyze --db`.")
@click.option("--json", "json_path", default=None, type=click.Path(dir_okay=False, exists=True),
              help="Read an analysis JSON document (`rashomon analyze --json`) instead of the store.")
@click.option("--out", "out", required=True, type=click.Path(),
              help="Output file or folder (a folder gets events.* and mentions.*).")
def export(fmt: str, db: str, json_path: str | None, out: str) -> None:
    """Export events as a GDELT-2.0-like table + mentions table, PLOVER JSON, parquet or csv."""
    from ..events.export import write_export

    if json_path:
        events, articles = _from_document(Path(json_path))
    else:
        from ..store import Store

        if not Path(db).exists():
            raise click.ClickException(f"no store at {db}; create one with `rashomon analyze FILES --db {db}`")
        with Store(db, read_only=True) as store:
            analysis = store.load_analysis()
        events = list(analysis.events)
        articles = {a.article.id: a.article for a in analysis.articles}
    written = write_export(events, out, fmt, articles)
    for p in written:
        click.echo(f"wrote {p}")
    click.echo(f"{len(events)} events")


def _from_document(path: Path):  # type: ignore[no-untyped-def]
    """Events and articles from an analysis JSON document."""
    from ..records import Article, Event
    from ..serialize import from_dict

    doc = json.loads(path.read_text(encoding="utf-8"))
    events = [from_dict(Event, e) for e in doc.get("events") or []]
    articles = {}
    for a in doc.get("articles") or []:
        art = a.get("article", a)
        fields = {k: art.get(k) for k in ("id", "outlet", "url", "published", "title")}
        if fields["id"]:
            articles[fields["id"]] = Article(id=fields["id"], text="", paragraphs=(), outlet=fields["outlet"],
                                             url=fields["url"], published=fields["published"],
                                             title=fields["title"])
    return events, articles
