"""Online story clustering: one pass over a date-sorted stream, an inverted index, no K.

The online pass sees articles by date; within a day, and among undated articles, the most
central article of the batch comes first (``stream_order="central"``), so the result does not
depend on the order the caller passed them in. How an article finds its story:

1. Its key counts (:mod:`._features`) become one L2-normalised vector: each group
   (entities ``e:``, terms ``t:``, numbers ``n:``) is TF-IDF weighted (sublinear TF, IDF fitted
   on the batch, optionally blended with background document frequencies), normalised on its
   own and scaled by the square root of the group's weight, so the cosine of two articles is
   the weight-averaged cosine of their groups.
2. Candidate stories are those sharing one of the article's most weighted keys, found in an
   inverted index keyed by (key, time bucket of ``ceil(window_days)`` days): a dated article
   reads only the buckets its window touches; an undated one reads the newest
   ``max_postings`` stories of each key. Only stories within ``window_days`` of the article
   qualify (undated articles and stories match on content only), and only the
   ``max_candidates`` sharing the most key weight are scored, so the work per article is
   bounded and the whole run grows linearly with the number of articles.
3. The similarity to a candidate is the cosine to its centroid (``linkage="centroid"``, the
   default), the mean cosine to its members (``"average"``) or the best member
   (``"max"``), lowered by ``time_decay`` × (gap / window). The best candidate at or above
   ``threshold`` takes the article; otherwise the article starts a new story. When the
   article's lead (headline and first ``lead_sentences`` sentences) names years and the
   candidate story's leads date it to another year, the similarity is multiplied by
   ``lead_year_penalty``: two reports of the same kind of event years apart share
   everything but the date.
4. Batch passes, once every article has been seen: each article is re-assigned to its best
   centroid (``refine`` passes); a story whose 2-means halves separate well (mean silhouette
   >= ``split_threshold``) is split, undoing an early join of two same-kind events, and so
   is a story whose members dated to its lead year separate from the rest at
   ``dated_split_threshold``; stories whose centroids reach ``merge_threshold`` merge (off
   by default), and so do stories dated to the same year at ``dated_merge_threshold``;
   stories left with at most ``absorb_size`` articles join the nearest bigger story whose
   centroid is at least ``absorb_threshold`` similar. Every pass reads candidates from the
   same index.
5. Copies (``Article.duplicate_of`` naming an article of the run or of an existing story)
   join their original's story without voting in its centroid, marked ``copy_of``.

Explanations are computed on the final stories: a member "shares" the keys contributing
most to its cosine with the rest of its story (leave-one-out centroid).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from itertools import repeat
from operator import mul
from typing import Any

from ..errors import ConfigError
from ..records import AnnotatedArticle, Story, StoryMember
from ._features import ArticleFeatures, display, embedding_text, extract, stem

METHOD = "rashomon.stories.v3"
_LINKAGES = ("centroid", "average", "max")
_ORDERS = ("central", "input")


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Every knob of :func:`cluster`; defaults tuned on ECB+ train (docs/sections/stories-*.md)."""

    window_days: float = 3.0
    threshold: float = 0.2
    linkage: str = "centroid"
    entity_weight: float = 0.35
    term_weight: float = 1.0
    number_weight: float = 0.5
    headline_boost: float = 2.0
    bigrams: bool = True
    position_decay: float = 0.0  # body sentence k weighs 1 / (1 + decay * k)
    drop_singletons: bool = False  # drop keys no other article of the batch has
    time_decay: float = 0.1  # similarity lost at a gap of one full window
    candidate_keys: int = 24  # keys per article used to find candidate stories
    max_postings: int = 256  # newest stories looked at per key
    max_candidates: int = 16  # stories scored per article: those sharing the most index keys
    refine: int = 1  # re-assignment passes after the online pass
    merge_threshold: float | None = None  # centroid cosine at which stories merge; None: off
    split_threshold: float | None = 0.45  # split a story whose 2-means halves separate this well
    min_split: int = 4  # smallest story a split is tried on (each half keeps >= 2 members)
    year_penalty: float = 1.0  # similarity factor when article and story name disjoint years
    lead_year_penalty: float = 0.8  # ... when their leads (first ``lead_sentences``) do
    lead_sentences: int = 3  # text sentences (headline included) whose years date the article
    #: stories dated to the same year by their leads (see ``_lead_year``) merge at this centroid
    #: cosine: one event told from two angles; None: off
    dated_merge_threshold: float | None = 0.2
    #: a dated story also tries the split "members whose leads name its year vs the rest",
    #: accepted at this mean silhouette; None: off
    dated_split_threshold: float | None = 0.3
    max_keys: int = 400  # keys kept per article vector (most weighted first)
    background: Mapping[str, float] | None = None  # key -> document frequency elsewhere
    background_docs: int = 0  # number of documents behind ``background``
    absorb_size: int = 2  # after the batch passes, stories this small join their nearest story ...
    absorb_threshold: float = 0.15  # ... when the two centroids are at least this similar
    stream_order: str = "central"  # within a day and for undated articles: "central" first, or "input"
    #: Weight of a sentence-embedding group ("v:" keys, the [embeddings] extra) next to the
    #: entity / term / number groups; 0 (default) keeps clustering lexical, offline and torch-free.
    embedding_weight: float = 0.0
    embedding_model: str | None = None  # None: $RASHOMON_EMBEDDINGS_MODEL or the packaged MiniLM
    embedding_sentences: int = 3  # headline + lead sentences embedded per article

    def __post_init__(self) -> None:
        if self.linkage not in _LINKAGES:
            raise ConfigError(f"linkage must be one of {_LINKAGES}, not {self.linkage!r}")
        if self.stream_order not in _ORDERS:
            raise ConfigError(f"stream_order must be one of {_ORDERS}, not {self.stream_order!r}")
        if self.window_days <= 0:
            raise ConfigError("window_days must be positive")
        if not 0 <= self.threshold <= 1:
            raise ConfigError("threshold must be within [0, 1]")
        if min(self.entity_weight, self.term_weight, self.number_weight, self.embedding_weight) < 0:
            raise ConfigError("group weights must be >= 0")
        if self.entity_weight + self.term_weight + self.number_weight <= 0:
            raise ConfigError("at least one group weight must be positive")


