"""rashomon_dates: temporal expressions resolved against the publication date."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from helpers import make_article
from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.annotate import annotate, load_nlp
from rashomon.annotate.dates import is_duration, resolve, resolve_detail

COMPONENTS = ("rashomon_paragraphs", "rashomon_dates", "rashomon_quantities", "rashomon_places")
REUTERS = "2018-12-04"  # a Tuesday
VOA = "2018-12-03"  # a Monday
ISO = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{4}-W\d{2}|\d{4}-\d{2}|\d{4})$")
GRANULARITY_OF_FORM = {10: "day", 8: "week", 7: "month", 4: "year"}


@pytest.fixture(scope="module")
def dnlp():
    return load_nlp(components=COMPONENTS)


def seed_articles(seeds_dir, published: bool = True):
    """The two seed reports as ingest would give them (dateline and stray marker removed)."""
    out = []
    for line in (seeds_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        paras = [p.strip() for p in re.split(r"\n\s*\n", row["text"]) if p.strip()]
        dateline = None
        if row["outlet"] == "Reuters":
            paras[0] = re.sub(r"^date \S+ WASHINGTON \(Reuters\) - ", "", paras[0])
            dateline = "WASHINGTON"
        roles = ["caption" if "REUTERS/" in p else "body" for p in paras]
        if row["outlet"] == "VOA":
            roles[0] = "headline"
        out.append(make_article(list(zip(paras, roles, strict=True)), id=row["outlet"], outlet=row["outlet"],
                                published=row["published"] if published else None, dateline=dateline))
    return out


def by_phrase(rec):
    return {d.phrase: d for d in rec.dates}


# ----------------------------------------------------------------- pure resolver
@pytest.mark.parametrize(("phrase", "published", "tense", "expected"), [
    ("Monday", REUTERS, "past", ("2018-12-03", "day")),
    ("on Monday", REUTERS, None, ("2018-12-03", "day")),
    ("Monday morning", VOA, "past", ("2018-12-03", "day")),
    ("on Sunday", REUTERS, "past", ("2018-12-02", "day")),
    ("Monday", REUTERS, "future", ("2018-12-10", "day")),
    ("last Monday", REUTERS, None, ("2018-12-03", "day")),
    ("next Monday", REUTERS, None, ("2018-12-10", "day")),
    ("yesterday", REUTERS, None, ("2018-12-03", "day")),
    ("today", REUTERS, None, ("2018-12-04", "day")),
    ("last night", REUTERS, None, ("2018-12-03", "day")),
    ("last month", REUTERS, None, ("2018-11", "month")),
    ("Last week", REUTERS, None, ("2018-W48", "week")),
    ("this week", VOA, None, ("2018-W49", "week")),
    ("this year", VOA, None, ("2018", "year")),
    ("last year", VOA, None, ("2017", "year")),
    ("three days ago", REUTERS, None, ("2018-12-01", "day")),
    ("April 2019", REUTERS, None, ("2019-04", "month")),
    ("April 2019", None, None, ("2019-04", "month")),
    ("by April 2019", None, None, ("2019-04", "month")),
    ("since 2001", None, None, ("2001", "year")),
    ("in 2001", None, None, ("2001", "year")),
    ("2011", None, None, ("2011", "year")),
    ("December 1, 2018", None, None, ("2018-12-01", "day")),
    ("July 25, 2018", None, None, ("2018-07-25", "day")),
    ("1 December 2018", None, None, ("2018-12-01", "day")),
    ("Dec. 1", REUTERS, None, ("2018-12-01", "day")),
    ("in March", REUTERS, "past", ("2018-03", "month")),
    ("in March", REUTERS, "future", ("2019-03", "month")),
    ("mid-2019", None, None, ("2019", "year")),
    ("the end of last year", REUTERS, None, ("2017", "year")),
])
def test_resolve_examples(phrase, published, tense, expected):
    assert resolve(phrase, published, tense) == expected


def test_relations():
    assert resolve_detail("since 2001")[2] == "start"
    assert resolve_detail("by April 2019")[2] == "end"
    assert resolve_detail("in 2001")[2] is None


@pytest.mark.parametrize("phrase", ["Monday", "yesterday", "today", "last month", "last week",
                                    "this week", "this year", "three days ago", "in March"])
def test_relative_dates_need_a_publication_date(phrase):
    # Never today's date: without a publication date a relative phrase stays unresolved.
    assert resolve(phrase, None) is None
    assert resolve(phrase, "not a date") is None


@pytest.mark.parametrize("phrase", ["in recent months", "the past two years", "the 1990s", "last summer"])
def test_vague_phrases_stay_unresolved(phrase):
    assert resolve(phrase, REUTERS) is None


@pytest.mark.parametrize(("phrase", "duration"), [
    ("17-year", True), ("17-year-old", True), ("three-day", True), ("at least five years", True),
    ("the years", True), ("2001", False), ("last month", False), ("recent months", False),
    ("Monday", False), ("two years ago", False),
])
def test_is_duration(phrase, duration):
    assert is_duration(phrase) is duration


# ----------------------------------------------------------------- property tests
_dates = st.dates(min_value=dt.date(1001, 1, 8), max_value=dt.date(2998, 12, 20))
_tenses = st.sampled_from([None, "past", "present", "future", "bogus"])


@settings(max_examples=300, deadline=None)
@given(phrase=st.text(max_size=40), published=st.one_of(st.none(), _dates.map(str), st.text(max_size=12)),
       tense=_tenses)
def test_resolve_never_raises_and_returns_iso(phrase, published, tense):
    out = resolve(phrase, published, tense)
    if out is not None:
        iso, gran = out
        assert ISO.match(iso), iso
        assert GRANULARITY_OF_FORM[len(iso)] == gran


_WORDS = ["on", "since", "last", "this", "next", "Monday", "Sunday", "December", "1,", "2018",
          "week", "month", "year", "ago", "three", "days", "the", "early", "morning", "by", "in",
          "yesterday", "today", "mid-2019", "0000", "9999", "Feb", "29", "31", "-"]


@settings(max_examples=400, deadline=None)
@given(words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5), published=_dates, tense=_tenses)
def test_resolve_word_salad_is_valid_iso(words, published, tense):
    out = resolve(" ".join(words), published.isoformat(), tense)
    if out is not None:
        assert ISO.match(out[0])
        if out[1] == "day":
            dt.date.fromisoformat(out[0])  # a real calendar day


@settings(max_examples=200, deadline=None)
@given(published=_dates, weekday=st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday",
                                                   "Friday", "Saturday", "Sunday"]),
       tense=st.sampled_from(["past", "future", "present", None]))
def test_weekdays_land_within_a_week_of_publication(published, weekday, tense):
    out = resolve(weekday, published.isoformat(), tense)
    assert out is not None and out[1] == "day"
    day = dt.date.fromisoformat(out[0])
    assert day.strftime("%A") == weekday
    delta = (day - published).days
    if tense in ("past", None):
        assert -6 <= delta <= 0
    elif tense == "future":
        assert 0 <= delta <= 6
    else:
        assert -3 <= delta <= 3


@settings(max_examples=200, deadline=None)
@given(published=_dates)
def test_week_and_month_arithmetic(published):
    y, w, _ = (published - dt.timedelta(days=7)).isocalendar()
    assert resolve("last week", published.isoformat()) == (f"{y:04d}-W{w:02d}", "week")
    y, w, _ = published.isocalendar()
    assert resolve("this week", published.isoformat()) == (f"{y:04d}-W{w:02d}", "week")
    prev = published.replace(day=1) - dt.timedelta(days=1)
    assert resolve("last month", published.isoformat()) == (f"{prev.year:04d}-{prev.month:02d}", "month")


# ----------------------------------------------------------------- on the seeds
@pytest.mark.slow
def test_seed_dates(dnlp, seeds_dir):
    voa, reuters = sorted(annotate(seed_articles(seeds_dir), dnlp), key=lambda r: r.article.outlet != "VOA")
    v, r = by_phrase(voa), by_phrase(reuters)
    assert (v["Monday morning"].resolved, v["Monday morning"].granularity) == ("2018-12-03", "day")
    assert v["last month"].resolved == "2018-11"
    assert (v["this week"].resolved, v["this week"].granularity) == ("2018-W49", "week")
    assert v["this year"].resolved == "2018"
    assert v["in 2001"].resolved == "2001" and v["in 2001"].granularity == "year"
    assert v["in recent months"].resolved is None
    assert r["on Monday"].resolved == "2018-12-03"
    assert r["on Sunday"].resolved == "2018-12-02"
    assert r["Last month"].resolved == "2018-11"
    assert (r["Last week"].resolved, r["Last week"].granularity) == ("2018-W48", "week")
    assert r["by April 2019"].resolved == "2019-04" and r["by April 2019"].relation == "end"
    assert r["December 1, 2018"].resolved == "2018-12-01"
    assert r["July 25, 2018"].resolved == "2018-07-25"
    assert r["in 2011"].resolved == "2011"
    # Durations are quantities, not dates.
    for rec in (voa, reuters):
        assert not any("year" in d.phrase and "-" in d.phrase for d in rec.dates)
        assert all(d.phrase not in ("at least five years", "three-day", "the years") for d in rec.dates)
        for d in rec.dates:
            assert rec.article.text[d.start:d.end] == d.phrase
            sent = rec.sentences[d.sentence_index]
            assert sent.start <= d.start < sent.end
            assert d.article_id == rec.article.id


@pytest.mark.slow
def test_seed_dates_without_publication_date(dnlp, seeds_dir):
    recs = annotate(seed_articles(seeds_dir, published=False), dnlp)
    phrases = {d.phrase: d.resolved for rec in recs for d in rec.dates}
    assert phrases["on Monday"] is None
    assert phrases["Monday morning"] is None
    assert phrases["Last week"] is None
    assert phrases["by April 2019"] == "2019-04"
    assert phrases["in 2001"] == "2001"


def test_tense_from_the_parse(dnlp):
    art = make_article([("Khalilzad will travel to Kabul on Monday. Ghani spoke to him on Monday. "
                         "The envoy is due to arrive on Friday.", "body")], published=REUTERS)
    rec = annotate([art], dnlp)[0]
    resolved = [(d.sentence_index, d.resolved) for d in rec.dates]
    assert resolved == [(0, "2018-12-10"), (1, "2018-12-03"), (2, "2018-12-07")]


def test_since_is_marked_as_a_start(dnlp):
    art = make_article([("U.S. troops have been in Afghanistan since 2001.", "body")], published=REUTERS)
    (d,) = annotate([art], dnlp)[0].dates
    assert (d.phrase, d.resolved, d.granularity, d.relation) == ("since 2001", "2001", "year", "start")
