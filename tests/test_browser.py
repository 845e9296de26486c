"""The web UI in a real browser: headless Chromium (Debian's package) driven by Playwright.

The server is the real app under uvicorn on a free loopback port, over a store holding the
two seed reports run through every pipeline stage that is built, plus a hand-made story
with every part filled (so the highlighting and the quote panel are tested even while a
stage is missing). Screenshots go to a temporary folder, or to docs/screenshots/ (the README's)
when RASHOMON_SCREENSHOTS names it: `make screenshots`; a test run leaves the tree clean.

Playwright never downloads a browser here: it is pointed at /usr/bin/chromium, and when
that is missing every test is skipped with a loud reason (`make test` installs it).
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SHOTS = Path(os.environ.get("RASHOMON_SCREENSHOTS") or Path(tempfile.gettempdir()) / "rashomon-screenshots")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not CHROMIUM.exists():
    pytest.skip(f"BROWSER TESTS SKIPPED: {CHROMIUM} not found. Install Debian's chromium "
                "(`make browser-deps`, or `apt-get install chromium`); Playwright must not download one.",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="BROWSER TESTS SKIPPED: playwright is not installed")
pytest.importorskip("uvicorn", reason="BROWSER TESTS SKIPPED: the [web] extra is not installed")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

from test_web_helpers import seed_analysis, synthetic_analysis  # noqa: E402


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Site:
    def __init__(self, base: str, seed_id: str, seed: Any, skipped: list[str], db: Path) -> None:
        self.base, self.seed_id, self.seed, self.skipped, self.db = base, seed_id, seed, skipped, db


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, nlp) -> Iterator[_Site]:
    import uvicorn

    from rashomon.store import Store
    from rashomon.web import create_app

    db = tmp_path_factory.mktemp("browser") / "browser.duckdb"
    seed, skipped = seed_analysis(nlp)
    with Store(db) as store:
        store.save_analysis(seed)
        store.save_analysis(synthetic_analysis(story_id="story-synth"))
        store.save_analysis(synthetic_analysis(story_id="story-evil", hostile=True))
    seed_story = max(seed.stories, key=lambda s: len(s.article_ids))
    app = create_app(db)
    app.state.analyzer._nlp = nlp  # the session's pipeline: no second model load
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield _Site(f"http://127.0.0.1:{port}", seed_story.id, seed, skipped, db)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.errors = errors
    yield pg
    context.close()


def test_story_list_shows_the_seed_story(site: _Site, page: Any) -> None:
    page.goto(site.base + "/")
    row = page.locator(f'tr.story-row[data-story="{site.seed_id}"]')
    assert row.count() == 1
    text = row.inner_text()
    assert "VOA" in text and "Reuters" in text
    assert row.locator("svg.dots circle").count() >= 2
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "stories.png"))
    assert page.errors == []


def test_seed_story_side_by_side(site: _Site, page: Any) -> None:
    page.goto(f"{site.base}/stories/{site.seed_id}")
    cols = page.locator(".col")
    assert cols.count() == 2
    outlets = {cols.nth(i).locator(".outlet").inner_text().strip().upper() for i in range(2)}
    assert outlets == {"VOA", "REUTERS"}
    # every sentence of both articles is on the page, in its own column
    for a in site.seed.articles:
        assert page.locator(f'.col[data-article="{a.article.id}"] .s').count() == len(a.sentences)
    # captions are shown as captions, not as claims
    assert page.locator(".s.role-caption").count() >= 1
    highlighted = page.locator('.s[class*=" k-"]')
    with_partner = page.locator(".s.has-p")
    if site.seed.facts:
        assert highlighted.count() > 0
        if with_partner.count():
            agreed = page.locator(".col").first.locator(".s.has-p.k-agreed")
            (agreed if agreed.count() else with_partner).first.click()
            assert page.locator(".s.partner").count() >= 1
            assert page.locator(".selinfo").inner_text().strip()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "story.png"))
    if page.locator(".voice .speaker").count() == 0:
        assert "No quotes found" in page.inner_text("#voices")
    assert page.errors == []
    if not site.seed.facts:
        pytest.skip(f"seed story has no facts: stage(s) not built yet: {', '.join(site.skipped)}")


def test_click_highlights_partner_sentences(site: _Site, page: Any) -> None:
    page.goto(f"{site.base}/stories/story-synth")
    assert page.locator(".s.k-agreed").count() == 4
    assert page.locator(".s.k-conflict").count() == 2
    first = page.locator("#s-a-story-synth-1")
    first.click()
    assert "sel" in (first.get_attribute("class") or "")
    partners = page.locator(".s.partner")
    assert partners.count() == 1
    assert partners.first.get_attribute("id") == "s-b-story-synth-1"
    info = page.locator(".selinfo").inner_text()
    assert "1 matching sentence(s) in Paper B" in info
    assert page.locator("#fact-f-agreed-1.on").count() == 1
    # clicking again clears; a citation chip selects its sentence
    first.click()
    assert page.locator(".s.partner").count() == 0
    page.locator('#facts a.cite[data-k="b-story-synth:5"]').first.click()
    assert "sel" in (page.locator("#s-b-story-synth-5").get_attribute("class") or "")
    assert page.locator("#s-a-story-synth-4.partner").count() == 1
    # hover marks partners too
    page.locator("#s-a-story-synth-2").hover()
    assert page.locator("#s-b-story-synth-2.hp").count() == 1
    assert page.errors == []


def test_quote_panel_lists_speakers(site: _Site, page: Any) -> None:
    seed_quotes = sum(len(a.quotes) for a in site.seed.articles)
    story = site.seed_id if seed_quotes else "story-synth"
    page.goto(f"{site.base}/stories/{story}")
    voices = page.locator(".voice")
    assert voices.count() == 2
    assert page.locator(".voice .speaker").count() >= 1
    if story == "story-synth":
        paper_b = page.locator('.voice:has(h3:text("Paper B"))')
        assert "1 named, 1 anonymous" in paper_b.inner_text()
        assert paper_b.locator(".speaker.anon").count() == 1
    assert page.locator("#voices svg, .plots svg").count() >= 1


def test_hostile_story_runs_no_script(site: _Site, page: Any) -> None:
    page.goto(f"{site.base}/stories/story-evil")
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 1</script>" in page.locator("h1").inner_text()
    # the article link with a javascript: URL was not made a link at all
    assert page.locator('a[href^="javascript"]').count() == 0
    page.locator(".s.has-p").first.click()  # the page's own script still works
    assert page.locator(".s.partner").count() >= 1
    assert page.evaluate("window.__pwned") is None


def test_report_file_works_offline(site: _Site, page: Any, tmp_path: Path) -> None:
    """The single-file report, opened from disk: its own script runs (CSP hash), nothing else."""
    from rashomon.document import build_document
    from rashomon.report import render_story_report

    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    doc = build_document(synthetic_analysis(story_id="story-evil", hostile=True))
    out = tmp_path / "report.html"
    out.write_text(render_story_report(doc, "story-evil"), encoding="utf-8")
    page.goto(out.as_uri())
    assert page.evaluate("window.__pwned") is None
    page.locator("#s-a-story-evil-1").click()
    assert page.locator("#s-b-story-evil-1.partner").count() == 1
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert page.errors == []


def test_paste_page_analyzes_pasted_articles(site: _Site, page: Any, seeds_dir: Path) -> None:
    texts = sorted(seeds_dir.glob("*.txt"))
    page.goto(site.base + "/paste")
    boxes = page.locator("fieldset:has(textarea[name=text])")
    for i, (path, outlet, day) in enumerate(zip(texts, ("Reuters", "VOA"), ("2018-12-04", "2018-12-03"),
                                                strict=True)):
        box = boxes.nth(i)
        box.locator("input[name=outlet]").fill(outlet)
        box.locator("input[name=published]").fill(day)
        box.locator("textarea[name=text]").fill(path.read_text("utf-8"))
    page.screenshot(path=str(SHOTS / "paste.png"))
    with page.expect_navigation(timeout=120_000):
        page.locator("button[type=submit]").click()
    assert page.locator(".col").count() >= 2 or page.locator("section.story").count() >= 2
    outlets = {o.strip().upper() for o in page.locator(".col .outlet").all_inner_texts()}
    assert outlets >= {"VOA", "REUTERS"}
    assert "Stored in the database" in page.inner_text("main")
    assert page.errors == []
