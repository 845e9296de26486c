"""The story page's view model, built from the analysis document.

The web UI and the single-file report render the same template from the same view model,
so "the report is the web page" holds by construction. Everything here works on the
plain-dict analysis document (:func:`rashomon.document.build_document`), tolerates parts
that are empty or not computed (no facts, no quotes, no events: the page says so), and
never trusts the text: values stay plain strings and the templates autoescape them.

Sentence highlighting: a fact cites sentences in several articles; a sentence's
*partners* are the other citations of every fact that cites it. The page stores them in
``data-p`` so a click on one sentence lights up its partners in the other columns.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from .svg import KIND_COLORS, stacked_bars, timeline_plot

__all__ = ["KINDS", "KIND_LABELS", "document_view", "outlet_labels", "story_view"]

#: Fact labels in legend order, with the words the page shows.
KIND_LABELS: dict[str, str] = {
    "agreed": "agreed",
    "single_source": "only this outlet",
    "conflict": "conflict",
    "reworded_quote": "reworded quote",
    "different_attribution": "different attribution",
}
KINDS = tuple(KIND_LABELS)
# When a sentence carries several labels, its colour is the most telling one.
_PRECEDENCE = ("conflict", "different_attribution", "reworded_quote", "single_source", "agreed")


def outlet_labels(articles: Iterable[dict[str, Any]]) -> dict[str, str]:
    """A short, unique label per article: its outlet, numbered when an outlet repeats."""
    arts = list(articles)
    base = {a["id"]: (a.get("outlet") or a.get("title") or a["id"][:8]) for a in arts}
    totals = Counter(base.values())
    seen: Counter[str] = Counter()
    out = {}
    for a in arts:
        name = base[a["id"]]
        seen[name] += 1
        out[a["id"]] = name if totals[name] == 1 else f"{name} ({seen[name]})"
    return out


def _key(c: dict[str, Any]) -> str:
    return f"{c.get('article_id')}:{c.get('sentence_index')}"


def _anchor(article_id: str, index: Any) -> str:
    return f"s-{article_id}-{index}"


class _Cites:
    """Turns citations into display items: label, anchor, the cited sentence's text."""

    def __init__(self, articles: dict[str, dict[str, Any]], labels: dict[str, str]) -> None:
        self.labels = labels
        self.text = {f"{a['id']}:{s['index']}": s["text"] for a in articles.values()
                     for s in a.get("sentences", [])}

    def __call__(self, citations: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for c in citations or ():
            aid, idx = c.get("article_id"), c.get("sentence_index")
            out.append({
                "article_id": aid, "sentence_index": idx, "key": _key(c),
                "label": f"{self.labels.get(str(aid), str(aid)[:8])} #{idx}",
                "anchor": _anchor(str(aid), idx), "known": _key(c) in self.text,
                "text": self.text.get(_key(c), ""),
            })
        return out


def story_view(doc: dict[str, Any], story_id: str) -> dict[str, Any]:
    """Everything the story page shows for one story of ``doc``."""
    story = next((s for s in doc.get("stories", []) if s["id"] == story_id), None)
    if story is None:
        raise KeyError(story_id)
    by_id = {a["id"]: a for a in doc.get("articles", [])}
    member_ids = [i for i in story.get("article_ids", []) if i in by_id]
    members = sorted((by_id[i] for i in member_ids),
                     key=lambda a: (a.get("published") or "9999", a.get("outlet") or "", a["id"]))
    labels = outlet_labels(members)
    articles = {a["id"]: a for a in members}
    cites = _Cites(articles, labels)
    in_story = set(member_ids)

    facts = [f for f in doc.get("facts", []) if f.get("story_id") == story_id]
    kinds_of: dict[str, set[str]] = defaultdict(set)
    facts_of: dict[str, list[str]] = defaultdict(list)
    partners: dict[str, set[str]] = defaultdict(set)
    for f in facts:
        keys = [_key(c) for c in f.get("citations", [])]
        for k in keys:
            kinds_of[k].add(f.get("kind", ""))
            facts_of[k].append(f.get("id", ""))
            partners[k].update(x for x in keys if x != k)

    members_why = {m.get("article_id"): m for m in story.get("members", [])}
    art_views = []
    for a in members:
        paragraphs: list[list[dict[str, Any]]] = []
        last_para: Any = object()
        for s in a.get("sentences", []):
            k = f"{a['id']}:{s['index']}"
            kinds = [x for x in _PRECEDENCE if x in kinds_of.get(k, ())]
            sent = {
                "index": s["index"], "text": s["text"], "role": s.get("role", "body"), "key": k,
                "anchor": _anchor(a["id"], s["index"]), "kinds": kinds,
                "primary": kinds[0] if kinds else None,
                "partners": " ".join(sorted(partners.get(k, ()))),
                "facts": " ".join(facts_of.get(k, ())),
            }
            # Sentences of one paragraph flow together; without paragraph numbers (older
            # documents) each sentence stands alone, which still reads fine.
            para = s.get("paragraph", s["index"])
            if para != last_para:
                paragraphs.append([])
                last_para = para
            paragraphs[-1].append(sent)
        counts = Counter(s["primary"] or "none" for p in paragraphs for s in p if s["role"] == "body")
        member = members_why.get(a["id"], {})
        art_views.append({
            **{k: a.get(k) for k in ("id", "title", "outlet", "published", "url", "source",
                                     "author", "dateline", "duplicate_of", "duplicate_kind")},
            "label": labels[a["id"]], "paragraphs": paragraphs, "counts": counts,
            "why": member.get("why") or "", "copy_of": member.get("copy_of"),
        })

    def fact_view(f: dict[str, Any]) -> dict[str, Any]:
        return {**f, "cites": cites(f.get("citations", [])),
                "outlet_names": sorted({labels.get(c.get("article_id"), "?") for c in f.get("citations", [])}),
                "value_rows": [_value_row(x, cites) for x in f.get("values") or ()],
                "diff_rows": [d for x in f.get("diff") or () if (d := _diff_row(x))]}

    fact_groups = []
    for kind in KINDS:
        items = [fact_view(f) for f in facts if f.get("kind") == kind]
        if items:
            fact_groups.append({"kind": kind, "label": KIND_LABELS[kind], "facts": items})
    other = [fact_view(f) for f in facts if f.get("kind") not in KIND_LABELS]
    if other:
        fact_groups.append({"kind": "other", "label": "other", "facts": other})

    quotes = [q for q in doc.get("quotes", []) if q.get("article_id") in in_story]
    actors = {(a.get("article_id"), a.get("id")): a for a in doc.get("actors", [])
              if a.get("article_id") in in_story}
    voices = _voices(art_views, quotes, actors, cites)

    summary = next((s for s in doc.get("summary", []) if s.get("story_id") == story_id), None)
    summary_items = [{"text": s.get("text", ""), "cites": cites(s.get("citations", []))}
                     for s in (summary or {}).get("sentences", [])]
    only = _only(summary, labels, cites)
    timeline = next((t for t in doc.get("timeline", []) if t.get("story_id") == story_id), None)
    entries = [{**e, "cites": cites(e.get("citations", []))} for e in (timeline or {}).get("entries", [])]
    events = [{**e, "cites": cites(e.get("citations", []))}
              for e in doc.get("events", []) if e.get("story_id") == story_id]
    framing = [{k: v for k, v in f.items() if k != "story_id"}
               for f in doc.get("framing", []) if f.get("story_id") == story_id]

    legend = Counter(f.get("kind") for f in facts)
    return {
        "story": story, "articles": art_views, "labels": labels,
        "fact_groups": fact_groups, "n_facts": len(facts),
        "legend": [{"kind": k, "label": KIND_LABELS[k], "count": legend.get(k, 0)} for k in KINDS],
        "voices": voices, "n_quotes": len(quotes),
        "summary": summary_items, "only": only,
        "timeline": entries, "events": events, "framing": [f for f in framing if f],
        "plots": {
            "coverage": _coverage_plot(art_views),
            "voices": _voices_plot(voices) if quotes else None,
            "timeline": timeline_plot(entries, [(a["label"], a["published"]) for a in art_views]),
        },
    }


def _value_row(value: Any, cites: _Cites) -> dict[str, Any]:
    """One side of a conflict: its fields as (name, text) pairs, its citations as chips."""
    if isinstance(value, dict):
        cited = value.get("citations") or ([value] if "sentence_index" in value else [])
        fields = [(str(k), v if isinstance(v, str) else _short(v)) for k, v in value.items()
                  if k not in ("citations", "article_id", "sentence_index")]
        return {"fields": fields, "cites": cites(cited)}
    return {"fields": [("value", _short(value))], "cites": []}


def _diff_row(item: Any) -> dict[str, str] | None:
    """A word-level diff token as (op, text); ops other than insert/delete show as equal."""
    if isinstance(item, dict):
        op = str(item.get("op") or item.get("tag") or item.get("type") or "equal")
        text = item.get("text") or item.get("word") or item.get("words") or ""
        if isinstance(text, list):
            text = " ".join(map(str, text))
        op = {"insert": "ins", "add": "ins", "+": "ins", "delete": "del", "remove": "del", "-": "del"}.get(op, op)
        return {"op": op if op in ("ins", "del") else "eq", "text": str(text)}
    if isinstance(item, str):
        return {"op": "eq", "text": item}
    return None


def _short(value: Any) -> str:
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 200 else text[:199] + "…"


def _only(summary: dict[str, Any] | None, labels: dict[str, str], cites: _Cites) -> list[dict[str, Any]]:
    """The summariser's "what only X says" lists, in whatever shape they arrive.

    Accepts a mapping ``{outlet or article id: [cited text, ...]}`` or a list of
    ``{outlet|article_id, sentences|items: [...]}``; anything else is skipped.
    """
    raw = (summary or {}).get("only")
    groups: list[tuple[str, list[Any]]] = []
    if isinstance(raw, dict):
        groups = [(labels.get(str(k), str(k)), v) for k, v in raw.items() if isinstance(v, list)]
    elif isinstance(raw, list):
        for g in raw:
            if isinstance(g, dict):
                name = g.get("outlet") or labels.get(g.get("article_id", ""), g.get("article_id", "?"))
                items = g.get("sentences") or g.get("items") or g.get("facts") or []
                if isinstance(items, list):
                    groups.append((str(name), items))
    out = []
    for name, items in groups:
        rows = []
        for it in items:
            if isinstance(it, dict):
                rows.append({"text": it.get("text") or it.get("statement") or "",
                             "cites": cites(it.get("citations", []))})
            elif isinstance(it, str):
                rows.append({"text": it, "cites": []})
        if rows:
            out.append({"outlet": name, "items": rows})
    return out


def _voices(art_views: list[dict[str, Any]], quotes: list[dict[str, Any]],
            actors: dict[tuple[Any, Any], dict[str, Any]], cites: _Cites) -> list[dict[str, Any]]:
    """Who each outlet quotes: named vs anonymous, grouped by the speaker's country and role."""
    out = []
    for a in art_views:
        qs = [q for q in quotes if q.get("article_id") == a["id"]]
        groups: Counter[tuple[str, str]] = Counter()
        speakers: dict[str, dict[str, Any]] = {}
        for q in qs:
            actor = actors.get((a["id"], q.get("speaker_actor_id"))) or {}
            country = actor.get("country") or "unknown country"
            role = actor.get("role") or "unknown role"
            groups[(country, role)] += 1
            name = q.get("speaker") or q.get("speaker_mention") or "unattributed"
            entry = speakers.setdefault(name, {
                "name": name, "anonymous": bool(q.get("anonymous")), "country": actor.get("country"),
                "role": actor.get("role"), "affiliation": actor.get("affiliation"), "quotes": []})
            entry["quotes"].append({**q, "cites": cites([q])})
        out.append({
            "article_id": a["id"], "label": a["label"], "total": len(qs),
            "named": sum(1 for q in qs if not q.get("anonymous")),
            "anonymous": sum(1 for q in qs if q.get("anonymous")),
            "groups": [{"country": c, "role": r, "count": n} for (c, r), n in sorted(
                groups.items(), key=lambda kv: (-kv[1], kv[0]))],
            "speakers": sorted(speakers.values(), key=lambda s: (-len(s["quotes"]), s["name"])),
        })
    return out


def _coverage_plot(art_views: list[dict[str, Any]]) -> Markup:
    rows = []
    for a in art_views:
        c = a["counts"]
        segs = [(KIND_LABELS[k], c.get(k, 0), KIND_COLORS[k]) for k in KINDS]
        segs.append(("no fact label", c.get("none", 0), KIND_COLORS["none"]))
        rows.append((a["label"], segs))
    return stacked_bars(rows, title="Body sentences per outlet, by fact label")


def _voices_plot(voices: list[dict[str, Any]]) -> Markup:
    rows = [(v["label"], [("named", v["named"], "#1c7ed6"), ("anonymous", v["anonymous"], "#adb5bd")])
            for v in voices]
    return stacked_bars(rows, title="Quotes per outlet: named vs anonymous speakers")


def document_view(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Story views of every story in ``doc``, biggest stories first."""
    stories = sorted(doc.get("stories", []), key=lambda s: (-len(s.get("article_ids", [])), s["id"]))
    return [story_view(doc, s["id"]) for s in stories]
