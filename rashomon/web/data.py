"""What the web app reads from the store: filtered, paginated lists and story documents.

Plain functions over a :class:`~rashomon.store.Store`, free of FastAPI, so they are tested
and reused without a server. All values reach DuckDB as bound parameters; identifiers in
SQL are fixed strings, never built from the request.

Text search is a case-insensitive substring scan (``ILIKE``) over title and text, every
word required. DuckDB's ``fts`` extension is not inside the wheel and cannot be installed
offline; its PyPI copy (``duckdb-ext-fts``) is built for DuckDB 1.4.4 only. A scan of
1,000 articles takes a few milliseconds (docs/sections/web-benchmarks.md), so no index is
kept that could drift from the articles.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..store import Store

__all__ = ["Filters", "StoreReader", "like_pattern"]

_WORD = re.compile(r"\S+")
_ARTICLE_COLS = ("id", "outlet", "title", "published", "url", "source", "format", "author", "language",
                 "dateline", "duplicate_of", "duplicate_kind", "similarity", "n_tokens")


def like_pattern(term: str) -> str:
    """``%term%`` with LIKE's wildcards in ``term`` escaped (``ESCAPE '\\'``)."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass(frozen=True)
class Filters:
    """List filters shared by the API and the pages (dates are ISO ``YYYY-MM-DD``)."""

    q: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    speaker: str | None = None
    story_id: str | None = None

    @property
    def terms(self) -> list[str]:
        return _WORD.findall(self.q or "")[:12]

    @property
    def any(self) -> bool:
        return any((self.q, self.outlet, self.date_from, self.date_to, self.speaker, self.story_id))


class _Where:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def add(self, sql: str, *params: Any) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def dates(self, f: Filters, start_col: str, end_col: str | None = None) -> None:
        """The date-range filter: ``start_col`` ≥ date_from and ``end_col`` (default the same) ≤ date_to."""
        if f.date_from:
            self.add(f"{start_col} >= ?", f.date_from)
        if f.date_to:
            self.add(f"{end_col or start_col} <= ?", f.date_to)

    def __str__(self) -> str:
        return ("WHERE " + " AND ".join(self.parts)) if self.parts else ""


def _article_text_match(where: _Where, terms: list[str], alias: str = "a") -> None:
    for t in terms:
        where.add(f"(coalesce({alias}.title, '') || ' ' || {alias}.text) ILIKE ? ESCAPE '\\'", like_pattern(t))


