"""Date hints for the coder when no annotated DateMentions are available.

Used by :func:`rashomon.events.code_sentence` / ``code_doc`` on bare Docs (evaluation,
benchmarks): the Doc's DATE/TIME entities are resolved against the publication date with
the annotate stage's own resolver (:func:`rashomon.annotate.dates.resolve`, tense-aware).
Articles that went through ``annotate`` bring their DateMentions, which take precedence.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span

from ..annotate import dates as annotate_dates


@dataclass(frozen=True, slots=True)
class SimpleDate:
    phrase: str
    resolved: str | None
    granularity: str | None
    start: int
    end: int
    root: int  # token index of the phrase's syntactic head


def resolve_phrase(phrase: str, published: str | None, tense: str | None = None) -> tuple[str | None, str | None]:
    """(ISO value, granularity) of a date phrase relative to ``published``."""
    hit = annotate_dates.resolve(phrase, published, tense)
    return (hit[0], hit[1]) if hit else (None, None)


def sentence_dates(sent: Span, published: str | None) -> list[SimpleDate]:
    out: list[SimpleDate] = []
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        value, gran = resolve_phrase(ent.text, published, annotate_dates.tense_of(ent))
        if ent.label_ == "TIME" and value is None:
            continue
        out.append(SimpleDate(ent.text, value, gran, ent.start_char, ent.end_char, ent.root.i))
    return out
