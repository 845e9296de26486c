"""Coreference metrics: MUC, B³, CEAF-e and their CoNLL mean.

Clusterings are given as ``{mention_id: cluster_id}`` dicts (a key and a response). The
two may hold different mentions (predicted-mention evaluation): a key mention the
response misses counts as found nowhere, a response mention absent from the key counts as
wrong. This follows the reference scorer's definitions (Pradhan et al. 2014, "Scoring
Coreference Partitions of Predicted Mentions"), singletons included:

- MUC (Vilain et al. 1995): links. Recall = Σ_K (|K| − |p(K)|) / Σ_K (|K| − 1), where
  p(K) partitions K by the response clusters (a mention missing from the response is a
  part of its own). Precision swaps key and response. Singletons add nothing to MUC.
- B³ (Bagga & Baldwin 1998): per mention, |K_m ∩ R_m| / |K_m| (recall, over key mentions)
  and / |R_m| (precision, over response mentions).
- CEAF-e (Luo 2005): one-to-one alignment of key and response clusters maximising
  Σ φ4 = 2|K ∩ R| / (|K| + |R|); recall divides by the number of key clusters, precision
  by the number of response clusters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np

Clustering = Mapping[Any, Any]  # mention id -> cluster id (both hashable)

__all__ = ["b_cubed", "ceafe", "clusters_of", "conll", "f1", "muc"]


def clusters_of(assign: Clustering) -> list[frozenset[Hashable]]:
    """Group a ``{mention: cluster}`` mapping into a list of mention sets (stable order)."""
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for mention, cluster in assign.items():
        groups[cluster].add(mention)
    return [frozenset(g) for g in groups.values()]


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _muc_recall(key: list[frozenset[Hashable]], response: Clustering) -> float:
    num = den = 0
    for k in key:
        if len(k) < 2:
            continue
        parts = {response.get(m, ("__missing__", m)) for m in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num / den if den else 0.0


def muc(key: Clustering, response: Clustering) -> tuple[float, float, float]:
    """(precision, recall, F1) of the MUC link metric."""
    r = _muc_recall(clusters_of(key), response)
    p = _muc_recall(clusters_of(response), key)
    return p, r, f1(p, r)


def _b3_side(a: Clustering, b: Clustering) -> float:
    """Mean over ``a``'s mentions of |A_m ∩ B_m| / |A_m|."""
    if not a:
        return 0.0
    a_cl = {c: set(g) for c, g in _by_cluster(a).items()}
    b_cl = {c: set(g) for c, g in _by_cluster(b).items()}
    total = 0.0
    for m, c in a.items():
        mine = a_cl[c]
        other = b_cl[b[m]] if m in b else set()
        total += len(mine & other) / len(mine)
    return total / len(a)


def _by_cluster(assign: Clustering) -> dict[Hashable, set[Hashable]]:
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for m, c in assign.items():
        groups[c].add(m)
    return groups


def b_cubed(key: Clustering, response: Clustering) -> tuple[float, float, float]:
    r = _b3_side(key, response)
    p = _b3_side(response, key)
    return p, r, f1(p, r)


def ceafe(key: Clustering, response: Clustering) -> tuple[float, float, float]:
    from scipy.optimize import linear_sum_assignment

    k_cl = clusters_of(key)
    r_cl = clusters_of(response)
    if not k_cl or not r_cl:
        return 0.0, 0.0, 0.0
    # Only overlapping pairs score; build the φ4 matrix sparsely through mention lookups.
    k_index = {m: i for i, k in enumerate(k_cl) for m in k}
    sim = np.zeros((len(k_cl), len(r_cl)))
    for j, rc in enumerate(r_cl):
        overlap: dict[int, int] = defaultdict(int)
        for m in rc:
            if m in k_index:
                overlap[k_index[m]] += 1
        for i, n in overlap.items():
            sim[i, j] = 2 * n / (len(k_cl[i]) + len(rc))
    rows, cols = linear_sum_assignment(sim, maximize=True)
    total = float(sim[rows, cols].sum())
    r = total / len(k_cl)
    p = total / len(r_cl)
    return p, r, f1(p, r)


def conll(key: Clustering, response: Clustering) -> dict[str, float]:
    """All three metrics (P/R/F1 each) and the CoNLL F1 (mean of the three F1s)."""
    out: dict[str, float] = {}
    for name, fn in (("muc", muc), ("b3", b_cubed), ("ceafe", ceafe)):
        p, r, f = fn(key, response)
        out[f"{name}_precision"] = p
        out[f"{name}_recall"] = r
        out[f"{name}_f1"] = f
    out["conll_f1"] = (out["muc_f1"] + out["b3_f1"] + out["ceafe_f1"]) / 3
    return out
