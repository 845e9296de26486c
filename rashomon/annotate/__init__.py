"""Annotate stage: articles in, :class:`~rashomon.records.AnnotatedArticle` out.

One spaCy ``Doc`` per article (its text exactly, so character offsets line up with
``Article.text``), batched through ``nlp.pipe`` with the model loaded once per process.
Each Rashomon component's ``extract(doc)`` turns its Doc extensions into records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import AnnotationError
from ..records import AnnotatedArticle, Article, Entity, Sentence
from .model import load_nlp

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["annotate", "annotate_iter", "doc_to_record", "load_nlp", "make_doc", "paragraph_spans"]


def paragraph_spans(article: Article) -> list[tuple[int, int, str]]:
    """(start, end, role) of each paragraph inside ``article.text``."""
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for para in article.paragraphs:
        start = article.text.find(para.text, pos)
        if start < 0:  # should not happen: ingest builds text from paragraphs
            continue
        end = start + len(para.text)
        spans.append((start, end, para.role))
        pos = end
    return spans


def make_doc(nlp: Language, article: Article) -> Doc:
    doc = nlp.make_doc(article.text)
    doc._.published = article.published
    doc._.article_id = article.id
    doc._.paragraph_roles = paragraph_spans(article)
    doc._.dateline = article.dateline
    return doc


def doc_to_record(
    doc: Doc, article: Article, extract_fns: Sequence[Callable[[Doc], dict[str, Any]]] = ()
) -> AnnotatedArticle:
    from .spacy_ext import role_at, sentence_index

    sentences: list[Sentence] = []
    for i, sent in enumerate(doc.sents):
        text = sent.text.strip()
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        sentences.append(
            Sentence(index=i, text=text, role=role_at(doc, start),  # type: ignore[arg-type]
                     start=start, end=start + len(text), paragraph=_paragraph_of(doc, start))
        )
    # Whitespace-only "sentences" (trailing blank lines) carry nothing; keep indices dense.
    if any(not s.text for s in sentences):
        raise AnnotationError(article.source, "empty sentence produced")  # pragma: no cover
    entities = tuple(
        Entity(text=e.text, label=e.label_, sentence_index=sentence_index(doc, e.start_char),
               start=e.start_char, end=e.end_char)
        for e in doc.ents
    )
    fields: dict[str, Any] = {}
    for fn in extract_fns:
        fields.update(fn(doc))
    return AnnotatedArticle(article=article, sentences=tuple(sentences), entities=entities,
                            n_tokens=len(doc), **fields)


def _paragraph_of(doc: Doc, offset: int) -> int:
    for i, (start, end, _role) in enumerate(doc._.paragraph_roles or ()):
        if start <= offset < end:
            return i
    return 0


def annotate_iter(
    articles: Iterable[Article],
    nlp: Language | None = None,
    *,
    batch_size: int = 32,
    on_done: Callable[[AnnotatedArticle], None] | None = None,
) -> Iterator[AnnotatedArticle]:
    """Annotate lazily (constant memory: the Spark path and big batches use this)."""
    from .components import extractors

    nlp = nlp or load_nlp()
    fns = extractors(nlp)
    pending: list[Article] = []

    def docs() -> Iterator[Doc]:
        for art in articles:
            pending.append(art)
            yield make_doc(nlp, art)

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        art = pending.pop(0)
        try:
            rec = doc_to_record(doc, art, fns)
        except AnnotationError:
            raise
        except Exception as exc:  # label deep failures with the article they came from
            raise AnnotationError(art.source or art.id, f"{type(exc).__name__}: {exc}") from exc
        if on_done:
            on_done(rec)
        yield rec


def annotate(articles: Iterable[Article], nlp: Language | None = None, **kw: Any) -> list[AnnotatedArticle]:
    return list(annotate_iter(articles, nlp, **kw))
