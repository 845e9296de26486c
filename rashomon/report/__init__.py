"""Single-file HTML reports: the web UI's story page, as one self-contained file.

The report and the web app render the same Jinja2 templates (``rashomon/web/templates``)
from the same view model (:mod:`rashomon.report.view`); the report inlines the stylesheet
and the script, and carries its own Content-Security-Policy in a ``<meta>`` tag that
allows only that one style and that one script (by SHA-256 hash) and no network at all.
Safe to e-mail to a colleague.

Article text is untrusted: autoescaping is on for every template, links are only made
for http(s) URLs (:func:`safe_url`), and the script never turns text into HTML.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .view import document_view, story_view

__all__ = ["environment", "render_report", "render_story_report", "safe_url", "static_text"]


def safe_url(url: str | None) -> str | None:
    """Only http(s) links survive (a ``javascript:`` URL in a feed must render inert)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    # Control characters and whitespace inside a scheme are how "java\tscript:" sneaks past
    # naive checks; an http(s) URL never needs them.
    if any(ord(ch) < 33 for ch in url):
        return None
    if url.lower().startswith(("http://", "https://")):
        return url
    return None


@cache
def environment() -> Environment:
    """The Jinja2 environment shared by the web app and the report (autoescaped)."""
    env = Environment(loader=PackageLoader("rashomon", "web/templates"),
                      autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    return env


@cache
def static_text(name: str) -> str:
    """A file of ``rashomon/web/static`` (the stylesheet or the script) as text."""
    return resources.files("rashomon").joinpath("web/static", name).read_text("utf-8")


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _standalone_context(doc: dict[str, Any]) -> dict[str, Any]:
    css, js = static_text("rashomon.css"), static_text("rashomon.js")
    # Inlined verbatim into <style>/<script>: they must not be able to close their element.
    if "</style" in css.lower() or "</script" in js.lower():
        raise ValueError("the packaged stylesheet or script contains a closing tag")
    csp = (f"default-src 'none'; style-src {_sha(css)}; script-src {_sha(js)}; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    return {
        "standalone": True, "css": Markup(css), "js": Markup(js), "csp": csp,
        "generator": doc.get("generator", "rashomon"),
        "generated_at": doc.get("generated_at") or datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def render_story_report(doc: dict[str, Any], story_id: str) -> str:
    """One story of the analysis document as the web UI's story page, self-contained."""
    view = story_view(doc, story_id)
    return environment().get_template("story.html.j2").render(v=view, **_standalone_context(doc))


def render_report(doc: dict[str, Any], *, title: str = "Rashomon report") -> str:
    """Every story of the analysis document (``rashomon.document.build_document``), one page.

    Each story is rendered exactly as its web story page; inputs that failed are listed.
    """
    views = document_view(doc)
    return environment().get_template("analysis.html.j2").render(
        views=views, title=title, n_articles=len(doc.get("articles", [])),
        failures=doc.get("failures", []), **_standalone_context(doc))
