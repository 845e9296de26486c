"""The Rashomon pipeline as one Spark job: inputs → Parquet tables, partitioned by date.

Stages, each the library's own function run inside Spark tasks (no second implementation)::

    inputs ─▶ ingest (read_bytes per file / JSONL line / Parquet row)     executors
           ─▶ dedup by content id (first seen wins, as in the CLI)      shuffle
           ─▶ annotate (annotate_iter, one spaCy model per worker)      executors, mapPartitions
           ─▶ blocking (keys, corpus document frequencies, star edges,  shuffles + iterative
              connected components)                                     joins (rashomon.spark.blocking)
           ─▶ per block: stories.cluster, then the pipeline's per-story executors
              stages (compare, summarize) and events
           ─▶ rows of the store's tables ─▶ Parquet, partitioned by pub_date (dynamic overwrite;
              written by pyarrow in the executors, rashomon.spark.writer, or by Spark's writer)

A record that cannot be read or annotated becomes a row of ``ingest_errors`` (with the stage
that failed) and the job goes on; a block whose story stages fail keeps its articles and
records the failure the same way. Task failures (a lost executor) are retried by Spark.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import AnnotatedArticle, Article, IngestFailure
from .schemas import DATE_FROM, PARTITION_COLUMN, UNKNOWN_DATE, spark_schema, table_names

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

    from ..stories import ClusterConfig

#: Inputs read as Parquet tables of articles (one row per article, JSONL field names).
PARQUET_SUFFIXES = (".parquet", ".pq")
#: Smallest line range a JSONL file is cut into by default (reading is cheap next to the rest).
MIN_SPLIT_BYTES = 1_000_000
_REMOTE = ("hdfs://", "s3://", "s3a://", "gs://", "abfs://", "abfss://", "wasbs://", "file:")


@dataclass(frozen=True)
class JobOptions:
    """Options of :func:`run_job` (the CLI's ``rashomon spark run`` flags)."""

    window_days: float = 3.0  # the stories stage's window, also the blocking bucket width
    batch_size: int = 32  # nlp.pipe batch size inside a task
    partitions: int | None = None  # annotate partitions (default: 4 × default parallelism)
    max_block: int = 20_000  # components larger than this are cut into date windows
    rows_per_file: int = 250_000  # output rows per write task (all tables together) and per file
    max_key_df: int = 5_000  # keys in more articles than this make no blocking edges
    write_threads: int = 4  # tables written concurrently (Spark's writer)
    # Who writes the Parquet: "arrow" (pyarrow in the Python workers, rashomon.spark.writer;
    # needs a local or shared path), "spark" (Spark's DataFrame writer, any Hadoop file
    # system), "auto" (arrow for a local path, else spark).
    writer: str = "auto"
    driver_edges: int = 2_000_000  # up to this many edges, components are found on the driver
    driver_members: int = 2_000_000  # up to this many story memberships, broadcast (else a join)
    compare: bool = True  # per-story comparison and summary, when those stages are installed
    events: bool = True  # event coding, when the events stage is installed
    field_map: Mapping[str, str] = field(default_factory=dict)
    max_bytes: int = 50_000_000
    # A local JSONL file is read as line ranges of this many bytes, in parallel tasks (default:
    # one range per annotate partition, at least MIN_SPLIT_BYTES).
    split_bytes: int | None = None
    story_tasks: int | None = None  # story-stage tasks (default: 4 × default parallelism)


@dataclass
class JobResult:
    out: str
    rows: dict[str, int]
    articles: int
    errors: int
    stories: int
    blocks: int
    largest_block: int
    seconds: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# -- inputs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InputFile:
    source: str  # the name the CLI gives it (Article.source, IngestFailure.source)
    order: int  # position in the CLI's reading order
    parquet: bool = False
    remote: bool = False  # a URI of another file system, read by Spark (binaryFiles)


def plan_inputs(inputs: Sequence[str]) -> tuple[list[InputFile], list[IngestFailure]]:
    """The files to read, in the CLI's order, and a failure for each input naming nothing.

    Local paths, folders and globs are expanded by the ingest stage's own resolver, so every
    record keeps the name (and order) a CLI run gives it; local files must be visible to the
    executors (always so in local mode; a shared file system on a cluster). URIs of other file
    systems (``hdfs://``, ``s3a://`` …) are handed to Spark as they are.
    """
    from ..ingest.sources import FileInput, resolve_inputs

    files: list[InputFile] = []
    failures: list[IngestFailure] = []
    local: list[str] = []

    def flush() -> None:
        for item in resolve_inputs(local):
            if isinstance(item, FileInput):
                files.append(InputFile(item.name, len(files), item.name.endswith(PARQUET_SUFFIXES)))
            elif isinstance(item, IngestFailure):
                failures.append(item)
        local.clear()

    for raw in inputs:
        if raw.startswith(_REMOTE):
            flush()
            files.append(InputFile(raw, len(files), raw.rstrip("/").endswith(PARQUET_SUFFIXES), True))
        else:
            local.append(raw)
    flush()
    return files, failures


def _ingest_options(options: JobOptions) -> Any:
    from ..ingest.core import Options as IngestOptions

    return IngestOptions(field_map=dict(options.field_map) or None, max_bytes=options.max_bytes)


def _ingest_local(f: InputFile, options: JobOptions) -> Iterator[tuple[str, Any]]:
    """A local file, read exactly as the CLI reads it (duplicates are linked later)."""
    from ..ingest import iter_ingest

    items = iter_ingest([f.source], field_map=dict(options.field_map) or None,
                        max_bytes=options.max_bytes, dedup=False)
    yield from _tag(items, (f.order,))


def _ingest_piece(piece: tuple[InputFile, Any, int], options: JobOptions) -> Iterator[tuple[str, Any]]:
    """A local file, or one line range of a large JSONL file (``(file, range, piece number)``)."""
    f, lines, number = piece
    if lines is None:
        yield from _ingest_local(f, options)
        return
    from ..ingest.splits import read_jsonl_range

    items = read_jsonl_range(f.source, f.source, lines, field_map=dict(options.field_map) or None,
                             max_bytes=options.max_bytes)
    # (file, piece, position): pieces in file order give the file's reading order.
    yield from _tag(items, (f.order, number))


def _plan_pieces(files: Sequence[InputFile], options: JobOptions, n_slices: int,
                 ) -> list[tuple[InputFile, Any, int]]:
    """Local files to read, a large JSONL file cut into line ranges read by separate tasks
    (one task reading a day's crawl would be the whole job's serial start)."""
    from ..ingest.splits import jsonl_ranges

    pieces: list[tuple[InputFile, Any, int]] = []
    for f in files:
        try:
            size = os.path.getsize(f.source)
        except OSError:
            size = 0  # read whole: the reader reports it
        split = options.split_bytes or max(MIN_SPLIT_BYTES, -(-size // n_slices))
        ranges = jsonl_ranges(f.source, split, field_map=dict(options.field_map) or None)
        pieces.extend((f, r, i) for i, r in enumerate(ranges or [None]))
    return pieces


def _ingest_remote(item: tuple[str, bytes], order_of: Mapping[str, int],
                   options: JobOptions) -> Iterator[tuple[str, Any]]:
    """A file Spark read from another file system, through the CLI's stream reader."""
    from ..errors import IngestError
    from ..ingest.build import filename_meta
    from ..ingest.core import read_stream

    uri, data = item
    order = order_of.get(uri, 1 << 30)

    def items() -> Iterator[Any]:
        try:
            if not data:
                raise IngestError(uri, "empty file")
            yield from read_stream(io.BytesIO(data), source=uri, opts=_ingest_options(options),
                                   size=len(data), fallback=filename_meta(uri))
        except IngestError as exc:
            yield IngestFailure(exc.source or uri, exc.reason)
        except Exception as exc:  # a reader bug must not sink the job
            yield IngestFailure(uri, f"unexpected error while reading ({type(exc).__name__}: {exc})")

    yield from _tag(items(), (order,))


def _ingest_row(line: tuple[str, int], order: int, source: str,
                options: JobOptions) -> Iterator[tuple[str, Any]]:
    """One Parquet row (as a JSON line) through the ingest stage's JSONL reader."""
    from ..ingest import iter_bytes

    text, row_no = line
    # The reader names a row "<source>:<line>"; a Parquet row is named "<file>:<row>" instead.
    name = f"{source}:{row_no + 1}"
    items = (replace(item, source=name) for item in iter_bytes(
        text.encode("utf-8"), source, "jsonl", field_map=dict(options.field_map) or None,
        max_bytes=options.max_bytes, dedup=False))
    yield from _tag(items, (order, row_no))


def _tag(items: Iterable[Any], order: tuple[int, ...]) -> Iterator[tuple[str, Any]]:
    for i, item in enumerate(items):
        if isinstance(item, Article):
            yield "a", ((*order, i), item)
        else:
            yield "e", (None, item)


# -- annotate ----------------------------------------------------------------------------------

def annotate_partition(rows: Iterable[tuple[Any, Article]], batch_size: int) -> Iterator[tuple[str, Any]]:
    """Annotate a partition with the worker's one spaCy model; a bad article costs only itself.

    Articles go through :func:`rashomon.annotate.annotate_iter` in chunks; when a chunk
    raises, the articles it had not yet returned are annotated one by one, so the failing one
    is isolated, recorded as an ``annotate`` failure, and the rest are kept.
    """
    from ..annotate import annotate_iter, load_nlp

    nlp = load_nlp()
    chunk: list[tuple[Any, Article]] = []

    def run(chunk: list[tuple[Any, Article]]) -> Iterator[tuple[str, Any]]:
        done = 0
        try:
            for rec in annotate_iter((a for _, a in chunk), nlp, batch_size=batch_size):
                yield "ok", (chunk[done][0], rec)
                done += 1
            return
        except Exception:  # isolated below, article by article
            pass
        for order, art in chunk[done:]:
            try:
                rec = next(iter(annotate_iter([art], nlp, batch_size=1)))
            except Exception as exc:
                reason = f"article {art.id}: {type(exc).__name__}: {exc}"
                yield "err", (art.published, IngestFailure(source=art.source or art.id,
                                                           reason=reason[:2000], stage="annotate"))
            else:
                yield "ok", (order, rec)

    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch_size * 4:
            yield from run(chunk)
            chunk = []
    if chunk:
        yield from run(chunk)


# -- story stages per block --------------------------------------------------------------------

def _stage_available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def story_options(options: JobOptions) -> Any:
    """The pipeline's options, with stages that are not installed switched off."""
    from ..pipeline import Options

    compare = options.compare and _stage_available("rashomon.compare") and \
        _stage_available("rashomon.summarize")
    events = options.events and _stage_available("rashomon.events")
    if events:
        import rashomon.events as ev

        events = hasattr(ev, "code_events")
    if compare:
        import rashomon.compare as cmp

        compare = hasattr(cmp, "compare_story")
    return Options(window_days=options.window_days, batch_size=options.batch_size,
                   compare=compare, events=events)


def process_blocks(blocks: Iterable[tuple[str, Iterable[tuple[Any, AnnotatedArticle, dict[str, int], Any, Any]]]],
                   n_total: int, cfg: ClusterConfig, now: datetime) -> Iterator[tuple[str, Any]]:
    """Cluster each block with the stories stage.

    A block's members are ``(reading order, article, its corpus frequencies, its features,
    its MinHash signature)``; the article needs no annotations (see :func:`slim_article`).

    Yields ``("row", (table, row + pub_date))`` for articles (with their duplicate links),
    stories and members, ``("story", (story, n_members))`` for each story and
    ``("member", (article_id, (story_id, position, linked Article or None)))`` for each of its
    articles; the per-story stages (:func:`process_stories`) run as separate tasks on the
    stories gathered by :func:`gather_stories`: one block can be a whole day.
    """
    from ..ingest import link_duplicates
    from ..records import Analysis
    from .blocking import cluster_block
    from .rows import analysis_rows, failure_rows

    for block, members in blocks:
        ordered = sorted(members, key=lambda m: m[0])  # the CLI's reading order
        items = [m[1] for m in ordered]
        gdfs = [m[2] for m in ordered]
        feats = [m[3] for m in ordered]
        try:
            # Exact and near copies are linked in reading order, as the CLI's ingest does
            # over its whole batch; copies share their original's keys, hence its block.
            linked = link_duplicates([a.article for a in items], signatures=[m[4] for m in ordered])
            items = [a if a.article == art else replace(a, article=art)
                     for a, art in zip(items, linked, strict=True)]
            stories = cluster_block(items, gdfs, n_total, cfg, feats)
            failures: list[IngestFailure] = []
        except Exception as exc:  # keep the articles, record why their stories are missing
            stories = []
            failures = [IngestFailure(source=f"block {block}", stage="stories",
                                      reason=f"{type(exc).__name__}: {exc}"[:2000])]
        analysis = Analysis(articles=tuple(items), stories=tuple(stories))
        # Only what the block decides: the articles table (its duplicate links) and the
        # stories. The per-article tables are written from the annotate stage's partitions
        # (annotation_partition_rows), in parallel, not by this one task per block.
        for row in _with_dates(analysis_rows(analysis, frozenset({"article_records", "stories"})), analysis):
            yield "row", row
        for table, row in failure_rows(failures, now):
            yield "row", (table, (*row, UNKNOWN_DATE))
        # Stories leave the block task as records and member ids; their articles reach the
        # story tasks straight from the annotate stage (gather_stories), so this one task
        # does not re-send every article. Only an article whose duplicate link the block
        # changed travels with its membership.
        originals = {m[1].article.id: m[1] for m in ordered}
        by_id = {a.article.id: a for a in items}
        for story in stories:
            member_ids = [i for i in story.article_ids if i in by_id]
            yield "story", (story, len(member_ids))
            for pos, aid in enumerate(member_ids):
                changed = by_id[aid].article if by_id[aid] is not originals.get(aid) else None
                yield "member", (aid, (story.id, pos, changed))


def slim_article(item: AnnotatedArticle) -> AnnotatedArticle:
    """What the block task needs of an annotated article once its features are computed:
    the article (duplicate links, the ``articles`` table) and its token count."""
    return AnnotatedArticle(article=item.article, sentences=(), n_tokens=item.n_tokens)


def story_cost(members: int, claims: Sequence[int] | None = None) -> int:
    """Estimated cost of a story's stages, from its articles' claim counts when they are known.

    Claim alignment compares the claims of every two members, so the cost grows with the
    story's cross-article claim pairs (``Σ_{i<j} c_i c_j``). Measured on the 10,000-article
    benchmark (402 stories of 1–364 members, each timed in its story task, local[2]): time ≈
    1.9 µs per claim pair + 5.9 ms per member (R² 0.87); the claim total alone explains it
    poorly (R² 0.66, as do members and members², 0.68), and an earlier fit on 2,000 articles,
    whose stories are smaller, missed the pair term. Without claim counts (comparison off):
    ``members² + 20 × members``, the members fit.
    """
    if claims is not None:
        total = sum(claims)
        pairs = (total * total - sum(c * c for c in claims)) // 2
        return pairs + 3_000 * members
    return members * members + 20 * members


def balance_stories(costs: Iterable[tuple[str, int]], n_parts: int) -> dict[str, int]:
    """``story id -> partition`` from ``(story id, estimated cost)``: costliest stories first,
    each to the least-loaded partition.

    Partitions are numbered by descending load. Spark hands tasks to free cores in partition
    order, so the heaviest tasks start first and the small ones fill the gaps at the end
    (longest-processing-time-first scheduling), instead of two big stories sharing one task
    while another core idles.
    """
    import heapq

    loads = [(0, i) for i in range(max(1, n_parts))]
    assigned: dict[int, list[str]] = {}
    total = [0] * len(loads)
    for sid, cost in sorted(costs, key=lambda s: (-s[1], s[0])):
        load, i = heapq.heappop(loads)
        assigned.setdefault(i, []).append(sid)
        total[i] = load + cost
        heapq.heappush(loads, (total[i], i))
    order = sorted(range(len(total)), key=lambda i: (-total[i], i))
    return {sid: rank for rank, i in enumerate(order) for sid in assigned.get(i, ())}


def claims_partition(items: Iterable[tuple[Any, AnnotatedArticle]], compare: bool,
                     ) -> Iterator[tuple[str, tuple[tuple[Any, AnnotatedArticle], Any]]]:
    """``(article id, ((order, article), its claims or None))`` for a partition.

    A claim depends on its own article only, so the claims are extracted here, in tasks
    balanced by the annotate stage, and the story tasks (one per story, the largest one the
    slowest) only align and label them. ``None`` (compare off, or extraction failed) leaves
    the story task to extract them, and to record a failure the way it always did.
    """
    items = list(items)
    claims: dict[str, Any] = {}
    if compare and items:
        from ..compare import extract_claims

        try:
            for c in extract_claims([a for _, a in items]):
                claims.setdefault(c.article_id, []).append(c)
            done = {a.article.id for _, a in items}
        except Exception:  # isolate the failing article; the others keep their claims
            claims, done = {}, set()
            for _, a in items:
                try:
                    claims[a.article.id] = extract_claims([a])
                    done.add(a.article.id)
                except Exception:
                    continue
        for aid in done:
            claims.setdefault(aid, [])  # an article without a body sentence has no claims
    for oa in items:
        aid = oa[1].article.id
        yield aid, (oa, claims.get(aid))


def gather_stories(rows: Iterable[tuple[str, tuple[str, Any]]],
                   ) -> Iterator[tuple[Any, list[AnnotatedArticle], dict[str, Any]]]:
    """``(story, its articles in the story's order, claims by article id)`` from a partition
    holding, per story id, ``("s", story)`` and ``("a", (position, annotated article, linked
    Article or None, claims or None))``."""
    stories: dict[str, Any] = {}
    members: dict[str, list[tuple[int, AnnotatedArticle]]] = {}
    claims: dict[str, dict[str, Any]] = {}
    for sid, (kind, value) in rows:
        if kind == "s":
            stories[sid] = value
        else:
            pos, item, linked, found = value
            members.setdefault(sid, []).append((pos, item if linked is None else replace(item, article=linked)))
            if found is not None:
                claims.setdefault(sid, {})[item.article.id] = found
    for sid, story in stories.items():
        yield story, [a for _, a in sorted(members.get(sid, []), key=lambda pa: pa[0])], claims.get(sid, {})


def process_stories(stories: Iterable[tuple[Any, ...]], pipeline_options: Any,
                    now: datetime) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """The pipeline's per-story stages (compare, summarize, events) on each story:
    ``(story, articles)`` or ``(story, articles, claims by article id)``."""
    from ..pipeline import analyze_stories
    from .rows import analysis_rows, failure_rows

    for story, items, *rest in stories:
        try:
            analysis = analyze_stories(items, [story], options=pipeline_options,
                                       claims_of=rest[0] if rest else None)
        except Exception as exc:  # the story and its articles are written; its results are not
            for table, row in failure_rows([IngestFailure(
                    source=f"story {story.id}", stage="compare",
                    reason=f"{type(exc).__name__}: {exc}"[:2000])], now):
                yield table, (*row, _date_of(story.first_published))
            continue
        yield from _with_dates(analysis_rows(analysis, frozenset({"results"})), analysis)


def _with_dates(rows: Iterable[tuple[str, tuple[Any, ...]]], analysis: Any) -> Iterator[tuple[str, tuple[Any, ...]]]:
    art_date = {a.article.id: _date_of(a.article.published) for a in analysis.articles}
    story_date = {s.id: _date_of(s.first_published) for s in analysis.stories}
    pos = _positions()
    for table, row in rows:
        how = DATE_FROM.get(table) or ("article" if "article_id" in pos[table] else "story")
        p = pos[table]
        if how == "article":
            key = row[p["id"]] if table == "articles" else row[p["article_id"]]
            d = art_date.get(key, UNKNOWN_DATE)
        else:
            key = row[p["id"]] if table == "stories" else row[p["story_id"]]
            d = story_date.get(key, UNKNOWN_DATE) if key is not None else _event_date(table, row, p, art_date)
        yield table, (*row, d)


@cache
def _positions() -> dict[str, dict[str, int]]:
    from ..store.schema import TABLES
    from .rows import table_columns

    return {name: {c: i for i, (c, _) in enumerate(table_columns(name))} for name in TABLES}


def annotation_partition_rows(items: Iterable[tuple[Any, AnnotatedArticle]]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Rows of the per-article tables and ``article_sources`` for a partition of annotated
    articles, each dated by its article (they need no clustering, so no block task)."""
    from ..records import Analysis
    from .rows import analysis_rows

    analysis = Analysis(articles=tuple(a for _, a in items), stories=())
    yield from _with_dates(analysis_rows(analysis, frozenset({"annotations"})), analysis)


def _event_date(table: str, row: tuple[Any, ...], p: Mapping[str, int], art_date: Mapping[str, str]) -> str:
    # An event outside any story: date it by the first article citing it.
    if "article_id" in p:
        return art_date.get(row[p["article_id"]], UNKNOWN_DATE)
    if "citations" in p and row[p["citations"]]:
        cites = json.loads(row[p["citations"]])
        if cites:
            return art_date.get(cites[0]["article_id"], UNKNOWN_DATE)
    return UNKNOWN_DATE


def _row_json(row: Any) -> str:
    data = {k: v for k, v in row.asDict(recursive=True).items() if v is not None}
    return json.dumps(data, ensure_ascii=False, default=str)


def _is_table(name: str, table_row: tuple[str, Any]) -> bool:
    return table_row[0] == name


def _split_copies(kv: tuple[str, Iterable[tuple[Any, Article]]]) -> Iterator[tuple[str, Any]]:
    first, *rest = sorted(kv[1], key=lambda oa: oa[0])
    yield "u", first
    for _, art in rest:
        yield "c", art


def _df_entries(key: str, aids: list[str]) -> Iterator[tuple[str, tuple[str, int]]]:
    if len(aids) > 1:
        for aid in aids:
            yield aid, (key, len(aids))


def _date_of(published: str | None) -> str:
    from .blocking import day_number

    return published[:10] if published and day_number(published) is not None else UNKNOWN_DATE


# -- the job -----------------------------------------------------------------------------------

#: The FAIR scheduler pool of the background job (claims, per-article rows).
BACKGROUND_POOL = "rashomon-background"


#: Tables whose rows come from the annotate stage alone (per article, and every reading's
#: source): written while the stories are being made. ``articles`` carries the duplicate
#: links a block computes, so it is not one of them.
ARTICLE_TABLES = frozenset(t for t, how in DATE_FROM.items() if how == "article" and t != "articles")


def _files_for(n_rows: int, n_partitions: int, rows_per_file: int) -> int:
    """Write tasks for ``n_rows`` rows: one per ~``rows_per_file``, at most one per partition."""
    return max(1, min(n_partitions, -(-n_rows // rows_per_file)))


def _write_table(frame: Any, out_dir: str, table: str) -> None:
    frame.write.mode("overwrite").partitionBy(PARTITION_COLUMN).parquet(f"{out_dir}/{table}")


def _in_pool(sc: Any, pool: str, action: Any) -> Any:
    """Run ``action`` (Spark jobs) from this thread in scheduler pool ``pool``, in a job group
    of the same name (so that ``sc.cancelJobGroup(pool)`` stops them)."""
    sc.setLocalProperty("spark.scheduler.pool", pool)
    sc.setJobGroup(pool, "rashomon background work", interruptOnCancel=True)
    try:
        return action()
    finally:
        # SparkContext.clearJobGroup (Scala) is not in pyspark: the same three properties.
        for key in ("spark.scheduler.pool", "spark.jobGroup.id", "spark.job.description",
                    "spark.job.interruptOnCancel"):
            sc.setLocalProperty(key, None)


def read_inputs(spark: SparkSession, inputs: Sequence[str], options: JobOptions | None = None,
                ) -> tuple[RDD[tuple[Any, Article]], RDD[tuple[str | None, IngestFailure]]]:
    """Ingest ``inputs`` in the executors.

    Returns ``(articles, failures)``: articles as ``(reading order, Article)`` (copies kept,
    as the CLI keeps them; they are linked per block), failures as ``(date, failure)``.
    """
    return _split_ingested(_read_ingested(spark, inputs, options))


def _read_ingested(spark: SparkSession, inputs: Sequence[str], options: JobOptions | None,
                   ) -> RDD[tuple[str, Any]]:
    """Every input's records, tagged ``("a", (order, Article))`` or ``("e", (date, failure))``."""
    opts = options or JobOptions()
    sc = spark.sparkContext
    n_slices = opts.partitions or max(2, 4 * sc.defaultParallelism)
    files, missing = plan_inputs(inputs)
    parts: list[RDD[tuple[str, Any]]] = []
    local = [f for f in files if not f.parquet and not f.remote]
    remote = [f for f in files if not f.parquet and f.remote]
    if local:
        pieces = _plan_pieces(local, opts, n_slices)
        parts.append(sc.parallelize(pieces, min(len(pieces), n_slices))
                     .flatMap(lambda piece: _ingest_piece(piece, opts)))
    if remote:
        order_of = {f.source: f.order for f in remote}
        blobs = sc.binaryFiles(",".join(f.source for f in remote), minPartitions=min(len(remote), n_slices))
        parts.append(blobs.flatMap(lambda item: _ingest_remote(item, order_of, opts)))
    for f in files:
        if f.parquet:
            path = f.source if f.remote else Path(f.source).resolve().as_uri()
            frame = spark.read.parquet(path)
            # Rows as JSON lines for the ingest stage's JSONL reader (not DataFrame.toJSON,
            # whose return type pyspark is changing).
            lines = frame.rdd.map(_row_json).zipWithIndex()
            parts.append(lines.flatMap(partial(_ingest_row, order=f.order, source=f.source, options=opts)))
    if missing:
        parts.append(sc.parallelize([("e", (None, m)) for m in missing], 1))
    if not parts:
        from ..errors import IngestError

        raise IngestError(", ".join(inputs), "no input files found")
    return sc.union(parts) if len(parts) > 1 else parts[0]


def _split_ingested(ingested: RDD[tuple[str, Any]],
                    ) -> tuple[RDD[tuple[Any, Article]], RDD[tuple[str | None, IngestFailure]]]:
    return (ingested.filter(lambda kv: kv[0] == "a").map(lambda kv: kv[1]),
            ingested.filter(lambda kv: kv[0] == "e").map(lambda kv: kv[1]))


def run_job(spark: SparkSession, inputs: Sequence[str], out: str | os.PathLike[str],
            options: JobOptions | None = None) -> JobResult:
    """Run the pipeline over ``inputs`` and write every store table under ``out/<table>/``."""
    from pyspark import StorageLevel

    # The failures are written at the end of the job; without the cache, finding them would
    # read and parse every input a second time (10k articles: 8 tasks, ~18 task-seconds).
    ingested = _read_ingested(spark, inputs, options).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        return run_articles(spark, *_split_ingested(ingested), out, options)
    finally:
        ingested.unpersist()


def run_articles(spark: SparkSession, articles: RDD[tuple[Any, Article]],
                 ingest_failures: RDD[tuple[str | None, IngestFailure]],
                 out: str | os.PathLike[str], options: JobOptions | None = None) -> JobResult:
    """Everything after ingest: annotate, block, cluster, story stages, write Parquet."""
    from pyspark import StorageLevel

    from ..ingest.dedup import signature
    from ..stories import make_config
    from .blocking import (
        connected_components,
        features,
        index_keys,
        split_block,
        star_edges,
        time_buckets,
        union_find,
    )
    from .rows import failure_rows, source_rows
    from .writer import commit, discard, is_local, local_path, staging_dir, write_rows

    opts = options or JobOptions()
    sc = spark.sparkContext
    out_dir = str(out)
    if opts.writer not in ("auto", "arrow", "spark"):
        raise ValueError(f"unknown writer {opts.writer!r} (auto, arrow or spark)")
    if opts.writer == "arrow" and not is_local(out_dir):
        raise ValueError(f"the arrow writer needs a local or shared path, not {out_dir}")
    # pyarrow in the Python workers writes the same files for a fifth of the CPU time of
    # Spark's writer (rashomon.spark.writer); Spark's writer reaches every Hadoop file system.
    arrow = opts.writer == "arrow" or (opts.writer == "auto" and is_local(out_dir))

    def write_arrow(rows: RDD[tuple[str, tuple[Any, ...]]]) -> dict[str, int]:
        """Write ``(table, row + date)`` rows from their own tasks, then commit (one job)."""
        root = os.path.abspath(local_path(out_dir))  # the driver's: executors may run elsewhere
        staging = staging_dir(root)
        per_file = opts.rows_per_file
        try:
            written = rows.mapPartitions(lambda part: write_rows(part, staging, per_file)).collect()
        except BaseException:
            discard(staging)  # a failed job leaves no half-written files behind
            raise
        return commit(root, staging, written)

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    n_slices = opts.partitions or max(2, 4 * sc.defaultParallelism)

    # 2. exact copies aside (as the pipeline's split_exact_copies: the first reading of a
    # content id is analysed, later ones are recorded as extra sources), then annotate.
    # Grouping by id also spreads the articles evenly over the annotate tasks.
    split = articles.map(lambda oa: (oa[1].id, oa)).groupByKey(numPartitions=n_slices) \
        .flatMap(_split_copies).persist(StorageLevel.MEMORY_AND_DISK)
    unique = split.filter(lambda kv: kv[0] == "u").map(lambda kv: kv[1])
    copies = split.filter(lambda kv: kv[0] == "c").map(lambda kv: kv[1])
    annotated_all = unique.mapPartitions(lambda rows: annotate_partition(rows, opts.batch_size)) \
        .persist(StorageLevel.MEMORY_AND_DISK)
    annotated = annotated_all.filter(lambda kv: kv[0] == "ok").map(lambda kv: kv[1])
    annotate_failures = annotated_all.filter(lambda kv: kv[0] == "err").map(lambda kv: kv[1])
    firsts = annotated
    n_total = annotated.count()
    timings["ingest+annotate"] = time.perf_counter() - t0

    # Per-article work that needs no stories (claims: a spaCy re-parse of every body sentence;
    # building the per-article table rows) runs as background jobs while blocking and the
    # block clustering run: those are mostly one task at a time (one block can be the whole
    # corpus), so under the FAIR scheduler (spark_session sets it) this job fills the other
    # cores instead of them idling. Under FIFO it simply runs first.
    p_opts = story_options(opts)
    with_claims = annotated.mapPartitions(lambda part: claims_partition(part, p_opts.compare)) \
        .persist(StorageLevel.MEMORY_AND_DISK)
    # The per-article tables (sentences, entities, quotes, ...: most of the output rows) and
    # every reading's article_sources row need no stories either: they are written by a
    # background job too (beside the block task, below), not after the story stages.
    dates = annotated.map(lambda oa: (oa[1].article.id, _date_of(oa[1].article.published)))
    copy_rows = copies.map(lambda c: (c.id, c)).join(dates).flatMap(
        lambda kv: ((t_, (*r, kv[1][1])) for t_, r in source_rows([kv[1][0]])))
    article_rows = annotated.mapPartitions(annotation_partition_rows).union(copy_rows)
    article_tables = [t for t in table_names() if t in ARTICLE_TABLES]
    article_frames = {}
    if not arrow:  # Spark's writer: the rows are counted first (file count), then written
        article_rows = article_rows.persist(StorageLevel.MEMORY_AND_DISK)
        # Frames are built here, in this thread: pyspark's lazy imports are not thread-safe.
        article_frames = {t: spark.createDataFrame(article_rows.filter(partial(_is_table, t)).map(lambda tr: tr[1]),
                                                   spark_schema(t)) for t in article_tables}

    def count_article_rows() -> dict[str, int]:
        return dict(article_rows.map(lambda tr: tr[0]).countByValue())

    def write_article_tables() -> dict[str, int]:
        done = article_counted.result()
        n_files = _files_for(sum(done.values()), article_rows.getNumPartitions(), opts.rows_per_file)
        with ThreadPoolExecutor(max_workers=opts.write_threads) as pool:
            list(pool.map(lambda t: _in_pool(sc, BACKGROUND_POOL, lambda: _write_table(
                article_frames[t].coalesce(n_files), out_dir, t)), article_tables))
        return done

    background = ThreadPoolExecutor(max_workers=3)
    # Each article's number of claims comes back with the job: the story tasks are balanced by it.
    ahead = background.submit(_in_pool, sc, BACKGROUND_POOL, lambda: dict(
        with_claims.map(lambda kv: (kv[0], None if kv[1][1] is None else len(kv[1][1]))).collect()))
    try:
        # 3. blocking: corpus-wide document frequencies, index keys, star edges, components
        t = time.perf_counter()
        cfg = make_config(window_days=opts.window_days)
        feats = firsts.map(lambda oa: (oa[1].article.id, features(oa[1], cfg))) \
            .persist(StorageLevel.MEMORY_AND_DISK)
        # Corpus document frequency of every key an article holds (keys of one article only: 1).
        gdf = feats.flatMap(lambda kf: ((k, kf[0]) for k in kf[1].counts)) \
            .groupByKey(numPartitions=n_slices) \
            .flatMap(lambda kv: _df_entries(kv[0], list(kv[1]))) \
            .groupByKey(numPartitions=n_slices).mapValues(dict)
        feats_gdf = feats.leftOuterJoin(gdf, numPartitions=n_slices) \
            .mapValues(lambda fg: (fg[0], fg[1] or {})).persist(StorageLevel.MEMORY_AND_DISK)

        def keyed(item: tuple[str, tuple[Any, dict[str, int]]]) -> Iterator[tuple[str, tuple[str, str]]]:
            aid, (feat, g) = item
            buckets = time_buckets(feat.published, cfg.window_days)
            for key in index_keys(feat, g, n_total, cfg):
                if g.get(key, 1) > opts.max_key_df:
                    continue  # too common to say two articles share a story; would chain everything
                for b in buckets:
                    yield key, (b, aid)

        edges = feats_gdf.flatMap(keyed).groupByKey(numPartitions=n_slices) \
            .flatMap(lambda kv: star_edges(kv[1])).distinct()
        edges = edges.persist(StorageLevel.MEMORY_AND_DISK)
        n_edges = edges.count()
        pub = feats.map(lambda kf: (kf[0], kf[1].published))
        if n_edges <= opts.driver_edges:
            comp = union_find(pub.keys().collect(), edges.collect())
            sizes = Counter(comp.values())
            block_of = pub.map(lambda kp: (kp[0], split_block(
                comp[kp[0]], kp[1], sizes[comp[kp[0]]], opts.max_block, cfg.window_days)))
        else:
            nodes = spark.createDataFrame(pub.map(lambda kp: (kp[0],)), "node string")
            comps = connected_components(spark, nodes, spark.createDataFrame(edges, "src string, dst string"))
            counted = comps.join(comps.groupBy("component").count(), "component")
            pub_df = spark.createDataFrame(pub, "node string, published string")
            block_of = counted.join(pub_df, "node").rdd.map(
                lambda r: (r["node"], split_block(r["component"], r["published"], r["count"],
                                                  opts.max_block, cfg.window_days)))
        block_of = block_of.persist(StorageLevel.MEMORY_AND_DISK)
        # One job for both numbers (each action is a Spark job with its own scheduling cost).
        sizes_list = list(block_of.values().countByValue().values())
        n_blocks = len(sizes_list)
        largest = max(sizes_list, default=0)
        timings["blocking"] = time.perf_counter() - t

        # 4. per block: stories, story stages, rows
        t = time.perf_counter()
        # A block is one task: it gets each article with the features the blocking step computed,
        # so this serial task does not extract every article's keys again.
        # Its MinHash signature too (for linking near copies): hashing every shingle is per-article
        # work, done here in parallel; the block task only looks signatures up in its LSH index.
        slim = annotated.map(lambda oa: (oa[1].article.id, (oa[0], slim_article(oa[1]), signature(oa[1].article))))
        grouped = slim.join(block_of, numPartitions=n_slices) \
            .join(feats_gdf, numPartitions=n_slices) \
            .map(lambda kv: (kv[1][0][1], (kv[1][0][0][0], kv[1][0][0][1], kv[1][1][1], kv[1][1][0],
                                           kv[1][0][0][2]))) \
            .groupByKey(numPartitions=n_slices)
        clustered = grouped.mapPartitions(lambda blocks: process_blocks(blocks, n_total, cfg, now)) \
            .persist(StorageLevel.MEMORY_AND_DISK)
        stories_rdd = clustered.filter(lambda kv: kv[0] == "story").map(lambda kv: kv[1])
        member_of = clustered.filter(lambda kv: kv[0] == "member").map(lambda kv: kv[1])
        # Comparison is the costliest stage and its cost sits in the largest stories (claim
        # alignment compares members pairwise), so stories are spread by estimated cost, not by
        # hash: only (id, size) pairs reach the driver, the stories stay in the executors.
        # The per-article tables leave from here, in a background job beside the block task (one
        # task: alone, it leaves the other core idle; 10k articles, local[2]: ~64 idle
        # slot-seconds in this phase when they ran beside blocking instead). With pyarrow the
        # rows are built and written by the same Python tasks. With Spark's writer they are only
        # built (and cached) here, and written once the block task is done (below): a Spark write
        # task keeps JVM threads (unpickling, Parquet encoding) busy beside its Python worker,
        # more than the one core the block task leaves free (10k articles, local[2]: the block
        # phase took 94 s with those writes beside it, 64 s in local[1]).
        if arrow:
            article_written = background.submit(_in_pool, sc, BACKGROUND_POOL, lambda: write_arrow(article_rows))
        else:
            article_counted = background.submit(_in_pool, sc, BACKGROUND_POOL, count_article_rows)
        sizes_of = stories_rdd.map(lambda st: (st[0].id, st[1])).collect()
        timings["cluster"] = time.perf_counter() - t  # blocks clustered (the rest runs per story)
        if not arrow:  # Spark's writer: beside the story tasks, filling the cores big stories leave
            article_written = background.submit(_in_pool, sc, BACKGROUND_POOL, write_article_tables)
        # Each story's articles (with their claims) come from the background job's cache, keyed by
        # their story ids; story records and articles meet in the story's partition.
        n_claims = ahead.result()  # the claims are cached (a failure surfaces here)
        n_members = sum(n for _, n in sizes_of)
        member_map = None
        costs = [(sid, story_cost(n)) for sid, n in sizes_of]
        if n_members <= opts.driver_members:
            # Memberships are ids (a few dozen bytes each): sent to every task, they key each
            # annotated article by its story where it is, so the articles cross one shuffle
            # (to their story's task), not two (a join, then the story partitioning).
            memberships: dict[str, list[Any]] = {}
            story_claims: dict[str, list[int]] = {}
            for aid, membership in member_of.collect():
                memberships.setdefault(aid, []).append(membership)
                story_claims.setdefault(membership[0], []).append(n_claims.get(aid) or 0)
            member_map = sc.broadcast(memberships)
            if all(v is not None for v in n_claims.values()):
                costs = [(sid, story_cost(n, story_claims.get(sid, []))) for sid, n in sizes_of]
        # A few tasks per core: each Python task costs ~0.3 s beyond its stories (measured at 1k
        # articles in local[2]: 16 → 4 per core took the story stages 45.8 → 38.3 s), and
        # largest-first balancing keeps the biggest stories apart anyway.
        n_story_parts = max(1, min(len(sizes_of), opts.story_tasks or 4 * sc.defaultParallelism))
        slot = sc.broadcast(balance_stories(costs, n_story_parts))
        if member_map is not None:
            story_articles = with_claims.flatMap(lambda kv: (
                (m[0], ("a", (m[1], kv[1][0][1], m[2], kv[1][1]))) for m in member_map.value.get(kv[0], ())))
        else:
            story_articles = with_claims.join(member_of, numPartitions=n_slices).map(
                lambda kv: (kv[1][1][0], ("a", (kv[1][1][1], kv[1][0][0][1], kv[1][1][2], kv[1][0][1]))))
        results = stories_rdd.map(lambda st: (st[0].id, ("s", st[0]))).union(story_articles) \
            .partitionBy(n_story_parts, lambda sid: slot.value[sid]) \
            .mapPartitions(lambda part: process_stories(
                sorted(gather_stories(part), key=lambda st: -story_cost(len(st[1]))), p_opts, now))
        rows = clustered.filter(lambda kv: kv[0] == "row").map(lambda kv: kv[1]).union(results)
        errors = ingest_failures.union(annotate_failures).flatMap(
            lambda df: ((t_, (*r, _date_of(df[0]))) for t_, r in failure_rows([df[1]], now)))
        rows = rows.union(errors)
        rows = rows.persist(StorageLevel.MEMORY_AND_DISK)
        # Counted per partition and merged on the driver: one stage, where reduceByKey adds a
        # shuffle and a reduce task per partition (~75 near-empty Python tasks at 1k articles).
        counts = dict(rows.map(lambda tr: tr[0]).countByValue())
        # Fewer, larger output files: one write task per ~rows_per_file rows.
        n_out = _files_for(sum(counts.values()), rows.getNumPartitions(), opts.rows_per_file)
        out_rows = rows.coalesce(n_out) if n_out < rows.getNumPartitions() else rows
        timings["stories+compare+events"] = time.perf_counter() - t

        # 5. write the other tables, replacing only the partitions this run produced
        t = time.perf_counter()
        story_tables = [t_ for t_ in table_names() if t_ not in ARTICLE_TABLES]
        if arrow:
            write_arrow(out_rows)
        else:
            frames = {}
            for table in story_tables:  # built here: pyspark's lazy imports are not thread-safe
                data = out_rows.filter(partial(_is_table, table)).map(lambda tr: tr[1])
                frames[table] = spark.createDataFrame(data, spark_schema(table))
            # The tables are independent Spark jobs over the same cached rows: submitting them from
            # a few threads keeps the executors busy while the driver schedules the next one.
            with ThreadPoolExecutor(max_workers=opts.write_threads) as pool:
                list(pool.map(lambda table: _write_table(frames[table], out_dir, table), story_tables))
        counts.update(article_written.result())
    except BaseException:
        # Do not leave the background jobs running (or writing) after the job has failed.
        sc.cancelJobGroup(BACKGROUND_POOL)
        background.shutdown(wait=False, cancel_futures=True)
        raise
    background.shutdown()
    timings["write"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0

    for rdd in (rows, article_rows, with_claims, clustered, block_of, edges, feats_gdf, feats, annotated_all, split):
        rdd.unpersist()
    slot.unpersist()
    if member_map is not None:
        member_map.unpersist()
    return JobResult(
        out=out_dir, rows={name: counts.get(name, 0) for name in table_names()},
        articles=counts.get("articles", 0), errors=counts.get("ingest_errors", 0),
        stories=counts.get("stories", 0), blocks=n_blocks, largest_block=largest,
        seconds={k: round(v, 2) for k, v in timings.items()},
    )


__all__ = ["InputFile", "JobOptions", "JobResult", "annotate_partition",
           "annotation_partition_rows", "balance_stories", "claims_partition", "gather_stories", "plan_inputs",
           "process_blocks", "process_stories", "read_inputs", "run_articles", "run_job", "slim_article", "story_cost",
           "story_options"]