#: ``--embeddings``: the sentence-embedding group and the threshold that goes with it (a dense
#: group raises every pair's similarity a little), chosen together on ECB+ train
#: (docs/sections/stories-evaluation.md: better topic grouping, no subtopic gain).
EMBEDDING_PRESET: Mapping[str, Any] = {"embedding_weight": 0.25, "threshold": 0.25}


def make_config(config: ClusterConfig | None = None, **overrides: Any) -> ClusterConfig:
    """A config from defaults (or ``config``) plus keyword overrides; unknown keys fail loudly."""
    base = config or ClusterConfig()
    known = {f.name for f in fields(ClusterConfig)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ConfigError(f"unknown story clustering option(s) {unknown}; known: {sorted(known)}")
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return replace(base, **overrides) if overrides else base


def day_number(published: str | None) -> int | None:
    """Proleptic ordinal of an ISO publication date (None when missing or malformed)."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def embed_articles(items: Sequence[AnnotatedArticle], cfg: ClusterConfig) -> list[Sequence[float]]:
    """Sentence embeddings of each article's headline and lead (the ``[embeddings]`` extra)."""
    from ..embeddings import load_encoder

    texts = [embedding_text(a, cfg.embedding_sentences) for a in items]
    return list(load_encoder(cfg.embedding_model).encode(texts))


def _short_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def story_id(founder_article_id: str) -> str:
    """A story is named after the article that founded it: stable as the story grows."""
    return "st_" + _short_id(founder_article_id)


@dataclass(slots=True)
class _Story:
    id: str
    members: list[int] = field(default_factory=list)  # article indices voting in the centroid
    copies: list[tuple[int, str]] = field(default_factory=list)  # (copy index, original id)
    extra_ids: list[str] = field(default_factory=list)  # existing members without features
    old_members: dict[str, StoryMember] = field(default_factory=dict)
    total: dict[str, float] = field(default_factory=dict)  # sum of member vectors
    norm: float = 0.0  # |total|, kept current
    first: int | None = None
    last: int | None = None
    indexed: set[str] = field(default_factory=set)
    buckets: set[tuple[str, int | None]] = field(default_factory=set)
    alive: bool = True
    fixed: bool = False  # came from ``existing``: grows, but is never split
    old: Story | None = None  # the existing story this one continues
    years: Counter[str] = field(default_factory=Counter)  # year -> members naming it
    lead_years: Counter[str] = field(default_factory=Counter)  # year -> members whose lead names it
    lead_dated: int = 0  # members whose lead names a year

    def add(self, idx: int, vec: Mapping[str, float], day: int | None,
            lead_years: frozenset[str] = frozenset()) -> None:
        # |T + v|² = |T|² + 2 v·T + |v|²: kept incrementally, a big story costs no more.
        d = _dot(vec, self.total)
        self.members.append(idx)
        self.years.update(_years(vec))
        self.lead_years.update(lead_years)
        self.lead_dated += bool(lead_years)
        _add_into(self.total, vec, 1.0)
        self.norm = math.sqrt(max(0.0, self.norm**2 + 2 * d + _dot(vec, vec)))
        if day is not None:
            self.first = day if self.first is None else min(self.first, day)
            self.last = day if self.last is None else max(self.last, day)

    def remove(self, idx: int, vec: Mapping[str, float], lead_years: frozenset[str] = frozenset()) -> None:
        self.members.remove(idx)
        self.years.subtract(_years(vec))
        self.years = +self.years
        self.lead_years.subtract(lead_years)
        self.lead_years = +self.lead_years
        self.lead_dated -= bool(lead_years)
        _add_into(self.total, vec, -1.0)
        self.norm = _norm(self.total)  # rare (refinement only): recompute exactly


def _lead_year(years: Counter[str], dated: int) -> str | None:
    """The year a story's leads date it to: named in the leads of at least two members and
    of at least half of the members whose leads name a year (a lone background year,
    "born in 1923", dates nothing). Ties go to the latest year."""
    if not years:
        return None
    top = max(years.values())
    if top < 2 or 2 * top < dated:
        return None
    return max(y for y, c in years.items() if c == top)


def _years(vec: Mapping[str, float]) -> list[str]:
    return [k for k in vec if len(k) == 6 and k.startswith(("n:19", "n:20")) and k[2:].isdigit()]


def _add_into(acc: dict[str, float], vec: Mapping[str, float], sign: float) -> None:
    get = acc.get
    for k, v in vec.items():
        nv = get(k, 0.0) + sign * v
        if -1e-12 < nv < 1e-12:  # abs(nv) < 1e-12, without the call (a hot loop)
            acc.pop(k, None)
        else:
            acc[k] = nv


def _norm(vec: Mapping[str, float]) -> float:
    return math.sqrt(sum(map(mul, vec.values(), vec.values())))


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    # The clustering's inner loop (most of a block task's time). map() over C callables is
    # about 3x a generator and adds the same products in the same order: the same floats.
    if len(a) > len(b):
        a, b = b, a
    return sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))


