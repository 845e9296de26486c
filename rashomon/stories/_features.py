"""What an article says, as weighted keys for story clustering.

An article becomes counts of keys in three groups:

- ``e:`` entities (PERSON, ORG, GPE, NORP, EVENT, LOC, FAC) and canonical actors, normalised
  so that "Trump" and "Donald Trump" share a key (a person's key is the surname) and
  "U.S." and "United States" share one (GPE names resolved to ISO countries);
- ``t:`` key terms: lemma-ish stems of the content words of the headline and body sentences
  (captions, datelines and boilerplate never count) and adjacent-stem bigrams;
- ``n:`` specifics: numbers (years, ordinals, counts, decimals) in the text, resolved dates
  and quantities when the annotate stage produced them.

The counts are turned into TF-IDF vectors by :mod:`._cluster` with IDF fitted on the batch.
Specific entities, numbers and years are what tell two stories of the same kind apart (two
different earthquakes, two different Oscar hosts), so they get their own weight.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ..records import AnnotatedArticle

#: Entity labels that name who/where/what a story is about (dates and numbers go to ``n:``).
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "EVENT", "LOC", "FAC"})
#: Sentence roles whose words count: captions, datelines and boilerplate do not.
TEXT_ROLES = frozenset({"headline", "body"})

_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?|[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_PERSON_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "president", "prime",
    "minister", "senator", "sen", "rep", "gov", "governor", "gen", "general", "col", "capt",
    "king", "queen", "prince", "princess", "pope", "judge", "justice", "secretary", "chief",
    "officer", "sheriff", "coach", "jr", "sr", "ii", "iii", "iv",
})


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    # Reporting verbs and news filler carry no story identity.
    extra = {"said", "says", "say", "told", "tell", "according", "reported", "report", "reports",
             "news", "new", "year", "years", "day", "days", "time", "week", "weeks", "month",
             "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday",
             "friday", "saturday", "sunday", "mr", "mrs", "ms", "dr", "st", "like", "just",
             "people", "updated", "update", "photo", "image", "video", "read", "click"}
    return frozenset(STOP_WORDS) | frozenset(extra)


def _fold(text: str) -> str:
    """Lowercase, curly quotes straightened, accents kept (they tell names apart)."""
    return unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").lower()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light, deterministic suffix stripper: "killings"/"killed"/"kills" -> "kill".

    Not a linguistic lemmatiser (the annotate stage keeps no lemmas in its records); it only
    has to map inflections of one word to one key. Display text comes from the surfaces seen.
    """
    w = word[:-2] if word.endswith("'s") else word
    if len(w) <= 3:
        return w
    # Plural / third person first, then the verb endings: "killings" -> "killing" -> "kill".
    if w.endswith("ies") and len(w) >= 5:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "xes", "zes", "ches", "shes")):
        w = w[:-2]
    elif w.endswith("s") and len(w) >= 4 and w[-2] not in "su'":  # not "boss", "virus"
        w = w[:-1]
    if w.endswith("ing") and len(w) >= 6:
        w = w[:-3]
    elif w.endswith("ied") and len(w) >= 5:
        w = w[:-3] + "y"
    elif w.endswith("ed") and len(w) >= 5:
        w = w[:-2]
    else:
        return w[:-1] if len(w) > 4 and w.endswith("e") else w
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]  # "stopped" -> "stop", but "killed" stays "kill"
    # "charge"/"charged"/"charging" all end as "charg".
    return w[:-1] if len(w) > 4 and w.endswith("e") else w


def number_key(token: str) -> str | None:
    """The key of a number token worth matching on, or None for small, common counts."""
    t = token.lower().replace(",", "")
    m = re.fullmatch(r"(\d+(?:[.:]\d+)?)(st|nd|rd|th|s)?", t)
    if not m:
        return None
    digits, suffix = m.groups()
    if ":" in digits:
        return None  # clock times ("20:09") are not story facts
    if "." in digits:
        return digits
    value = int(digits)
    if suffix == "s" and 1000 <= value <= 2100:
        return f"{value}s"  # "1990s"
    if suffix in {"st", "nd", "rd", "th"}:
        return f"{value}th" if value > 3 else None  # "81st Academy Awards"; not "1st", "2nd"
    if value < 11:
        return None
    return str(value)


@lru_cache(maxsize=50_000)
def _country_key(name: str) -> str | None:
    import pycountry

    try:
        return str(pycountry.countries.lookup(name).alpha_3).lower()
    except LookupError:
        return None


_COUNTRY_ALIASES = {"america": "usa", "us": "usa", "u s": "usa", "uk": "gbr", "britain": "gbr",
                    "great britain": "gbr", "russia": "rus", "iran": "irn", "syria": "syr",
                    "south korea": "kor", "north korea": "prk", "vietnam": "vnm"}


def entity_key(text: str, label: str) -> str | None:
    """Normalised key of an entity mention: a person by surname, a country by ISO code."""
    s = _fold(text).strip()
    s = re.sub(r"'s$|'$", "", s)
    s = re.sub(r"^the\s+", "", s)
    s = s.replace(".", " ").replace("-", " ")
    words = [w for w in re.split(r"\s+", s) if w and any(c.isalnum() for c in w)]
    if not words:
        return None
    if label == "PERSON":
        names = [w for w in words if w not in _PERSON_TITLES]
        if not names:
            return None
        return names[-1] if len(names[-1]) > 1 else None
    key = " ".join(words)
    if label == "GPE":
        compact = key.replace(" ", "")
        alias = _COUNTRY_ALIASES.get(key) or _COUNTRY_ALIASES.get(compact)
        if alias:
            return alias
        if len(key) > 3 or compact.isupper():
            code = _country_key(key)
            if code:
                return code
    if len(key) < 2:
        return None
    return key


