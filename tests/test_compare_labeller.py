"""The pairwise fact labeller (agree / conflict / unrelated) on hand-made sentence pairs.

Each case mirrors a kind of call in eval/facts/guidelines.md: figures of one count given
differently (bounds, rounding), the two ends of a period, a day of one act, and pairs that
share a speaker and a word but no fact.
"""

from __future__ import annotations

import pytest

from rashomon.annotate import annotate
from rashomon.compare import extract_claims, idf_table, label_pair
from rashomon.compare._claims import NumberMention
from rashomon.compare._facts import numbers_clash
from rashomon.records import Article, Paragraph


def _label(nlp, a: str, b: str, published: str = "2014-11-30") -> tuple[str, list]:
    arts = [Article(id=f"a{i}", text=t, paragraphs=(Paragraph(t),), outlet=f"Outlet{i}", published=published)
            for i, t in enumerate((a, b))]
    claims = extract_claims(annotate(arts, nlp), nlp)
    assert len(claims) == 2, [c.text for c in claims]
    label, found, _ = label_pair(claims[0], claims[1], idf_table(claims))
    return label, found


def _n(value: float, phrase: str, hedge: str | None = None, unit: str = "woman") -> NumberMention:
    return NumberMention(value, unit, hedge, phrase, None)


@pytest.mark.parametrize(("x", "y", "clash"), [
    # Two upper bounds of one count with different figures: the guidelines' conflict.
    (_n(1.5e6, "as many as 1.5 million women", "as many as"), _n(1.6e6, "up to 1.6 million women", "up to"), True),
    # A figure given with a scale word covers its last digit; "nearly" reaches up to the figure.
    (_n(43e6, "$43 million", unit="dollar"), _n(43_885_310, "$43,885,310", unit="dollar"), False),
    (_n(44e6, "nearly $44 million", "nearly", "dollar"), _n(43_885_310, "$43,885,310", unit="dollar"), False),
    # Overlapping hedges never clash; plain different figures do.
    (_n(2400, "more than 2,400", "more than"), _n(2450, "about 2,450", "about"), False),
    (_n(50_000, "50,000 pages", unit="page"), _n(55_000, "55,000 pages", unit="page"), True),
])
def test_numbers_clash(x, y, clash):
    assert numbers_clash(x, y) is clash
    assert numbers_clash(y, x) is clash


def test_bounds_of_one_count_conflict_without_alignment(nlp):
    label, found = _label(
        nlp,
        "Some justices expressed qualms about how to administer a lawsuit involving as many as 1.5 million women.",
        "The Supreme Court appears ready to block a massive sex discrimination lawsuit on behalf of up to "
        "1.6 million women.")
    assert label == "conflict"
    assert found[0].kind == "number"


def test_same_start_of_a_period_differs(nlp):
    label, found = _label(nlp, "Pelosi has led House Democrats since 2002.",
                          "Pelosi has led House Democrats since 2003.")
    assert label == "conflict"
    assert {f.kind for f in found} == {"date"}


def test_two_ends_of_a_period_do_not_clash(nlp):
    label, _ = _label(
        nlp,
        "The couple paid nearly $44 million in federal income taxes from 2007 to 2014, according to the returns.",
        "The returns show the couple have paid $43 million in federal income taxes since 2007.")
    assert label == "agree"


def test_day_of_one_act_differs(nlp):
    # Both reports are dated 2014-11-30 (a Sunday): Friday and Saturday are two different days.
    label, found = _label(
        nlp,
        "Elizabeth Lauten, a Republican aide, apologized on Friday for a Facebook post about the Obama daughters.",
        "Elizabeth Lauten, a Republican aide, apologized on Saturday for a Facebook post about the Obama daughters.")
    assert label == "conflict"
    assert found[0].kind == "date"


def test_different_counted_things_stay_unrelated(nlp):
    label, _ = _label(nlp, "About 2,000 troops are leaving Syria, officials said on Wednesday.",
                      "About 7,000 troops will leave Afghanistan in the coming months, officials said.")
    assert label != "conflict"


def test_one_speaker_one_word_is_not_agreement(nlp):
    label, _ = _label(nlp, "“And I say wait for what?” Mr. Cantor said.", "“Wait until when?” Cantor said.")
    assert label == "unrelated"


def test_same_fact_reworded_agrees(nlp):
    label, _ = _label(
        nlp,
        "Representative Blake Farenthold used $84,000 in taxpayer funds to settle a sexual harassment case.",
        "Farenthold used $84,000 in taxpayer money to settle a sexual harassment lawsuit filed by a former aide.")
    assert label == "agree"