class _Run:
    """State of one clustering run (no module-level state: safe in Spark workers)."""

    def __init__(self, items: Sequence[AnnotatedArticle], feats: Sequence[ArticleFeatures],
                 cfg: ClusterConfig, embeddings: Sequence[Sequence[float]] | None = None) -> None:
        self.items = items
        self.feats = feats
        self.cfg = cfg
        self.days = [day_number(f.published) for f in feats]
        if embeddings is None and cfg.embedding_weight > 0:
            embeddings = embed_articles(items, cfg)
        self.embeddings = embeddings
        self.vecs = self._vectors()
        self.stories: list[_Story] = []
        self.story_of: dict[int, int] = {}  # article index -> story index
        self.index: dict[str, list[int]] = defaultdict(list)  # key -> story indices, oldest first
        # (key, time bucket) -> story indices: a dated article only reads the buckets its
        # window touches, so postings stay short however long the stream gets.
        self.bindex: dict[tuple[str, int | None], list[int]] = defaultdict(list)
        self.bucket_width = max(1, math.ceil(cfg.window_days))
        self.best_rejected: dict[int, float] = {}
        self._index_keys: dict[int, list[str]] = {}

    # -- vectors -------------------------------------------------------------------------------
    def _vectors(self) -> list[dict[str, float]]:
        cfg = self.cfg
        df: Counter[str] = Counter()
        for f in self.feats:
            df.update(f.counts.keys())
        self.df = df
        n = len(self.feats) + cfg.background_docs
        bg = cfg.background or {}
        weights = {"e": cfg.entity_weight, "t": cfg.term_weight, "n": cfg.number_weight}
        vecs: list[dict[str, float]] = []
        for f in self.feats:
            groups: dict[str, dict[str, float]] = {"e": {}, "t": {}, "n": {}}
            for key, tf in f.counts.items():
                if cfg.drop_singletons and df[key] < 2 and not bg.get(key):
                    continue
                idf = math.log((1 + n) / (1 + df[key] + bg.get(key, 0.0))) + 1.0
                groups[key[0]][key] = (1.0 + math.log(tf)) * idf if tf >= 1 else tf * idf
            vec: dict[str, float] = {}
            for g, gv in groups.items():
                gn = _norm(gv)
                if gn == 0 or weights[g] == 0:
                    continue
                scale = math.sqrt(weights[g]) / gn
                for k, v in gv.items():
                    vec[k] = v * scale
            if len(vec) > cfg.max_keys:
                vec = dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[: cfg.max_keys])
            if self.embeddings is not None and cfg.embedding_weight > 0:
                # a dense group: every dimension is a key, never an index key (see index_keys)
                emb = self.embeddings[len(vecs)]
                en = math.sqrt(sum(float(x) * float(x) for x in emb))
                if en > 0:
                    scale = math.sqrt(cfg.embedding_weight) / en
                    for d, x in enumerate(emb):
                        vec[f"v:{d}"] = float(x) * scale
            total = _norm(vec)
            vecs.append({k: v / total for k, v in vec.items()} if total else {})
        return vecs

    def index_keys(self, idx: int) -> list[str]:
        """The article's most weighted keys that some other article also has."""
        keys = self._index_keys.get(idx)
        if keys is None:
            vec = self.vecs[idx]
            bg = self.cfg.background or {}
            # embedding dimensions are shared by every article: they score, they never find
            keys = [k for k in vec if not k.startswith("v:") and (self.df[k] > 1 or bg.get(k, 0) > 0)]
            keys.sort(key=lambda k: (-vec[k], k))
            keys = self._index_keys[idx] = keys[: self.cfg.candidate_keys]
        return keys

    def stream_order(self, order: Sequence[int]) -> list[int]:
        """The order of the online pass: by date, and within a day (or among undated
        articles) the most central first. Stories then grow from their most typical reports,
        not from whichever came first in the input, and the result no longer depends on the
        input order (ECB+ train: B³ F1 0.907-0.923 over four input orders before, one
        result after).

        An article's centrality is its summed similarity, over its index keys, to the
        articles of the same day (undated: to the undated ones) through their index keys.
        Only articles sharing an index key contribute, so a block of the Spark job (a
        connected component of shared index keys) orders its articles exactly as one run
        over the whole corpus does.
        """
        if self.cfg.stream_order == "input":
            return list(order)  # already stable-sorted by date
        sums: dict[tuple[int | None, str], float] = defaultdict(float)
        for i in order:
            for k in self.index_keys(i):
                sums[(self.days[i], k)] += self.vecs[i][k]
        central = {}
        for i in order:
            vec, day = self.vecs[i], self.days[i]
            # Rounded: the sums' float order must not decide between near-equal articles.
            central[i] = round(sum(vec[k] * (sums[(day, k)] - vec[k]) for k in self.index_keys(i)), 9)
        return sorted(order, key=lambda i: (self.days[i] is None, self.days[i] or 0,
                                            -central[i], self.feats[i].article_id))

    # -- similarity ----------------------------------------------------------------------------
    def gap(self, idx: int, s: _Story) -> float | None:
        day = self.days[idx]
        if day is None or s.first is None or s.last is None:
            return None
        if s.first <= day <= s.last:
            return 0.0
        return float(min(abs(day - s.first), abs(day - s.last)))

    def similarity(self, idx: int, s: _Story, *, exclude_self: bool = False) -> float:
        vec = self.vecs[idx]
        n = len(s.members)
        d = _dot(vec, s.total)
        norm = s.norm
        if exclude_self:  # the story without this article (which is one of its members)
            if n <= 1:
                return 0.0
            self_sq = _dot(vec, vec)
            d, n = d - self_sq, n - 1
            norm = math.sqrt(max(0.0, norm**2 - 2 * (d + self_sq) + self_sq))
        if n == 0 or norm <= 1e-9:
            return 0.0
        linkage = self.cfg.linkage
        if linkage == "centroid":
            sim = d / norm
        elif linkage == "average":
            sim = d / n
        else:
            sim = max((_dot(vec, self.vecs[m]) for m in s.members if not (exclude_self and m == idx)),
                      default=0.0)
        if self.cfg.year_penalty != 1.0:
            ys = _years(vec)
            others = s.years
            if exclude_self:
                others = others - Counter(ys)
            if ys and others and not any(y in others for y in ys):
                sim *= self.cfg.year_penalty
        if self.cfg.lead_year_penalty != 1.0 and self.conflicting_years(idx, s, exclude_self):
            sim *= self.cfg.lead_year_penalty
        g = self.gap(idx, s)
        if g is not None:
            sim *= 1.0 - self.cfg.time_decay * min(1.0, g / self.cfg.window_days)
        return sim

    def conflicting_years(self, idx: int, s: _Story, exclude_self: bool = False) -> bool:
        """True when the article's lead names years, none of them named in the leads of a
        story that is dated (:func:`_lead_year`). Two reports of the same kind of event years
        apart (a coach fired in 2005 and in 2008) share everything but the date."""
        lys = self.feats[idx].lead_years
        if not lys:
            return False
        years, dated = s.lead_years, s.lead_dated
        if exclude_self:
            years, dated = years - Counter(lys), dated - 1
        return lys.isdisjoint(years) and _lead_year(years, dated) is not None

    def candidates(self, idx: int) -> list[int]:
        """Live stories within the window that share the most index keys with the article."""
        hits: dict[int, float] = defaultdict(float)  # story -> shared key weight
        cap = self.cfg.max_postings
        vec = self.vecs[idx]
        day = self.days[idx]
        buckets: tuple[int | None, ...] = ()
        if day is not None:
            b = day // self.bucket_width
            buckets = (b - 1, b, b + 1, None)  # None: stories with no dated member
        for key in self.index_keys(idx):
            w = vec[key]
            if day is None:
                lists = [self.index.get(key, [])[-cap:]]
            else:
                lists = [self.bindex[(key, bk)][-cap:] for bk in buckets if (key, bk) in self.bindex]
            for posting in lists:
                for si in posting:
                    hits[si] += w
        out = []
        for si, _w in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0])):
            s = self.stories[si]
            if not s.alive:
                continue
            g = self.gap(idx, s)
            if g is not None and g > self.cfg.window_days:
                continue
            out.append(si)
            if len(out) >= self.cfg.max_candidates:
                break
        return sorted(out)

    def best(self, idx: int, *, current: int | None = None) -> tuple[int | None, float]:
        best_si, best_sim = None, -1.0
        for si in self.candidates(idx):
            sim = self.similarity(idx, self.stories[si], exclude_self=si == current)
            if sim > best_sim:  # strict: ties go to the older story (lower index)
                best_si, best_sim = si, sim
        return best_si, best_sim

    # -- mutation ------------------------------------------------------------------------------
    def new_story(self, sid: str) -> int:
        self.stories.append(_Story(id=sid))
        return len(self.stories) - 1

    def join(self, idx: int, si: int) -> None:
        s = self.stories[si]
        s.add(idx, self.vecs[idx], self.days[idx], self.feats[idx].lead_years)
        self.story_of[idx] = si
        day = self.days[idx]
        bucket = None if day is None else day // self.bucket_width
        for key in self.index_keys(idx):
            if key not in s.indexed:
                s.indexed.add(key)
                self.index[key].append(si)
            if (key, bucket) not in s.buckets:
                s.buckets.add((key, bucket))
                self.bindex[(key, bucket)].append(si)

    def move(self, idx: int, to: int) -> None:
        frm = self.story_of[idx]
        self.stories[frm].remove(idx, self.vecs[idx], self.feats[idx].lead_years)
        if not self.stories[frm].members and not self.stories[frm].extra_ids:
            self.stories[frm].alive = False
        self.join(idx, to)

    def merge(self, keep: int, drop: int) -> None:
        for idx in list(self.stories[drop].members):
            self.move(idx, keep)
        d, k = self.stories[drop], self.stories[keep]
        k.copies.extend(d.copies)
        k.extra_ids.extend(d.extra_ids)
        k.old_members.update(d.old_members)
        d.copies, d.extra_ids, d.alive = [], [], False

    # -- passes --------------------------------------------------------------------------------
    def online(self, order: Sequence[int]) -> None:
        thr = self.cfg.threshold
        for idx in order:
            si, sim = self.best(idx)
            if si is not None and sim >= thr:
                self.join(idx, si)
            else:
                if si is not None:
                    self.best_rejected[idx] = sim
                self.join(idx, self.new_story(story_id(self.feats[idx].article_id)))

    def reassign(self, order: Sequence[int]) -> int:
        moved = 0
        for idx in order:
            cur = self.story_of[idx]
            own = self.similarity(idx, self.stories[cur], exclude_self=True)
            si, sim = self.best(idx, current=cur)
            if si is not None and si != cur and sim > own and sim >= self.cfg.threshold:
                self.move(idx, si)
                moved += 1
        return moved

    def two_means(self, members: Sequence[int]) -> tuple[list[int], list[int]]:
        """Deterministic 2-means (cosine) of a story's members, farthest-first seeds."""
        vecs = self.vecs
        total: dict[str, float] = {}
        for m in members:
            _add_into(total, vecs[m], 1.0)
        a = min(members, key=lambda m: (_dot(vecs[m], total), m))
        b = min(members, key=lambda m: (_dot(vecs[m], vecs[a]), m))
        ca, cb = dict(vecs[a]), dict(vecs[b])
        side_a: list[int] = []
        side_b: list[int] = []
        for _ in range(10):
            na, nb = _norm(ca) or 1.0, _norm(cb) or 1.0
            new_a = [m for m in members if _dot(vecs[m], ca) / na >= _dot(vecs[m], cb) / nb]
            in_a = set(new_a)
            new_b = [m for m in members if m not in in_a]
            if new_a == side_a and new_b == side_b:
                break
            side_a, side_b = new_a, new_b
            ca, cb = {}, {}
            for m in side_a:
                _add_into(ca, vecs[m], 1.0)
            for m in side_b:
                _add_into(cb, vecs[m], 1.0)
        return side_a, side_b

    def separation(self, side_a: Sequence[int], side_b: Sequence[int], ca: dict[str, float],
                   cb: dict[str, float]) -> float:
        """Mean silhouette of a 2-way split, cosine to each side's centroid (own side
        without the member itself): near 0 for an arbitrary cut of one story, high for two."""
        na, nb = _norm(ca), _norm(cb)
        total = 0.0
        for own_side, c_own, n_own, c_other, n_other in ((side_a, ca, na, cb, nb), (side_b, cb, nb, ca, na)):
            for m in own_side:
                v = self.vecs[m]
                d = _dot(v, c_own)
                loo = math.sqrt(max(1e-12, n_own**2 - 2 * d + 1.0))
                own = (d - 1.0) / loo
                other = _dot(v, c_other) / (n_other or 1.0)
                total += (own - other) / max(own, other, 1e-9)
        return total / (len(side_a) + len(side_b))

    def _halves_separate(self, side_a: Sequence[int], side_b: Sequence[int], thr: float) -> bool:
        if len(side_a) < 2 or len(side_b) < 2:
            return False
        ca: dict[str, float] = {}
        cb: dict[str, float] = {}
        for m in side_a:
            _add_into(ca, self.vecs[m], 1.0)
        for m in side_b:
            _add_into(cb, self.vecs[m], 1.0)
        return self.separation(side_a, side_b, ca, cb) >= thr

    def split_candidate(self, s: _Story, thr: float) -> tuple[list[int], list[int]] | None:
        """Two halves of the story that separate well enough to split it, or None.

        First the plain 2-means halves. Then, for a story its leads date to a year, the
        members whose leads name that year against the rest (2-means with the dated
        members pinned): the halves an undated report of the same kind of event from
        another year would leave."""
        side_a, side_b = self.two_means(s.members)
        if self._halves_separate(side_a, side_b, thr):
            return side_a, side_b
        dthr = self.cfg.dated_split_threshold
        year = _lead_year(s.lead_years, s.lead_dated)
        if dthr is None or year is None:
            return None
        pinned = {m for m in s.members if year in self.feats[m].lead_years}
        side_b = [m for m in s.members if m not in pinned]
        for _ in range(10):
            if len(side_b) < 2:
                return None
            ca: dict[str, float] = {}
            cb: dict[str, float] = {}
            in_b = set(side_b)
            for m in s.members:
                _add_into(cb if m in in_b else ca, self.vecs[m], 1.0)
            na, nb = _norm(ca) or 1.0, _norm(cb) or 1.0
            new_b = [m for m in s.members
                     if m not in pinned and _dot(self.vecs[m], cb) / nb > _dot(self.vecs[m], ca) / na]
            if new_b == side_b:
                break
            side_b = new_b
        in_b = set(side_b)
        side_a = [m for m in s.members if m not in in_b]
        return (side_a, side_b) if self._halves_separate(side_a, side_b, dthr) else None

    def split_pass(self) -> int:
        """Split stories that are two stories: an early wrong join makes a mixed centroid
        that attracts both, and no re-assignment can undo that."""
        thr = self.cfg.split_threshold
        if thr is None:
            return 0
        splits = 0
        queue = [si for si, s in enumerate(self.stories) if s.alive]
        while queue:
            si = queue.pop(0)
            s = self.stories[si]
            if not s.alive or s.fixed or len(s.members) < self.cfg.min_split:
                continue
            sides = self.split_candidate(s, thr)
            if sides is None:
                continue
            side_a, side_b = sides
            # The side without the founder leaves; it is named after its own first member.
            founder = s.members[0] if s.members else None
            leave = side_b if founder in side_a else side_a
            first = min(leave)
            ni = self.new_story(story_id(self.feats[first].article_id))
            for m in sorted(leave):
                self.move(m, ni)
            splits += 1
            queue.extend([si, ni])
        return splits

    def refine_batch(self, order: Sequence[int]) -> None:
        """The batch passes after the online one (the whole batch is known by then)."""
        for _ in range(self.cfg.refine):
            if not self.reassign(order):
                break
        if self.split_pass():
            for _ in range(self.cfg.refine):
                if not self.reassign(order):
                    break
        self.merge_pass()
        self.dated_merge_pass()
        self.absorb_pass()

    def neighbours(self, si: int) -> list[int]:
        """Live stories sharing one of the story's heaviest keys, within the time window."""
        s = self.stories[si]
        cands: set[int] = set()
        for key in sorted(s.total, key=lambda k: (-s.total[k], k))[: self.cfg.candidate_keys]:
            cands.update(self.index.get(key, ())[-self.cfg.max_postings:])
        out = []
        for sj in sorted(cands):
            t = self.stories[sj]
            if sj == si or not t.alive or t.norm == 0:
                continue
            if (s.first is not None and t.first is not None and s.last is not None
                    and t.last is not None
                    and max(s.first, t.first) - min(s.last, t.last) > self.cfg.window_days):
                continue
            out.append(sj)
        return out

    def absorb_pass(self) -> int:
        """Stories left with at most ``absorb_size`` members join the nearest bigger story
        whose centroid is at least ``absorb_threshold`` similar. A one- or two-article story
        is mostly an article told from a side angle that missed its story's centroid by a
        little (ECB+ train: +0.008 B³ F1); a lower bar than ``threshold`` for them only keeps
        big stories from chaining together."""
        size, thr = self.cfg.absorb_size, self.cfg.absorb_threshold
        if size <= 0:
            return 0
        small = [si for si, s in enumerate(self.stories)
                 if s.alive and not s.fixed and 0 < len(s.members) <= size and s.norm > 0]
        small.sort(key=lambda si: (len(self.stories[si].members), si))
        absorbed = 0
        for si in small:
            s = self.stories[si]
            if not s.alive or len(s.members) > size:
                continue
            best, best_sim = None, thr
            for sj in self.neighbours(si):
                t = self.stories[sj]
                if len(t.members) <= len(s.members):
                    continue  # small stories join bigger ones, never each other
                sim = _dot(s.total, t.total) / (s.norm * t.norm)
                if sim >= best_sim:
                    best, best_sim = sj, sim
            if best is not None:
                self.merge(best, si)
                absorbed += 1
        return absorbed

    def dated_merge_pass(self) -> int:
        """Stories whose leads date them to the same year and whose centroids are at least
        ``dated_merge_threshold`` similar merge, most similar pair first: a year shared in
        the leads plays the part of a publication date when the articles carry none.

        The candidate pairs (each story and its :meth:`neighbours`, a bounded number) are
        listed and sorted once; a pair whose story was merged meanwhile is re-checked with the
        merged story, so the pass stays linear in the number of stories."""
        thr = self.cfg.dated_merge_threshold
        if thr is None:
            return 0
        pairs: list[tuple[float, int, int]] = []
        for si, s in enumerate(self.stories):
            if not s.alive or s.norm == 0:
                continue
            year = _lead_year(s.lead_years, s.lead_dated)
            if year is None:
                continue
            for sj in self.neighbours(si):
                t = self.stories[sj]
                if sj > si and _lead_year(t.lead_years, t.lead_dated) == year:
                    sim = _dot(s.total, t.total) / (s.norm * t.norm)
                    if sim >= thr:
                        pairs.append((-sim, si, sj))
        pairs.sort()
        into: dict[int, int] = {}  # merged story -> the story it went into

        def find(si: int) -> int:
            while si in into:
                si = into[si]
            return si

        merged = 0
        for _, si, sj in pairs:
            si, sj = find(si), find(sj)
            s, t = self.stories[si], self.stories[sj]
            if si == sj or not (s.alive and t.alive) or s.norm == 0 or t.norm == 0:
                continue
            year = _lead_year(s.lead_years, s.lead_dated)
            if year is None or _lead_year(t.lead_years, t.lead_dated) != year:
                continue
            if _dot(s.total, t.total) / (s.norm * t.norm) < thr:
                continue
            keep, drop = (si, sj) if len(s.members) >= len(t.members) else (sj, si)
            self.merge(keep, drop)
            into[drop] = keep
            merged += 1
        return merged

    def merge_pass(self) -> int:
        thr = self.cfg.merge_threshold
        if thr is None:
            return 0
        merged = 0
        for si, s in enumerate(self.stories):
            if not s.alive or s.norm == 0:
                continue
            cands: set[int] = set()
            for key in sorted(s.total, key=lambda k: (-s.total[k], k))[: self.cfg.candidate_keys]:
                cands.update(self.index.get(key, ())[-self.cfg.max_postings:])
            for sj in sorted(cands):
                t = self.stories[sj]
                if sj <= si or not t.alive or t.norm == 0:
                    continue
                if (s.first is not None and t.first is not None and s.last is not None
                        and t.last is not None
                        and max(s.first, t.first) - min(s.last, t.last) > self.cfg.window_days):
                    continue
                if _dot(s.total, t.total) / (s.norm * t.norm) >= thr:
                    self.merge(si, sj)
                    merged += 1
        return merged


