"""The dates / quantities / places components used by a plain spaCy user (no Rashomon records)."""

from __future__ import annotations

import warnings

import pytest
import spacy
from spacy.tokens import Doc

import rashomon.annotate.dates
import rashomon.annotate.places
import rashomon.annotate.quantities  # noqa: F401  (importing registers the factories)
from rashomon.annotate.model import model_name


@pytest.fixture(scope="module")
def plain_nlp():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nlp = spacy.load(model_name())
    nlp.add_pipe("rashomon_dates")
    nlp.add_pipe("rashomon_quantities")
    nlp.add_pipe("rashomon_places", config={"min_city_population": 15000})
    return nlp


TEXT = ("KABUL, Afghanistan (AP) - Khalilzad will travel to Islamabad on Monday with more than "
        "2,400 service members' families, officials said last week.")


def test_plain_spacy_user_gets_extensions(plain_nlp):
    doc = plain_nlp(TEXT)
    # No publication date set: relative dates are found but left unresolved.
    assert [(s.text, s._.date_resolved) for s in doc._.dates] == [("on Monday", None), ("last week", None)]
    q = doc._.quantities[0]
    assert (q._.quantity_value, q._.quantity_hedge) == (2400, "more than")
    places = {s.text: (s._.place_country, s._.place_is_dateline) for s in doc._.places}
    assert places["KABUL"] == ("AFG", True)
    assert places["Islamabad"] == ("PAK", False)


def test_publication_date_set_by_the_user(plain_nlp):
    doc = plain_nlp.make_doc(TEXT)
    doc._.published = "2018-12-04"
    doc = plain_nlp(doc)
    assert [(s.text, s._.date_resolved, s._.date_granularity) for s in doc._.dates] == [
        ("on Monday", "2018-12-10", "day"), ("last week", "2018-W48", "week")]


def test_results_survive_serialization(plain_nlp):
    doc = plain_nlp(TEXT)
    back = Doc(plain_nlp.vocab).from_bytes(doc.to_bytes())
    assert [s.text for s in back._.places] == [s.text for s in doc._.places]
    assert [s._.place_country for s in back._.places] == [s._.place_country for s in doc._.places]
    assert [s._.quantity_value for s in back._.quantities] == [s._.quantity_value for s in doc._.quantities]


def test_pipeline_analysis_is_satisfied(plain_nlp):
    problems = plain_nlp.analyze_pipes()["problems"]
    assert all(not problems[name] for name in ("rashomon_dates", "rashomon_quantities", "rashomon_places"))


def test_bad_gazetteer_size_is_refused():
    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="min_city_population"):
        nlp.add_pipe("rashomon_places", config={"min_city_population": 7})
