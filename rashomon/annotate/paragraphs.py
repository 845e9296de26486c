"""``rashomon_paragraphs``: a sentence never crosses a paragraph break.

Runs before the parser and marks the first token after a line break as a sentence start
(the parser keeps preset boundaries). Ingest joins paragraphs with blank lines; news
paragraphs are often a single sentence and the statistical parser sometimes glues a
caption or a headline to the next paragraph.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from . import spacy_ext  # noqa: F401  (registers the Doc extensions)


@Language.component("rashomon_paragraphs", assigns=["token.is_sent_start"])
def paragraph_boundaries(doc: Doc) -> Doc:
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if doc[i].is_space:
            continue
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            doc[i].is_sent_start = True
    return doc