def _display_for(keys: Sequence[str], members: Sequence[ArticleFeatures]) -> dict[str, str]:
    out = {}
    for k in keys:
        out[k] = display(k, [f.surfaces[k] for f in members if k in f.surfaces])
    return out


def _pick(keys_by_weight: Sequence[str], members: Sequence[ArticleFeatures], *, entities: int = 3,
          terms: int = 3, numbers: int = 1) -> list[str]:
    """Readable top keys: entities first, then terms not already said, then a number."""
    ents: list[str] = []
    shown: dict[str, str] = {}
    for k in keys_by_weight:
        if len(ents) >= entities:
            break
        if k.startswith("e:"):
            name = _display_for([k], members)[k]
            if name.lower() not in {v.lower() for v in shown.values()}:
                ents.append(k)
                shown[k] = name
    # A term already said by an entity ("Turkmenistan", "Mark Teixeira") is not said twice.
    covered = {stem(w) for k in ents for w in k[2:].split()}
    covered |= {stem(w) for k in ents for w in re.findall(r"[^\W_]+", shown[k].lower())}
    chosen_terms: list[str] = []
    for k in keys_by_weight:
        if not k.startswith("t:") or len(chosen_terms) >= terms:
            continue
        parts = set(k[2:].split())
        if parts <= covered:
            continue
        chosen_terms.append(k)
        covered |= parts
    nums = [k for k in keys_by_weight if k.startswith("n:")][:numbers]
    keys = [*ents, *chosen_terms, *nums]
    shown.update(_display_for([*chosen_terms, *nums], members))
    return [shown[k] for k in keys]


