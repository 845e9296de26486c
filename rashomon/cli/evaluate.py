"""``rashomon eval NAME --data PATH``: score a stage on benchmark data.

Each evaluation lives in ``rashomon/eval/NAME.py`` with ``evaluate(data, **options) -> dict``
and ``render(scores) -> Table | str``; this command only parses options and prints.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

import click
from rich.console import Console

from .. import eval as eval_pkg

_NOT_EVALS = {"ecbplus"}


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(eval_pkg.__path__)
                  if not m.name.startswith("_") and m.name not in _NOT_EVALS)


@click.command("eval")
@click.argument("name")
@click.option("--data", "data", required=True, type=click.Path(exists=True),
              help="A .jsonl/.jsonl.gz file or a folder of them.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the scores as one JSON object.")
@click.option("--limit", type=int, default=None, help="Only the first N records (quick runs).")
def eval_cmd(name: str, data: str, json_path: str | None, limit: int | None) -> None:
    """Score stage NAME on benchmark data and print a table.

    NAME is one of the modules in rashomon/eval: quotes, stories, align, facts, events …
    """
    if name not in available():
        raise click.BadParameter(f"unknown evaluation {name!r}; available: {', '.join(available())}",
                                 param_hint="NAME")
    mod = importlib.import_module(f"rashomon.eval.{name}")
    scores = mod.evaluate(Path(data), limit=limit)
    console = Console()
    console.print(mod.render(scores))
    if json_path:
        Path(json_path).write_text(json.dumps(scores, indent=2, ensure_ascii=False), encoding="utf-8")
        console.print(f"wrote {json_path}")
