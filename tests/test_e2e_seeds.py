"""End to end on the seed reports, through the CLI as a user runs it."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from rashomon.cli import main
from rashomon.document import validate

pytestmark = pytest.mark.slow


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def seed_txt_doc(tmp_path_factory, seeds_dir):
    tmp = tmp_path_factory.mktemp("txt")
    code, out = _run(["analyze", *map(str, sorted(seeds_dir.glob("*.txt"))), "--db", str(tmp / "s.duckdb"),
                      "--json", str(tmp / "out.json"), "--html", str(tmp / "out.html")])
    assert code == 0, out
    return json.loads((tmp / "out.json").read_text()), tmp, out


@pytest.mark.parametrize("source", ["txt", "jsonl"])
def test_seeds_two_articles_one_story(source, seed_txt_doc, seeds_dir, tmp_path):
    if source == "txt":
        doc = seed_txt_doc[0]
    else:
        code, out = _run(["analyze", str(seeds_dir / "articles.jsonl"), "--no-store", "--json",
                          str(tmp_path / "o.json")])
        assert code == 0, out
        doc = json.loads((tmp_path / "o.json").read_text())
    validate(doc)
    arts = {a["outlet"]: a for a in doc["articles"]}
    assert set(arts) == {"VOA", "Reuters"}
    assert arts["VOA"]["published"] == "2018-12-03"
    assert arts["Reuters"]["published"] == "2018-12-04"
    assert len(doc["stories"]) == 1
    assert sorted(doc["stories"][0]["article_ids"]) == sorted(a["id"] for a in doc["articles"])
    assert doc["stories"][0]["why"]
    captions = [s["text"] for s in arts["Reuters"]["sentences"] if s["role"] == "caption"]
    assert any("REUTERS/Kevin Lamarque/Files" in c for c in captions)
    assert any("REUTERS/Athit Perawongmetha/Files" in c for c in captions)
    # Captions are never cited as facts, quotes or events.
    caption_ids = {(a["id"], s["index"]) for a in doc["articles"] for s in a["sentences"] if s["role"] == "caption"}
    cited = [(c["article_id"], c["sentence_index"]) for f in doc["facts"] + doc["events"] for c in f["citations"]]
    cited += [(q["article_id"], q["sentence_index"]) for q in doc["quotes"]]
    assert cited and not caption_ids & set(cited)


def test_every_citation_points_at_a_sentence(seed_txt_doc):
    doc = seed_txt_doc[0]
    n = {a["id"]: len(a["sentences"]) for a in doc["articles"]}
    for key in ("quotes", "dates", "quantities"):
        for item in doc[key]:
            assert 0 <= item["sentence_index"] < n[item["article_id"]]
    for item in doc["facts"] + doc["events"]:
        for c in item["citations"]:
            assert 0 <= c["sentence_index"] < n[c["article_id"]]


def test_rerun_is_idempotent_and_show_export_work(seed_txt_doc, seeds_dir, tmp_path):
    doc, tmp, _ = seed_txt_doc
    db = tmp / "s.duckdb"
    from rashomon.store import Store

    with Store(db, read_only=True) as s:
        before = s.counts()
    code, out = _run(["analyze", *map(str, sorted(seeds_dir.glob("*.txt"))), "--db", str(db)])
    assert code == 0, out
    with Store(db, read_only=True) as s:
        assert s.counts() == before
    story_id = doc["stories"][0]["id"]
    code, out = _run(["show", story_id[:8], "--db", str(db)])
    assert code == 0 and "VOA" in out and "Reuters" in out
    code, out = _run(["export", "--db", str(db), "--format", "parquet", "--out", str(tmp_path / "x")])
    assert code == 0 and (tmp_path / "x" / "articles.parquet").exists()
    html = (tmp / "out.html").read_text()
    assert "Trump" in html and "<script>" not in html.split("</style>")[0]


def test_mixed_folder_names_each_bad_input(tmp_path, seeds_dir):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(seeds_dir / "voa-2018-12-03-trump-letter-khan.txt", folder)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    good = '{"text": "Fine article text here about a thing that happened today."}'
    (folder / "broken.jsonl").write_text(good + "\n{not json\n")
    (folder / "notes.xyz").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    code, out = _run(["analyze", str(folder), "--db", str(tmp_path / "m.duckdb")])
    assert code == 1, out  # some inputs failed, the rest analysed
    for name in ("empty.txt", "binary.txt", "broken.jsonl:2", "notes.xyz"):
        assert name in out, (name, out)
    from rashomon.store import Store

    with Store(tmp_path / "m.duckdb", read_only=True) as s:
        sources = {f.source for f in s.load_failures()}
        assert len(s.article_ids()) == 2
    assert any(src.endswith("empty.txt") for src in sources)
    assert any(src.endswith("binary.txt") for src in sources)


def test_nothing_readable_exits_3(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    code, out = _run(["analyze", str(tmp_path / "empty.txt"), "--no-store"])
    assert code == 3, out
    assert "empty" in out


def test_help_explains_each_command():
    code, out = _run(["--help"])
    assert code == 0
    for cmd in ("analyze", "ingest", "stories", "show", "export", "eval", "report"):
        assert cmd in out
        sub_code, sub_out = _run([cmd, "--help"])
        assert sub_code == 0 and len(sub_out.splitlines()) > 4




def test_exact_copy_from_another_file_is_kept_as_a_source(tmp_path, seeds_dir):
    src = seeds_dir / "voa-2018-12-03-trump-letter-khan.txt"
    shutil.copy(src, tmp_path / "voa-2018-12-03-copy.txt")
    db = tmp_path / "c.duckdb"
    code, out = _run(["analyze", str(src), str(tmp_path / "voa-2018-12-03-copy.txt"), "--db", str(db),
                      "--json", str(tmp_path / "c.json")])
    assert code == 0, out
    doc = json.loads((tmp_path / "c.json").read_text())
    assert len(doc["articles"]) == 1
    assert [c["source"] for c in doc["articles"][0]["copies"]] == [str(tmp_path / "voa-2018-12-03-copy.txt")]
    from rashomon.store import Store

    with Store(db, read_only=True) as s:
        rows = s.query("select source from article_sources order by source")
    assert len(rows) == 2