_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE)


def _headline_like(title: str) -> bool:
    """False for empty titles and timestamps that ingest mistook for a headline
    ("18 September 2013 Last updated at 13:59 GMT")."""
    words = re.findall(r"[^\W\d_]{2,}", title)
    if len(words) < 3:
        return False
    return not (_MONTH.search(title) and re.search(r"\b(19|20)\d\d\b", title) and len(title.split()) <= 9)


def _days_phrase(gap: int | None) -> str:
    if gap is None:
        return "no publication date: matched on content only"
    if gap == 0:
        return "published the same day"
    return f"published within {gap} day{'s' if gap != 1 else ''}"


def build_stories(run: _Run) -> list[Story]:
    """Turn the run's internal stories into :class:`Story` records with explanations."""
    out: list[Story] = []
    feats, items = run.feats, run.items
    for s in run.stories:
        if not s.alive:
            continue
        member_feats = [feats[i] for i in s.members]
        vec_total = s.total
        members: dict[str, StoryMember] = {}
        centrality: list[tuple[float, int]] = []
        for idx in s.members:
            vec = run.vecs[idx]
            aid = feats[idx].article_id
            if len(s.members) == 1:
                top = sorted(vec, key=lambda k: (-vec[k], k))
                words = ", ".join(_pick(top, [feats[idx]]))
                rejected = run.best_rejected.get(idx)
                tail = (f"; closest other story scored {rejected:.2f} < {run.cfg.threshold:.2f}"
                        if rejected is not None else "; no other article shares its key terms")
                members[aid] = StoryMember(article_id=aid, why=f"only report on {words}{tail}", score=1.0)
                centrality.append((1.0, idx))
                continue
            rest = dict(vec_total)
            _add_into(rest, vec, -1.0)
            rest_norm = _norm(rest) or 1.0
            contrib = {k: v * rest[k] for k, v in vec.items() if rest.get(k, 0.0) > 0}
            top = sorted(contrib, key=lambda k: (-contrib[k], k))
            others = [feats[i] for i in s.members if i != idx]
            words = ", ".join(_pick(top, [feats[idx], *others]))
            day = run.days[idx]
            other_days = [d for i in s.members if i != idx and (d := run.days[i]) is not None]
            gap = min(abs(day - d) for d in other_days) if day is not None and other_days else None
            score = sum(contrib.values()) / rest_norm
            members[aid] = StoryMember(article_id=aid, why=f"shares {words or 'little'}; {_days_phrase(gap)}",
                                       score=round(score, 4))
            centrality.append((_dot(vec, vec_total), idx))
        titles = {feats[i].article_id: feats[i].title for i in s.members}
        for copy_idx, orig_id in s.copies:
            a = items[copy_idx].article
            how = f"{a.duplicate_kind} duplicate" if a.duplicate_kind else "duplicate"
            sim = f", similarity {a.similarity:.2f}" if a.similarity is not None else ""
            named = f"{titles[orig_id]!r} ({orig_id})" if titles.get(orig_id) else orig_id
            members[a.id] = StoryMember(article_id=a.id, why=f"wire copy ({how}) of {named}{sim}",
                                        score=1.0, copy_of=orig_id)
        for aid in s.extra_ids:
            members.setdefault(aid, s.old_members.get(aid)
                               or StoryMember(article_id=aid, why="member of the existing story"))

        # Member order: stream order (by date), existing-only members first.
        order: list[str] = [aid for aid in s.extra_ids]
        all_idx = sorted([*s.members, *(c for c, _ in s.copies)])
        order += [feats[i].article_id for i in all_idx]
        seen: set[str] = set()
        ordered = [a for a in order if not (a in seen or seen.add(a))]  # type: ignore[func-returns-value]

        # The most central member's headline; timestamps and empty titles skipped.
        ranked = [i for _, i in sorted(centrality, key=lambda t: (-t[0], t[1]))]
        titled = ([i for i in ranked if feats[i].has_title and _headline_like(feats[i].title)]
                  or [i for i in ranked if _headline_like(feats[i].title)] or ranked)
        title = feats[titled[0]].title if titled else ""
        # The story's core: heavy keys that most members share.
        have = Counter(k for i in s.members for k in run.vecs[i])
        n_m = max(1, len(s.members))
        top = sorted(vec_total, key=lambda k: (-vec_total[k] * have[k] / n_m, k))
        core = ", ".join(_pick(top, member_feats, entities=5, terms=4, numbers=1)) if member_feats else ""
        outlets = {items[i].article.outlet for i in all_idx if items[i].article.outlet}
        dated = sorted(p for i in all_idx if (p := feats[i].published))
        span = ""
        if dated:
            span = f", {dated[0][:10]}" + (f" to {dated[-1][:10]}" if dated[-1][:10] != dated[0][:10] else "")
        n_copies = len(s.copies)
        count = f"{len(ordered)} article{'s' if len(ordered) != 1 else ''}"
        if outlets:
            count += f" from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''}"
        if n_copies:
            count += f" ({n_copies} cop{'ies' if n_copies != 1 else 'y'})"
        why = f"about {core}; {count}{span}" if core else f"{count}{span}"
        first = dated[0][:10] if dated else None
        last = dated[-1][:10] if dated else None
        if s.old is not None and not s.members:
            # An existing story none of whose articles were given: kept as it was (plus copies).
            title, why = s.old.title, s.old.why if not s.copies else f"{s.old.why}; {count}"
            first, last = s.old.first_published, s.old.last_published
        elif s.old is not None:
            old_dates = [d for d in (s.old.first_published, s.old.last_published) if d]
            first = min([*old_dates, *([first] if first else [])], default=None)
            last = max([*old_dates, *([last] if last else [])], default=None)
        out.append(Story(
            id=s.id, title=title or "", article_ids=tuple(ordered), why=why,
            members=tuple(members[a] for a in ordered),
            first_published=first, last_published=last, method=METHOD,
        ))
    return out


