"""URL inputs with canned responses (httpx.MockTransport): no real network."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

import rashomon.ingest.web as web
from rashomon.ingest import ingest

DATA = Path(__file__).parent / "data" / "ingest"
PAGE = (DATA / "page.html").read_bytes()
PUBLIC = "93.184.216.34"


def _client(handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def _serve(routes: dict[str, httpx.Response]):
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return routes.get(str(request.url), httpx.Response(404))

    return handler, seen


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch):
    """Host names resolve without DNS: *.internal to a private address, others public."""
    def resolve(host: str) -> list[str]:
        if host.endswith(".internal"):
            return ["10.1.2.3"]
        if host.replace(".", "").isdigit() or ":" in host:
            return [host]
        return [PUBLIC]

    monkeypatch.setattr(web, "_resolve", resolve)


def test_url_is_fetched_and_read():
    handler, seen = _serve({"https://herald.example.com/envoy": httpx.Response(
        200, content=PAGE, headers={"content-type": "text/html; charset=utf-8"})})
    result = ingest(["https://herald.example.com/envoy"], allow_urls=True, client=_client(handler))
    (a,) = result.articles
    assert a.source == a.url == "https://herald.example.com/envoy"
    assert a.format == "html" and a.title == "Envoy begins regional tour to revive Afghan talks"
    assert seen == ["https://herald.example.com/envoy"]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/admin",
    "http://10.0.0.5/",
    "http://192.168.1.1/feed.xml",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata: link-local
    "http://[::1]/",
    "http://[::ffff:10.0.0.1]/",  # IPv4-mapped IPv6
    "http://0.0.0.0/",
    "http://240.0.0.1/",  # reserved
    "http://news.internal/story",  # a name that resolves to a private address
])
def test_private_addresses_refused(url):
    handler, seen = _serve({})
    result = ingest([url], allow_urls=True, client=_client(handler))
    (f,) = result.failures
    assert f.source == url and f.reason.startswith("refused: host ")
    assert "pass allow_private" in f.reason
    assert seen == []  # refused before any request


def test_allow_private():
    handler, _ = _serve({"http://news.internal/story": httpx.Response(
        200, content=PAGE, headers={"content-type": "text/html"})})
    result = ingest(["http://news.internal/story"], allow_urls=True, allow_private=True,
                    client=_client(handler))
    assert len(result.articles) == 1 and result.failures == ()


def test_redirect_to_private_address_refused():
    handler, seen = _serve({"https://short.example.com/x": httpx.Response(
        302, headers={"location": "http://127.0.0.1:8080/secret"})})
    (f,) = ingest(["https://short.example.com/x"], allow_urls=True, client=_client(handler)).failures
    assert f.source == "https://short.example.com/x" and "127.0.0.1" in f.reason
    assert seen == ["https://short.example.com/x"]


def test_redirect_followed():
    handler, _ = _serve({
        "https://short.example.com/x": httpx.Response(301, headers={"location": "/real"}),
        "https://short.example.com/real": httpx.Response(200, content=PAGE,
                                                         headers={"content-type": "text/html"}),
    })
    (a,) = ingest(["https://short.example.com/x"], allow_urls=True, client=_client(handler)).articles
    assert a.url == "https://short.example.com/real" and a.source == "https://short.example.com/x"


def test_declared_size_over_limit():
    handler, _ = _serve({"https://big.example.com/": httpx.Response(
        200, content=b"x" * 5000, headers={"content-type": "text/html"})})
    (f,) = ingest(["https://big.example.com/"], allow_urls=True, max_bytes=1000,
                  client=_client(handler)).failures
    assert f.reason == "response is 5 kB, over the 1 kB limit"


def test_streamed_size_over_limit():
    def handler(request):
        chunks = (b"y" * 400 for _ in range(10))  # no Content-Length: counted while streaming
        return httpx.Response(200, content=chunks, headers={"content-type": "text/plain"})

    (f,) = ingest(["https://stream.example.com/"], allow_urls=True, max_bytes=1000,
                  client=_client(handler)).failures
    assert f.reason == "response is over the 1 kB limit (stopped reading)"


def test_timeout():
    def handler(request):
        raise httpx.ReadTimeout("read timed out", request=request)

    (f,) = ingest(["https://slow.example.com/"], allow_urls=True, timeout=2.5,
                  client=_client(handler)).failures
    assert f.reason == "timed out after 2.5 s"


def test_http_error_status():
    handler, _ = _serve({})
    (f,) = ingest(["https://gone.example.com/x"], allow_urls=True, client=_client(handler)).failures
    assert f.reason == "HTTP 404 Not Found"


def test_content_type_decides_format():
    feed = (DATA / "feed.atom").read_bytes()
    handler, _ = _serve({"https://gazette.example.net/rss": httpx.Response(
        200, content=feed, headers={"content-type": "application/atom+xml"})})
    (a,) = ingest(["https://gazette.example.net/rss"], allow_urls=True, client=_client(handler)).articles
    assert a.format == "feed" and a.source == "https://gazette.example.net/rss#1"


def test_feed_links_fetched_only_when_asked():
    handler, seen = _serve({
        "https://wire.example.org/world/pakistan-pledge": httpx.Response(
            200, content=PAGE, headers={"content-type": "text/html"}),
    })
    result = ingest([str(DATA / "feed.rss")], fetch_links=True, client=_client(handler))
    first = result.articles[0]
    # The linked page gave the text; its own title wins, the feed fills what it lacks.
    assert first.source == first.url == "https://wire.example.org/world/pakistan-pledge"
    assert "eight-country tour" in first.text and first.external_id == "wire-1001"
    # The second link (reuters.com) is not served: its entry text is kept, the fetch reported.
    second = result.articles[1]
    assert second.format == "feed" and second.title == "Taliban deny accepting any deadline"
    reasons = {f.source: f.reason for f in result.failures}
    assert reasons["https://www.reuters.com/article/taliban-deadline"] == \
        "HTTP 404 Not Found; kept the feed entry's own text"
    assert len(seen) == 3  # all three links asked for; none without fetch_links (test_ingest_formats)
