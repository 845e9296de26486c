"""Event exports: a GDELT-2.0-like events table + mentions table, PLOVER JSON, parquet, csv.

* :func:`gdelt_rows` — one row per deduplicated event with GDELT 2.0 event-table column
  names (``GlobalEventID``, ``Day``, ``Actor1Code`` … ``SOURCEURL``) plus Rashomon's own
  columns (PLOVER type, date source, flags, confidence, merge reason). ``NumMentions`` /
  ``NumSources`` / ``NumArticles`` count the citing sentences / outlets / articles after
  deduplication; ``SOURCEURL`` is the first citing article's URL.
* :func:`mention_rows` — the GDELT mentions table: one row per citing article and sentence
  (``MentionIdentifier`` = URL or article id, ``SentenceID`` 1-based as in GDELT).
* :func:`plover_records` — PLOVER event records (JSON), validated by
  :data:`PLOVER_SCHEMA` (written from the PLOVER codebook's field list).
* :func:`write_export` — writes a format to a path; parquet goes through DuckDB's ``COPY``
  (no pyarrow needed).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..records import Article, Event
from .codebook import load_codebook

__all__ = ["GDELT_COLUMNS", "MENTION_COLUMNS", "PLOVER_SCHEMA", "gdelt_rows", "mention_rows",
           "plover_records", "write_export"]

#: (column, DuckDB type) of the events table, GDELT 2.0 names first.
GDELT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("GlobalEventID", "BIGINT"), ("Day", "INTEGER"), ("MonthYear", "INTEGER"), ("Year", "INTEGER"),
    ("FractionDate", "DOUBLE"),
    ("Actor1Code", "VARCHAR"), ("Actor1Name", "VARCHAR"), ("Actor1CountryCode", "VARCHAR"),
    ("Actor1Type1Code", "VARCHAR"),
    ("Actor2Code", "VARCHAR"), ("Actor2Name", "VARCHAR"), ("Actor2CountryCode", "VARCHAR"),
    ("Actor2Type1Code", "VARCHAR"),
    ("IsRootEvent", "INTEGER"), ("EventCode", "VARCHAR"), ("EventBaseCode", "VARCHAR"),
    ("EventRootCode", "VARCHAR"), ("QuadClass", "INTEGER"), ("GoldsteinScale", "DOUBLE"),
    ("NumMentions", "INTEGER"), ("NumSources", "INTEGER"), ("NumArticles", "INTEGER"),
    ("ActionGeo_FullName", "VARCHAR"), ("DATEADDED", "BIGINT"), ("SOURCEURL", "VARCHAR"),
    # Rashomon's additions
    ("RashomonEventID", "VARCHAR"), ("StoryID", "VARCHAR"), ("Action", "VARCHAR"),
    ("PloverType", "VARCHAR"), ("PloverMode", "VARCHAR"), ("DateSource", "VARCHAR"),
    ("Negated", "BOOLEAN"), ("Hypothetical", "BOOLEAN"), ("Future", "BOOLEAN"),
    ("Confidence", "DOUBLE"), ("MergeReason", "VARCHAR"), ("Evidence", "VARCHAR"),
)
MENTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("GlobalEventID", "BIGINT"), ("EventTimeDate", "BIGINT"), ("MentionTimeDate", "BIGINT"),
    ("MentionType", "INTEGER"), ("MentionSourceName", "VARCHAR"), ("MentionIdentifier", "VARCHAR"),
    ("SentenceID", "INTEGER"), ("InRawText", "INTEGER"), ("Confidence", "INTEGER"),
    ("RashomonEventID", "VARCHAR"), ("ArticleID", "VARCHAR"), ("SentenceIndex", "INTEGER"),
)

#: JSON Schema of a PLOVER record, from the PLOVER codebook's event-data fields
#: (event id, date, type, mode, context, actor / recipient with country and sector).
PLOVER_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "PLOVER event record (Rashomon)",
    "type": "object",
    "required": ["event_id", "event_date", "event_type", "mode", "context", "source_actor",
                 "target_actor", "event_text", "citations"],
    "properties": {
        "event_id": {"type": "string", "minLength": 1},
        "event_date": {"type": ["string", "null"],
                       "pattern": r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$"},
        "date_source": {"enum": ["text", "publication", "none"]},
        "event_type": {"enum": ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID",
                                "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST",
                                "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]},
        "mode": {"type": ["string", "null"]},
        "context": {"type": "array", "items": {"type": "string"}},
        "source_actor": {"$ref": "#/$defs/actor"},
        "target_actor": {"$ref": "#/$defs/actor"},
        "event_text": {"type": "string"},
        "location": {"type": ["object", "null"],
                     "properties": {"name": {"type": "string"}}, "required": ["name"]},
        "cameo_code": {"type": "string", "pattern": r"^\d{2,4}$"},
        "goldstein": {"type": ["number", "null"], "minimum": -10, "maximum": 10},
        "negated": {"type": "boolean"}, "hypothetical": {"type": "boolean"},
        "future": {"type": "boolean"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "merge_reason": {"type": ["string", "null"]},
        "story_id": {"type": ["string", "null"]},
        "citations": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["article_id", "sentence_index"],
            "properties": {"article_id": {"type": "string"},
                           "sentence_index": {"type": "integer", "minimum": 0},
                           "outlet": {"type": ["string", "null"]},
                           "url": {"type": ["string", "null"]}}}},
        "version": {"type": "string"},
    },
    "$defs": {"actor": {
        "type": "object", "required": ["name", "code", "country", "sector"],
        "properties": {"name": {"type": ["string", "null"]}, "code": {"type": ["string", "null"]},
                       "country": {"type": ["string", "null"], "pattern": "^[A-Z]{3}$"},
                       "sector": {"type": ["string", "null"]}}}},
}


def numeric_id(event_id: str) -> int:
    """GDELT's GlobalEventID is an integer: a stable 60-bit number from the event id."""
    return int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:15], 16)


