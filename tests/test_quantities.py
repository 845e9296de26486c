"""rashomon_quantities: numbers with the thing counted and their hedges."""

from __future__ import annotations

import math

import pytest
from helpers import make_article
from hypothesis import given, settings
from hypothesis import strategies as st
from test_dates import COMPONENTS, seed_articles

from rashomon.annotate import annotate, load_nlp
from rashomon.annotate.quantities import parse_number, split_hedge


@pytest.fixture(scope="module")
def qnlp():
    return load_nlp(components=COMPONENTS)


def quantities_of(nlp, text: str):
    rec = annotate([make_article([(text, "body")], published="2018-12-04")], nlp)[0]
    return {q.phrase: (q.value, q.unit, q.hedge) for q in rec.quantities}


# ----------------------------------------------------------------- number parser
@pytest.mark.parametrize(("text", "value"), [
    ("2,400", 2400), ("14,000", 14000), ("1.5", 1.5), ("12", 12), ("a trillion", 1e12),
    ("1.5 billion", 1.5e9), ("$1.5 billion", 1.5e9), ("$1.5bn", 1.5e9), ("40%", 40),
    ("eight", 8), ("twenty-five", 25), ("two hundred and fifty", 250), ("a dozen", 12),
    ("dozens", 12), ("half a million", 5e5), ("billions", 1e9), ("tens of thousands", 1e4),
    ("hundreds of thousands", 1e5), ("three thousand", 3000), ("nineteen", 19), ("2 million", 2e6),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "troops", "12 15", "a a", "k", "1.2.3", "twenty twelve"])
def test_parse_number_refuses_non_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(("prefix", "hedge"), [
    ("The military has lost more than", "more than"), ("spent nearly", "nearly"),
    ("would take at least", "at least"), ("killed", None), ("no more than", "no more than"),
])
def test_split_hedge(prefix, hedge):
    assert split_hedge(prefix) == hedge


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int) -> str:
    """Test oracle: English words for 0 <= n < 1000."""
    parts = []
    if n >= 100:
        parts.append(f"{_ONES[n // 100]} hundred")
        n %= 100
        if n:
            parts.append("and")
    if n >= 20:
        parts.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not parts:
        parts.append(_ONES[n])
    return " ".join(parts)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parse_number_never_raises(text):
    value = parse_number(text)
    assert value is None or (isinstance(value, float) and math.isfinite(value))


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_parse_number_reads_digits_with_commas(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=999),
       st.sampled_from([("", 1), (" thousand", 10**3), (" million", 10**6), (" billion", 10**9)]))
def test_parse_number_reads_words(n, scale):
    word, factor = scale
    if n == 0 and word:
        return
    assert parse_number(_words(n) + word) == n * factor


# ----------------------------------------------------------------- on the seeds
@pytest.mark.slow
def test_seed_quantities(qnlp, seeds_dir):
    recs = annotate(seed_articles(seeds_dir), qnlp)
    found = {q.phrase: (q.value, q.unit, q.hedge) for rec in recs for q in rec.quantities}
    assert found["more than 2,400 service members"] == (2400, "service members", "more than")
    assert found["nearly a trillion dollars"] == (1e12, "dollars", "nearly")
    assert found["14,000 troops"] == (14000, "troops", None)
    assert found["17-year"] == (17, "year", None)
    assert found["17-year-old"] == (17, "year", None)
    assert found["12-strong team"] == (12, "team", None)
    assert found["eight-country"] == (8, "country", None)
    assert found["three-day"] == (3, "day", None)
    assert found["billions of dollars"] == (1e9, "dollars", "billions of")
    assert found["at least five years"] == (5, "years", "at least")
    # Numbers inside dates are not quantities.
    values = {v for v, _u, _h in found.values()}
    assert not values & {2001, 2011, 2018, 2019, 1, 25}
    for rec in recs:
        for q in rec.quantities:
            assert rec.article.text[q.start:q.end] == q.phrase
            assert rec.sentences[q.sentence_index].start <= q.start


def test_money_percent_and_number_words(qnlp):
    found = quantities_of(qnlp, "The deal is worth $1.5 billion, about 40% of the budget. "
                                "Tens of thousands of people marched and a dozen officers were hurt.")
    assert found["$1.5 billion"] == (1.5e9, "dollars", None)
    assert found["about 40%"] == (40, "percent", "about")
    assert found["Tens of thousands of people"] == (1e4, "people", "tens of thousands of")
    assert found["a dozen officers"] == (12, "officers", None)


def test_dates_ordinals_and_pronouns_are_not_quantities(qnlp):
    found = quantities_of(qnlp, "On December 1, 2018, one of them said the first 3 soldiers "
                                "arrived in 2011 for the 2016 election.")
    assert set(found) == {"3 soldiers"}
