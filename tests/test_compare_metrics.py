"""Coreference metrics on the textbook examples (values worked out by hand in comments)."""

from __future__ import annotations

import pytest

from rashomon.eval._coref import b_cubed, ceafe, conll, muc


def _assign(*clusters: str) -> dict[str, int]:
    return {m: i for i, c in enumerate(clusters) for m in c}


# Pradhan et al. 2014, Fig. 1: key {a,b,c} {d,e,f,g}; response {a,b} {c,d} {f,g,h,i}.
KEY = _assign("abc", "defg")
RESPONSE = _assign("ab", "cd", "fghi")


def test_muc_pradhan_example():
    # Recall: {a,b,c} is cut in 2 parts (3-2=1), {d,e,f,g} in 3 ({d},{e},{f,g}: 4-3=1) -> 2/5.
    # Precision: {a,b} 1 part (1), {c,d} 2 parts (0), {f,g,h,i} 3 parts (1) -> 2/(1+1+3) = 2/5.
    p, r, f = muc(KEY, RESPONSE)
    assert (p, r) == pytest.approx((0.4, 0.4))
    assert f == pytest.approx(0.4)


def test_b3_pradhan_example():
    # Recall over the 7 key mentions: a,b 2/3; c 1/3; d 1/4; e 0 (missing); f,g 2/4 -> 35/84.
    # Precision over the 8 response mentions: a,b 1; c,d 1/2; f,g 2/4; h,i 0 -> 4/8.
    p, r, _ = b_cubed(KEY, RESPONSE)
    assert r == pytest.approx(35 / 84)
    assert p == pytest.approx(0.5)


def test_ceafe_pradhan_example():
    # phi4: K1-R1 = 2*2/5 = 0.8, K2-R3 = 2*2/8 = 0.5 (better than K1-R2 + K2-R3): 1.3.
    p, r, _ = ceafe(KEY, RESPONSE)
    assert r == pytest.approx(1.3 / 2)
    assert p == pytest.approx(1.3 / 3)


def test_muc_vilain_example():
    # Vilain et al. 1995: key {A,B,C,D}, response {A,B} {C,D}: R = (4-2)/3, P = 1.
    p, r, _ = muc(_assign("ABCD"), _assign("AB", "CD"))
    assert (p, r) == pytest.approx((1.0, 2 / 3))


def test_b3_bagga_baldwin_example():
    # Bagga & Baldwin 1998: key {1-5} {6,7} {8-12}; response {1-5} {6-12}.
    key = _assign("12345", "67", "89abc")
    resp = _assign("12345", "6789abc")
    p, r, _ = b_cubed(key, resp)
    assert r == pytest.approx(1.0)
    assert p == pytest.approx((5 + 2 * 2 / 7 + 5 * 5 / 7) / 12)  # 0.7619


def test_singletons_count_in_b3_and_ceafe_not_muc():
    key = _assign("a", "b", "c")
    all_in_one = _assign("abc")
    assert muc(key, all_in_one)[1] == 0.0  # no key links to find
    p, r, _ = b_cubed(key, all_in_one)
    assert (p, r) == pytest.approx((1 / 3, 1.0))
    p, r, _ = ceafe(key, all_in_one)
    assert (p, r) == pytest.approx((0.5, 0.5 / 3))


def test_perfect_response_scores_one():
    scores = conll(KEY, dict(KEY))
    assert scores["conll_f1"] == pytest.approx(1.0)
    assert scores["muc_f1"] == scores["b3_f1"] == scores["ceafe_f1"] == pytest.approx(1.0)
