"""The pipeline runner: inputs in, :class:`~rashomon.records.Analysis` out.

Stages run in order, each a plain function over records; the runner names the stage in
any error it did not expect (spaCy's E005 habit), so a failure deep inside spaCy or DuckDB
arrives as "stage 'annotate' failed on reuters.txt: …"::

    ingest ─▶ annotate ─▶ stories ─▶ per story: compare + summarize, events ─▶ store

The CLI, the web app and the Spark job all call these functions; none re-implements them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .errors import RashomonError
from .records import Analysis, AnnotatedArticle, Article, Story

if TYPE_CHECKING:
    from spacy.language import Language

    from .store import Store


class Progress(Protocol):
    """What the runner tells a front end (the CLI draws rich progress bars with it)."""

    def start(self, stage: str, total: int | None) -> None: ...
    def advance(self, stage: str, n: int = 1) -> None: ...
    def done(self, stage: str) -> None: ...


class _NoProgress:
    def start(self, stage: str, total: int | None) -> None:
        pass

    def advance(self, stage: str, n: int = 1) -> None:
        pass

    def done(self, stage: str) -> None:
        pass


class StageError(RashomonError):
    def __init__(self, stage: str, exc: BaseException) -> None:
        super().__init__(f"stage {stage!r} failed: {type(exc).__name__}: {exc}")
        self.stage = stage


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    try:
        yield
    except RashomonError:
        raise
    except Exception as exc:
        raise StageError(name, exc) from exc


@dataclass(frozen=True)
class Options:
    """Options every front end shares (the CLI writes them once)."""

    allow_urls: bool = False
    allow_private: bool = False
    fetch_links: bool = False
    field_map: dict[str, str] = field(default_factory=dict)
    max_bytes: int = 50_000_000
    window_days: float = 3.0
    embeddings: bool = False  # stories also compare sentence embeddings of each lead ([embeddings] extra)
    batch_size: int = 32
    compare: bool = True
    events: bool = True


def analyze(
    inputs: Iterable[str],
    *,
    options: Options | None = None,
    store: Store | None = None,
    nlp: Language | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """Read ``inputs`` (paths, folders, globs, ``-``, URLs), analyse them, return everything.

    With ``store``, the result is also upserted into it (re-running is idempotent).
    """
    from .ingest import ingest

    opts = options or Options()
    prog = progress or _NoProgress()
    prog.start("ingest", None)
    with stage("ingest"):
        result = ingest(
            list(inputs), allow_urls=opts.allow_urls, allow_private=opts.allow_private,
            field_map=opts.field_map or None, fetch_links=opts.fetch_links, max_bytes=opts.max_bytes,
            on_item=lambda _item: prog.advance("ingest"),
        )
    prog.done("ingest")
    unique, copies = split_exact_copies(result.articles)
    analysis = analyze_articles(unique, options=opts, nlp=nlp, progress=prog)
    analysis = Analysis(**{**_fields(analysis), "failures": tuple(result.failures), "copies": tuple(copies)})
    if store is not None:
        with stage("store"):
            store.save_analysis(analysis)
    return analysis


def split_exact_copies(articles: Iterable[Article]) -> tuple[list[Article], list[Article]]:
    """First reading of each content id, and the exact copies read from elsewhere.

    Ingest links an exact copy to its original (same id); analysing it twice would count
    one text as two tellings, so copies are kept aside (stored as extra sources).
    """
    unique: dict[str, Article] = {}
    copies: list[Article] = []
    for art in articles:
        if art.id in unique:
            copies.append(art)
        else:
            unique[art.id] = art
    return list(unique.values()), copies


def analyze_articles(
    articles: Sequence[Article],
    *,
    options: Options | None = None,
    nlp: Language | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """Everything after ingest, on articles already read (web uploads, Spark partitions)."""
    opts = options or Options()
    prog = progress or _NoProgress()
    annotated = annotate_articles(articles, nlp=nlp, batch_size=opts.batch_size, progress=prog)
    stories = cluster_stories(annotated, window_days=opts.window_days, embeddings=opts.embeddings,
                              progress=prog)
    return analyze_stories(annotated, stories, options=opts, progress=prog)


def annotate_articles(
    articles: Sequence[Article], *, nlp: Language | None = None, batch_size: int = 32,
    progress: Progress | None = None,
) -> list[AnnotatedArticle]:
    from .annotate import annotate_iter

    prog = progress or _NoProgress()
    prog.start("annotate", len(articles))
    with stage("annotate"):
        out = list(annotate_iter(articles, nlp, batch_size=batch_size,
                                 on_done=lambda _a: prog.advance("annotate")))
    prog.done("annotate")
    return out


def cluster_stories(
    annotated: Sequence[AnnotatedArticle], *, window_days: float = 3.0,
    existing: Sequence[Story] = (), embeddings: bool = False, progress: Progress | None = None,
) -> list[Story]:
    from .stories import EMBEDDING_PRESET, cluster

    prog = progress or _NoProgress()
    prog.start("stories", None)
    with stage("stories"):
        stories = cluster(annotated, window_days=window_days, existing=existing,
                          **(EMBEDDING_PRESET if embeddings else {}))
    prog.done("stories")
    return list(stories)


#: Story-level stages, in order: (name, function(story, articles, claims by article id or
#: None) -> partial Analysis fields).
StoryStage = Callable[[Story, Sequence[AnnotatedArticle], Any], dict[str, list[Any]]]


def _story_stages(opts: Options) -> list[tuple[str, StoryStage]]:
    stages: list[tuple[str, StoryStage]] = []
    if opts.compare:
        stages.append(("compare", _compare_stage))
    return stages


def _compare_stage(story: Story, arts: Sequence[AnnotatedArticle], claims_of: Any = None) -> dict[str, list[Any]]:
    from .compare import compare_story
    from .summarize import summarize_story

    comparison = compare_story(story, arts, claims_of=claims_of)
    summary, timeline, only = summarize_story(story, arts, comparison.facts)
    return {
        "facts": list(comparison.facts),
        "framing": [{"story_id": story.id, **comparison.framing}],
        "summary": [{"story_id": story.id, "sentences": summary, "only": only}],
        "timeline": [{"story_id": story.id, "entries": timeline}],
    }


def analyze_stories(
    annotated: Sequence[AnnotatedArticle], stories: Sequence[Story], *,
    options: Options | None = None, progress: Progress | None = None,
    claims_of: Any = None,
) -> Analysis:
    """The per-story stages and events. ``claims_of`` (article id -> that article's
    claims, :func:`rashomon.compare.extract_claims`) saves the comparison its parse when the
    caller extracted the claims already."""
    opts = options or Options()
    prog = progress or _NoProgress()
    by_id = {a.article.id: a for a in annotated}
    acc: dict[str, list[Any]] = {"facts": [], "framing": [], "summary": [], "timeline": []}
    stages = _story_stages(opts)
    if stages:
        prog.start("compare", len(stories))
        for story in stories:
            arts = [by_id[i] for i in story.article_ids if i in by_id]
            for name, fn in stages:
                with stage(name):
                    for key, items in fn(story, arts, claims_of).items():
                        acc[key].extend(items)
            prog.advance("compare")
        prog.done("compare")
    events: list[Any] = []
    if opts.events:
        from .events import code_events

        prog.start("events", None)
        with stage("events"):
            events = list(code_events(annotated, stories))
        prog.done("events")
    return Analysis(
        articles=tuple(annotated), stories=tuple(stories), facts=tuple(acc["facts"]),
        framing=tuple(acc["framing"]), summary=tuple(acc["summary"]),
        timeline=tuple(acc["timeline"]), events=tuple(events),
    )


def _fields(analysis: Analysis) -> dict[str, Any]:
    return {k: getattr(analysis, k) for k in Analysis.__dataclass_fields__}


def write_outputs(analysis: Analysis, *, json_path: str | Path | None = None,
                  html_path: str | Path | None = None) -> None:
    """Write the analysis document and/or the self-contained HTML report."""
    from .document import build_document, dumps

    doc = build_document(analysis)
    if json_path:
        Path(json_path).write_text(dumps(doc), encoding="utf-8")
    if html_path:
        from .report import render_report

        Path(html_path).write_text(render_report(doc), encoding="utf-8")