class StoreReader:
    """Serialises access to one DuckDB connection shared by the server's worker threads."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lock = threading.RLock()
        #: Bumped on every write, so cached story pages and documents know they are stale.
        self.generation = 0
        self._docs: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()
        self.doc_cache_size = 256

    @contextmanager
    def locked(self) -> Iterator[Store]:
        with self.lock:
            yield self.store

    def _rows(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        with self.locked() as store:
            return store.query(sql, params)

    def _count(self, sql: str, params: list[Any]) -> int:
        with self.locked() as store:
            row = store.con.execute(sql, params).fetchone()
        return int(row[0]) if row else 0

    # -- outlets -------------------------------------------------------------------------------
    def outlets(self) -> list[str]:
        rows = self._rows("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY 1", [])
        return [r["outlet"] for r in rows]

    # -- articles ------------------------------------------------------------------------------
    def articles(self, f: Filters, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        where = _Where()
        if f.outlet:
            where.add("lower(a.outlet) = lower(?)", f.outlet)
        where.dates(f, "a.published")
        if f.story_id:
            where.add("a.id IN (SELECT article_id FROM story_members WHERE story_id = ?)", f.story_id)
        _article_text_match(where, f.terms)
        total = self._count(f"SELECT count(*) FROM articles a {where}", where.params)
        cols = ", ".join(f"a.{c}" for c in _ARTICLE_COLS)
        rows = self._rows(
            f"""SELECT {cols},
                   (SELECT min(m.story_id) FROM story_members m WHERE m.article_id = a.id) AS story_id,
                   (SELECT count(*) FROM sentences s WHERE s.article_id = a.id) AS n_sentences
                FROM articles a {where}
                ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?""",
            [*where.params, limit, offset])
        return total, rows

    def article(self, article_id: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM articles WHERE id = ?", [article_id])
        if not rows:
            return None
        art = rows[0]
        art["sentences"] = self._rows(
            'SELECT "index", text, role, start, "end", paragraph FROM sentences WHERE article_id = ? '
            'ORDER BY "index"', [article_id])
        art["story_ids"] = [r["story_id"] for r in self._rows(
            "SELECT story_id FROM story_members WHERE article_id = ? ORDER BY story_id", [article_id])]
        return art

    # -- stories -------------------------------------------------------------------------------
    def stories(self, f: Filters, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        where = _Where()
        if f.outlet:
            where.add("s.id IN (SELECT m.story_id FROM story_members m JOIN articles a ON a.id = m.article_id "
                      "WHERE lower(a.outlet) = lower(?))", f.outlet)
        # a story overlaps the range: it ends after date_from and starts before date_to
        where.dates(f, "coalesce(s.last_published, s.first_published)",
                    "coalesce(s.first_published, s.last_published)")
        if f.terms:
            # A story matches when its title, or one of its articles, contains every word.
            inner = _Where()
            _article_text_match(inner, f.terms)
            title = " AND ".join("s.title ILIKE ? ESCAPE '\\'" for _ in f.terms)
            where.add(f"(({title}) OR s.id IN (SELECT m.story_id FROM story_members m JOIN articles a "
                      f"ON a.id = m.article_id {inner}))",
                      *[like_pattern(t) for t in f.terms], *inner.params)
        total = self._count(f"SELECT count(*) FROM stories s {where}", where.params)
        rows = self._rows(
            f"""WITH page AS (
                  SELECT s.id, s.title, s.why, s.method, s.first_published, s.last_published,
                         (SELECT count(*) FROM story_members m WHERE m.story_id = s.id) AS n_articles
                  FROM stories s {where}
                  ORDER BY coalesce(s.last_published, s.first_published) DESC NULLS LAST, n_articles DESC, s.id
                  LIMIT ? OFFSET ?)
                SELECT * FROM page""",
            [*where.params, limit, offset])
        ids = [r["id"] for r in rows]
        outlets: dict[str, dict[str, int]] = {i: {} for i in ids}
        facts: dict[str, dict[str, int]] = {i: {} for i in ids}
        if ids:
            for r in self._rows(
                    "SELECT m.story_id, coalesce(a.outlet, 'unknown outlet') AS outlet, count(*) AS n "
                    "FROM story_members m JOIN articles a ON a.id = m.article_id "
                    "WHERE m.story_id IN (SELECT unnest(?)) GROUP BY ALL ORDER BY 1, 2", [ids]):
                outlets[r["story_id"]][r["outlet"]] = r["n"]
            for r in self._rows("SELECT story_id, kind, count(*) AS n FROM facts "
                                "WHERE story_id IN (SELECT unnest(?)) GROUP BY ALL", [ids]):
                facts[r["story_id"]][r["kind"]] = r["n"]
        for r in rows:
            r["outlet_counts"] = outlets[r["id"]]
            r["outlets"] = list(outlets[r["id"]])
            r["fact_counts"] = facts[r["id"]]
        return total, rows

    def resolve_story(self, story_id: str) -> str | None:
        """The full id of the story ``story_id`` names (exactly, or as a unique prefix)."""
        if self._rows("SELECT id FROM stories WHERE id = ?", [story_id]):
            return story_id
        rows = self._rows("SELECT id FROM stories WHERE starts_with(id, ?) ORDER BY id LIMIT 2", [story_id])
        return rows[0]["id"] if len(rows) == 1 else None

    def story_document(self, story_id: str) -> dict[str, Any]:
        """The analysis document restricted to one story (its articles, facts, events, ...).

        Loading a story costs ~10 store queries (50–200 ms for a big story), so the last
        documents are kept until the store changes. Callers must not modify the result.
        """
        from ..document import build_document

        with self.locked() as store:
            key = (story_id, self.generation)
            if key in self._docs:
                self._docs.move_to_end(key)
                return self._docs[key]
            doc = build_document(store.load_analysis([story_id]))
            self._docs[key] = doc
            while len(self._docs) > self.doc_cache_size:
                self._docs.popitem(last=False)
        return doc

    # -- quotes and events ----------------------------------------------------------------------
    def quotes(self, f: Filters, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        where = _Where()
        if f.speaker:
            where.add("(q.speaker ILIKE ? ESCAPE '\\' OR q.speaker_mention ILIKE ? ESCAPE '\\')",
                      like_pattern(f.speaker), like_pattern(f.speaker))
        for t in f.terms:
            where.add("q.text ILIKE ? ESCAPE '\\'", like_pattern(t))
        if f.outlet:
            where.add("lower(a.outlet) = lower(?)", f.outlet)
        where.dates(f, "a.published")
        if f.story_id:
            where.add("q.article_id IN (SELECT article_id FROM story_members WHERE story_id = ?)", f.story_id)
        base = f"FROM quotes q JOIN articles a ON a.id = q.article_id {where}"
        total = self._count(f"SELECT count(*) {base}", where.params)
        rows = self._rows(
            f"""SELECT q.*, a.outlet, a.published, a.title AS article_title,
                   (SELECT min(m.story_id) FROM story_members m WHERE m.article_id = q.article_id) AS story_id
                {base} ORDER BY a.published DESC NULLS LAST, q.article_id, q.sentence_index
                LIMIT ? OFFSET ?""", [*where.params, limit, offset])
        return total, rows

    def events(self, f: Filters, limit: int, offset: int, *, cameo_root: str | None = None,
               plover_type: str | None = None) -> tuple[int, list[dict[str, Any]]]:
        where = _Where()
        if f.story_id:
            where.add("e.story_id = ?", f.story_id)
        where.dates(f, "e.date")
        if cameo_root:
            where.add("e.cameo_root = ?", cameo_root)
        if plover_type:
            where.add("lower(e.plover_type) = lower(?)", plover_type)
        if f.outlet:
            where.add("e.id IN (SELECT em.event_id FROM event_mentions em JOIN articles a ON a.id = em.article_id "
                      "WHERE lower(a.outlet) = lower(?))", f.outlet)
        for t in f.terms:
            where.add("(e.action || ' ' || coalesce(e.evidence, '') || ' ' || CAST(e.source_actor AS VARCHAR) "
                      "|| ' ' || CAST(e.target_actor AS VARCHAR)) ILIKE ? ESCAPE '\\'", like_pattern(t))
        total = self._count(f"SELECT count(*) FROM events e {where}", where.params)
        rows = self._rows(f"SELECT e.* FROM events e {where} ORDER BY e.date NULLS LAST, e.story_id, e.id "
                          "LIMIT ? OFFSET ?", [*where.params, limit, offset])
        ids = [r["id"] for r in rows]
        cited: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
        if ids:
            for r in self._rows(
                    """SELECT em.event_id, em.story_id, em.article_id, em.sentence_index, a.outlet, a.title,
                              a.published, a.url, s.text AS sentence
                       FROM event_mentions em JOIN articles a ON a.id = em.article_id
                       LEFT JOIN sentences s ON s.article_id = em.article_id AND s."index" = em.sentence_index
                       WHERE em.event_id IN (SELECT unnest(?))
                       ORDER BY em.event_id, a.published NULLS LAST, em.article_id, em.sentence_index""", [ids]):
                key = (r.pop("event_id"), r.pop("story_id"))
                cited.setdefault(key, []).append(r)
        for r in rows:
            r["articles"] = cited.get((r["id"], r["story_id"]), [])
        return total, rows
