"""Events stage: who did what to whom (CAMEO / PLOVER), deduplicated, every source cited.

::

    code_events(annotated_articles, stories) -> list[Event]     # the pipeline stage
    code_doc(doc) / code_sentence(text, date) -> list[RawEvent]  # lower level (evaluation)
    dedup_events(events) -> list[Event]
    rashomon.events.export: GDELT-like events + mentions tables, PLOVER JSON, parquet, csv

The coder (:mod:`.coder`) reads the spaCy dependency parse with Rashomon's own verb
lexicon (:mod:`.verbs`) and the shared actor knowledge (:mod:`rashomon.annotate.actor_kb`);
codebooks (:mod:`.codebook`) are package data from the Open Event Data Alliance.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..records import AnnotatedArticle, Citation, Event, Story
from .codebook import Codebook, load_codebook
from .coder import DateHint, PlaceHint, RawEvent, code_doc, code_sentence
from .dedup import CodedEvent, dedup_events

if TYPE_CHECKING:
    from spacy.language import Language

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

#: spaCy pipes the coder needs (the rest of Rashomon's annotators are skipped on re-parse).
_NEEDED_PIPES = frozenset({"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner",
                           "rashomon_paragraphs", "senter"})


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


def _hints(art: AnnotatedArticle) -> tuple[list[DateHint] | None, list[PlaceHint] | None]:
    """Date and place hints from annotate's records (None = not annotated: use fallback)."""
    dates = [DateHint(d.start, d.end, d.resolved) for d in art.dates if d.start is not None and d.end is not None]
    places = [PlaceHint(p.start, p.end, p.name, p.is_dateline) for p in art.places
              if p.start is not None and p.end is not None]
    return (dates if art.dates else None), (places if art.places else None)


def code_events(articles: Sequence[AnnotatedArticle], stories: Sequence[Story] = (),
                nlp: Language | None = None, *, dedup: bool = True) -> list[Event]:
    """Code every article's body sentences and merge the same happening across articles.

    Articles are re-parsed (the annotate stage does not keep Docs); dates and places come
    from each article's DateMentions / Places when annotate produced them. Events of
    articles in a story carry its ``story_id`` and are deduplicated within the story.
    """
    from ..annotate import load_nlp, make_doc

    if not articles:
        return []
    nlp = nlp or load_nlp()
    story_of: dict[str, str] = {}
    for st in stories:
        for aid in st.article_ids:
            story_of.setdefault(aid, st.id)
    cb = load_codebook()
    disable = [p for p in nlp.pipe_names if p not in _NEEDED_PIPES]
    docs = nlp.pipe((make_doc(nlp, a.article) for a in articles), disable=disable, batch_size=32)
    coded: list[CodedEvent] = []
    for art, doc in zip(articles, docs, strict=True):
        dates, places = _hints(art)
        for raw in code_doc(doc, dates=dates, places=places, codebook=cb):
            ev = raw_to_event(raw, art.article.id, story_of.get(art.article.id), cb)
            coded.append(CodedEvent(ev, art.article.outlet))
    if not dedup:
        return [c.event for c in coded]
    return dedup_events(coded, codebook=cb)
