"""The analysis document: one versioned JSON object, the contract between the stages and
every front end (CLI ``--json``, HTML report, web API, Spark output).

Shape (``rashomon/schema/analysis.schema.json`` is the normative version)::

    {schema_version, generator, generated_at,
     articles[]: {id, outlet, title, published, url, source, format, author, dateline,
                  duplicate_of, duplicate_kind, sentences[]: {index, text, role}},
     stories[]: {id, title, article_ids[], why, members[]},
     quotes[], dates[], quantities[], places[], actors[]   (each cites article_id + sentence_index)
     facts[], framing[], summary[], timeline[], events[],
     failures[]: {source, reason}}
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import cache
from importlib import resources
from typing import Any

from . import __version__
from .records import Analysis, to_dict

SCHEMA_VERSION = "1.0"

_ARTICLE_KEYS = ("id", "outlet", "title", "published", "url", "source", "format", "author",
                 "language", "dateline", "duplicate_of", "duplicate_kind", "similarity")


def build_document(analysis: Analysis, *, generated_at: str | None = None) -> dict[str, Any]:
    articles = []
    per_article: dict[str, list[Any]] = {k: [] for k in ("quotes", "dates", "quantities", "places")}
    actors = []
    copies: dict[str, list[dict[str, Any]]] = {}
    for c in analysis.copies:
        copies.setdefault(c.id, []).append({"source": c.source, "url": c.url, "outlet": c.outlet})
    for a in analysis.articles:
        art = to_dict(a.article)
        doc = {k: art.get(k) for k in _ARTICLE_KEYS}
        doc["copies"] = copies.get(a.article.id, [])
        doc["sentences"] = [{"index": s.index, "text": s.text, "role": s.role, "paragraph": s.paragraph}
                            for s in a.sentences]
        articles.append(doc)
        for key in per_article:
            per_article[key].extend(to_dict(x) for x in getattr(a, key))
        for actor in a.actors:
            actors.append({"article_id": a.article.id, **to_dict(actor)})
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": f"rashomon {__version__}",
        "generated_at": generated_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "articles": articles,
        "stories": [to_dict(s) for s in analysis.stories],
        **per_article,
        "actors": actors,
        "facts": [to_dict(f) for f in analysis.facts],
        "framing": to_dict(analysis.framing),
        "summary": to_dict(analysis.summary),
        "timeline": to_dict(analysis.timeline),
        "events": [to_dict(e) for e in analysis.events],
        "failures": [{"source": f.source, "reason": f.reason} for f in analysis.failures],
    }


@cache
def schema() -> dict[str, Any]:
    text = resources.files("rashomon").joinpath("schema/analysis.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def validate(document: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if the document breaks the contract."""
    import jsonschema

    jsonschema.validate(document, schema())


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
