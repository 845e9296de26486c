"""``rashomon eval NAME --data PATH``: score a stage on benchmark data.

Each evaluation lives in ``rashomon/eval/NAME.py`` with ``evaluate(data, **options) -> dict``
and ``render(scores) -> Table | str``; this command only parses options and prints.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from pathlib import Path
from typing import Any

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
@click.option("-o", "--option", "options", multiple=True, metavar="KEY=VALUE",
              help="An option of the evaluation's evaluate() (repeatable), e.g. -o model=none or "
                   "-o model=path/to/quote_cues.json for quotes, -o within=corpus for align. "
                   "VALUE is read as JSON when it parses (numbers, true/false), else as a string.")
def eval_cmd(name: str, data: str, json_path: str | None, limit: int | None, options: tuple[str, ...]) -> None:
    """Score stage NAME on benchmark data and print a table.

    NAME is one of the modules in rashomon/eval: quotes, stories, align, facts, events …
    """
    if name not in available():
        raise click.BadParameter(f"unknown evaluation {name!r}; available: {', '.join(available())}",
                                 param_hint="NAME")
    mod = importlib.import_module(f"rashomon.eval.{name}")
    kwargs = dict(_parse_option(o) for o in options)
    # evaluate(**_options) swallows unknown keys, so check against its named parameters:
    # a typo must not silently score the default configuration.
    named = [k for k, p in inspect.signature(mod.evaluate).parameters.items()
             if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and k not in ("data", "limit")]
    unknown = sorted(set(kwargs) - set(named))
    if unknown:
        raise click.BadParameter(f"{name} has no option {', '.join(unknown)}; it takes: "
                                 f"{', '.join(named) or 'none'}", param_hint="--option")
    scores = mod.evaluate(Path(data), limit=limit, **kwargs)
    console = Console()
    console.print(mod.render(scores))
    if json_path:
        Path(json_path).write_text(json.dumps(scores, indent=2, ensure_ascii=False), encoding="utf-8")
        console.print(f"wrote {json_path}")


def _parse_option(text: str) -> tuple[str, Any]:
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise click.BadParameter(f"{text!r} is not KEY=VALUE", param_hint="--option")
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key.strip(), value
