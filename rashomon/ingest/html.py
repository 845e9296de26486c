"""HTML pages: trafilatura finds the main text and the metadata.

:func:`read_html` runs ``trafilatura.bare_extraction`` (no network: the page is already
here) for the title, date, author, site name and main text, with comments, tables and
images left out; when the precise pass finds nothing it retries favouring recall (broken
or minimal markup), and says so with a clear failure when there still is no text (fewer
than :data:`MIN_BODY_WORDS` words of body text: what the recall pass finds on an empty
page is its navigation). The
date comes from the page's metadata and markup only (htmldate without its free-text
search), never from the clock. :func:`fragment_paragraphs` turns a small HTML fragment
(a feed entry's summary) into paragraphs.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from ..errors import IngestError
from ..records import Article
from .build import Fallback, build_article
from .decode import binary_kind, bom_encoding, decode_text

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.IGNORECASE)
_BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "figcaption", "figure", "section", "article", "header", "footer", "pre", "table", "tr",
    "td", "th", "dd", "dt", "br", "hr",
})
#: A page whose main text is shorter than this is a navigation or error page, not an article.
MIN_BODY_WORDS = 8
_DATE_PARAMS: dict[str, Any] = {"extensive_search": False, "original_date": True}


def decode_html(data: bytes, source: str) -> str:
    """Decode an HTML page: byte-order mark, then ``<meta charset>``, then detection."""
    if data and not bom_encoding(data) and not binary_kind(data):
        m = _META_CHARSET.search(data[:4096])
        if m:
            name = m.group(1).decode("ascii", "replace")
            try:
                codec = codecs.lookup(name).name
                # Browsers read a declared latin-1 as windows-1252 (WHATWG Encoding).
                codec = "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec
                text = data.decode(codec)
            except (LookupError, UnicodeDecodeError):
                pass
            else:
                if text.strip():
                    return text
    return decode_text(data, source)


def _extract(html: str, url: str | None, favor_recall: bool) -> Any:
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_recall=favor_recall,
        deduplicate=False,
        date_extraction_params=_DATE_PARAMS,
    )


def read_html(
    html: str,
    *,
    source: str,
    url: str | None = None,
    fallback: Fallback | None = None,
    fmt: str = "html",
) -> Article:
    """One article from an HTML page; :class:`IngestError` when no main text is found."""
    try:
        doc = _extract(html, url, favor_recall=False) or _extract(html, url, favor_recall=True)
    except Exception as exc:  # trafilatura/lxml raise many types on hostile markup
        raise IngestError(source, f"HTML could not be parsed ({type(exc).__name__}: {exc})") from None
    if doc is None or not (doc.text or "").strip():
        raise IngestError(source, "no article text found in the HTML page")
    article = build_article(
        doc.text.split("\n"),
        source=source,
        fmt=fmt,
        title=doc.title,
        outlet=doc.sitename,
        published=doc.date,
        url=url or doc.url,
        author=doc.author,
        language=doc.language or _page_language(html),
        fallback=fallback,
    )
    words = sum(len(p.text.split()) for p in article.paragraphs if p.role == "body")
    if words < MIN_BODY_WORDS:
        raise IngestError(source, f"no article text found in the HTML page (only {words} words of "
                                  "body text)")
    return article


def _page_language(html: str) -> str | None:
    m = _HTML_LANG.search(html[:4096])
    return m.group(1).lower() if m else None


def fragment_paragraphs(fragment: str) -> list[str]:
    """Paragraph texts of an HTML fragment (block elements and ``<br>`` break lines)."""
    if "<" not in fragment:
        import html as stdlib_html

        return [p for p in re.split(r"\n\s*\n|\n", stdlib_html.unescape(fragment)) if p.strip()]
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fromstring(f"<div>{fragment}</div>")
    except (lxml.etree.ParserError, ValueError):
        return []
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    return [ln for ln in root.text_content().split("\n") if ln.strip()]


__all__ = ["decode_html", "fragment_paragraphs", "read_html"]
