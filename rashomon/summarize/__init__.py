"""Cited summary, "what only X says" and timeline of one story.

Extractive and deterministic: every line is a sentence of one of the articles (or a
number the facts name) and cites every article + sentence that supports it.

- ``summary``: the story's sentence-level facts ranked by support (how many outlets tell
  them), centrality (how much of the story's vocabulary the sentence shares) and lead
  position; the top :data:`SUMMARY_SENTENCES`, in reading order;
- ``only``: per outlet, the facts only that outlet tells (sentences, then figures);
- ``timeline``: dated happenings from the resolved :class:`~rashomon.records.DateMention`
  records of body sentences, one entry per date and fact (a fact told by two outlets on
  one date is one entry citing both), sorted by date. A sentence that opens with a
  connective ("But ...", "Meanwhile ...") and has no date of its own continues the
  previous sentence's time, and says so (``date_source: "previous sentence"``).

An LLM summariser is not part of Rashomon: the default must run offline.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..records import CLAIM_ROLES, AnnotatedArticle, Citation, Fact, Story

__all__ = ["SUMMARY_SENTENCES", "summarize_story"]

SUMMARY_SENTENCES = 5
_CONNECTIVES = ("but ", "and ", "yet ", "however", "meanwhile", "then ", "later")
_WORD = re.compile(r"[a-z][a-z'-]+")
_STOP_WORDS = ("the a an of to in on for and or but is are was were be been has have had it its "
               "this that with by at as from he she they his her their we i you said says who "
               "which would will not also")
_STOP = frozenset(_STOP_WORDS.split())


def _cite(c: Citation) -> dict[str, Any]:
    return {"article_id": c.article_id, "sentence_index": c.sentence_index}


def _sentence_texts(articles: Sequence[AnnotatedArticle]) -> dict[tuple[str, int], tuple[str, str, float]]:
    """(article, sentence) → (text, outlet, relative position among body sentences)."""
    out: dict[tuple[str, int], tuple[str, str, float]] = {}
    for art in articles:
        body = [s for s in art.sentences if s.role in CLAIM_ROLES]
        for pos, s in enumerate(body):
            out[(art.article.id, s.index)] = (s.text, art.article.outlet or art.article.id,
                                              pos / max(1, len(body) - 1))
    return out


def _is_sentence_fact(f: Fact, texts: dict[tuple[str, int], tuple[str, str, float]]) -> bool:
    return any(texts.get((c.article_id, c.sentence_index), ("",))[0] == f.statement for c in f.citations)


def summarize_story(story: Story, articles: Sequence[AnnotatedArticle], facts: Sequence[Fact],
                    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """(summary, timeline, only) for one story; see the module docstring."""
    members = set(story.article_ids)
    arts = [a for a in articles if a.article.id in members]
    texts = _sentence_texts(arts)
    sentence_facts = [f for f in facts if f.story_id == story.id and f.kind in ("agreed", "single_source",
                                                                              "conflict")
                      and _is_sentence_fact(f, texts)]
    return (_summary(sentence_facts, texts), _timeline(arts, sentence_facts, texts),
            _only(arts, [f for f in facts if f.story_id == story.id], texts))


def _summary(facts: Sequence[Fact], texts: dict[tuple[str, int], tuple[str, str, float]]) -> list[dict[str, Any]]:
    if not facts:
        return []
    df: Counter[str] = Counter()
    words: dict[str, set[str]] = {}
    for f in facts:
        w = {x for x in _WORD.findall(f.statement.lower()) if x not in _STOP}
        words[f.id] = w
        df.update(w)
    n = len(facts)

    def score(f: Fact) -> tuple[float, str]:
        w = words[f.id]
        # Centrality: mean document frequency of the sentence's words across the story's facts.
        central = sum(math.log(1 + df[x]) for x in w) / (len(w) or 1) / math.log(1 + n)
        lead = 1.0 - min(texts[(c.article_id, c.sentence_index)][2] for c in f.citations
                         if (c.article_id, c.sentence_index) in texts)
        return (2.0 * len(f.outlets) + central + lead, f.id)

    ranked = sorted(facts, key=lambda f: (-score(f)[0], score(f)[1]))
    top = ranked[:SUMMARY_SENTENCES]
    # Reading order: by the earliest relative position any outlet gives the fact.
    top.sort(key=lambda f: min(texts[(c.article_id, c.sentence_index)][2] for c in f.citations
                               if (c.article_id, c.sentence_index) in texts))
    return [{"text": f.statement, "citations": [_cite(c) for c in f.citations],
             "outlets": list(f.outlets), "fact_id": f.id} for f in top]


def _only(arts: Sequence[AnnotatedArticle], facts: Sequence[Fact],
          texts: dict[tuple[str, int], tuple[str, str, float]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {a.article.outlet or a.article.id: [] for a in arts}
    singles = [f for f in facts if f.kind == "single_source" and f.outlets]

    def order(f: Fact) -> tuple[int, float]:
        pos = min((texts.get((c.article_id, c.sentence_index), ("", "", 1.0))[2] for c in f.citations),
                  default=1.0)
        return (0 if _is_sentence_fact(f, texts) else 1, pos)

    for f in sorted(singles, key=order):
        out.setdefault(f.outlets[0], []).append({"text": f.statement,
                                                 "citations": [_cite(c) for c in f.citations],
                                                 "fact_id": f.id})
    return out


def _timeline(arts: Sequence[AnnotatedArticle], facts: Sequence[Fact],
              texts: dict[tuple[str, int], tuple[str, str, float]]) -> list[dict[str, Any]]:
    fact_of: dict[tuple[str, int], Fact] = {}
    for f in facts:
        for c in f.citations:
            fact_of.setdefault((c.article_id, c.sentence_index), f)
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for art in arts:
        body = [s for s in art.sentences if s.role in CLAIM_ROLES]
        dated: dict[int, list[Any]] = {}
        for d in art.dates:
            if d.resolved and (art.article.id, d.sentence_index) in texts:
                dated.setdefault(d.sentence_index, []).append(d)
        previous: list[Any] = []
        for s in body:
            own = dated.get(s.index, [])
            source = "text"
            mentions = own
            if not own and previous and s.text.lower().startswith(_CONNECTIVES):
                mentions, source = previous, "previous sentence"
            for d in mentions:
                if getattr(d, "relation", None) in ("end", "before"):
                    continue  # "by April 2019" is a deadline, not when something happened
                key = (art.article.id, s.index)
                fact = fact_of.get(key)
                group = fact.id if fact and len(fact.outlets) > 1 else f"{key[0]}:{key[1]}"
                entry = entries.setdefault((d.resolved, group), {
                    "date": d.resolved, "granularity": d.granularity, "text": s.text,
                    "citations": [], "phrases": [], "date_source": source,
                })
                cite = {"article_id": art.article.id, "sentence_index": s.index}
                if cite not in entry["citations"]:
                    entry["citations"].append(cite)
                if d.phrase not in entry["phrases"]:
                    entry["phrases"].append(d.phrase)
            if own:
                previous = own
    return sorted(entries.values(), key=lambda e: (e["date"], e["text"]))
