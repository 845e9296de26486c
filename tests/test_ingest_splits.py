"""A large JSONL file read as line ranges gives exactly what one whole reading gives."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rashomon.ingest import ingest
from rashomon.ingest.splits import jsonl_ranges, read_jsonl_range

_ROW = st.fixed_dictionaries({
    "title": st.text(min_size=1, max_size=20),
    "text": st.text(min_size=1, max_size=200),
    "outlet": st.sampled_from(["Reuters", "VOA", "Wire"]),
})
_LINE = st.one_of(
    _ROW.map(lambda r: json.dumps(r, ensure_ascii=False)),
    _ROW.map(json.dumps),
    st.just(""),  # blank lines are skipped, but still counted in line numbers
    st.just("{not json"),
    st.just("[1, 2]"),
)


def _pieces(path: Path, split_bytes: int) -> list:
    ranges = jsonl_ranges(str(path), split_bytes)
    assert ranges is not None
    return [item for r in ranges for item in read_jsonl_range(str(path), str(path), r)]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_LINE, min_size=2, max_size=40), split=st.integers(min_value=1, max_value=300),
       bom=st.booleans(), newline_at_end=st.booleans())
def test_ranges_read_like_the_whole_file(tmp_path: Path, lines: list[str], split: int, bom: bool,
                                         newline_at_end: bool) -> None:
    path = tmp_path / "big.jsonl"
    body = "\n".join(lines) + ("\n" if newline_at_end else "")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8"))
    whole = ingest([str(path)], dedup=False)
    expected = [*whole.articles, *whole.failures]
    ranges = jsonl_ranges(str(path), split)
    if ranges is None:  # small, no content, or one piece: read whole, as the CLI does
        return
    got = [item for r in ranges for item in read_jsonl_range(str(path), str(path), r)]
    # Same records, same names (file:line), same order.
    key = lambda item: item.source  # noqa: E731
    assert sorted(got, key=key) == sorted(expected, key=key)
    assert [r.start for r in ranges] == sorted({r.start for r in ranges})
    assert ranges[-1].end == path.stat().st_size


def test_small_compressed_or_other_files_are_read_whole(tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_text('{"title": "a", "text": "b"}\n', encoding="utf-8")
    assert jsonl_ranges(str(small), 1_000) is None
    html = tmp_path / "page.html"
    html.write_text("<html><body>" + "<p>word</p>\n" * 500 + "</body></html>", encoding="utf-8")
    assert jsonl_ranges(str(html), 100) is None
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n" * 500, encoding="utf-8")
    assert jsonl_ranges(str(blank), 100) is None  # a whole reading reports the empty file
    assert jsonl_ranges(str(tmp_path / "missing.jsonl"), 100) is None


def test_pieces_are_cut_at_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    rows = [{"title": f"t{i}", "text": f"Body number {i} of the file. " * 5} for i in range(50)]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    got = _pieces(path, 700)
    assert len(jsonl_ranges(str(path), 700) or []) > 3
    assert [a.title for a in got] == [f"t{i}" for i in range(50)]
    assert [a.source for a in got] == [f"{path}:{i + 1}" for i in range(50)]
