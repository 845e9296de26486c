"""Readable terminal output for analyses and stories (rich tables)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from ..records import Analysis, AnnotatedArticle, Citation, IngestFailure, Story

_KIND_STYLE = {"agreed": "green", "single_source": "cyan", "conflict": "red bold",
               "reworded_quote": "yellow", "different_attribution": "magenta"}


def print_failures(console: Console, failures: Sequence[IngestFailure]) -> None:
    for f in failures:
        console.print(f"[red]✗[/] {f.source}: {f.reason}", markup=True, highlight=False, soft_wrap=True)


def print_analysis(console: Console, analysis: Analysis, *, db: str | None,
                   json_path: str | None, html_path: str | None) -> None:
    t = Table(title="Articles", title_justify="left")
    for col in ("id", "outlet", "published", "title", "sentences", "captions", "note"):
        t.add_column(col, overflow="fold")
    for a in analysis.articles:
        art = a.article
        roles = Counter(s.role for s in a.sentences)
        note = f"{art.duplicate_kind} copy of {art.duplicate_of[:8]}" if art.duplicate_of else ""
        t.add_row(art.id[:8], art.outlet or "?", art.published or "?", (art.title or "")[:60],
                  str(len(a.sentences)), str(roles.get("caption", 0)), note)
    if len(analysis.articles) <= 40:
        console.print(t)
    print_stories(console, analysis, limit=15)
    print_failures(console, analysis.failures)
    counts = {
        "quotes": sum(len(a.quotes) for a in analysis.articles),
        "dates": sum(len(a.dates) for a in analysis.articles),
        "quantities": sum(len(a.quantities) for a in analysis.articles),
        "facts": len(analysis.facts),
        "events": len(analysis.events),
    }
    console.print(
        f"\n[bold]{len(analysis.articles)}[/] articles read, [bold]{len(analysis.failures)}[/] failed; "
        f"[bold]{len(analysis.stories)}[/] stories; "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
    )
    for label, value in (("store", db), ("json", json_path), ("html", html_path)):
        if value:
            console.print(f"  {label}: {value}")


def print_stories(console: Console, analysis: Analysis, limit: int | None = None) -> None:
    by_id = {a.article.id: a.article for a in analysis.articles}
    multi = sorted(analysis.stories, key=lambda s: (-len(s.article_ids), s.id))
    t = Table(title=f"Stories ({len(analysis.stories)})", title_justify="left")
    for col in ("id", "articles", "outlets", "title", "why"):
        t.add_column(col, overflow="fold")
    for s in multi[:limit]:
        outlets = sorted({by_id[i].outlet or "?" for i in s.article_ids if i in by_id})
        t.add_row(s.id[:10], str(len(s.article_ids)), ", ".join(outlets), s.title[:60], s.why[:90])
    console.print(t)
    if limit and len(multi) > limit:
        console.print(f"  … {len(multi) - limit} more (rashomon show ID)")


def print_story(console: Console, analysis: Analysis, story: Story) -> None:
    by_id = {a.article.id: a for a in analysis.articles}
    console.rule(f"[bold]{story.title}")
    console.print(f"story {story.id} — {story.why}\n")
    for m in story.members or ():
        art = by_id.get(m.article_id)
        if art:
            a = art.article
            copy = f" (copy of {m.copy_of[:8]})" if m.copy_of else ""
            console.print(f"• [bold]{a.outlet or '?'}[/] {a.published or '?'} {a.title or '(untitled)'}{copy}\n"
                          f"  [dim]{m.why}[/]")

    def cite(cs: Sequence[Citation | Mapping[str, Any]]) -> str:
        return _cite(cs, by_id)

    summary = [s for s in analysis.summary if s.get("story_id") == story.id]
    if summary:
        console.rule("Summary")
        for item in summary[0].get("sentences", []):
            console.print(f"• {item['text']} [dim]{cite(item['citations'])}[/]")
        for outlet, items in (summary[0].get("only") or {}).items():
            console.print(f"\n[bold]Only {outlet} says:[/]")
            for item in items:
                console.print(f"  – {item['text']} [dim]{cite(item['citations'])}[/]")
    facts = [f for f in analysis.facts if f.story_id == story.id]
    if facts:
        console.rule("Facts")
        for f in sorted(facts, key=lambda f: (list(_KIND_STYLE).index(f.kind) if f.kind in _KIND_STYLE else 9)):
            style = _KIND_STYLE.get(f.kind, "")
            console.print(f"[{style}]{f.kind:<21}[/] {f.statement} [dim]{cite(f.citations)}[/]")
            if f.kind == "conflict":
                for v in f.values:
                    console.print(f"    {v.get('outlet') or '?'}: {v.get('value')}")
    timeline = [t for t in analysis.timeline if t.get("story_id") == story.id]
    if timeline and timeline[0].get("entries"):
        console.rule("Timeline")
        for e in timeline[0]["entries"]:
            console.print(f"{e['date']:<11} {e['text']} [dim]{cite(e['citations'])}[/]")
    quotes = [q for a in analysis.articles for q in a.quotes if a.article.id in story.article_ids]
    if quotes:
        console.rule("Who is quoted")
        for q in quotes:
            outlet = by_id[q.article_id].article.outlet or "?"
            anon = " (anonymous)" if q.anonymous else ""
            console.print(f"[bold]{outlet}[/] {q.speaker or q.speaker_mention or '?'}{anon} {q.cue or ''}: "
                          f"“{q.text[:140]}”")
    events = [e for e in analysis.events if e.story_id == story.id]
    if events:
        console.rule("Events")
        for e in events:
            console.print(f"{e.date or '?':<11} {e.source_actor.code or e.source_actor.name} → "
                          f"{e.target_actor.code or e.target_actor.name} CAMEO {e.cameo_code} "
                          f"{e.plover_type or ''} [dim]{cite(e.citations)}[/]")


def _cite(cs: Sequence[Citation | Mapping[str, Any]], by_id: Mapping[str, AnnotatedArticle]) -> str:
    """``[VOA#3, Reuters#7]`` for citations given as records or as JSON dicts."""
    parts = []
    for c in cs:
        aid, idx = (c.article_id, c.sentence_index) if isinstance(c, Citation) else (
            str(c["article_id"]), c["sentence_index"])
        art = by_id.get(aid)
        parts.append(f"{(art.article.outlet if art else None) or aid[:8]}#{idx}")
    return "[" + ", ".join(parts) + "]"
