"""Identity, idempotency and duplicate linking (exact and near: wire copies)."""

from __future__ import annotations

import dataclasses
import pickle

from rashomon.ingest import article_id, ingest, link_duplicates
from rashomon.ingest.build import build_article
from rashomon.ingest.dedup import DuplicateIndex, signature

REUTERS = "reuters-2018-12-04-trump-letter-khan.txt"
VOA = "voa-2018-12-03-trump-letter-khan.txt"


def _wire_copy(text: str) -> str:
    """How a client paper runs a wire story: own headline, a paragraph cut, a credit line."""
    paragraphs = text.split("\n\n")
    kept = paragraphs[:-1]
    kept[1] = kept[1].replace("U.S. President Donald Trump", "President Trump")
    return "\n\n".join(["Trump turns to Pakistan for Afghan help", *kept,
                        "(Reporting by a staff correspondent; Editing by the desk)"])


def test_article_id_is_content_hash():
    assert article_id("Hello   World") == article_id("hello world") == article_id(" HELLO\nworld ")
    assert article_id("Hello World") != article_id("Hello World!")
    assert len(article_id("x")) == 16 and int(article_id("x"), 16) >= 0


def test_same_input_twice_gives_same_ids(seeds_dir):
    first = ingest([str(seeds_dir)])
    second = ingest([str(seeds_dir)])
    assert [a.id for a in first.articles] == [a.id for a in second.articles]
    assert first == second  # fully deterministic, duplicate links included


def test_exact_duplicates_are_linked_not_dropped(seeds_dir, tmp_path):
    copy = tmp_path / "copy-of-reuters.txt"
    copy.write_bytes((seeds_dir / REUTERS).read_bytes())
    result = ingest([str(seeds_dir / REUTERS), str(copy)])
    original, dup = result.articles
    assert original.id == dup.id
    assert (original.duplicate_of, original.duplicate_kind) == (None, None)
    assert (dup.duplicate_of, dup.duplicate_kind, dup.similarity) == (original.id, "exact", 1.0)
    assert dup.source == str(copy)  # where the copy came from is kept


def test_the_same_file_named_twice_is_read_once(seeds_dir):
    result = ingest([str(seeds_dir / VOA), str(seeds_dir / "voa-*.txt"), str(seeds_dir / VOA)])
    assert len(result.articles) == 1


def test_wire_copy_is_a_near_duplicate(seeds_dir, tmp_path):
    text = ingest([str(seeds_dir / REUTERS)]).articles[0].text
    path = tmp_path / "client-paper.txt"
    path.write_text(_wire_copy(text), encoding="utf-8")
    result = ingest([str(seeds_dir / REUTERS), str(path), str(seeds_dir / VOA)])
    reuters, copy, voa = result.articles
    assert copy.id != reuters.id
    assert (copy.duplicate_of, copy.duplicate_kind) == (reuters.id, "near")
    assert 0.8 <= copy.similarity < 1.0
    # Same story, different reporting: not a copy.
    assert voa.duplicate_of is None


def test_order_decides_the_original(seeds_dir, tmp_path):
    text = ingest([str(seeds_dir / REUTERS)]).articles[0].text
    path = tmp_path / "client-paper.txt"
    path.write_text(_wire_copy(text), encoding="utf-8")
    copy, reuters = ingest([str(path), str(seeds_dir / REUTERS)]).articles
    assert copy.duplicate_of is None and reuters.duplicate_of == copy.id


def test_link_duplicates_across_runs(seeds_dir, tmp_path):
    text = ingest([str(seeds_dir / REUTERS)]).articles[0].text
    path = tmp_path / "client-paper.txt"
    path.write_text(_wire_copy(text), encoding="utf-8")
    run1 = ingest([str(seeds_dir / REUTERS), str(seeds_dir / VOA)]).articles
    run2 = ingest([str(path), str(seeds_dir / VOA)]).articles  # unaware of run 1
    assert all(a.duplicate_of is None for a in run2)
    linked = link_duplicates([*run1, *run2])
    assert [(a.duplicate_kind, a.duplicate_of) for a in linked] == [
        (None, None), (None, None), ("near", run1[0].id), ("exact", run1[1].id)]
    # Existing links are recomputed, not trusted.
    stale = dataclasses.replace(run1[1], duplicate_of="0" * 16, duplicate_kind="near", similarity=0.9)
    assert link_duplicates([stale])[0].duplicate_of is None


def test_signatures_computed_elsewhere_link_the_same(seeds_dir, tmp_path):
    # The Spark job hashes shingles in parallel tasks and ships the signatures (pickled) to
    # the task that links a block: the links must be those of computing them in place.
    text = ingest([str(seeds_dir / REUTERS)]).articles[0].text
    path = tmp_path / "client-paper.txt"
    path.write_text(_wire_copy(text), encoding="utf-8")
    articles = ingest([str(seeds_dir / REUTERS), str(path), str(seeds_dir / VOA)], dedup=False).articles
    short = build_article(["Markets fell on Monday in Asia."], source="s", fmt="text")
    articles = (*articles, short)
    shipped = pickle.loads(pickle.dumps([signature(a) for a in articles]))
    assert shipped[-1] is None  # too short to compare
    assert link_duplicates(articles, signatures=shipped) == link_duplicates(articles)
    assert link_duplicates(articles)[1].duplicate_kind == "near"


def test_short_texts_are_not_near_duplicates():
    index = DuplicateIndex()
    one = build_article(["Markets fell on Monday in Asia."], source="1", fmt="text")
    two = build_article(["Markets fell on Monday in Europe."], source="2", fmt="text")
    assert index.link(one).duplicate_of is None
    assert index.link(two).duplicate_of is None


def test_dedup_can_be_turned_off(seeds_dir, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes((seeds_dir / VOA).read_bytes())
    result = ingest([str(seeds_dir / VOA), str(copy)], dedup=False)
    assert [a.duplicate_of for a in result.articles] == [None, None]
