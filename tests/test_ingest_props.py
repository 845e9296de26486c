"""Property tests: the parsers never raise on arbitrary text (except the documented
IngestError for "nothing to read") and every article keeps its invariants."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rashomon.errors import IngestError
from rashomon.ingest import iter_bytes
from rashomon.ingest.build import build_article
from rashomon.ingest.dateline import parse_lead
from rashomon.ingest.ids import article_id
from rashomon.ingest.normalize import normalize_paragraph
from rashomon.ingest.roles import classify, is_boilerplate, is_caption, is_date_line
from rashomon.ingest.text import parse_text
from rashomon.records import Article, IngestFailure

# Text that looks a bit like news: words, capitals, quotes, datelines, newlines.
NEWSY = st.lists(
    st.one_of(
        st.sampled_from(["WASHINGTON (Reuters) - ", " date 2018-12-04 ", "REUTERS/Kevin Lamarque/Files",
                         "(AP Photo/Evan Vucci)", "said.”The", '."The', "“", "”", "\n", "\n\n", "\r\n",
                         "Photo: ", "Reporting by X; Editing by Y", "Friday August 2, 2013 @ 8:13am PDT",
                         "\u00a0", "\u200b", "e\u0301", "\t", "  ", "By Jane Doe\n", "Getty Images"]),
        st.text(min_size=0, max_size=30),
    ),
    max_size=25,
).map("".join)
TEXT = st.one_of(NEWSY, st.text(max_size=400))

# RASHOMON_HYPOTHESIS_EXAMPLES raises the example count for a longer local search.
FAST = settings(max_examples=int(os.environ.get("RASHOMON_HYPOTHESIS_EXAMPLES", "150")),
                deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(article: Article) -> None:
    assert article.text == "\n\n".join(p.text for p in article.paragraphs)
    assert article.paragraphs and all(p.text and "\n" not in p.text for p in article.paragraphs)
    assert all(p.text == p.text.strip() for p in article.paragraphs)
    assert article.id == article_id(article.text)
    assert any(p.role == "body" for p in article.paragraphs)
    assert {p.role for p in article.paragraphs} <= {"headline", "body", "caption", "dateline", "boilerplate"}
    assert article.published is None or len(article.published) == 10


@FAST
@given(TEXT)
def test_text_parser_never_raises_and_keeps_invariants(raw):
    parsed = parse_text(raw)
    try:
        article = build_article(parsed.paragraphs, source="p", fmt="text", title=parsed.title)
    except IngestError as exc:
        assert exc.reason.startswith("no ")
        return
    _check(article)


@FAST
@given(TEXT)
def test_building_is_idempotent(raw):
    """Reading an article's own text again gives the same text and id (a round trip),
    unless the text left after removing a dateline starts with another dateline."""
    parsed = parse_text(raw)
    try:
        first = build_article(parsed.paragraphs, source="p", fmt="text", title=parsed.title)
    except IngestError:
        return
    lead = next(p.text for p in first.paragraphs if p.role == "body")
    assume(parse_lead(lead).rest == lead)
    again = parse_text(first.text)
    second = build_article(again.paragraphs, source="p", fmt="text", title=first.title)
    assert second.text == first.text and second.id == first.id


@FAST
@given(TEXT)
def test_normalization_is_idempotent(raw):
    once = normalize_paragraph(raw)
    assert normalize_paragraph(once) == once
    assert "\n" not in once and once == once.strip()


@FAST
@given(TEXT)
def test_dateline_parser_never_raises(raw):
    lead = parse_lead(raw)
    assert len(lead.rest) <= len(raw)
    assert lead.published is None or len(lead.published) == 10


@FAST
@given(TEXT)
def test_role_detectors_never_raise(raw):
    assert classify(raw) in {"body", "caption", "dateline", "boilerplate"}
    for detector in (is_caption, is_boilerplate, is_date_line):
        assert isinstance(detector(raw), bool)


@FAST
@given(st.lists(st.one_of(
    st.fixed_dictionaries({"text": TEXT}, optional={"title": TEXT, "outlet": TEXT, "published": TEXT,
                                                   "id": st.one_of(TEXT, st.integers())}),
    st.dictionaries(st.text(max_size=5), st.one_of(st.none(), st.integers(), TEXT), max_size=4),
    st.integers(),
), max_size=6), st.booleans())
def test_jsonl_reader_never_raises(rows, garbage_line):
    lines = [json.dumps(r) for r in rows]
    if garbage_line:
        lines.insert(len(lines) // 2, "{not json")
    data = "\n".join(lines).encode("utf-8")
    items = list(iter_bytes(data, "rows.jsonl"))
    for item in items:
        assert isinstance(item, (Article, IngestFailure))
        if isinstance(item, Article):
            _check(item)
    assert len(items) <= max(1, len([ln for ln in lines if ln.strip()]))


@FAST
@given(st.binary(max_size=300), st.sampled_from(["x.txt", "x.html", "x.rss", "x.csv", "x.jsonl", "x.warc", "-"]))
def test_any_bytes_give_items_never_exceptions(data, name):
    for item in iter_bytes(data, name):
        assert isinstance(item, (Article, IngestFailure))
        if isinstance(item, Article):
            _check(item)
        else:
            assert item.reason and not item.reason.startswith("unexpected error"), item
