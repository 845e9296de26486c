"""Near-synonym classes of common news words, so a retelling in other words still aligns.

A small general thesaurus of the verbs and nouns news reports use for the same act or
thing ("asked for help" / "sought cooperation", "war" / "conflict"). It complements the
trigger-pair table learned from ECB+ train (which only knows pairs ECB+'s topics saw) and
is deliberately conservative: words that are merely related (kill / injure, win / lose)
are never put in one class, because alignment feeds conflict detection.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["SYNONYM_CLASSES", "canonical", "canonical_set"]

SYNONYM_CLASSES: tuple[frozenset[str], ...] = tuple(frozenset(c) for c in (
    # requests and appeals
    {"ask", "seek", "request", "urge", "appeal", "solicit"},
    # help
    {"help", "assistance", "assist", "support", "cooperation", "cooperate", "aid", "facilitation",
     "facilitate", "backing"},
    # armed conflict
    {"war", "conflict", "fighting", "hostility", "warfare"},
    # negotiation
    {"talk", "negotiation", "negotiate", "dialogue", "parley"},
    {"agreement", "deal", "accord", "pact", "settlement", "treaty"},
    # killing and dying
    {"kill", "slay", "murder", "assassinate"},
    {"die", "death", "dead", "perish"},
    {"injure", "wound", "hurt", "injury"},
    # arrests
    {"arrest", "detain", "apprehend", "capture", "nab", "detention"},
    {"charge", "indict", "accuse"},
    # strikes and attacks
    {"attack", "assault", "raid", "strike", "offensive"},
    {"bomb", "bombing", "explosion", "blast"},
    {"shoot", "shooting", "gunfire"},
    # movement and visits
    {"visit", "trip", "tour", "travel", "journey"},
    {"meet", "meeting", "summit", "talks"},
    {"leave", "depart", "exit", "withdraw", "withdrawal", "pullout"},
    # statements
    {"criticize", "criticise", "denounce", "condemn", "blast", "slam", "attack"},
    {"deny", "reject", "dismiss", "refute"},
    {"promise", "pledge", "vow", "commit", "commitment"},
    {"welcome", "hail", "praise", "applaud"},
    {"warn", "caution", "threaten"},
    # office
    {"resign", "resignation", "quit"},
    {"appoint", "nominate", "designate", "appointment", "nomination"},
    {"elect", "election", "vote"},
    {"win", "victory", "triumph"},
    # money and numbers
    {"spend", "spending", "expenditure", "cost"},
    {"cut", "reduce", "reduction", "slash", "suspend", "suspension", "halt", "freeze"},
    {"troop", "soldier", "service member", "servicemember"},
    # letters and messages
    {"letter", "message", "missive"},
    {"partnership", "relationship", "ties", "relation", "alliance"},
    {"renew", "revive", "restore", "rebuild"},
    {"president", "leader"},
    {"insurgent", "militant", "rebel", "guerrilla"},
))

# A word in two classes ("attack", "blast") keeps the first one, so the map is stable.
_CLASS_OF: dict[str, str] = {}
for _cls in SYNONYM_CLASSES:
    _name = "~" + sorted(_cls)[0]
    for _w in sorted(_cls):
        _CLASS_OF.setdefault(_w, _name)


def canonical(lemma: str) -> str:
    """The class name of a lemma ("~aid" for help/support/...), or the lemma itself."""
    return _CLASS_OF.get(lemma, lemma)


def canonical_set(lemmas: Iterable[str]) -> frozenset[str]:
    return frozenset(canonical(w) for w in lemmas)
