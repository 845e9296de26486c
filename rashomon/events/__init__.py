"""Events stage: who did what to whom (CAMEO / PLOVER), deduplicated, every source cited.

::

    spaCy component "rashomon_events" (.component): codes each article in the annotate pass
        -> AnnotatedArticle.raw_events (single-citation Events, no story yet)
    code_events(annotated_articles, stories) -> list[Event]     # stories + dedup, no parse
    code_doc(doc) / code_sentence(text, date) -> list[RawEvent]  # lower level (evaluation)
    dedup_events(events) -> list[Event]
    rashomon.events.export: GDELT-like events + mentions tables, PLOVER JSON, parquet, csv

The coder (:mod:`.coder`) reads the spaCy dependency parse with Rashomon's own verb
lexicon (:mod:`.verbs`) and the shared actor knowledge (:mod:`rashomon.annotate.actor_kb`);
codebooks (:mod:`.codebook`) are package data from the Open Event Data Alliance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..records import AnnotatedArticle, Citation, Event, Story
from .codebook import Codebook, load_codebook
from .coder import RawEvent, code_doc, code_sentence
from .dedup import CodedEvent, dedup_events

__all__ = [
    "Codebook",
    "CodedEvent",
    "RawEvent",
    "code_doc",
    "code_events",
    "code_sentence",
    "dedup_events",
    "load_codebook",
    "raw_to_event",
]


def raw_to_event(raw: RawEvent, article_id: str, story_id: str | None,
                 codebook: Codebook | None = None) -> Event:
    """A single-sentence :class:`Event` (before deduplication) from a coder result."""
    from .dedup import event_id

    cb = codebook or load_codebook()
    ptype, pmode = cb.plover(raw.cameo_code)
    cite = Citation(article_id=article_id, sentence_index=raw.sentence_index)
    return Event(
        id=event_id(story_id, raw.source, raw.target, raw.cameo_code[:2], raw.date, cite),
        story_id=story_id, source_actor=raw.source, target_actor=raw.target, action=raw.action,
        cameo_code=raw.cameo_code, cameo_root=raw.cameo_code[:2], goldstein=cb.goldstein(raw.cameo_code),
        plover_type=ptype, plover_mode=pmode, date=raw.date, date_source=raw.date_source,
        place=raw.place, citations=(cite,), negated=raw.negated, hypothetical=raw.hypothetical,
        future=raw.future, confidence=0.6, merge_reason=None, evidence=raw.evidence,
    )


def code_events(articles: Sequence[AnnotatedArticle], stories: Sequence[Story] = (), *,
                dedup: bool = True) -> list[Event]:
    """Assign each article's raw events to its story and merge the same happening.

    The coding itself happened in the annotate pass (the ``rashomon_events`` spaCy
    component, :mod:`.component`): each :class:`AnnotatedArticle` brings its
    un-deduplicated ``raw_events``, so nothing is parsed again here. Events of articles in
    a story carry its ``story_id`` (ids are recomputed with it) and are deduplicated
    within the story; articles annotated without the component contribute no events.
    """
    from .dedup import event_id

    story_of: dict[str, str] = {}
    for st in stories:
        for aid in st.article_ids:
            story_of.setdefault(aid, st.id)
    coded: list[CodedEvent] = []
    for art in articles:
        sid = story_of.get(art.article.id)
        for ev in art.raw_events:
            if ev.story_id != sid:
                ev = replace(ev, story_id=sid, id=event_id(sid, ev.source_actor, ev.target_actor,
                                                           ev.cameo_root, ev.date, ev.citations[0]))
            coded.append(CodedEvent(ev, art.article.outlet))
    if not dedup:
        return [c.event for c in coded]
    return dedup_events(coded, codebook=load_codebook())
