"""One test group per input format, on small fixtures (tests/data/ingest) and on bytes
generated here (encodings, WARC)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from rashomon.errors import IngestError
from rashomon.ingest import ingest, iter_bytes, read_bytes
from rashomon.records import Article, IngestFailure

DATA = Path(__file__).parent / "data" / "ingest"

BODY = ("The U.S. special envoy for Afghan peace began an eight-country tour on Sunday, officials "
        "said, in a renewed push to bring the Taliban to the negotiating table in Qatar.")


def _one(result) -> Article:
    assert result.failures == (), result.failures
    (article,) = result.articles
    assert article.text == "\n\n".join(p.text for p in article.paragraphs)
    return article


# --- HTML ----------------------------------------------------------------------------

def test_html_page():
    a = _one(ingest([str(DATA / "page.html")]))
    assert a.format == "html"
    assert a.title == "Envoy begins regional tour to revive Afghan talks"
    assert (a.outlet, a.published, a.author, a.language, a.dateline) == (
        "Example Herald", "2018-12-02", "Jane Doe", "en", "ISLAMABAD")
    assert a.paragraphs[0].role == "headline"
    assert a.paragraphs[1].text.startswith("The U.S. special envoy for Afghan peace began")
    assert "Most read" not in a.text and "Subscribe" not in a.text  # navigation and asides gone
    assert [p.text for p in a.paragraphs if p.role == "boilerplate"] == [
        "Reporting by Jane Doe; Editing by John Roe"]


def test_malformed_html_still_extracted():
    html = (b"<html><body><div><p>" + BODY.encode() + b"<p>Pakistan said it would help <b>in good "
            b"faith<div>The talks in Qatar ended without agreement after three days")
    (a,) = read_bytes(html, "broken.html")
    assert "eight-country tour" in a.text and "without agreement" in a.text


def test_html_declared_charset():
    html = ("<html><head><meta charset='windows-1252'><title>Café talks</title></head><body><article>"
            f"<p>{BODY} The café owner said “yes”.</p></article></body></html>").encode("cp1252")
    (a,) = read_bytes(html, "page.htm")
    assert "The café owner said “yes”." in a.text


def test_html_without_text_is_a_failure():
    with pytest.raises(IngestError, match="no article text"):
        read_bytes(b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>", "e.html")


# --- feeds ---------------------------------------------------------------------------

def test_rss_feed():
    result = ingest([str(DATA / "feed.rss")])
    first, second = result.articles
    assert first.source.endswith("feed.rss#1") and first.format == "feed"
    assert first.title == "Pakistan pledges to help Afghan peace effort"
    assert first.url == "https://wire.example.org/world/pakistan-pledge"
    # The date the entry was written with (23:30 at UTC-5), not the UTC date.
    assert first.published == "2018-12-03"
    assert first.author == "Sam Poe" and first.external_id == "wire-1001"
    assert first.outlet == "Example Wire: World"
    assert [p.role for p in first.paragraphs] == ["headline", "body", "body"]
    assert second.outlet == "Reuters"  # a known outlet's link names it
    (failure,) = result.failures
    assert failure.source.endswith("feed.rss#3")
    assert failure.reason == "feed entry has a title but no text"


def test_atom_feed_prefers_full_content():
    a = _one(ingest([str(DATA / "feed.atom")]))
    assert a.title == "Mattis says Afghan war has gone on long enough"
    assert a.published == "2018-12-03" and a.author == "Ann Lee"
    assert a.paragraphs[1].text.startswith("U.S. Defense Secretary Jim Mattis said on Monday")
    assert a.paragraphs[2].text == "“It is time for everyone to get on board,” Mattis told reporters."
    assert "Short summary" not in a.text


def test_feed_links_not_fetched_by_default():
    def refuse(request):  # pragma: no cover - must not be called
        raise AssertionError("network used")

    import httpx

    client = httpx.Client(transport=httpx.MockTransport(refuse))
    result = ingest([str(DATA / "feed.rss")], client=client)
    assert len(result.articles) == 2


def test_broken_feed():
    (f,) = list(iter_bytes(b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title></chan",
                           "broken.rss"))
    assert isinstance(f, IngestFailure) and f.source == "broken.rss"
    assert f.reason.startswith("not a readable RSS/Atom feed (")


def test_cut_off_feed_keeps_entries_it_could_read():
    data = (DATA / "feed.rss").read_bytes()
    cut = data[: data.index(b"<title>Headline only")]
    items = list(iter_bytes(cut, "cut.rss"))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "IngestFailure"]


# --- JSONL / JSON / CSV -------------------------------------------------------------------

def test_jsonl_rows_and_row_failures():
    result = ingest([str(DATA / "export.jsonl")])
    a1, a2 = result.articles
    assert a1.source.endswith("export.jsonl:1")
    assert (a1.outlet, a1.published, a1.title, a1.author, a1.language, a1.external_id, a1.url) == (
        "VOA", "2018-12-03", "Khan receives Trump letter", "Ayaz Gul", "en", "a-1",
        "https://www.voanews.com/a/khan-letter")
    assert (a2.outlet, a2.dateline, a2.published, a2.external_id) == ("AFP", "ISLAMABAD", "2018-12-03", "a-2")
    reasons = {f.source.rsplit(":", 1)[1]: f.reason for f in result.failures}
    assert set(reasons) == {"3", "4", "5", "7", "8"}  # line 6 is blank
    assert reasons["3"].startswith("invalid JSON")
    assert reasons["4"] == "JSON value is a list, not an object"
    assert reasons["5"].startswith("no text field (fields present: title, url")
    assert reasons["7"] == "field 'text' is an object, not a string"
    assert reasons["8"].startswith("no article text")


def test_jsonl_gz_and_non_utf8_line(tmp_path):
    rows = (b'{"text": "' + BODY.encode() + b'"}\n' + b'{"text": "caf\xe9 au lait is served daily."}\n')
    path = tmp_path / "rows.jsonl.gz"
    path.write_bytes(gzip.compress(rows))
    result = ingest([str(path)])
    assert len(result.articles) == 1
    (f,) = result.failures
    assert f.source == f"{path}:2" and "not valid UTF-8" in f.reason


def test_json_array(tmp_path):
    path = tmp_path / "items.json"
    path.write_text('[{"content": "' + BODY + '", "headline": "Envoy tours"}, 5]', encoding="utf-8")
    result = ingest([str(path)])
    (a,) = result.articles
    assert a.title == "Envoy tours" and a.source == f"{path}#1"
    assert result.failures[0].source == f"{path}#2"


def test_csv_with_field_map():
    result = ingest([str(DATA / "export.csv")],
                    field_map={"body": "text", "source": "outlet", "date": "published"})
    a1, a2 = result.articles
    assert (a1.title, a1.outlet, a1.published, a1.format) == ("Envoy tours region", "AP", "2018-12-02", "csv")
    assert a1.source.endswith("export.csv:2")
    assert (a2.outlet, a2.published) == ("Reuters", "2018-12-04")
    assert a2.paragraphs[0].text == "Talks in Qatar" and a2.paragraphs[0].role == "headline"
    (f,) = result.failures
    assert f.source.endswith("export.csv:3") and f.reason == "the text field is empty"


def test_csv_without_field_map_uses_common_names():
    # "body" and "headline" are common export names for text and title.
    result = ingest([str(DATA / "export.csv")])
    assert [a.title for a in result.articles] == ["Envoy tours region", "Talks in Qatar"]


def test_csv_multiline_cells_and_cp1252(tmp_path):
    text = f'title,text\n"Caf\xe9 talks","{BODY}\n\nSecond paragraph with \u201cquotes\u201d."\n'
    path = tmp_path / "legacy.csv"
    path.write_bytes(text.encode("cp1252"))
    (a,) = _one_or_all(ingest([str(path)]))
    assert a.title == "Café talks"
    assert a.paragraphs[-1].text == "Second paragraph with “quotes”."


def _one_or_all(result):
    assert result.failures == ()
    return result.articles


# --- WARC ----------------------------------------------------------------------------

def _warc(pages: list[tuple[str, bytes, str]], *, gz: bool = True, extra: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, body, status in pages:
        headers = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        # An explicit length keeps warcio from buffering in a temporary file it never closes.
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2018-12-05T08:00:00Z"}))
        if extra:
            request = b"GET / HTTP/1.1\r\nHost: example\r\n\r\n"
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(request), length=len(request)))
    return buf.getvalue()


def _page(title: str, body: str, date: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    return (f"<html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1>"
            f"<p>{body}</p><p>Officials from both sides said the next round would follow soon.</p>"
            "</article></body></html>").encode()


def test_warc_gz(tmp_path):
    data = _warc([
        ("https://www.reuters.com/a", _page("Talks end", "DOHA (Reuters) - " + BODY, "2018-12-04"), "200 OK"),
        ("https://news.example.com/b", _page("No date here", BODY.replace("Sunday", "Monday")), "200 OK"),
        ("https://news.example.com/gone", _page("Gone", BODY), "404 Not Found"),
    ])
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    result = ingest([str(path)])
    assert result.failures == ()
    a, b = result.articles
    assert (a.url, a.outlet, a.published, a.dateline, a.format) == (
        "https://www.reuters.com/a", "Reuters", "2018-12-04", "DOHA", "warc")
    assert a.source.startswith(f"{path}#offset=")
    assert b.published == "2018-12-05"  # the page has no date: WARC-Date is the fallback
    assert b.outlet == "news.example.com"


def test_warc_uncompressed_from_bytes():
    data = _warc([("https://news.example.com/c", _page("Talks", BODY), "200 OK")], gz=False)
    (a,) = read_bytes(data, "upload")  # sniffed: no extension
    assert a.format == "warc" and a.url == "https://news.example.com/c"


def test_truncated_warc_keeps_what_was_read(tmp_path):
    data = _warc([
        ("https://news.example.com/1", _page("One", BODY), "200 OK"),
        ("https://news.example.com/2", _page("Two", BODY.replace("Sunday", "Friday") + " More."), "200 OK"),
    ], extra=False)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) - 150])
    result = ingest([str(path)])
    assert [a.url for a in result.articles] == ["https://news.example.com/1"]
    (f,) = result.failures
    assert f.source == str(path) and f.reason.startswith("truncated WARC")


def test_warc_without_html_pages():
    data = _warc([("https://news.example.com/x", _page("X", BODY), "404 Not Found")])
    with pytest.raises(IngestError, match="no HTML pages in the archive"):
        read_bytes(data, "a.warc")


# --- encodings -----------------------------------------------------------------------

def test_cp1252_text(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\u00e9 owners \u201cwelcome\u201d the na\u00efve plan \u2013 officials said.".encode("cp1252"))
    a = _one(ingest([str(path)]))
    assert a.text == "Café owners “welcome” the naïve plan – officials said."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom(tmp_path, encoding):
    text = "Grüße aus Köln\n\nDer Bürgermeister sagte am Montag, die Gespräche gingen weiter."
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # with an explicit BOM
        data = ("\ufeff" + text).encode(encoding)
    path = tmp_path / "de.txt"
    path.write_bytes(data)
    a = _one(ingest([str(path)]))
    assert a.title == "Grüße aus Köln"
    assert a.paragraphs[1].text.startswith("Der Bürgermeister")


def test_gzipped_text(tmp_path):
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(BODY.encode()))
    assert _one(ingest([str(path)])).text == BODY


# --- format detection --------------------------------------------------------------------

def test_sniffing_stdin_like_inputs():
    assert read_bytes(b"<!doctype html><html><body><article><p>" + BODY.encode() + b"</p></article></body></html>",
                      "-")[0].format == "html"
    assert read_bytes((DATA / "feed.atom").read_bytes(), "-")[0].format == "feed"
    assert read_bytes(b'{"text": "' + BODY.encode() + b'"}\n', "-")[0].format == "jsonl"
    assert read_bytes(BODY.encode(), "-")[0].format == "text"
    assert read_bytes(b"title,text\nEnvoy tours," + BODY.encode() + b"\n", "-")[0].format == "csv"


def test_markup_wins_over_a_txt_extension(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_bytes((DATA / "page.html").read_bytes())
    assert _one(ingest([str(path)])).format == "html"


def test_forced_format():
    (a,) = read_bytes(b"<p>not markup to me</p> " + BODY.encode(), "x", fmt="text")
    assert a.format == "text" and a.text.startswith("<p>not markup")
    with pytest.raises(ValueError, match="unknown format"):
        read_bytes(b"x", "x", fmt="pdf")


def test_stdin(monkeypatch):
    import sys

    class FakeStdin:
        buffer = io.BytesIO(BODY.encode())

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    a = _one(ingest(["-"]))
    assert a.source == "-" and a.text == BODY
