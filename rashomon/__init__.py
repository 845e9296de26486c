"""Rashomon: one story, many tellings.

Reads news articles from many outlets, groups those that report the same story, and shows
claim by claim where they agree, differ and contradict, whom each quotes, and who did
what to whom, every statement citing the sentences it came from.

Importing ``rashomon`` is cheap: spaCy, DuckDB and the web stack load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .pipeline import analyze
    from .records import Analysis, AnnotatedArticle, Article, Story

__all__ = ["Analysis", "AnnotatedArticle", "Article", "Story", "__version__", "analyze"]


def __getattr__(name: str) -> Any:
    if name == "analyze":
        from .pipeline import analyze

        return analyze
    if name in {"Analysis", "AnnotatedArticle", "Article", "Story"}:
        from . import records

        return getattr(records, name)
    raise AttributeError(name)
