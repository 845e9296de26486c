"""Rashomon's web UI and HTTP API (FastAPI; ``pip install rashomon[web]``).

``create_app(db_path, read_only=False)`` returns the ASGI app; ``rashomon serve`` runs it
with uvicorn. Importing :mod:`rashomon.web` costs nothing: FastAPI loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
