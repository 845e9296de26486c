"""Rich progress bars for the pipeline's :class:`~rashomon.pipeline.Progress` protocol."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

_LABELS = {"ingest": "Reading inputs", "annotate": "Annotating (spaCy)", "stories": "Clustering stories",
           "compare": "Comparing stories", "events": "Coding events", "store": "Saving"}


class RichProgress:
    def __init__(self, console: Console) -> None:
        self._bar = Progress(SpinnerColumn(), TextColumn("{task.description:<22}"), BarColumn(),
                             MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                             transient=False, disable=not console.is_terminal)
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> RichProgress:
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)  # type: ignore[arg-type]

    def start(self, stage: str, total: int | None) -> None:
        self._tasks[stage] = self._bar.add_task(_LABELS.get(stage, stage), total=total)

    def advance(self, stage: str, n: int = 1) -> None:
        if stage in self._tasks:
            self._bar.advance(self._tasks[stage], n)

    def done(self, stage: str) -> None:
        task = self._tasks.get(stage)
        if task is not None:
            t = self._bar.tasks[task]
            self._bar.update(task, total=t.completed or 1, completed=t.completed or 1)
