"""Framing per outlet: whose voices it quotes, what it leads with and buries, its words.

- ``voices``: every quoted or credited speaker (one per sentence and speaker), with the
  actor's country and role from the annotate stage, named or anonymous, and counts by
  country, by role and named vs anonymous;
- ``leads_with``: the facts of the outlet's first :data:`LEAD_SENTENCES` body sentences;
- ``buries``: facts another outlet leads with that this outlet tells only in its second
  half;
- ``word_choice`` (story level): for each fact told by several outlets, the content words
  and predicates each outlet uses that the others do not ("ask" / "help" vs "seek" /
  "cooperation").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..records import AnnotatedArticle, Fact
from ._claims import Claim, outlet_of

__all__ = ["LEAD_SENTENCES", "framing"]

LEAD_SENTENCES = 3
_BURIED_FROM = 0.5  # relative position from which a fact counts as buried


def _voices(art: AnnotatedArticle) -> list[dict[str, Any]]:
    actors = {a.id: a for a in art.actors}
    by_name = {a.name: a for a in art.actors}
    seen: set[tuple[str, int]] = set()
    out: list[dict[str, Any]] = []
    for q in art.quotes:
        if not q.speaker:
            continue
        key = (q.speaker, q.sentence_index)
        if key in seen:
            continue
        seen.add(key)
        actor = actors.get(q.speaker_actor_id or "") or by_name.get(q.speaker)
        out.append({
            "speaker": q.speaker, "anonymous": q.anonymous,
            "country": actor.country if actor else None, "role": actor.role if actor else None,
            "affiliation": actor.affiliation if actor else None,
            "citation": {"article_id": q.article_id, "sentence_index": q.sentence_index},
        })
    return out


def framing(articles: Sequence[AnnotatedArticle], claims: Sequence[Claim],
            facts: Sequence[Fact]) -> dict[str, Any]:
    sentence_facts = [f for f in facts if f.kind in ("agreed", "single_source", "conflict")
                      and _is_sentence_fact(f, claims)]
    fact_of: dict[tuple[str, int], Fact] = {}
    for f in sentence_facts:
        for c in f.citations:
            fact_of.setdefault((c.article_id, c.sentence_index), f)
    claim_at = {(c.article_id, c.sentence_index): c for c in claims}

    leads: dict[str, list[Fact]] = {}
    for art in articles:
        outlet = outlet_of(art)
        lead = [c for c in claims if c.article_id == art.article.id and c.position < LEAD_SENTENCES]
        leads[outlet] = list(dict.fromkeys(fact_of[(c.article_id, c.sentence_index)] for c in lead
                                           if (c.article_id, c.sentence_index) in fact_of))

    outlets: dict[str, Any] = {}
    for art in articles:
        outlet = outlet_of(art)
        voices = _voices(art)
        buried: list[dict[str, Any]] = []
        for other, other_lead in leads.items():
            if other == outlet:
                continue
            for f in other_lead:
                mine = [claim_at[(c.article_id, c.sentence_index)] for c in f.citations
                        if c.article_id == art.article.id and (c.article_id, c.sentence_index) in claim_at]
                if mine and min(c.relative_position for c in mine) >= _BURIED_FROM:
                    first = min(mine, key=lambda c: c.position)
                    buried.append({"fact_id": f.id, "statement": f.statement, "led_by": other,
                                   "position": first.position + 1, "of": first.n_body,
                                   "citation": {"article_id": first.article_id,
                                                "sentence_index": first.sentence_index}})
        outlets[outlet] = {
            "article_id": art.article.id,
            "voices": voices,
            "quotes_named": sum(1 for v in voices if not v["anonymous"]),
            "quotes_anonymous": sum(1 for v in voices if v["anonymous"]),
            "voices_by_country": dict(Counter(v["country"] or "unknown" for v in voices).most_common()),
            "voices_by_role": dict(Counter(v["role"] or "unknown" for v in voices).most_common()),
            "leads_with": [{"fact_id": f.id, "kind": f.kind, "statement": f.statement} for f in leads[outlet]],
            "buries": buried,
        }
    return {"outlets": outlets, "word_choice": _word_choice(claims, sentence_facts)}


def _is_sentence_fact(fact: Fact, claims: Sequence[Claim]) -> bool:
    texts = {(c.article_id, c.sentence_index): c.text for c in claims}
    return any(texts.get((c.article_id, c.sentence_index)) == fact.statement for c in fact.citations)


def _word_choice(claims: Sequence[Claim], facts: Sequence[Fact]) -> list[dict[str, Any]]:
    claim_at = {(c.article_id, c.sentence_index): c for c in claims}
    out: list[dict[str, Any]] = []
    for f in facts:
        if len(f.outlets) < 2:
            continue
        members = [claim_at[(c.article_id, c.sentence_index)] for c in f.citations
                   if (c.article_id, c.sentence_index) in claim_at]
        by_outlet: dict[str, Claim] = {}
        for c in members:
            by_outlet.setdefault(c.outlet, c)
        if len(by_outlet) < 2:
            continue
        choices: dict[str, Any] = {}
        for outlet, c in by_outlet.items():
            others_words = set().union(*(o.lemmas for k, o in by_outlet.items() if k != outlet))
            others_preds = set().union(*(set(o.predicates) for k, o in by_outlet.items() if k != outlet))
            choices[outlet] = {
                "predicates": [p for p in c.predicates if p not in others_preds],
                "words": sorted(c.lemmas - others_words),
                "citation": {"article_id": c.article_id, "sentence_index": c.sentence_index},
            }
        if any(v["predicates"] or v["words"] for v in choices.values()):
            out.append({"fact_id": f.id, "statement": f.statement, "outlets": choices})
    return out
