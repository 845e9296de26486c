"""Turn the user's inputs into things to read.

An input is one of:

* ``-``: standard input;
* an ``http://``/``https://`` URL (only with ``allow_urls``; otherwise a failure saying
  how to allow it);
* a file path;
* a folder: every file below it, recursively, in sorted order, skipping hidden files
  and hidden folders (names starting with ``.``);
* a glob pattern (``news/*.html``, ``**/*.jsonl``), expanded in sorted order (hidden
  names skipped unless the pattern names them).

Each file is read once per batch even when several inputs name it (compared by its
real path). A path that does not exist, a pattern that matches nothing and a folder
with no files are failures naming the input.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..records import IngestFailure

_GLOB_CHARS = frozenset("*?[")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True, slots=True)
class FileInput:
    path: Path
    name: str  # as the user would recognise it (input joined with the relative path)


@dataclass(frozen=True, slots=True)
class StdinInput:
    name: str = "-"


@dataclass(frozen=True, slots=True)
class UrlInput:
    url: str


Input = FileInput | StdinInput | UrlInput


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: str) -> Iterator[str]:
    """Non-hidden files below ``folder``, sorted by their path relative to it."""
    found: list[tuple[tuple[str, ...], str]] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not _hidden(d)]
        rel = os.path.relpath(root, folder)
        parts = () if rel == "." else tuple(rel.split(os.sep))
        found.extend(((*parts, f), os.path.join(root, f)) for f in files if not _hidden(f))
    for _key, path in sorted(found):
        yield path


def resolve_inputs(inputs: Iterable[str], *, allow_urls: bool = False) -> Iterator[Input | IngestFailure]:
    """Inputs to read, in order, and a failure for each input that names nothing."""
    seen: set[str] = set()

    def once(path: str) -> Iterator[FileInput]:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            yield FileInput(path=Path(path), name=path)

    for raw in inputs:
        item = str(raw)
        lowered = item.lower()
        if item == "-":
            yield StdinInput()
        elif lowered.startswith(("http://", "https://")):
            if allow_urls:
                yield UrlInput(item)
            else:
                yield IngestFailure(item, "URL inputs are disabled; pass allow_urls=True "
                                          "(CLI: --allow-urls) to fetch it")
        elif _SCHEME.match(item) and not os.path.exists(item):
            yield IngestFailure(item, f"unsupported URL scheme '{item.split('://', 1)[0]}' "
                                      "(only http and https)")
        elif os.path.isdir(item):
            found = False
            for path in _walk(item):
                found = True
                yield from once(path)
            if not found:
                yield IngestFailure(item, "folder has no files (hidden files are skipped)")
        elif os.path.lexists(item):
            yield from once(item)
        elif _GLOB_CHARS & set(item):
            matches = sorted(glob.glob(item, recursive=True))
            found = False
            for match in matches:
                if os.path.isdir(match):
                    for path in _walk(match):
                        found = True
                        yield from once(path)
                elif not _hidden(os.path.basename(match)) or _hidden(os.path.basename(item)):
                    found = True
                    yield from once(match)
            if not found:
                yield IngestFailure(item, "no files match this pattern")
        else:
            parent = os.path.dirname(item)
            what = "no such file or folder" if not parent or os.path.isdir(parent) else \
                f"no such file or folder (folder '{parent}' does not exist)"
            yield IngestFailure(item, what)


__all__ = ["FileInput", "Input", "StdinInput", "UrlInput", "resolve_inputs"]
