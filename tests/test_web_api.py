"""The HTTP API and the pages, in-process (FastAPI's TestClient) on a hand-made store."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the [web] extra is not installed")

from test_web_helpers import synthetic_analysis

from rashomon.records import Analysis
from rashomon.store import Store
from rashomon.web import create_app

with warnings.catch_warnings():
    # starlette.testclient warns that it would rather use `httpx2`; httpx works.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _store(path: Path, *analyses: Analysis) -> Path:
    with Store(path) as s:
        for a in analyses:
            s.save_analysis(a)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    return _store(path, synthetic_analysis(story_id="story-one"),
                  synthetic_analysis(story_id="story-two", hostile=True))


@pytest.fixture(scope="module")
def client(db: Path):
    with TestClient(create_app(db, read_only=True), raise_server_exceptions=False) as c:
        yield c


def test_articles_are_paginated_and_filtered(client) -> None:
    r = client.get("/api/articles", params={"limit": 3})
    body = r.json()
    assert r.status_code == 200 and body["total"] == 4 and len(body["items"]) == 3
    assert body["next"] and "offset=3" in body["next"]
    rest = client.get(body["next"]).json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    ids = {a["id"] for a in body["items"]} | {a["id"] for a in rest["items"]}
    assert len(ids) == 4
    assert client.get("/api/articles", params={"outlet": "paper b"}).json()["total"] == 2
    assert client.get("/api/articles", params={"date_from": "2018-12-04"}).json()["total"] == 2
    assert client.get("/api/articles", params={"date_to": "2018-12-03"}).json()["total"] == 2
    # every word must appear; LIKE wildcards in the query are literal
    assert client.get("/api/articles", params={"q": "17-year war"}).json()["total"] == 2
    assert client.get("/api/articles", params={"q": "17-year violin"}).json()["total"] == 0
    assert client.get("/api/articles", params={"q": "%"}).json()["total"] == 0
    assert client.get("/api/articles", params={"story_id": "story-one"}).json()["total"] == 2


def test_article_detail_has_sentences(client) -> None:
    art = client.get("/api/articles/b-story-one").json()
    assert art["outlet"] == "Paper B" and art["story_ids"] == ["story-one"]
    assert [s["index"] for s in art["sentences"]] == list(range(6))


def test_stories_list_and_filters(client) -> None:
    body = client.get("/api/stories").json()
    assert body["total"] == 2
    one = next(s for s in body["items"] if s["id"] == "story-one")
    assert one["n_articles"] == 2 and sorted(one["outlets"]) == ["Daily A", "Paper B"]
    assert one["fact_counts"]["agreed"] == 2 and one["fact_counts"]["conflict"] == 1
    assert client.get("/api/stories", params={"outlet": "Daily A"}).json()["total"] == 1
    assert client.get("/api/stories", params={"q": "fundamental"}).json()["total"] == 2
    assert client.get("/api/stories", params={"date_from": "2019-01-01"}).json()["total"] == 0


def test_story_detail_has_every_part(client) -> None:
    body = client.get("/api/stories/story-one").json()
    assert body["story"]["id"] == "story-one"
    assert {a["outlet"] for a in body["articles"]} == {"Daily A", "Paper B"}
    assert {f["kind"] for f in body["facts"]} == {"agreed", "single_source", "conflict", "reworded_quote",
                                                  "different_attribution"}
    assert len(body["quotes"]) == 3 and len(body["events"]) == 1
    assert [e["date"] for e in body["timeline"]] == ["2018-12-03", "2018-11"]
    assert body["summary"]["sentences"] and body["framing"]["note"] == "framing note"
    # a unique prefix works, an ambiguous one does not
    assert client.get("/api/stories/story-o").json()["story"]["id"] == "story-one"
    r = client.get("/api/stories/story-")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")


def test_quotes_by_speaker(client) -> None:
    body = client.get("/api/quotes", params={"speaker": "ministry"}).json()
    assert body["total"] == 4
    assert {q["outlet"] for q in body["items"]} >= {"Paper B"}
    anon = client.get("/api/quotes", params={"speaker": "an official"}).json()
    assert anon["total"] == 2 and all(q["anonymous"] for q in anon["items"])


def test_events_cite_their_articles(client) -> None:
    body = client.get("/api/events", params={"story_id": "story-one"}).json()
    assert body["total"] == 1
    ev = body["items"][0]
    assert ev["cameo_code"] == "020"
    assert {(a["outlet"], a["sentence_index"]) for a in ev["articles"]} == {("Daily A", 1), ("Paper B", 1)}
    assert all(a["sentence"] for a in ev["articles"])
    assert client.get("/api/events", params={"cameo_root": "19"}).json()["total"] == 0


def test_errors_are_problem_details(client) -> None:
    for url, status in (("/api/stories/nope", 404), ("/api/articles?limit=0", 422),
                        ("/api/articles?date_from=yesterday", 422), ("/api/nothing-here", 404)):
        r = client.get(url)
        assert r.status_code == status, url
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert set(body) >= {"type", "title", "status", "detail"} and body["status"] == status
    r = client.post("/api/analyze", content=b"hello", headers={"content-type": "text/plain"})
    assert r.status_code == 415 and r.json()["status"] == 415
    r = client.delete("/api/stories")
    assert r.status_code == 405 and r.json()["title"] == "Method Not Allowed"


def test_unexpected_errors_never_leak_a_traceback(db: Path) -> None:
    app = create_app(db, read_only=True)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret detail /etc/shadow")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with TestClient(app, raise_server_exceptions=False) as c:
            r = c.get("/api/boom")
    assert r.status_code == 500
    assert r.json()["title"] == "Internal Server Error"
    assert "secret" not in r.text and "Traceback" not in r.text and "shadow" not in r.text
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_no_path_reads_files_outside_the_store(client) -> None:
    secret = Path(__file__).resolve().parents[1] / "pyproject.toml"
    assert secret.exists()
    for url in ("/static/../pyproject.toml", "/static/%2e%2e/pyproject.toml", "/static/..%2fpyproject.toml",
                "/static/%2e%2e/%2e%2e/etc/passwd", "/api/articles/..%2f..%2fpyproject.toml",
                "/stories/..%2f..%2fpyproject.toml", "/static//etc/passwd"):
        r = client.get(url)
        assert r.status_code in (404, 400), url
        assert "[build-system]" not in r.text and "root:" not in r.text
    assert client.get("/static/rashomon.css").status_code == 200


def test_security_headers_and_strict_csp(client) -> None:
    r = client.get("/stories/story-one", headers={"accept": "text/html"})
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


def test_pages_escape_hostile_text(client) -> None:
    for url in ("/", "/stories/story-two", "/articles", "/quotes"):
        html = client.get(url).text
        assert "<script>window" not in html and "<img src=x" not in html, url
        assert 'href="javascript:' not in html.lower(), url
    html = client.get("/stories/story-two").text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html


def test_pages_render(client) -> None:
    html = client.get("/").text
    assert "story-one" in html and "Leader writes letter" in html and "<svg" in html
    story = client.get("/stories/story-one").text
    for part in ('id="s-a-story-one-1"', 'data-p="b-story-one:1"', "k-conflict", "Who is quoted", "Events",
                 "Timeline", "/static/rashomon.js"):
        assert part in story, part
    assert client.get("/stories/story-o", follow_redirects=False).status_code == 307
    missing = client.get("/stories/nope", headers={"accept": "text/html"})
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert "no single story matches" in missing.text
    assert "Paste your articles" in client.get("/paste").text
    assert "Fetching URLs is off" in client.get("/paste").text
    assert "Foreign Ministry" in client.get("/quotes?speaker=ministry").text
    docs = client.get("/docs").text
    assert "/api/stories/{story_id}" in docs and '<script src="http' not in docs
    assert "/api/stories" in client.get("/openapi.json").json()["paths"]


def test_missing_parts_degrade_to_a_note(tmp_path: Path) -> None:
    bare = synthetic_analysis(story_id="story-bare")
    bare = Analysis(articles=tuple(a.__class__(article=a.article, sentences=a.sentences) for a in bare.articles),
                    stories=bare.stories)
    db = _store(tmp_path / "bare.duckdb", bare)
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        html = c.get("/stories/story-bare").text
        assert "No facts computed for this story." in html
        assert "No quotes found" in html and "No events coded" in html
        body = c.get("/api/stories/story-bare").json()
        assert body["facts"] == [] and body["summary"] is None and body["timeline"] == []


def test_empty_store(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "empty.duckdb"), raise_server_exceptions=False) as c:
        assert "No stories in this store yet" in c.get("/").text
        assert c.get("/api/stories").json() == {"total": 0, "limit": 50, "offset": 0, "items": [], "next": None}


def test_read_only_needs_an_existing_store(tmp_path: Path) -> None:
    from rashomon.errors import StoreError

    with pytest.raises(StoreError, match="no such file"):
        create_app(tmp_path / "missing.duckdb", read_only=True)


def test_uploads_are_size_limited(db: Path) -> None:
    with TestClient(create_app(db, read_only=True, max_upload_bytes=1000), raise_server_exceptions=False) as c:
        big = b"x" * 200_000
        r = c.post("/api/analyze", files={"files": ("big.txt", big, "text/plain")})
        assert r.status_code == 413 and r.json()["title"] == "Content Too Large"

        # no Content-Length announced (chunked): the body is counted as it arrives
        def chunks():
            for _ in range(100):
                yield b"y" * 10_000

        r = c.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413


def test_analyze_refuses_urls_unless_allowed(client) -> None:
    r = client.post("/api/analyze", json={"urls": ["http://127.0.0.1:9/secret"]})
    assert r.status_code == 403 and "--allow-urls" in r.json()["detail"]
    r = client.post("/api/analyze", json={})
    assert r.status_code == 422
    r = client.post("/api/analyze", json={"articles": [{"text": "x", "published": "03/12/2018"}]})
    assert r.status_code == 422 and r.json()["errors"]
    r = client.post("/api/analyze", json={"articles": [], "bogus": 1})
    assert r.status_code == 422


@pytest.mark.slow
def test_analyze_pasted_text_returns_the_document(tmp_path: Path, seeds_dir: Path, nlp) -> None:
    from rashomon.document import validate

    texts = [p.read_text("utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    db = _store(tmp_path / "ro.duckdb")
    app = create_app(db, read_only=True)
    app.state.analyzer._nlp = nlp  # the session's pipeline: no second model load
    with TestClient(app, raise_server_exceptions=False) as c:
        # metadata given with the text wins; the VOA text names no outlet of its own
        r = c.post("/api/analyze", json={"articles": [{"text": texts[0]},
                                                      {"text": texts[1], "outlet": "VOA", "published": "2018-12-03"}]})
        assert r.status_code == 200, r.text
        doc = r.json()
        validate(doc)
        assert {a["outlet"] for a in doc["articles"]} == {"VOA", "Reuters"}
        assert r.headers["x-rashomon-stored"] == "false"
        assert c.get("/api/articles").json()["total"] == 0  # read-only: nothing stored
        # the same as a form with an uploaded file, rendered as a page
        r = c.post("/paste", data={"text": [texts[1], ""], "outlet": ["VOA", ""]},
                   files={"files": ("reuters.txt", texts[0].encode(), "text/plain")})
        assert r.status_code == 200 and "Side by side" in r.text and "Not stored" in r.text
    app = create_app(tmp_path / "rw.duckdb")
    app.state.analyzer._nlp = nlp
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/analyze", json={"articles": [{"text": t} for t in texts]})
        assert r.headers["x-rashomon-stored"] == "true"
        assert c.get("/api/articles").json()["total"] == 2
