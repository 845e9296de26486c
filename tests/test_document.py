from __future__ import annotations

import jsonschema
import pytest
from helpers import make_article

from rashomon.document import build_document, validate
from rashomon.records import Analysis, Citation, Fact, Story


@pytest.fixture()
def analysis(nlp):
    from rashomon.annotate import annotate

    arts = annotate([make_article([("A headline", "headline"), ("Body sentence one. Body two.", "body"),
                                   ("Photo credit REUTERS/X/Files", "caption")], published="2018-12-03",
                                  outlet="VOA", source="voa.txt")], nlp)
    aid = arts[0].article.id
    return Analysis(articles=tuple(arts),
                    stories=(Story(id="s", title="A headline", article_ids=(aid,), why="alone"),),
                    facts=(Fact(id="f", story_id="s", kind="single_source", statement="Body sentence one.",
                                citations=(Citation(aid, 1),), outlets=("VOA",)),))


def test_document_validates_against_schema(analysis):
    doc = build_document(analysis)
    validate(doc)
    art = doc["articles"][0]
    assert art["outlet"] == "VOA" and art["published"] == "2018-12-03" and art["source"] == "voa.txt"
    assert [s["role"] for s in art["sentences"]] == ["headline", "body", "body", "caption"]


def test_schema_rejects_bad_role_and_missing_citation(analysis):
    doc = build_document(analysis)
    doc["articles"][0]["sentences"][0]["role"] = "sidebar"
    with pytest.raises(jsonschema.ValidationError):
        validate(doc)
    doc = build_document(analysis)
    doc["facts"][0]["citations"] = []
    with pytest.raises(jsonschema.ValidationError):
        validate(doc)


def test_report_is_inert_for_hostile_text(nlp, tmp_path):
    from rashomon.annotate import annotate
    from rashomon.report import render_report

    arts = annotate([make_article([("<script>alert(1)</script>", "headline"),
                                   ("Click <a href='javascript:alert(2)'>here</a>.", "body")],
                                  url="javascript:alert(3)", source="evil.html")], nlp)
    doc = build_document(Analysis(articles=tuple(arts), stories=(
        Story(id="s", title="<img src=x onerror=alert(4)>", article_ids=(arts[0].article.id,), why="x"),)))
    html = render_report(doc)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in html
