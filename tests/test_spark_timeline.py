"""scripts/spark_timeline.py: busy and idle slot time from a Spark event log (no Spark needed)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("spark_timeline", ROOT / "scripts" / "spark_timeline.py")
assert _spec and _spec.loader
timeline = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(timeline)


def _log(tmp_path: Path, rolling: bool) -> Path:
    t0 = 1_000_000_000_000  # ms
    events = [
        {"Event": "SparkListenerApplicationStart", "Timestamp": t0 - 5000},
        {"Event": "SparkListenerJobStart", "Job ID": 0, "Submission Time": t0, "Stage IDs": [0],
         "Properties": {}},
        {"Event": "SparkListenerJobStart", "Job ID": 1, "Submission Time": t0 + 1000, "Stage IDs": [1, 2],
         "Properties": {"spark.scheduler.pool": "rashomon-background"}},
        # main pool: two tasks side by side for 10 s, then one alone for 10 s (a serial phase)
        {"Event": "SparkListenerTaskEnd", "Stage ID": 0, "Task Info": {"Launch Time": t0, "Finish Time": t0 + 10_000}},
        {"Event": "SparkListenerTaskEnd", "Stage ID": 0, "Task Info": {"Launch Time": t0, "Finish Time": t0 + 10_000}},
        {"Event": "SparkListenerTaskEnd", "Stage ID": 0,
         "Task Info": {"Launch Time": t0 + 10_000, "Finish Time": t0 + 20_000}},
        # background: 5 s beside the serial task
        {"Event": "SparkListenerTaskEnd", "Stage ID": 2,
         "Task Info": {"Launch Time": t0 + 10_000, "Finish Time": t0 + 15_000}},
    ]
    text = "\n".join(json.dumps(e) for e in events) + "\n"
    if not rolling:
        path = tmp_path / "app-1"
        path.write_text(text)
        return path
    folder = tmp_path / "eventlog_v2_app-1"
    folder.mkdir()
    half = len(text.splitlines()) // 2
    lines = text.splitlines(keepends=True)
    (folder / "events_2_app-1").write_text("".join(lines[half:]))
    (folder / "events_1_app-1").write_text("".join(lines[:half]))
    (folder / "appstatus_app-1").write_text("")
    return folder


def test_busy_idle_and_pools(tmp_path: Path) -> None:
    for rolling in (False, True):
        (tmp_path / str(rolling)).mkdir()
        events = timeline.read_events(_log(tmp_path / str(rolling), rolling))
        summary = timeline.summarize(events, slots=2)
        assert summary["span_seconds"] == 20.0
        assert summary["busy_task_seconds"] == {"default": 30.0, "rashomon-background": 5.0}
        assert summary["idle_slot_seconds"] == 5.0  # 2 slots x 20 s - 35 s busy
        assert summary["utilisation"] == 0.875
        # 1-s bins: 0-9 two tasks, 10-14 two (serial + background), 15-19 one
        assert summary["share_at_most_one_task"] == 0.25
        timeline.svg(events, 2, tmp_path / f"t{rolling}.svg")
        assert (tmp_path / f"t{rolling}.svg").read_text().count("<polygon") == 2


def test_empty_log_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "empty-log"
    path.write_text(json.dumps({"Event": "SparkListenerApplicationStart", "Timestamp": 0}) + "\n")
    try:
        timeline.read_events(path)
    except SystemExit as exc:
        assert "empty-log" in str(exc)
    else:
        raise AssertionError("no error for a log without tasks")
