"""Human-readable byte sizes for failure reasons ("file is 80 MB, over the 50 MB limit")."""

from __future__ import annotations


def human_size(n: int) -> str:
    """``80000000`` gives ``80 MB``; decimal units, as file managers show them."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value >= 10 or value == int(value) else f"{value:.1f} {unit}"
    return f"{n} B"


__all__ = ["human_size"]
