"""Docs that fail the build when they drift (sqlite-utils' habit)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from rashomon.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        out.append(f"{prefix}{name}")
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, f"{prefix}{name} "))
    return out


@pytest.mark.parametrize("command", _commands(main))
def test_every_command_is_in_the_readme(command):
    assert f"rashomon {command}" in README, f"`rashomon {command}` is not documented in README.md"


def test_quick_start_is_two_commands():
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]


def test_readme_links_exist():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if target.startswith("http") or target.startswith("../shared"):
            continue
        assert (ROOT / target).exists(), target


def test_no_placeholders_left():
    for name in ("README.md", "BENCHMARKS.md", "EVALUATION.md"):
        path = ROOT / name
        if path.exists():
            text = path.read_text(encoding="utf-8")
            assert "STATUS_TABLE" not in text and "TODO" not in text, name


@pytest.mark.slow
def test_readme_python_examples_run(tmp_path, monkeypatch):
    """The README's Python snippets are run as written (from a folder that has data/)."""
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert len(blocks) >= 2
    namespaces = []
    for code in blocks:
        ns: dict[str, object] = {}
        exec(compile(code, "README.md", "exec"), ns)
        namespaces.append(ns)
    analysis = namespaces[0]["analysis"]
    assert len(analysis.stories) == 1 and analysis.facts  # type: ignore[attr-defined]
    quotes = namespaces[1]["doc"]._.quotes  # type: ignore[attr-defined]
    assert quotes and quotes[0].speaker == "Jim Mattis"
