"""``rashomon_paragraphs``: sentence boundaries the statistical parser gets wrong in news.

Runs before the parser, which keeps preset boundaries:

* the first token after a line break starts a sentence: ingest joins paragraphs with
  blank lines, news paragraphs are often one sentence, and the parser sometimes glues a
  caption or a headline to the next paragraph;
* a token after a country abbreviation ("U.S. President Donald Trump …") or a personal
  title ("Gen. Jones") does not start one, unless it is a word that typically opens a
  sentence ("… in the U.S. The president said …").
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from . import spacy_ext  # noqa: F401  (registers the Doc extensions)

_COUNTRY_ABBREV = frozenset({"U.S.", "U.K.", "U.N.", "E.U.", "U.A.E.", "D.C."})
_TITLES = frozenset({"Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Lt.", "Col.", "Sgt.", "Capt.", "Sen.", "Rep.",
                     "Gov.", "Adm.", "Maj.", "Cpl.", "Pres.", "Prof.", "Rev.", "St.", "Gens."})
#: Words that open sentences: after "U.S." they mean a new sentence really starts.
_OPENERS = frozenset({
    "the", "a", "an", "it", "he", "she", "they", "we", "i", "you", "in", "on", "at", "but", "and", "this",
    "that", "these", "those", "there", "its", "his", "her", "their", "our", "as", "for", "if", "when",
    "while", "after", "before", "so", "yet", "however", "meanwhile", "also", "still", "then", "later",
    "earlier", "last", "next", "some", "many", "most", "no", "one", "officials",
})


@Language.component("rashomon_paragraphs", assigns=["token.is_sent_start"])
def paragraph_boundaries(doc: Doc) -> Doc:
    for i in range(1, len(doc)):
        prev, tok = doc[i - 1], doc[i]
        if tok.is_space:
            continue
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
        elif prev.text in _TITLES or (prev.text in _COUNTRY_ABBREV and tok.is_alpha
                                      and tok.lower_ not in _OPENERS):
            tok.is_sent_start = False
    return doc
