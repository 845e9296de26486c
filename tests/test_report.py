"""The single-file report: the web UI's story page, self-contained, inert on hostile text."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from test_web_helpers import JS_URL, synthetic_analysis

from rashomon.document import build_document
from rashomon.records import Analysis
from rashomon.report import render_report, render_story_report, safe_url
from rashomon.store import Store


class _Tags(HTMLParser):
    """Collects every start tag with its attributes, and the text of <style>/<script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline: dict[str, list[str]] = {"style": [], "script": []}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in self.inline:
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.inline[self._in].append(data)


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_story_report_is_self_contained() -> None:
    doc = build_document(synthetic_analysis())
    html = render_story_report(doc, "story-synth")
    tags = _parse(html)
    # nothing is loaded from anywhere: no src, no stylesheet link, no remote URL but article links
    for tag, attrs in tags.tags:
        assert "src" not in attrs, (tag, attrs)
        assert not (tag == "link" and attrs.get("rel") == "stylesheet")
        if tag == "link":
            assert attrs.get("href") == "data:,"
    hrefs = [a["href"] for t, a in tags.tags if t == "a" and a.get("href")]
    assert all(h.startswith("#") or h.startswith("https://") for h in hrefs)
    assert not any(h.startswith("/") for h in hrefs)
    # the CSP admits exactly the inline style and script, by hash, and no network
    csp = next(a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    (style,), (script,) = tags.inline["style"], tags.inline["script"]
    assert f"style-src {_sha(style)}" in csp and f"script-src {_sha(script)}" in csp


def test_report_is_the_web_story_page(tmp_path: Path) -> None:
    """Same template, same view model: the side-by-side markup is identical."""
    import warnings

    import pytest

    pytest.importorskip("fastapi")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from rashomon.web import create_app

    analysis = synthetic_analysis()
    with Store(tmp_path / "s.duckdb") as s:
        s.save_analysis(analysis)
    with TestClient(create_app(tmp_path / "s.duckdb", read_only=True)) as c:
        web = c.get("/stories/story-synth").text
    with Store(tmp_path / "s.duckdb", read_only=True) as s:
        report = render_story_report(build_document(s.load_analysis(["story-synth"])), "story-synth")

    def sentences(html: str) -> list[tuple[str, ...]]:
        return [(a.get("id") or "", a.get("class") or "", a.get("data-p") or "", a.get("data-f") or "")
                for t, a in _parse(html).tags if t == "span" and "data-s" in a]

    def section(html: str, name: str) -> str:
        m = re.search(rf'<section class="panel" id="{name}">.*?</section>', html, re.S)
        assert m, name
        return m.group(0)

    assert sentences(web) == sentences(report) and len(sentences(web)) == 11
    for name in ("facts", "voices", "timeline", "events", "members"):
        assert section(web, name) == section(report, name)


def test_hostile_text_renders_inert() -> None:
    doc = build_document(synthetic_analysis(hostile=True))
    for html in (render_story_report(doc, "story-synth"), render_report(doc)):
        tags = _parse(html)
        scripts = [t for t, _ in tags.tags if t == "script"]
        assert len(scripts) == 1  # only the page's own script
        assert not any(t == "img" for t, _ in tags.tags)
        for _t, attrs in tags.tags:
            for name, value in attrs.items():
                assert not name.startswith("on"), (name, value)
                assert "javascript:" not in (value or "").lower(), (name, value)
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
        assert JS_URL not in html


def test_safe_url() -> None:
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,x",
                "vbscript:x", "//evil.example/", "http://a b", "https://x\n.example", None, 3):
        assert safe_url(bad) is None, bad  # type: ignore[arg-type]


def test_report_says_what_is_missing() -> None:
    full = synthetic_analysis()
    bare = Analysis(articles=tuple(a.__class__(article=a.article, sentences=a.sentences) for a in full.articles),
                    stories=full.stories)
    html = render_story_report(build_document(bare), "story-synth")
    assert "No facts computed for this story." in html
    assert "No quotes found" in html and "No events coded" in html and "No dated happenings" in html
    assert 'class="s role-body k-' not in html  # nothing highlighted without facts


def test_whole_store_report_lists_every_story() -> None:
    a, b = synthetic_analysis(story_id="s-1"), synthetic_analysis(story_id="s-2")
    merged = Analysis(articles=a.articles + b.articles, stories=a.stories + b.stories, facts=a.facts + b.facts)
    html = render_report(build_document(merged))
    assert 'id="story-s-1"' in html and 'id="story-s-2"' in html
    assert html.count('class="selinfo"') == 2


def test_cli_report_story(tmp_path: Path) -> None:
    from rashomon.cli import main

    db = tmp_path / "r.duckdb"
    with Store(db) as s:
        s.save_analysis(synthetic_analysis())
    out = tmp_path / "story.html"
    result = CliRunner().invoke(main, ["report", "--db", str(db), "--story", "story-s", "--html", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert 'data-story="story-synth"' in html and "Side by side" in html and "<style>" in html
    result = CliRunner().invoke(main, ["report", "--db", str(db), "--story", "nope", "--html", str(out)])
    assert result.exit_code != 0 and "no single story" in result.output