def _extract(item: AnnotatedArticle, cfg: ClusterConfig) -> ArticleFeatures:
    return extract(item, headline_boost=cfg.headline_boost, bigrams=cfg.bigrams,
                   position_decay=cfg.position_decay, lead_sentences=cfg.lead_sentences)


def cluster(
    articles: Sequence[AnnotatedArticle],
    *,
    window_days: float | None = None,
    threshold: float | None = None,
    existing: Sequence[Story] = (),
    context: Sequence[AnnotatedArticle] = (),
    config: ClusterConfig | None = None,
    features: Mapping[str, ArticleFeatures] | None = None,
    **options: Any,
) -> list[Story]:
    """Group annotated articles into stories (see the module docstring for how).

    ``articles`` are processed in publication-date order (stable; undated articles last,
    matched on content only). ``existing`` stories from an earlier run keep their ids and
    members and can take new members; the annotated articles of their members, when given in
    ``articles`` or ``context``, describe them (members without one stay, but do not vote).
    ``options`` override :class:`ClusterConfig` fields (unknown names raise ``ConfigError``).
    ``features``: key counts already computed by :func:`article_features` under the same
    config, by article id; the articles they cover need only their :class:`Article` (the
    Spark job's block task gets these instead of whole annotated articles).
    Same input, same output: no randomness, every tie broken by order.
    """
    cfg = make_config(config, window_days=window_days, threshold=threshold, **options)
    by_id: dict[str, AnnotatedArticle] = {}
    for a in [*context, *articles]:
        by_id.setdefault(a.article.id, a)
    # Stable date order; undated last. Existing members first so their stories exist.
    existing_ids = {aid for s in existing for aid in s.article_ids}
    pool = list(by_id.values())
    if not pool and not existing:
        return []
    pool_sorted = sorted(range(len(pool)), key=lambda i: (day_number(pool[i].article.published) is None,
                                                         day_number(pool[i].article.published) or 0))
    items = [pool[i] for i in pool_sorted]
    given = features or {}
    feats = [given[a.article.id] if a.article.id in given else _extract(a, cfg) for a in items]
    run = _Run(items, feats, cfg)
    pos = {f.article_id: i for i, f in enumerate(feats)}

    # 1. Existing stories, with the members we can describe.
    for s in existing:
        si = run.new_story(s.id)
        st = run.stories[si]
        st.fixed = True
        st.old = s
        st.old_members = {m.article_id: m for m in s.members}
        copy_of = {m.article_id: m.copy_of for m in s.members if m.copy_of}
        for aid in s.article_ids:
            if aid in pos and aid not in copy_of and pos[aid] not in run.story_of:
                run.join(pos[aid], si)
            else:
                st.extra_ids.append(aid)
        if not st.members:
            st.alive = bool(st.extra_ids)

    # 2. Copies whose original is known wait until the originals are placed.
    def root(aid: str) -> str:
        seen = set()
        while aid in by_id and by_id[aid].article.duplicate_of and aid not in seen:
            seen.add(aid)
            nxt = by_id[aid].article.duplicate_of
            if nxt is None or (nxt not in by_id and nxt not in existing_ids):
                break
            aid = nxt
        return aid

    todo = [i for i in range(len(items)) if i not in run.story_of and items[i].article.id not in existing_ids]
    copies = {i: root(items[i].article.id) for i in todo if items[i].article.duplicate_of}
    copies = {i: r for i, r in copies.items() if r != items[i].article.id}
    originals = [i for i in todo if i not in copies]

    originals = run.stream_order(originals)
    run.online(originals)
    run.refine_batch(originals)

    story_of_id = {feats[i].article_id: si for i, si in run.story_of.items()}
    for si, st in enumerate(run.stories):
        for aid in st.extra_ids:
            story_of_id.setdefault(aid, si)
    for i, r in copies.items():
        home = story_of_id.get(r)
        if home is None:  # the original is in no story (should not happen): cluster on content
            run.online([i])
            continue
        run.stories[home].copies.append((i, r))
    return build_stories(run)
