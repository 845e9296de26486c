"""The fast paths of the story stages give exactly what the plain definitions give.

Claim alignment scores only the pairs an inverted index says can score above 0, with
per-claim features computed once; the reworded-quote search skips stretches a bag-of-words
bound rules out. Both must equal the all-pairs / every-stretch definitions they replace.
"""

from __future__ import annotations

import difflib
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.annotate import annotate
from rashomon.compare import align_claims, extract_claims, idf_table, similarity
from rashomon.compare._events import agglomerate
from rashomon.compare._facts import QUOTE_SIMILARITY, _best_window_from, _QuoteWords, _words
from rashomon.ingest import ingest
from rashomon.pipeline import cluster_stories

ROOT = Path(__file__).resolve().parents[1]
ECB_SAMPLE = ROOT / "data" / "ecbplus-sample" / "ecbplus_dev_articles.jsonl"


@pytest.fixture(scope="module")
def story_claims(nlp, seeds_dir, tmp_path_factory):
    """Claims of the seed story and of the stories of 40 ECB+ documents (five topics)."""
    sample = tmp_path_factory.mktemp("ecb") / "sample.jsonl"
    lines = ECB_SAMPLE.read_text(encoding="utf-8").splitlines()
    sample.write_text("\n".join(lines[:: max(1, len(lines) // 40)][:40]) + "\n", encoding="utf-8")
    out = []
    for path in (seeds_dir / "articles.jsonl", sample):
        arts = annotate(ingest([str(path)]).articles, nlp)
        by_id = {a.article.id: a for a in arts}
        for story in cluster_stories(arts):
            members = [by_id[i] for i in story.article_ids if i in by_id]
            if len(members) > 1:
                out.append(extract_claims(members))
    assert len(out) >= 3
    return out


def _reference_alignment(claims):
    """The definition: every pair of claims of different articles scored, then grouped."""
    idf = idf_table(claims)
    pairs, sims = [], []
    for i, j in itertools.combinations(range(len(claims)), 2):
        a, b = claims[i], claims[j]
        pairs.append((i, j))
        sims.append(0.0 if a.article_id == b.article_id else similarity(a, b, idf))
    return pairs, sims, agglomerate(len(claims), pairs, np.asarray(sims), 0.27)


def test_alignment_equals_all_pairs(story_claims):
    for claims in story_claims:
        fast = align_claims(claims, threshold=0.27)
        pairs, sims, labels = _reference_alignment(claims)
        # Every pair the index left out scores 0; every scored pair has the reference's score.
        for (i, j), s in zip(pairs, sims, strict=True):
            assert fast.scores.get((i, j), 0.0) == s, (claims[i].text, claims[j].text)
        groups: dict[int, list] = {}
        for c, lab in zip(claims, labels, strict=True):
            groups.setdefault(lab, []).append(c)
        assert fast.groups == tuple(tuple(g) for g in groups.values())
        for a, b in itertools.combinations(claims[:30], 2):
            assert fast.score(a, b) == fast.scores.get(
                (claims.index(a), claims.index(b)), 0.0)


def _ratio(a: str, b: str) -> float:
    wa = [w.lower().strip(".") for w in _words(a)]
    wb = [w.lower().strip(".") for w in _words(b)]
    if len(wa) < 4 or len(wb) < 4:
        return 0.0
    return difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).ratio()


def _reference_window(short: str, long: str) -> tuple[float, str]:
    """The definition: every stretch of ``long`` two words longer than ``short`` scored."""
    ws, wl = _words(short), _words(long)
    if len(wl) <= len(ws) + 4:
        return _ratio(short, long), long
    best = (0.0, long)
    size = len(ws) + 2
    for start in range(0, len(wl) - size + 1):
        window = " ".join(wl[start:start + size])
        r = _ratio(short, window)
        if r > best[0]:
            best = (r, window)
    return best


_WORDS = st.sampled_from(["the", "talks", "will", "resume", "soon", "Talks", "we", "said.", "not", "peace"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=9), st.lists(_WORDS, min_size=1, max_size=25),
       st.sampled_from([-1.0, 0.3, QUOTE_SIMILARITY - 1e-12, 0.7]))
def test_best_window_bound_never_skips_a_better_stretch(short_words, long_words, floor):
    short, long = " ".join(short_words), " ".join(long_words)
    want = _reference_window(short, long)
    got = _best_window_from(_QuoteWords.of(short), _QuoteWords.of(long), floor)
    if want[0] > floor:
        assert got == want
    else:
        assert got[0] <= floor
