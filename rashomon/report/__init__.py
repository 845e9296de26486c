"""Single-file HTML report of an analysis document.

One page, inline CSS and JS, no network: safe to e-mail to a colleague. Article text is
untrusted, so Jinja2 autoescaping is on and URLs are only linked when they are http(s).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

__all__ = ["render_report", "safe_url"]


def safe_url(url: str | None) -> str | None:
    """Only http(s) links survive (a ``javascript:`` URL in a feed must render inert)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _env() -> Environment:
    env = Environment(loader=PackageLoader("rashomon", "report/templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    return env


def render_report(doc: dict[str, Any], *, title: str = "Rashomon report") -> str:
    """Render the analysis document (``rashomon.document.build_document``) as one HTML page."""
    articles = {a["id"]: a for a in doc["articles"]}
    labels: dict[tuple[str, int], set[str]] = defaultdict(set)
    for fact in doc.get("facts", []):
        for c in fact.get("citations", []):
            labels[(c["article_id"], c["sentence_index"])].add(fact["kind"])
    per_story = []
    for story in sorted(doc["stories"], key=lambda s: (-len(s["article_ids"]), s["id"])):
        sid = story["id"]
        per_story.append({
            "story": story,
            "articles": [articles[i] for i in story["article_ids"] if i in articles],
            "facts": [f for f in doc.get("facts", []) if f.get("story_id") == sid],
            "summary": next((s for s in doc.get("summary", []) if s.get("story_id") == sid), None),
            "timeline": next((t for t in doc.get("timeline", []) if t.get("story_id") == sid), None),
            "events": [e for e in doc.get("events", []) if e.get("story_id") == sid],
            "quotes": [q for q in doc.get("quotes", []) if q["article_id"] in story["article_ids"]],
        })
    return _env().get_template("report.html.j2").render(
        title=title, doc=doc, stories=per_story, articles=articles,
        labels={f"{k[0]}:{k[1]}": sorted(v) for k, v in labels.items()},
    )