def _day(value: str | None) -> tuple[int | None, int | None, int | None, float | None]:
    if not value or len(value) < 4 or not value[:4].isdigit():
        return None, None, None, None
    year = int(value[:4])
    if len(value) >= 7 and value[5:7].isdigit():
        month = int(value[5:7])
        day = int(value[8:10]) if len(value) >= 10 and value[8:10].isdigit() else 1
        frac = round(year + (month - 1) / 12 + (day - 1) / 365, 4)
        return year * 10000 + month * 100 + day, year * 100 + month, year, frac
    return None, None, year, float(year)


def _sector(code: str | None, country: str | None) -> str | None:
    if not code:
        return None
    rest = code[3:] if country and code.startswith(country) else code.lstrip("-")
    return rest[:3] or None


def gdelt_rows(events: Sequence[Event], articles: Mapping[str, Article] | None = None) -> list[dict[str, Any]]:
    cb = load_codebook()
    arts = articles or {}
    rows = []
    for e in events:
        day, month, year, frac = _day(e.date)
        first = arts.get(e.citations[0].article_id) if e.citations else None
        outlets = {(arts[c.article_id].outlet if c.article_id in arts else None) or c.article_id
                   for c in e.citations}
        added = max((int((arts[c.article_id].published or "0").replace("-", "")[:8] or 0)
                     for c in e.citations if c.article_id in arts), default=0)
        rows.append({
            "GlobalEventID": numeric_id(e.id), "Day": day, "MonthYear": month, "Year": year,
            "FractionDate": frac,
            "Actor1Code": e.source_actor.code, "Actor1Name": e.source_actor.name,
            "Actor1CountryCode": e.source_actor.country,
            "Actor1Type1Code": _sector(e.source_actor.code, e.source_actor.country),
            "Actor2Code": e.target_actor.code, "Actor2Name": e.target_actor.name,
            "Actor2CountryCode": e.target_actor.country,
            "Actor2Type1Code": _sector(e.target_actor.code, e.target_actor.country),
            "IsRootEvent": int(any(c.sentence_index <= 1 for c in e.citations)),
            "EventCode": e.cameo_code, "EventBaseCode": e.cameo_code[:3], "EventRootCode": e.cameo_root,
            "QuadClass": cb.quad_class(e.cameo_code), "GoldsteinScale": e.goldstein,
            "NumMentions": len(e.citations), "NumSources": len(outlets),
            "NumArticles": len({c.article_id for c in e.citations}),
            "ActionGeo_FullName": e.place, "DATEADDED": added * 1000000 if added else None,
            "SOURCEURL": (first.url if first and first.url else (e.citations[0].article_id if e.citations else None)),
            "RashomonEventID": e.id, "StoryID": e.story_id, "Action": e.action,
            "PloverType": e.plover_type, "PloverMode": e.plover_mode, "DateSource": e.date_source,
            "Negated": e.negated, "Hypothetical": e.hypothetical, "Future": e.future,
            "Confidence": e.confidence, "MergeReason": e.merge_reason, "Evidence": e.evidence,
        })
    return rows


def mention_rows(events: Sequence[Event], articles: Mapping[str, Article] | None = None) -> list[dict[str, Any]]:
    arts = articles or {}
    rows = []
    for e in events:
        day = _day(e.date)[0]
        for c in e.citations:
            art = arts.get(c.article_id)
            pub = int((art.published or "").replace("-", "")[:8] or 0) if art and art.published else None
            rows.append({
                "GlobalEventID": numeric_id(e.id), "EventTimeDate": day * 1000000 if day else None,
                "MentionTimeDate": pub * 1000000 if pub else None, "MentionType": 1,
                "MentionSourceName": (art.outlet if art else None),
                "MentionIdentifier": (art.url if art and art.url else c.article_id),
                "SentenceID": c.sentence_index + 1, "InRawText": 1,
                "Confidence": round(e.confidence * 100), "RashomonEventID": e.id,
                "ArticleID": c.article_id, "SentenceIndex": c.sentence_index,
            })
    return rows


