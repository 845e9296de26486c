"""Exact and near duplicates (wire copies) are linked, never dropped.

The first article seen is the original; a later one is marked on the record itself:

* **exact**: same :func:`~.ids.article_id` (same normalized text). The copy keeps that
  id, so ``duplicate_of`` equals its own ``id``, with ``duplicate_kind="exact"`` and
  ``similarity=1.0``; its ``source``/``url``/``outlet`` tell where the copy came from.
  A store keyed by id must keep the original row and record the copy as another
  source of it, not overwrite it.
* **near**: MinHash signatures of the body text's word 5-shingles (lower-cased words;
  headline, captions and boilerplate left out, since wire copies differ exactly there)
  are indexed in an LSH index; a candidate whose estimated Jaccard similarity reaches
  :data:`THRESHOLD` makes the later article a near duplicate (``duplicate_of`` the most
  similar original, ``duplicate_kind="near"``, ``similarity`` the estimate, 3 decimals).
  Texts under :data:`MIN_WORDS` words are too short to call copies and are only
  checked for exact duplicates.

Only originals are indexed, so ``duplicate_of`` always names an original (no chains).
Everything is deterministic: fixed MinHash seed, insertion order decides ties.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..records import Article

THRESHOLD = 0.8
NUM_PERM = 128
SHINGLE = 5
MIN_WORDS = 20
_WORD = re.compile(r"\w+")


def shingles(article: Article, size: int = SHINGLE) -> set[bytes]:
    """Word ``size``-shingles of the body paragraphs (all paragraphs if none is body)."""
    body = [p.text for p in article.paragraphs if p.role == "body"] or [article.text]
    words = _WORD.findall(" ".join(body).lower())
    if len(words) < MIN_WORDS:
        return set()
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(article: Article, num_perm: int = NUM_PERM) -> Any | None:
    """The MinHash hash values of the article's shingles (``None``: too short to compare).

    Computed by :meth:`DuplicateIndex.link` when not given; the Spark job computes them in
    parallel tasks and hands them to the (serial) block task that links the copies.
    """
    grams = shingles(article)
    if not grams:
        return None
    from datasketch import MinHash

    sig = MinHash(num_perm=num_perm)
    sig.update_batch(sorted(grams))
    return sig.hashvalues


#: ``signature`` argument meaning "compute it here".
_COMPUTE: Any = object()


class DuplicateIndex:
    """Links each article to an earlier original it duplicates. One per batch or run."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._seen: set[str] = set()
        self._signatures: dict[str, object] = {}
        self._order: dict[str, int] = {}
        self._template: Any = None

    def link(self, article: Article, hashvalues: Any = _COMPUTE) -> Article:
        """``article``, marked as a duplicate when it is one; otherwise it is indexed.

        ``hashvalues``: the article's :func:`signature` when already computed.
        """
        article = dataclasses.replace(article, duplicate_of=None, duplicate_kind=None, similarity=None)
        if article.id in self._seen:
            return dataclasses.replace(article, duplicate_of=article.id, duplicate_kind="exact",
                                       similarity=1.0)
        self._seen.add(article.id)
        if hashvalues is _COMPUTE:
            hashvalues = signature(article, self.num_perm)
        if hashvalues is None:
            return article
        from datasketch import MinHash

        if self._template is None:
            self._template = MinHash(num_perm=self.num_perm)
        # The permutations depend on the seed alone: drawn once, shared by every signature.
        # datasketch ≥ 2.0 also wants the hashing scheme named when hash values are given.
        scheme = {"scheme": self._template.scheme} if hasattr(self._template, "scheme") else {}
        sig = MinHash(num_perm=self.num_perm, hashvalues=hashvalues, permutations=self._template.permutations,
                      **scheme)
        best: tuple[float, int, str] | None = None
        for key in self._lsh.query(sig):
            sim = float(sig.jaccard(self._signatures[key]))  # type: ignore[arg-type]
            if sim >= self.threshold:
                cand = (-sim, self._order[key], key)
                best = cand if best is None or cand < best else best
        if best is not None:
            return dataclasses.replace(article, duplicate_of=best[2], duplicate_kind="near",
                                       similarity=round(-best[0], 3))
        self._lsh.insert(article.id, sig)
        self._signatures[article.id] = sig
        self._order[article.id] = len(self._order)
        return article


def link_duplicates(articles: Iterable[Article], *, threshold: float = THRESHOLD,
                    signatures: Sequence[Any] | None = None) -> tuple[Article, ...]:
    """Recompute duplicate links over ``articles`` in the given order (the first of a
    group is the original). Existing links are replaced, so the store can relink
    across runs by passing every article, oldest first. ``signatures``: each article's
    :func:`signature`, when already computed."""
    index = DuplicateIndex(threshold=threshold)
    if signatures is None:
        return tuple(index.link(a) for a in articles)
    return tuple(index.link(a, s) for a, s in zip(articles, signatures, strict=True))


__all__ = ["MIN_WORDS", "SHINGLE", "THRESHOLD", "DuplicateIndex", "link_duplicates", "shingles", "signature"]
