"""Registry of Rashomon's spaCy components.

Each entry maps a spaCy factory name to the module that registers it (with
``@Language.factory``) and that defines ``extract(doc) -> dict``: the fields of
:class:`~rashomon.records.AnnotatedArticle` the component fills (``quotes``, ``dates``,
``quantities``, ``places``, ``actors``). Importing the module registers the factory, so a
plain spaCy user can write ``import rashomon.annotate.quotes; nlp.add_pipe("rashomon_quotes")``.

Order matters: later components read earlier ones' extensions (quotes use actors; events
use actors, dates and places).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: factory name -> (module, where in the pipeline: "before_parser" | "last")
COMPONENT_MODULES: dict[str, tuple[str, str]] = {
    "rashomon_paragraphs": ("rashomon.annotate.paragraphs", "before_parser"),
    "rashomon_dates": ("rashomon.annotate.dates", "last"),
    "rashomon_quantities": ("rashomon.annotate.quantities", "last"),
    "rashomon_places": ("rashomon.annotate.places", "last"),
    "rashomon_actors": ("rashomon.annotate.actors", "last"),
    "rashomon_quotes": ("rashomon.annotate.quotes", "last"),
    "rashomon_events": ("rashomon.events.component", "last"),
}

#: Components ``load_nlp`` adds by default, in order.
DEFAULT_COMPONENTS: tuple[str, ...] = tuple(COMPONENT_MODULES)

Extractor = Callable[["Doc"], dict[str, Any]]


def add_components(nlp: Language, names: Iterable[str]) -> None:
    for name in names:
        if name not in COMPONENT_MODULES:
            raise KeyError(f"unknown Rashomon component {name!r}; known: {sorted(COMPONENT_MODULES)}")
        module, where = COMPONENT_MODULES[name]
        importlib.import_module(module)
        if name in nlp.pipe_names:
            continue
        if where == "before_parser" and "parser" in nlp.pipe_names:
            nlp.add_pipe(name, before="parser")
        else:
            nlp.add_pipe(name, last=True)


def extractors(nlp: Language) -> list[Extractor]:
    """The ``extract`` functions of the Rashomon components present in ``nlp``."""
    out: list[Extractor] = []
    for name in nlp.pipe_names:
        if name in COMPONENT_MODULES:
            mod = importlib.import_module(COMPONENT_MODULES[name][0])
            fn = getattr(mod, "extract", None)
            if fn is not None:
                out.append(fn)
    return out