@dataclass(slots=True)
class ArticleFeatures:
    """Raw key counts of one article, plus the surface forms seen for each key."""

    article_id: str
    published: str | None
    counts: Counter[str] = field(default_factory=Counter)  # weighted: values may be fractional
    surfaces: dict[str, str] = field(default_factory=dict)  # key -> first surface form seen
    title: str = ""
    has_title: bool = False  # the title came from the article's metadata, not its lead
    #: Years named in the headline and the first text sentences: a lead dates its event
    #: (datelines, "on Sunday, May 24, 2005", "the 2008-09 season"); background years mostly
    #: come later in the body.
    lead_years: frozenset[str] = frozenset()


def embedding_text(item: AnnotatedArticle, sentences: int = 3) -> str:
    """The text an article is embedded by: its title and first ``sentences`` text sentences."""
    art = item.article
    lead = [art.text[s.start:s.end] for s in item.sentences if s.role in TEXT_ROLES][:sentences]
    if art.title and (not lead or not lead[0].startswith(art.title)):
        lead.insert(0, art.title)
    return " ".join(" ".join(lead).split())


_YEAR = re.compile(r"(?<![\d.,:-])(19\d\d|20\d\d)(?![\d.,:/]\d|s\b|\s*(?:%|per\s?cent))")


def lead_years(item: AnnotatedArticle, sentences: int = 3) -> frozenset[str]:
    """Years named in an article's first ``sentences`` text sentences (headline included)."""
    art = item.article
    lead = [s for s in item.sentences if s.role in TEXT_ROLES][:sentences]
    return frozenset(y for s in lead for y in _YEAR.findall(art.text[s.start:s.end]))


def extract(item: AnnotatedArticle, *, headline_boost: float = 2.0, bigrams: bool = True,
            position_decay: float = 0.0, lead_sentences: int = 3) -> ArticleFeatures:
    """Key counts of one annotated article (see the module docstring).

    Headline words count ``headline_boost`` times; the k-th body sentence counts
    ``1 / (1 + position_decay * k)``: news leads with the event, background comes later.
    """
    art = item.article
    feats = ArticleFeatures(article_id=art.id, published=art.published,
                            lead_years=lead_years(item, lead_sentences))
    counts = feats.counts
    surfaces = feats.surfaces
    stops = _stop_words()
    text_sents = {s.index for s in item.sentences if s.role in TEXT_ROLES}
    headline_sents = {s.index for s in item.sentences if s.role == "headline"}
    if not headline_sents and item.sentences:
        # No headline paragraph: the title (if any) is not in the text, the first sentence leads.
        headline_sents = {item.sentences[0].index}

    def add(key: str, surface: str, weight: float) -> None:
        counts[key] += weight  # type: ignore[assignment]  # weighted counts are fractional
        old = surfaces.get(key)
        # Terms are shown as written in running text ("peace"), not as headline-cased.
        if old is None or (key[0] == "t" and old != old.lower() and surface == surface.lower()):
            surfaces[key] = surface

    weight_of: dict[int, float] = {}
    rank = 0
    for sent in item.sentences:
        if sent.index in headline_sents:
            weight_of[sent.index] = headline_boost
        elif sent.index in text_sents:
            weight_of[sent.index] = 1.0 / (1.0 + position_decay * rank)
            rank += 1

    for sent in item.sentences:
        if sent.index not in text_sents:
            continue
        w = weight_of[sent.index]
        prev: tuple[str, str] | None = None
        # NFKC once per sentence (cheap per-token folding after that).
        for m in _TOKEN.finditer(unicodedata.normalize("NFKC", sent.text)):
            tok = m.group(0)
            if tok[0].isdigit():
                nk = number_key(tok)
                if nk:
                    add("n:" + nk, tok, w)
                prev = None
                continue
            low = tok.lower().replace("’", "'")
            if low in stops or len(low) < 2:
                prev = None
                continue
            st = stem(low)
            add("t:" + st, tok, w)
            if bigrams and prev is not None:
                add(f"t:{prev[0]} {st}", f"{prev[1]} {tok}", w)
            prev = (st, tok)
    # A real title first; otherwise the lead sentence (shortened), so a story always has one.
    feats.title = art.title or ""
    if not feats.title:
        lead = next((s.text for s in item.sentences if s.index in headline_sents), "")
        feats.title = lead if len(lead) <= 120 else lead[:117].rsplit(" ", 1)[0] + "…"
    feats.has_title = bool(art.title)

    for ent in item.entities:
        if ent.label not in ENTITY_LABELS or ent.sentence_index not in text_sents:
            continue
        key = entity_key(ent.text, ent.label)
        if key:
            add("e:" + key, ent.text, weight_of[ent.sentence_index])
    for actor in item.actors:
        label = {"person": "PERSON", "country": "GPE"}.get(actor.kind, "ORG")
        key = entity_key(actor.name, label)
        if key:
            add("e:" + key, actor.name, max(1, len(actor.mentions)))
    for dm in item.dates:
        if dm.resolved and dm.sentence_index in text_sents:
            add("n:" + dm.resolved, dm.phrase, weight_of[dm.sentence_index])
    for q in item.quantities:
        if q.sentence_index in text_sents and q.value:
            value = f"{q.value:g}"
            add(f"n:{value} {q.unit}" if q.unit else "n:" + value, q.phrase, weight_of[q.sentence_index])
    return feats


def display(key: str, surfaces: Iterable[str]) -> str:
    """A readable form of a key from the surface forms seen for it (most frequent wins)."""
    c = Counter(surfaces)
    if not c:
        return key.split(":", 1)[1]
    best = max(c.items(), key=lambda kv: (kv[1], kv[0][:1].isupper(), -len(kv[0]), kv[0]))[0]
    return best
