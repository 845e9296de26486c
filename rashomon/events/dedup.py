"""Deduplicate coded events: one happening, one Event, every citing sentence listed.

GDELT counts one kidnapping hundreds of times and ICEWS does not deduplicate at all; here
the same happening told by several articles (or twice in one) becomes one
:class:`~rashomon.records.Event` whose ``citations`` list every article and sentence,
with a ``confidence`` and a human-readable ``merge_reason``.

Two coded events are the same happening when they are in the same story, have the same
CAMEO root, the same source and target countries with compatible roles (``USAGOV`` and
``USA`` agree, ``USAGOV`` and ``USAMIL`` do not), the same negation, and dates at most
one day apart (a month or week contains its days). Distinct happenings of the same kind
(two visits on different days) stay apart. Event ids hash the story, the actors, the code
root, the date and the first citation, so the same input gives the same ids.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..records import Citation, Event, EventActor
from .codebook import Codebook, load_codebook

__all__ = ["CodedEvent", "dedup_events", "event_id"]

METHOD = "rashomon.events.v1"


@dataclass(frozen=True, slots=True)
class CodedEvent:
    """A sentence-level event with where it came from (input to :func:`dedup_events`)."""

    event: Event  # single-citation event
    outlet: str | None = None


def _day_range(value: str | None) -> tuple[date, date] | None:
    if not value:
        return None
    try:
        if len(value) == 10:
            d = date.fromisoformat(value)
            return d, d
        if "-W" in value:
            year, week = value.split("-W")
            start = date.fromisocalendar(int(year), int(week), 1)
            return start, start + timedelta(days=6)
        if len(value) == 7:
            y, m = int(value[:4]), int(value[5:7])
            start = date(y, m, 1)
            end = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
            return start, end
        if len(value) == 4:
            return date(int(value), 1, 1), date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def dates_compatible(a: str | None, b: str | None, tolerance_days: int = 1) -> bool:
    ra, rb = _day_range(a), _day_range(b)
    if ra is None or rb is None:
        return ra is None and rb is None
    gap = max(ra[0], rb[0]) - min(ra[1], rb[1])
    return gap.days <= tolerance_days


def _actor_key(a: EventActor) -> str:
    return a.country or a.code or ""


def _roles_compatible(a: EventActor, b: EventActor) -> bool:
    return a.role is None or b.role is None or a.role == b.role


def _same(a: Event, b: Event) -> bool:
    return (
        a.story_id == b.story_id
        and a.cameo_root == b.cameo_root
        and a.negated == b.negated
        and _actor_key(a.source_actor) == _actor_key(b.source_actor)
        and _actor_key(a.target_actor) == _actor_key(b.target_actor)
        and _roles_compatible(a.source_actor, b.source_actor)
        and _roles_compatible(a.target_actor, b.target_actor)
        and dates_compatible(a.date, b.date)
    )


def event_id(story_id: str | None, source: EventActor, target: EventActor, root: str,
             day: str | None, first: Citation) -> str:
    key = "|".join([story_id or "", source.code or "", target.code or "", root, day or "",
                    first.article_id, str(first.sentence_index)])
    return "ev_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _best_actor(actors: Sequence[EventActor]) -> EventActor:
    # the most specific code (country + sector) that occurs most often
    counts = Counter(actors)
    return max(counts, key=lambda a: (bool(a.country) + bool(a.role), counts[a], a.code or ""))


def _merge(group: list[Event], outlets: dict[Citation, str | None], cb: Codebook) -> Event:
    group = sorted(group, key=lambda e: (e.citations[0].article_id, e.citations[0].sentence_index))
    cites: list[Citation] = []
    for e in group:
        for c in e.citations:
            if c not in cites:
                cites.append(c)
    codes = Counter(e.cameo_code for e in group)
    code = max(codes, key=lambda c: (codes[c], len(c), c))
    text_dates = Counter(e.date for e in group if e.date_source == "text" and e.date)
    if text_dates:
        # the most precise date the text gives, then the most frequent, then the earliest
        # (later reports tell an earlier happening, never the other way round)
        day: str | None = sorted(text_dates, key=lambda d: (-len(d), -text_dates[d], d))[0]
        dsrc = "text"
    else:
        pub = sorted(e.date for e in group if e.date)
        day, dsrc = (pub[0], group[0].date_source) if pub else (None, "none")
    src = _best_actor([e.source_actor for e in group])
    tgt = _best_actor([e.target_actor for e in group])
    ptype, pmode = cb.plover(code)
    articles = sorted({c.article_id for c in cites})
    n_out = len({outlets.get(c) or c.article_id for c in cites})
    if len(group) == 1:
        reason = None
        conf = 0.7 if dsrc == "text" else 0.6
    else:
        dates = sorted({e.date for e in group if e.date})
        span = f"{dates[0]}..{dates[-1]}" if len(dates) > 1 else (dates[0] if dates else "undated")
        reason = (f"same actors {_actor_key(src) or '?'}→{_actor_key(tgt) or '?'}, same CAMEO root "
                  f"{code[:2]}, dates within 1 day ({span}); {len(articles)} article(s), "
                  f"{n_out} outlet(s), {len(cites)} sentence(s)")
        conf = min(0.99, 0.6 + 0.15 * (n_out - 1) + 0.05 * (len(cites) - n_out) + (0.1 if dsrc == "text" else 0))
    place = next((e.place for e in group if e.place), None)
    first = group[0]
    return Event(
        id=event_id(first.story_id, src, tgt, code[:2], day, cites[0]),
        story_id=first.story_id, source_actor=src, target_actor=tgt,
        action=Counter(e.action for e in group).most_common(1)[0][0],
        cameo_code=code, cameo_root=code[:2], goldstein=cb.goldstein(code),
        plover_type=ptype, plover_mode=pmode, date=day, date_source=dsrc, place=place,
        citations=tuple(cites), negated=first.negated,
        hypothetical=all(e.hypothetical for e in group), future=all(e.future for e in group),
        confidence=round(conf, 3), merge_reason=reason, evidence=first.evidence,
    )


def dedup_events(events: Sequence[Event | CodedEvent], *, codebook: Codebook | None = None) -> list[Event]:
    """Merge events that tell the same happening; returns events sorted by (story, date, id)."""
    cb = codebook or load_codebook()
    outlets: dict[Citation, str | None] = {}
    plain: list[Event] = []
    for item in events:
        if isinstance(item, CodedEvent):
            for c in item.event.citations:
                outlets[c] = item.outlet
            plain.append(item.event)
        else:
            plain.append(item)
    # block by what must be equal, then union-find inside each block
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, e in enumerate(plain):
        blocks[(e.story_id or "", e.cameo_root, _actor_key(e.source_actor), _actor_key(e.target_actor),
                str(e.negated))].append(i)
    parent = list(range(len(plain)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for idx in blocks.values():
        for a_pos, a in enumerate(idx):
            for b in idx[a_pos + 1:]:
                if find(a) != find(b) and _same(plain[a], plain[b]):
                    parent[find(b)] = find(a)
    groups: dict[int, list[Event]] = defaultdict(list)
    for i, e in enumerate(plain):
        groups[find(i)].append(e)
    merged = [_merge(g, outlets, cb) for g in groups.values()]
    merged.sort(key=lambda e: (e.story_id or "", e.date or "", e.id))
    return merged
