"""Small builders for tests that need records without running ingest."""

from __future__ import annotations

import hashlib

from rashomon.records import Article, Paragraph


def make_article(paragraphs: list[tuple[str, str]], **meta: object) -> Article:
    paras = tuple(Paragraph(text, role) for text, role in paragraphs)  # type: ignore[arg-type]
    text = "\n\n".join(p.text for p in paras)
    art_id = str(meta.pop("id", hashlib.sha256(text.encode()).hexdigest()[:16]))
    return Article(id=art_id, text=text, paragraphs=paras, **meta)  # type: ignore[arg-type]
