"""Core commands: analyze, ingest, stories, show, export, report."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from ..pipeline import Options
from ._options import db_option, ingest_options, parse_field_map
from ._progress import RichProgress

# Exit codes (documented in --help and README): 0 all inputs read; 1 some inputs failed
# (the rest analysed); 3 nothing could be read.
EXIT_PARTIAL = 1
EXIT_NOTHING = 3


def _existing_store(db: str):  # type: ignore[no-untyped-def]
    """Open a store that must already exist, read-only (show, export, report)."""
    from ..store import Store

    if not Path(db).exists():
        raise click.ClickException(f"no store at {db}; create one with `rashomon analyze FILES --db {db}`")
    return Store(db, read_only=True)


def _console() -> Console:
    return Console(stderr=False, highlight=False)


def _options(allow_urls: bool, allow_private: bool, fetch_links: bool, field_map: tuple[str, ...],
             max_mb: float, **kw: object) -> Options:
    # --field OURS=THEIRS on the command line; ingest wants {their column: our field}.
    mapping = {theirs: ours for ours, theirs in parse_field_map(field_map).items()}
    return Options(allow_urls=allow_urls, allow_private=allow_private, fetch_links=fetch_links,
                   field_map=mapping, max_bytes=int(max_mb * 1_000_000), **kw)  # type: ignore[arg-type]


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the analysis document (JSON).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Write a self-contained HTML report.")
@click.option("--window-days", default=3.0, show_default=True, help="Story time window.")
@click.option("--no-store", is_flag=True, help="Do not write the DuckDB store.")
@click.option("--embeddings", is_flag=True,
              help="Stories also compare sentence embeddings of each lead (needs the [embeddings] extra).")
@ingest_options
def analyze(inputs: tuple[str, ...], db: str, json_path: str | None, html_path: str | None,
            window_days: float, no_store: bool, embeddings: bool, **ingest_kw: object) -> None:
    """Read INPUTS, find stories, compare their tellings; store and report the result.

    INPUTS are files (.txt .html .xml/.rss/.atom .jsonl .csv .warc .warc.gz), folders,
    globs, `-` for stdin, or http(s) URLs with --allow-urls.

    Exit code: 0 when every input was read, 1 when some failed (the rest is analysed and
    each failure named), 3 when nothing could be read.
    """
    from ..pipeline import analyze as run
    from ..pipeline import write_outputs
    from ..store import Store
    from . import summary

    console = _console()
    opts = _options(window_days=window_days, embeddings=embeddings, **ingest_kw)  # type: ignore[arg-type]
    store = None if no_store else Store(db)
    try:
        with RichProgress(console) as prog:
            analysis = run(inputs, options=opts, store=store, progress=prog)
        write_outputs(analysis, json_path=json_path, html_path=html_path)
    finally:
        if store is not None:
            store.close()
    summary.print_analysis(console, analysis, db=None if no_store else db,
                           json_path=json_path, html_path=html_path)
    _exit(len(analysis.articles), len(analysis.failures))


def _exit(ok: int, failed: int) -> None:
    if ok == 0 and failed:
        sys.exit(EXIT_NOTHING)
    if failed:
        sys.exit(EXIT_PARTIAL)


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@ingest_options
def ingest(inputs: tuple[str, ...], db: str, **ingest_kw: object) -> None:
    """Read and annotate INPUTS into the store, without clustering stories."""
    from ..ingest import ingest as read
    from ..pipeline import annotate_articles
    from ..store import Store
    from . import summary

    console = _console()
    opts = _options(**ingest_kw)  # type: ignore[arg-type]
    with RichProgress(console) as prog:
        prog.start("ingest", None)
        result = read(list(inputs), allow_urls=opts.allow_urls, allow_private=opts.allow_private,
                      field_map=opts.field_map or None, fetch_links=opts.fetch_links,
                      max_bytes=opts.max_bytes, on_item=lambda _i: prog.advance("ingest"))
        prog.done("ingest")
        annotated = annotate_articles(result.articles, progress=prog)
    with Store(db) as store:
        store.save_articles(annotated)
        store.clear_failures({a.article.source for a in annotated})
        store.save_failures(result.failures)
    summary.print_failures(console, result.failures)
    console.print(f"[bold]{len(annotated)}[/] articles stored in {db}, "
                  f"[bold]{len(result.failures)}[/] inputs failed.")
    _exit(len(annotated), len(result.failures))


@click.command()
@db_option
@click.option("--window-days", default=3.0, show_default=True, help="Story time window.")
@click.option("--embeddings", is_flag=True,
              help="Stories also compare sentence embeddings of each lead (needs the [embeddings] extra).")
def stories(db: str, window_days: float, embeddings: bool) -> None:
    """(Re)cluster every stored article into stories and compare each story."""
    from ..pipeline import analyze_stories, cluster_stories
    from ..store import Store
    from . import summary

    console = _console()
    with Store(db) as store:
        annotated = store.load_articles()
        with RichProgress(console) as prog:
            found = cluster_stories(annotated, window_days=window_days, embeddings=embeddings, progress=prog)
            analysis = analyze_stories(annotated, found, progress=prog)
        store.save_stories(analysis.stories)
        store.save_story_results(analysis)
    summary.print_stories(console, analysis)


@click.command()
@click.argument("story_id")
@db_option
def show(story_id: str, db: str) -> None:
    """Show one story: members and why, facts, summary, timeline, quotes.

    STORY_ID may be a unique prefix of the id.
    """
    from . import summary

    console = _console()
    with _existing_store(db) as store:
        story = store.find_story(story_id)
        if story is None:
            raise click.ClickException(f"no single story matches {story_id!r} in {db}")
        analysis = store.load_analysis([story.id])
    summary.print_story(console, analysis, story)


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "jsonl"]), default="parquet",
              show_default=True)
@click.option("--out", "out_dir", default="export", show_default=True, type=click.Path(file_okay=False))
@click.option("--table", "tables", multiple=True, help="Only these tables (repeatable).")
def export(db: str, fmt: str, out_dir: str, tables: tuple[str, ...]) -> None:
    """Export every store table to OUT/<table>.<format> for pandas, R or Spark."""

    console = _console()
    with _existing_store(db) as store:
        written = store.export(out_dir, fmt, tables or None)
    for path in written:
        console.print(f"wrote {path}")


@click.command()
@db_option
@click.option("--story", "story_id", default=None, help="One story (id or unique prefix); default all.")
@click.option("--html", "html_path", required=True, type=click.Path(dir_okay=False),
              help="Output file: one self-contained HTML page (inline CSS/JS, no network).")
def report(db: str, story_id: str | None, html_path: str) -> None:
    """Write a single-file HTML report of a story (or of the whole store).

    With --story, the file is the web UI's story page (`rashomon serve`), self-contained.
    """
    from ..document import build_document
    from ..report import render_report, render_story_report

    with _existing_store(db) as store:
        story = None
        if story_id:
            story = store.find_story(story_id)
            if story is None:
                raise click.ClickException(f"no single story matches {story_id!r} in {db}")
        analysis = store.load_analysis([story.id] if story else None)
    doc = build_document(analysis)
    html = render_story_report(doc, story.id) if story else render_report(doc)
    Path(html_path).write_text(html, encoding="utf-8")
    _console().print(f"wrote {html_path}")