def plover_records(events: Sequence[Event], articles: Mapping[str, Article] | None = None) -> list[dict[str, Any]]:
    """PLOVER records for the events that have a PLOVER type (statements 01x have none)."""
    cb = load_codebook()
    arts = articles or {}
    out = []
    for e in events:
        if not e.plover_type:
            continue
        out.append({
            "event_id": e.id, "event_date": e.date, "date_source": e.date_source,
            "event_type": e.plover_type, "mode": e.plover_mode,
            "context": list(cb.plover_context(e.cameo_code)),
            "source_actor": {"name": e.source_actor.name, "code": e.source_actor.code,
                             "country": e.source_actor.country,
                             "sector": _sector(e.source_actor.code, e.source_actor.country)},
            "target_actor": {"name": e.target_actor.name, "code": e.target_actor.code,
                             "country": e.target_actor.country,
                             "sector": _sector(e.target_actor.code, e.target_actor.country)},
            "event_text": e.evidence, "location": {"name": e.place} if e.place else None,
            "cameo_code": e.cameo_code, "goldstein": e.goldstein, "negated": e.negated,
            "hypothetical": e.hypothetical, "future": e.future, "confidence": e.confidence,
            "merge_reason": e.merge_reason, "story_id": e.story_id,
            "citations": [{"article_id": c.article_id, "sentence_index": c.sentence_index,
                           "outlet": arts[c.article_id].outlet if c.article_id in arts else None,
                           "url": arts[c.article_id].url if c.article_id in arts else None}
                          for c in e.citations],
            "version": "PLOVER 2021 via CAMEO2PLOVER; rashomon.events.v1",
        })
    return out


def _copy(rows: list[dict[str, Any]], cols: Sequence[tuple[str, str]], path: Path, fmt: str) -> None:
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        con.execute("CREATE TABLE t (" + ", ".join(f'"{c}" {t}' for c, t in cols) + ")")
        if rows:
            names = [c for c, _ in cols]
            con.executemany(f"INSERT INTO t VALUES ({', '.join('?' for _ in names)})",
                            [[r.get(n) for n in names] for r in rows])
        opts = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
        target = str(path).replace("'", "''")
        con.execute(f"COPY t TO '{target}' {opts}")
    finally:
        con.close()


def _paths(out: Path, ext: str) -> tuple[Path, Path]:
    if out.suffix == "" or out.is_dir():
        out.mkdir(parents=True, exist_ok=True)
        return out / f"events.{ext}", out / f"mentions.{ext}"
    out.parent.mkdir(parents=True, exist_ok=True)
    return out, out.with_name(f"{out.stem}.mentions{out.suffix}")


def write_export(events: Sequence[Event], out: str | Path, fmt: str,
                 articles: Mapping[str, Article] | None = None) -> list[Path]:
    """Write ``events`` in ``fmt`` (gdelt | plover | parquet | csv); returns the files written.

    ``gdelt`` writes tab-separated events and mentions tables (with a header row),
    ``csv``/``parquet`` the same two tables; a directory ``out`` gets ``events.*`` and
    ``mentions.*``, a file name gets a sibling ``<name>.mentions.<ext>``. ``plover``
    writes a JSON array (or JSON lines when ``out`` ends with ``.jsonl``).
    """
    from ..errors import ConfigError

    fmt = fmt.lower()
    path = Path(out)
    if fmt == "plover":
        recs = plover_records(events, articles)
        if path.suffix == "" or path.is_dir():
            path.mkdir(parents=True, exist_ok=True)
            path = path / "events.plover.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".jsonl":
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
        else:
            path.write_text(json.dumps(recs, ensure_ascii=False, indent=1), encoding="utf-8")
        return [path]
    ev_rows, me_rows = gdelt_rows(events, articles), mention_rows(events, articles)
    if fmt == "gdelt":
        ev_path, me_path = _paths(path, "tsv")
        for rows, cols, p in ((ev_rows, GDELT_COLUMNS, ev_path), (me_rows, MENTION_COLUMNS, me_path)):
            with p.open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, delimiter="\t", lineterminator="\n")
                w.writerow([c for c, _ in cols])
                for r in rows:
                    w.writerow(["" if r.get(c) is None else r.get(c) for c, _ in cols])
        return [ev_path, me_path]
    if fmt in ("parquet", "csv"):
        ev_path, me_path = _paths(path, fmt)
        _copy(ev_rows, GDELT_COLUMNS, ev_path, fmt)
        _copy(me_rows, MENTION_COLUMNS, me_path, fmt)
        return [ev_path, me_path]
    raise ConfigError(f"unknown event export format {fmt!r}; choose gdelt, plover, parquet or csv")
