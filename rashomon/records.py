"""Typed records passed between stages.

Every stage (ingest, annotate, events, stories, compare, summarize) takes and returns
these frozen dataclasses, so the same stage runs in the CLI, the web app and a Spark
task. Records are plain data: no methods that reach into other stages, no global state.

Citations: every item that says something about the text carries ``article_id`` and
``sentence_index`` (or a list of :class:`Citation`), so every statement the tool shows can
point at the sentence it came from.

``to_dict`` turns any record (recursively) into JSON-ready builtins; the analysis
document (:mod:`rashomon.document`) and the store are built from it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

#: Roles a paragraph / sentence can play. Only ``body`` (and ``headline`` for
#: clustering) can carry claims; captions and boilerplate never do.
Role = Literal["headline", "body", "caption", "dateline", "boilerplate"]
CLAIM_ROLES: frozenset[str] = frozenset({"body"})


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of article text with its role, as ingest found it."""

    text: str
    role: Role = "body"


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as read by ingest.

    ``id`` is a hash of the normalized text (see :func:`rashomon.ingest.ids.article_id`),
    so the same text read twice has the same id and re-running is idempotent.
    ``text`` is the body: paragraphs joined by blank lines, dateline removed.
    """

    id: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD, never guessed
    url: str | None = None
    source: str = ""  # the path or URL it was read from ("-" for stdin)
    author: str | None = None
    language: str | None = None
    dateline: str | None = None  # the dateline place, e.g. "WASHINGTON"
    format: str = "text"  # text | html | feed | jsonl | csv | warc | url
    duplicate_of: str | None = None  # exact or near-duplicate (wire copy) of another article
    duplicate_kind: str | None = None  # "exact" | "near"
    similarity: float | None = None  # Jaccard estimate to duplicate_of
    external_id: str | None = None  # the input's own id (JSONL/CSV ``id`` field), if any


@dataclass(frozen=True, slots=True)
class IngestFailure:
    """An input that could not be read. Stored, never silently dropped."""

    source: str
    reason: str
    stage: str = "ingest"


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int  # 0-based position within the article's sentences
    text: str
    role: Role
    start: int  # character offsets into Article.text
    end: int
    paragraph: int = 0


@dataclass(frozen=True, slots=True)
class Entity:
    text: str
    label: str  # spaCy NER label (PERSON, ORG, GPE, ...)
    sentence_index: int
    start: int  # character offsets into Article.text
    end: int


@dataclass(frozen=True, slots=True)
class Citation:
    article_id: str
    sentence_index: int


@dataclass(frozen=True, slots=True)
class Quote:
    article_id: str
    sentence_index: int
    text: str
    speaker: str | None  # resolved canonical actor name
    speaker_mention: str | None  # the words in the text that name the speaker
    cue: str | None  # "said", "told", "added", ...
    direct: bool
    anonymous: bool
    speaker_actor_id: str | None = None
    sentence_indices: tuple[int, ...] = ()  # all sentences a multi-sentence quote spans
    start: int | None = None  # character offsets of the quoted content in Article.text
    end: int | None = None


@dataclass(frozen=True, slots=True)
class DateMention:
    article_id: str
    sentence_index: int
    phrase: str
    resolved: str | None  # ISO: 2018-12-03, 2018-11, 2018-W48, 2019; None if unresolvable
    granularity: str | None  # day | week | month | year
    start: int | None = None
    end: int | None = None
    # How the phrase bounds time: "start" (since 2001), "end" (until/by April 2019),
    # "before"/"after"; None for a plain point in time.
    relation: str | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    article_id: str
    sentence_index: int
    phrase: str
    value: float
    unit: str | None  # what is counted: "troops", "service members", "dollars", "year"
    hedge: str | None  # "more than", "nearly", "at least", ...
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Place:
    article_id: str
    sentence_index: int
    name: str
    country: str | None  # ISO-3
    latitude: float | None = None
    longitude: float | None = None
    is_dateline: bool = False
    start: int | None = None  # character offsets into Article.text (None: dateline not in the text)
    end: int | None = None
    feature: str | None = None  # country | admin1 | city | continent | region (unresolved: None)


@dataclass(frozen=True, slots=True)
class ActorMention:
    article_id: str
    sentence_index: int
    text: str


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical person or organisation (within an article, or across a story)."""

    id: str
    name: str
    country: str | None  # ISO-3
    role: str | None  # government | military | rebel | media | civilian | igo | ...
    kind: str = "person"  # person | organization | country
    code: str | None = None  # CAMEO-style actor code, e.g. USAGOV
    mentions: tuple[ActorMention, ...] = ()
    affiliation: str | None = None  # e.g. Faisal -> "Pakistan Foreign Ministry"


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    """An article with everything annotate found in it."""

    article: Article
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    dates: tuple[DateMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    places: tuple[Place, ...] = ()
    actors: tuple[Actor, ...] = ()
    n_tokens: int = 0
    #: Events coded in the annotate pass (``rashomon_events``): one citation each, not yet
    #: deduplicated, ``story_id=None``; ``rashomon.events.code_events`` assigns stories and merges.
    raw_events: tuple[Event, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryMember:
    article_id: str
    why: str  # human-readable reason for membership
    score: float = 1.0
    copy_of: str | None = None  # wire copy / near-duplicate of another member


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    article_ids: tuple[str, ...]
    why: str
    members: tuple[StoryMember, ...] = ()
    first_published: str | None = None
    last_published: str | None = None
    method: str = "rashomon.stories.v1"


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    story_id: str
    kind: str  # agreed | single_source | conflict | reworded_quote | different_attribution
    statement: str
    citations: tuple[Citation, ...]
    outlets: tuple[str, ...] = ()
    values: tuple[dict[str, Any], ...] = ()  # for conflicts: one value per side, each citing
    diff: tuple[dict[str, Any], ...] = ()  # word-level diff for reworded quotes
    why: str = ""


@dataclass(frozen=True, slots=True)
class CitedText:
    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    date: str
    text: str
    citations: tuple[Citation, ...]
    granularity: str | None = None


@dataclass(frozen=True, slots=True)
class EventActor:
    name: str | None
    country: str | None
    role: str | None
    code: str | None


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    story_id: str | None
    source_actor: EventActor
    target_actor: EventActor
    action: str
    cameo_code: str
    cameo_root: str
    goldstein: float | None
    plover_type: str | None
    plover_mode: str | None
    date: str | None
    date_source: str  # "text" | "publication" (labelled fallback) | "none"
    place: str | None
    citations: tuple[Citation, ...]
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    confidence: float = 1.0
    merge_reason: str | None = None
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything one run produced; the analysis JSON document is a view of it."""

    articles: tuple[AnnotatedArticle, ...]
    stories: tuple[Story, ...] = ()
    failures: tuple[IngestFailure, ...] = ()
    facts: tuple[Fact, ...] = ()
    framing: tuple[dict[str, Any], ...] = ()
    summary: tuple[dict[str, Any], ...] = ()  # per story: {story_id, sentences: [CitedText]}
    timeline: tuple[dict[str, Any], ...] = ()  # per story: {story_id, entries: [TimelineEntry]}
    events: tuple[Event, ...] = ()
    #: Exact copies (same content id) read from other sources: kept, never dropped.
    copies: tuple[Article, ...] = ()


def to_dict(obj: Any) -> Any:
    """Recursively convert records to JSON-ready builtins (tuples become lists)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


__all__ = [
    "CLAIM_ROLES",
    "Actor",
    "ActorMention",
    "Analysis",
    "AnnotatedArticle",
    "Article",
    "Citation",
    "CitedText",
    "DateMention",
    "Entity",
    "Event",
    "EventActor",
    "Fact",
    "IngestFailure",
    "Paragraph",
    "Place",
    "Quantity",
    "Quote",
    "Role",
    "Sentence",
    "Story",
    "StoryMember",
    "TimelineEntry",
    "to_dict",
]
