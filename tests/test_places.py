"""rashomon_places: toponyms resolved offline; the dateline kept apart."""

from __future__ import annotations

import pytest
from helpers import make_article
from test_dates import COMPONENTS, seed_articles

from rashomon.annotate import annotate, load_nlp
from rashomon.annotate.gazetteer import country_code, country_of_demonym, get_gazetteer


@pytest.fixture(scope="module")
def pnlp():
    return load_nlp(components=COMPONENTS)


# ----------------------------------------------------------------- gazetteer
@pytest.mark.parametrize(("name", "iso3", "feature"), [
    ("Islamabad", "PAK", "city"), ("Qatar", "QAT", "country"), ("U.S.", "USA", "country"),
    ("the United States", "USA", "country"), ("the United Arab Emirates", "ARE", "country"),
    ("Britain", "GBR", "country"), ("Kiev", "UKR", "city"), ("Kyiv", "UKR", "city"),
    ("Washington", "USA", "city"), ("New York", "USA", "city"), ("Texas", "USA", "admin1"),
    ("Russia", "RUS", "country"), ("Pakistan's", "PAK", "country"),
])
def test_gazetteer_resolves(name, iso3, feature):
    entry = get_gazetteer().resolve(name)
    assert entry is not None
    assert (entry.country, entry.feature) == (iso3, feature)
    if feature == "city":
        assert entry.latitude is not None and entry.longitude is not None


def test_gazetteer_context_breaks_close_calls():
    gaz = get_gazetteer()
    assert gaz.resolve("Birmingham").country == "GBR"
    assert gaz.resolve("Birmingham", {"USA"}).country == "USA"
    # A big population gap beats the context: Paris is in France even in a US story.
    assert gaz.resolve("Paris", {"USA"}).country == "FRA"


def test_demonyms_are_not_places():
    assert country_of_demonym("Afghan") == "AFG"
    assert country_of_demonym("Pakistanis") == "PAK"
    assert country_of_demonym("Pakistan") is None
    assert country_code("Afghan") is None
    assert country_code("Qatar") == "QAT"


# ----------------------------------------------------------------- on the seeds
@pytest.mark.slow
def test_seed_places(pnlp, seeds_dir):
    voa, reuters = sorted(annotate(seed_articles(seeds_dir), pnlp), key=lambda r: r.article.outlet != "VOA")
    for rec in (voa, reuters):
        isl = [p for p in rec.places if p.name == "Islamabad"]
        assert isl and all(p.country == "PAK" for p in isl)
        assert isl[0].latitude == pytest.approx(33.72, abs=0.1)
        assert isl[0].longitude == pytest.approx(73.04, abs=0.1)
        qatar = [p for p in rec.places if p.name == "Qatar"]
        assert qatar and all(p.country == "QAT" for p in qatar)
        names = {p.name for p in rec.places}
        assert not names & {"Afghan", "Pakistani", "American", "U.S.-Pakistan"}
        for p in rec.places:
            if p.start is not None:
                assert rec.article.text[p.start:p.end] == p.name
    # Reuters: ingest removed "WASHINGTON (Reuters) -"; the dateline is still reported, flagged.
    (dl,) = [p for p in reuters.places if p.is_dateline]
    assert (dl.name, dl.country, dl.start) == ("WASHINGTON", "USA", None)
    assert dl.latitude == pytest.approx(38.9, abs=0.1)
    body_washington = [p for p in reuters.places if p.name == "Washington"]
    assert body_washington and not any(p.is_dateline for p in body_washington)
    assert not any(p.is_dateline for p in voa.places)
    voa_countries = {p.country for p in voa.places}
    assert {"PAK", "USA", "AFG", "RUS", "UZB", "TKM", "BEL", "ARE", "QAT"} <= voa_countries


def test_dateline_inside_the_text_is_flagged_once(pnlp):
    art = make_article([("WASHINGTON (Reuters) - Officials in Washington met envoys from Qatar.", "body")],
                       published="2018-12-04")
    places = annotate([art], pnlp)[0].places
    flagged = [p for p in places if p.is_dateline]
    assert [(p.name, p.country, p.start) for p in flagged] == [("WASHINGTON", "USA", 0)]
    assert [(p.name, p.is_dateline) for p in places if p.name == "Washington"] == [("Washington", False)]
    assert any(p.country == "QAT" and not p.is_dateline for p in places)


def test_no_dateline_when_there_is_none(pnlp):
    art = make_article([("Officials in Kabul said the talks in Doha ended.", "body")])
    places = annotate([art], pnlp)[0].places
    assert not any(p.is_dateline for p in places)
    assert {(p.name, p.country) for p in places} >= {("Kabul", "AFG"), ("Doha", "QAT")}


def test_mislabelled_towns_are_recovered_from_locative_context(pnlp):
    from rashomon.annotate.places import place_of_verb

    # The small model tags this "Manbij" as a PRODUCT; the parse says it is a town.
    doc = pnlp("Fighters shelled the town of Manbij. Teixeira said he liked Boston.")
    names = {s.text: s._.place_country for s in doc._.places}
    assert names.get("Manbij") == "SYR"
    assert "Teixeira" not in names
    shelled = next(t for t in doc if t.text == "shelled")
    assert place_of_verb(shelled).text == "Manbij"
    liked = next(t for t in doc if t.text == "liked")
    assert place_of_verb(liked).text == "Boston"
    said = next(t for t in doc if t.text == "said")
    assert place_of_verb(said) is None  # Boston belongs to "liked", not to "said"


def test_kicker_is_not_a_dateline(pnlp):
    doc = pnlp("BREAKING NEWS - Fire in Kabul.")
    assert not any(s._.place_is_dateline for s in doc._.places)


def test_eval_places_on_a_tiny_file(tmp_path):
    import json

    from rashomon.eval.places import evaluate, render

    text = "Two soldiers were killed in Kabul on Monday."
    rows = [
        {"id": "a", "dataset": "event_location", "text": text, "verbs": [{"start": 18, "end": 24, "text": "killed"}],
         "locations": [{"start": 28, "end": 33, "text": "Kabul"}], "meta": {"source": "RELABEL"}},
        {"id": "b", "dataset": "event_location", "text": "Prices rose.",
         "verbs": [{"start": 7, "end": 11, "text": "rose"}], "locations": [], "meta": {"source": "RELABEL"}},
        {"id": "c", "dataset": "event_location", "text": "Ignored silver.", "verbs": [], "locations": [],
         "meta": {"source": "APW_RA"}},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    scores = evaluate(path)
    assert scores["records"] == 2
    assert scores["toponym_recall"] == 1.0 and scores["toponym_resolved"] == 1.0
    assert scores["location_f1"] == 1.0 and scores["no_location_accuracy"] == 1.0
    assert render(scores).row_count == len(scores)


def test_actor_lexicon_and_gazetteer_share_country_aliases() -> None:
    """One alias table: a short name means the same country to actors and to places."""
    from rashomon.annotate import actor_kb, gazetteer
    from rashomon.annotate.countries import COUNTRY_ALIASES

    for iso3, names in COUNTRY_ALIASES:
        for name in names:
            assert gazetteer.country_code(name) == iso3, name
            assert actor_kb.country_of(name) == iso3, name
    # wire style: bare "Congo" is the DRC, "Republic of Congo" the other one
    assert actor_kb.country_of("Congo") == gazetteer.country_code("Congo") == "COD"
    assert gazetteer.country_code("Congo-Brazzaville") == "COG"
