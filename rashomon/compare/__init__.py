"""Compare the articles of one story, claim by claim.

::

    AnnotatedArticles of a Story
      └─ claims        one per body sentence: who / what / when / how many / according to whom
         └─ alignment  same fact told twice (content lemmas, actors, numbers, dates, event
                       similarity fitted on ECB+ train); average-link groups
            └─ facts   agreed · single_source · conflict · reworded_quote · different_attribution,
                       each citing every sentence it rests on
            └─ framing voices quoted, lead vs buried, word choice per outlet

Deterministic, offline, CPU only. Public API: :func:`compare_story` →
:class:`StoryComparison`; :func:`extract_claims`, :func:`align_claims`, :func:`label_pair`
for callers that need the parts (the ``rashomon eval facts`` labeller uses them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..records import AnnotatedArticle, Fact, Story
from ._align import ALIGN_THRESHOLD, Alignment, align_claims, idf_table, similarity
from ._claims import Claim, extract_claims
from ._facts import build_facts, label_pair, word_diff
from ._framing import framing

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["ALIGN_THRESHOLD", "METHOD", "Alignment", "Claim", "StoryComparison", "align_claims",
           "compare_story", "extract_claims", "idf_table", "label_pair", "similarity", "word_diff"]

#: Implementation name stored with results (bump when outputs change meaning).
METHOD = "rashomon.compare.v1"


@dataclass(frozen=True)
class StoryComparison:
    story_id: str
    facts: tuple[Fact, ...]
    framing: dict[str, Any]
    claims: tuple[Claim, ...] = field(default=(), repr=False)
    method: str = METHOD


def compare_story(story: Story, articles: Sequence[AnnotatedArticle],
                  nlp: Language | None = None,
                  claims_of: Mapping[str, Sequence[Claim]] | None = None) -> StoryComparison:
    """Facts and framing of one story from its annotated articles (members only).

    ``claims_of`` maps an article id to :func:`extract_claims` of that article alone, when
    the caller extracted them already (the Spark job does, in its annotate tasks: a claim
    depends on its own article only, so the story's claims are the members' claims in
    order and the story task parses nothing).
    """
    members = set(story.article_ids)
    # Wire copies say nothing new: comparing a copy with its original would make every
    # sentence "agreed". Only the original of a copy is compared.
    copies = {m.article_id for m in story.members if m.copy_of}
    arts = [a for a in articles if a.article.id in members and a.article.id not in copies]
    if claims_of is not None and all(a.article.id in claims_of for a in arts):
        claims = [c for a in arts for c in claims_of[a.article.id]]
    else:
        claims = extract_claims(arts, nlp)
    alignment = align_claims(claims)
    facts = build_facts(story.id, alignment)
    return StoryComparison(story_id=story.id, facts=tuple(facts),
                           framing={"method": METHOD, **framing(arts, claims, facts)},
                           claims=tuple(claims))
