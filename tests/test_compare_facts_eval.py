"""Accuracy floors for the pairwise fact labeller on the hand-labelled BASIL pairs.

Measured (docs/sections/compare-evaluation.md): reporting rows conflict P 1.00 R 0.60,
agree F1 0.796; all 450 rows conflict P 1.00 R 0.56 (5 of 9), agree F1 0.815. The floors
sit under those so a labeller change that starts calling agreeing or unrelated pairs
conflicts, or stops finding the clear ones, fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.eval.facts import evaluate, render

PAIRS = Path(__file__).resolve().parents[1] / "eval" / "facts" / "basil_pairs.jsonl"


@pytest.fixture(scope="module")
def scores():
    return evaluate(PAIRS)


@pytest.mark.slow
def test_split_sizes(scores):
    assert scores["all_pairs"] >= 450
    assert scores["pairs"] + scores["tune_pairs"] == scores["all_pairs"]
    assert scores["all_gold_conflicts"] >= 9


@pytest.mark.slow
def test_conflict_floors(scores):
    assert scores["all_conflict_precision"] >= 0.8
    assert scores["all_conflict_recall"] >= 0.5
    assert scores["conflict_precision"] >= 0.75


@pytest.mark.slow
def test_agree_floor(scores):
    assert scores["agree_f1"] >= 0.77
    assert scores["all_agree_f1"] >= 0.79
    assert "reporting rows" in str(render(scores).title)
