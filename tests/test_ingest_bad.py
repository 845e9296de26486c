"""Bad inputs (issue 3, item 3): each one becomes ONE failure with a clear reason and the
rest of the batch goes on. Nothing raises."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from rashomon.ingest import ingest

GOOD = ("Pakistan said on Monday it would help with the Afghan peace process after a letter "
        "from the U.S. president, officials said.")


@pytest.fixture
def good(tmp_path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def _batch(bad: str | Path, good: Path, **options):
    """Read ``bad`` between two copies of good input; return the single failure."""
    result = ingest([str(good), str(bad), str(good.with_name("good2.txt"))], dedup=False, **options)
    assert [a.text for a in result.articles] == [GOOD, GOOD], result
    (failure,) = result.failures
    return failure


@pytest.fixture(autouse=True)
def _second_good(tmp_path):
    (tmp_path / "good2.txt").write_text(GOOD, encoding="utf-8")


def test_empty_file(tmp_path, good):
    (tmp_path / "empty.txt").write_bytes(b"")
    f = _batch(tmp_path / "empty.txt", good)
    assert (f.source, f.reason) == (str(tmp_path / "empty.txt"), "empty file")


def test_whitespace_only_file(tmp_path, good):
    (tmp_path / "blank.txt").write_bytes(b"  \n\n\t \n")
    assert _batch(tmp_path / "blank.txt", good).reason == "empty file (only whitespace)"


def test_binary_nul_bytes(tmp_path, good):
    (tmp_path / "blob.txt").write_bytes(b"abc\x00\x01\x02def" * 50)
    assert _batch(tmp_path / "blob.txt", good).reason == "binary content (NUL bytes), not text"


def test_binary_magic(tmp_path, good):
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert _batch(tmp_path / "scan.txt", good).reason == "binary content (PDF document), not text"


def test_truncated_gzip(tmp_path, good):
    data = gzip.compress(((GOOD + " ") * 200).encode())
    (tmp_path / "cut.txt.gz").write_bytes(data[: len(data) // 2])
    f = _batch(tmp_path / "cut.txt.gz", good)
    assert f.reason.startswith("truncated gzip file")


def test_corrupt_gzip(tmp_path, good):
    (tmp_path / "bad.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage-not-deflate" * 3)
    assert "gzip" in _batch(tmp_path / "bad.txt.gz", good).reason


def test_truncated_jsonl_gz_keeps_lines_before(tmp_path, good):
    lines = "".join(f'{{"text": "{GOOD} Line {i} adds its own words here."}}\n' for i in range(200))
    data = gzip.compress(lines.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    result = ingest([str(path)], dedup=False)
    assert 0 < len(result.articles) < 200
    (f,) = result.failures
    assert f.source == str(path) and f.reason.startswith("truncated gzip file: stopped after")


def test_huge_file(tmp_path, good):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * 20_000)  # 100 kB
    f = _batch(path, good, max_bytes=80_000)
    assert f.reason == "file is 100 kB, over the 80 kB limit"


def test_huge_gzip_bomb(tmp_path, good):
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 2_000_000))
    assert _batch(path, good, max_bytes=1_000_000).reason == "decompressed content is over the 1 MB limit"


def test_huge_message_in_megabytes():
    from rashomon.ingest.sizes import human_size

    assert human_size(80_000_000) == "80 MB"
    assert human_size(50_000_000) == "50 MB"
    assert human_size(1_500_000) == "1.5 MB"
    assert human_size(999) == "999 B"


def test_unknown_extension(tmp_path, good):
    (tmp_path / "notes.dat").write_text(GOOD, encoding="utf-8")
    f = _batch(tmp_path / "notes.dat", good)
    assert f.reason.startswith("unknown format: file extension '.dat'")
    assert "rename it to .txt" in f.reason


def test_office_document(tmp_path, good):
    (tmp_path / "report.docx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100)
    f = _batch(tmp_path / "report.docx", good)
    assert f.reason.startswith("unknown format: file extension '.docx'")


def test_missing_file_and_folder(tmp_path, good):
    f = _batch(tmp_path / "nope.txt", good)
    assert f.reason == "no such file or folder"
    f = _batch(tmp_path / "no-such-dir" / "x.txt", good)
    assert f.reason.startswith("no such file or folder (folder ")


def test_glob_without_matches(tmp_path, good):
    assert _batch(tmp_path / "*.nothing", good).reason == "no files match this pattern"


def test_empty_folder(tmp_path, good):
    (tmp_path / "empty-dir").mkdir()
    (tmp_path / "empty-dir" / ".hidden.txt").write_text(GOOD)
    assert _batch(tmp_path / "empty-dir", good).reason == "folder has no files (hidden files are skipped)"


def test_unreadable_file(tmp_path, good, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text(GOOD)
    real_open = Path.open

    def deny(self, *args, **kwargs):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    assert _batch(path, good).reason == "cannot read file (permission denied)"


def test_broken_feed_file(tmp_path, good):
    (tmp_path / "news.rss").write_bytes(b"<?xml version='1.0'?><rss><channel><title>x</title></chan")
    assert _batch(tmp_path / "news.rss", good).reason.startswith("not a readable RSS/Atom feed")


def test_xml_that_is_not_a_feed(tmp_path, good):
    (tmp_path / "config.xml").write_bytes(b"<?xml version='1.0'?><config><a>1</a></config>")
    assert _batch(tmp_path / "config.xml", good).reason == "XML that is neither an RSS/Atom feed nor HTML"


def test_json_that_is_not_articles(tmp_path, good):
    (tmp_path / "x.json").write_text('"just a string"')
    assert _batch(tmp_path / "x.json", good).reason == "JSON document is a string, not an array of objects"


def test_url_without_permission(good):
    f = _batch("https://news.example.com/story", good)
    assert f.reason.startswith("URL inputs are disabled; pass allow_urls=True")


def test_unsupported_scheme(good):
    assert _batch("ftp://news.example.com/story.txt", good).reason.startswith("unsupported URL scheme 'ftp'")


def test_only_boilerplate(tmp_path, good):
    (tmp_path / "junk.txt").write_text("Share this article\n\nCopyright 2018 Example. All rights reserved.")
    assert _batch(tmp_path / "junk.txt", good).reason.startswith("no article text")


def test_folder_reading_is_recursive_sorted_and_skips_hidden(tmp_path):
    root = tmp_path / "news"
    (root / "b").mkdir(parents=True)
    (root / ".git").mkdir()
    for rel in ["b/2.txt", "a.txt", "c.txt", ".hidden.txt", ".git/x.txt"]:
        (root / rel).write_text(f"{GOOD} File {rel}.")
    result = ingest([str(root), str(root / "a.txt")], dedup=False)  # a.txt named twice: read once
    assert [Path(a.source).relative_to(root).as_posix() for a in result.articles] == ["a.txt", "b/2.txt", "c.txt"]
    assert result.failures == ()


def test_glob_input(tmp_path):
    for name in ["x1.txt", "x2.txt", "y.txt"]:
        (tmp_path / name).write_text(f"{GOOD} {name}")
    result = ingest([str(tmp_path / "x*.txt")])
    assert [Path(a.source).name for a in result.articles] == ["x1.txt", "x2.txt"]
