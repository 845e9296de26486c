"""Assemble an :class:`~rashomon.records.Article` from paragraphs and metadata.

Every reader (text, HTML, feed, JSONL/CSV, WARC) ends here, so every article gets the
same treatment:

1. each paragraph is normalized (:mod:`.normalize`), empty ones dropped;
2. the title: when the first paragraph is the title (compared ignoring case, quote
   style and a final full stop) it becomes the ``headline`` paragraph; otherwise the
   title is added as paragraph 0 (role ``headline``);
3. the lead of the first body paragraph loses its stray date marker and dateline
   (:mod:`.dateline`), which fill ``published``, ``outlet`` and ``dateline``;
4. every other paragraph gets its role (:mod:`.roles`); a byline fills ``author``;
5. ``text`` is the paragraphs joined by a blank line and ``id`` its content hash
   (:func:`.ids.article_id`).

Metadata precedence, first found wins: values the input states explicitly (JSONL
fields, HTML metadata, feed entry fields) > the text's own lead (date marker, dateline,
a standalone date line at the top) > the file name (``<outlet>-YYYY-MM-DD-...``, see
:func:`filename_meta`) > the URL's host (outlet only). A date is never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import IngestError
from ..records import Article, Paragraph
from .dateline import parse_lead
from .dates import make_date, to_iso_date
from .ids import article_id
from .normalize import normalize_paragraph
from .outlets import normalize_outlet, outlet_from_url
from .roles import byline_author, classify

_FILENAME = re.compile(r"^(?P<outlet>[A-Za-z][A-Za-z0-9_.]*?)[-_](?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
                       r"(?:[-_.]|$)")
_SAME_KEY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


@dataclass(frozen=True, slots=True)
class Fallback:
    """Metadata used only when neither the input's fields nor its text give it."""

    outlet: str | None = None
    published: str | None = None


def filename_meta(path: str) -> Fallback:
    """Outlet and date from a file name ``<outlet>-YYYY-MM-DD-...``, e.g.
    ``voa-2018-12-03-trump-letter-khan.txt`` gives (VOA, 2018-12-03). Other names give
    nothing."""
    name = PurePath(path).name
    m = _FILENAME.match(name)
    if not m:
        return Fallback()
    date = make_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if date is None:
        return Fallback()
    return Fallback(outlet=normalize_outlet(m["outlet"]), published=date)


def _key(text: str) -> str:
    return " ".join(text.translate(_SAME_KEY).casefold().split()).rstrip(" .!?:;")


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = normalize_paragraph(str(value))
    return text or None


def build_article(
    paragraphs: Sequence[str],
    *,
    source: str,
    fmt: str,
    title: str | None = None,
    outlet: str | None = None,
    published: object = None,
    url: str | None = None,
    author: str | None = None,
    language: str | None = None,
    external_id: str | None = None,
    fallback: Fallback | None = None,
) -> Article:
    """Build the article; raise :class:`IngestError` when there is no body text."""
    texts = [t for t in (normalize_paragraph(p) for p in paragraphs) if t]
    roles: list[str] = [""] * len(texts)
    title_text = _clean(title)

    if title_text is not None:
        # The text "starts with the title" when its first paragraph is the title (case,
        # curly quotes and a final full stop aside); a first sentence that merely begins
        # with the same words does not count.
        if texts and _key(texts[0]) == _key(title_text):
            roles[0] = "headline"
        else:
            texts.insert(0, title_text)
            roles.insert(0, "headline")

    for i in range(len(texts)):
        if not roles[i]:
            roles[i] = classify(texts[i])

    # The lead: the first body paragraph, after any headline, captions, bylines or date
    # lines at the top. A standalone marker line ("date 2018-12-04") is dropped.
    lead_published = lead_outlet = lead_place = None
    i = 0
    while i < len(texts):
        if roles[i] == "headline":
            i += 1
            continue
        lead = parse_lead(texts[i])
        # Only body text has a lead; other lines at the top are skipped, except a
        # standalone marker line ("date 2018-12-04"), which is read and dropped.
        if lead.rest == texts[i] or (roles[i] != "body" and lead.rest):
            if roles[i] == "body":
                break
            i += 1
            continue
        lead_published = lead_published or lead.published
        lead_outlet = lead_outlet or lead.outlet
        lead_place = lead_place or lead.place
        if not lead.rest:
            del texts[i], roles[i]
            continue
        texts[i] = normalize_paragraph(lead.rest)
        roles[i] = classify(texts[i])
        if roles[i] == "body":
            break
        # What is left is not body text (a caption, say): the lead is further down, as a
        # second reading of this article's text would also find.
        i += 1

    if not any(r == "body" for r in roles) and len(texts) == 1 and roles[0] == "headline" \
            and title_text is not None and _key(texts[0]) == _key(title_text) and len(texts[0].split()) >= 8:
        # A one-paragraph export whose title field repeats its whole text (wire briefs,
        # ECB+ one-liners): the text is the article; the title stays as metadata.
        roles[0] = "body"
    if not any(r == "body" for r in roles):
        if not texts:
            raise IngestError(source, "no text")
        raise IngestError(source, "no article text (only a headline, captions or boilerplate)")

    top_date = next((to_iso_date(t) for t, r in zip(texts[:4], roles[:4], strict=False)
                     if r == "dateline"), None)
    byline = next((byline_author(t) for t, r in zip(texts[:6], roles[:6], strict=False)
                   if r == "boilerplate" and byline_author(t)), None)
    fb = fallback or Fallback()
    final_url = _clean(url)
    final_outlet = (normalize_outlet(_clean(outlet)) or normalize_outlet(lead_outlet)
                    or fb.outlet or outlet_from_url(final_url))
    final_published = to_iso_date(published) or lead_published or top_date or fb.published
    title_out = title_text
    if title_out is None and roles and roles[0] == "headline":
        title_out = texts[0]

    paras = tuple(Paragraph(text=t, role=r) for t, r in zip(texts, roles, strict=True))  # type: ignore[arg-type]
    text = "\n\n".join(p.text for p in paras)
    return Article(
        id=article_id(text),
        text=text,
        paragraphs=paras,
        title=title_out,
        outlet=final_outlet,
        published=final_published,
        url=final_url,
        source=source,
        author=_clean(author) or byline,
        language=_clean(language),
        dateline=lead_place,
        format=fmt,
        external_id=_clean(external_id),
    )


__all__ = ["Fallback", "build_article", "filename_meta"]
