"""spaCy component ``rashomon_events``: code each article's events in the annotate pass.

Registered last in :data:`rashomon.annotate.components.COMPONENT_MODULES`, after the
actors, quotes, dates and places components, so the coder reads the Doc the annotate
stage already parsed (no second parse) and takes its date and place hints from
``doc.spans["rashomon_dates"]`` / ``doc.spans["rashomon_places"]`` (tense-aware resolved
dates; datelines kept apart). Without those components it falls back to the Doc's own
DATE/GPE entities, as :func:`~rashomon.events.coder.code_doc` does on bare Docs.

Results: ``doc._.raw_events`` (the coder's :class:`~rashomon.events.coder.RawEvent`
tuple); :func:`extract` turns them into single-citation :class:`~rashomon.records.Event`
records with ``story_id=None`` for ``AnnotatedArticle.raw_events``. Assigning stories and
merging the same happening across articles is :func:`rashomon.events.code_events`' job.
"""

# No ``from __future__ import annotations``: spaCy validates factory signatures at runtime.
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .codebook import load_codebook
from .coder import DateHint, PlaceHint, RawEvent, code_doc
from .verbs import load_lexicon

__all__ = ["EventsComponent", "extract"]

_DATES_KEY = "rashomon_dates"  # rashomon.annotate.dates.SPAN_KEY
_PLACES_KEY = "rashomon_places"  # rashomon.annotate.places.SPAN_KEY


def _register() -> None:
    from ..annotate.spacy_ext import register_extensions

    register_extensions()
    if not Doc.has_extension("raw_events"):
        Doc.set_extension("raw_events", default=())


_register()


def _date_hints(doc: Doc) -> list[DateHint] | None:
    """Resolved date mentions of the dates component; ``None`` = none found (fallback)."""
    spans = doc.spans.get(_DATES_KEY) if _DATES_KEY in doc.spans else None
    if not spans:
        return None
    return [DateHint(s.start_char, s.end_char, s._.date_resolved) for s in spans]


def _place_hints(doc: Doc) -> list[PlaceHint] | None:
    spans = doc.spans.get(_PLACES_KEY) if _PLACES_KEY in doc.spans else None
    if not spans:
        return None
    return [PlaceHint(s.start_char, s.end_char, s.text, bool(s._.place_is_dateline)) for s in spans]


class EventsComponent:
    """Codes every body sentence of a Doc (captions and boilerplate are skipped)."""

    def __init__(self) -> None:
        # loaded once per pipeline (and cached per process), not per Doc
        self.lexicon = load_lexicon()
        self.codebook = load_codebook()

    def __call__(self, doc: Doc) -> Doc:
        doc._.raw_events = tuple(code_doc(doc, dates=_date_hints(doc), places=_place_hints(doc),
                                          lexicon=self.lexicon, codebook=self.codebook))
        return doc


@Language.factory("rashomon_events", assigns=["doc._.raw_events"],
                  requires=["token.dep", "token.lemma", "doc.ents", "doc.sents"])
def make_events(nlp, name):  # type: ignore[no-untyped-def]
    # Unannotated on purpose: confection cannot resolve postponed (string) annotations.
    return EventsComponent()


def extract(doc: Doc) -> dict[str, Any]:
    """``{"raw_events": (Event, …)}``: un-deduplicated, single-citation, no story yet."""
    from . import raw_to_event

    raws: tuple[RawEvent, ...] = doc._.raw_events or ()
    article_id = doc._.article_id or ""
    cb = load_codebook()
    return {"raw_events": tuple(raw_to_event(r, article_id, None, cb) for r in raws)}
