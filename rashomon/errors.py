"""Rashomon's exception tree.

::

    RashomonError
    ├── ConfigError        a bad option or config key
    ├── IngestError        an input could not be read (carries the input's name)
    ├── AnnotationError    spaCy or an annotator failed on an article
    ├── StoreError         the DuckDB store could not be read or written
    └── EvalError          benchmark data is missing or malformed

A failed article becomes an :class:`~rashomon.records.IngestFailure` record in the
store, never an empty article.
"""

from __future__ import annotations


class RashomonError(Exception):
    """Base class of every error Rashomon raises on purpose."""


class ConfigError(RashomonError):
    pass


class IngestError(RashomonError):
    """An input could not be read. ``source`` names the input, ``reason`` says why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class AnnotationError(RashomonError):
    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"annotate failed on {source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(RashomonError):
    pass


class EvalError(RashomonError):
    pass
