"""spaCy extensions shared by Rashomon's pipeline components.

Rashomon hands spaCy one ``Doc`` per article: the paragraphs joined by blank lines, with
``doc._.published`` (ISO date or None), ``doc._.article_id`` and ``doc._.paragraph_roles``
set before the pipeline runs, so every component can resolve relative dates, cite the
article and skip captions and boilerplate. Plain spaCy users can leave them unset: the
components then treat every sentence as body text and leave dates unresolved.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span

_SENT_STARTS_KEY = "rashomon_sent_starts"


def register_extensions() -> None:
    """Idempotently register the ``Doc`` extensions (safe in every Spark worker)."""
    for name, default in (
        ("published", None),
        ("article_id", None),
        ("paragraph_roles", None),  # list of (start_char, end_char, role)
        ("dateline", None),
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets of the sentence starts, computed once per Doc."""
    starts = doc.user_data.get(_SENT_STARTS_KEY)
    if starts is None or len(starts) == 0:
        starts = [s.start_char for s in doc.sents]
        doc.user_data[_SENT_STARTS_KEY] = starts
    return starts


def sentence_index(doc: Doc, char_offset: int) -> int:
    """0-based index of the sentence holding ``char_offset`` (Rashomon's ``sentence_index``)."""
    return max(0, bisect_right(sentence_starts(doc), char_offset) - 1)


def span_sentence_index(span: Span) -> int:
    return sentence_index(span.doc, span.start_char)


def role_at(doc: Doc, char_offset: int) -> str:
    """The role (headline/body/caption/dateline/boilerplate) of the paragraph at an offset."""
    roles = doc._.paragraph_roles
    if not roles:
        return "body"
    for start, end, role in roles:
        if start <= char_offset < end:
            return str(role)
    return "body"


def is_claim_sentence(sent: Span) -> bool:
    """Only body sentences carry claims, quotes and events; captions never do."""
    return role_at(sent.doc, sent.start_char) == "body"
