"""``rashomon eval events``: score the event coder on the gold sets in ``../shared/data/events``.

Datasets (the ``dataset`` field of each JSONL record, see that folder's README):

* ``plover_gsr`` — PLOVER gold (CC BY-SA): PLOVER type + source/target actors, no CAMEO.
  The gold uses PLOVER 0.5 type names; they are compared in their 2021 form
  (``plover_type_2021``: DEMAND→REQUEST, DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT).
* ``petr2_gsr`` — PETRARCH-2 validation gold: CAMEO codes + actors.
* ``petrarch_unittest`` — PETRARCH's unit-test records in a fictional world; scored as a
  behaviour suite (per category) with the suite's own actor/agent dictionaries loaded
  (``--dictionaries`` or the ``petrarch_unittest_dictionaries`` folder next to the data).
  Its verb codes follow an old WEIS-flavoured test dictionary, so its code accuracy says
  little about CAMEO; it is reported separately and kept out of the headline.
* ``ngec_actor_resolution`` — actor text → country / sector, scored with the shared actor
  knowledge (no Wikipedia lookups: NGEC resolves persons through a Wikipedia index).

Scoring. Each gold event is aligned with at most one predicted event of its sentence
(greedy, the prediction agreeing on most elements). Elements: ``source``, ``target``,
``code`` (CAMEO root for PETR sets, PLOVER type for PLOVER). Actor codes are compared
after normalization (``*`` and lower-case suffixes dropped, ``---`` = unknown country
removed) on country + first sector (the first 6 letters; any ``IGO…`` matches ``IGO…``);
``*_strict`` keys compare the whole normalized code. A record is correct when all three
elements are; a no-event sentence is correct when nothing is coded. Negated predictions
are not counted as events. The headline keys pool the real-text sets (PLOVER + PETR2).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EvalError

if TYPE_CHECKING:
    from rich.table import Table

    from ..events.coder import RawEvent
    from ..events.petrarch_dict import ActorDictionary

__all__ = ["evaluate", "normalize_code", "render"]

EVENT_SETS = ("plover_gsr", "petr2_gsr", "petrarch_unittest")
HEADLINE_SETS = ("plover_gsr", "petr2_gsr")
ELEMENTS = ("source", "target", "code")


def normalize_code(code: str | None) -> str:
    """``"ISR***"`` → ``"ISR"``, ``"SRBCVLalb"`` → ``"SRBCVL"``, ``"---LEG"`` → ``"LEG"``."""
    if not code:
        return ""
    c = re.sub(r"[^A-Z]", "", code.replace("---", ""))
    return c


def actors_match(pred: str | None, gold: str | None, strict: bool = False) -> bool:
    p, g = normalize_code(pred), normalize_code(gold)
    if not g:
        return not p
    if strict:
        return p == g
    if p.startswith("IGO") and g.startswith("IGO"):
        return True
    return p[:6] == g[:6]


def _read(data: Path) -> list[dict[str, Any]]:
    from .ecbplus import read_jsonl

    if not data.exists():
        raise EvalError(f"event benchmark data not found: {data}")
    try:
        return list(read_jsonl(data))
    except (OSError, ValueError) as exc:
        raise EvalError(f"cannot read {data}: {exc}") from exc


# ------------------------------------------------------------------------------ gold views

def _gold_events(rec: dict[str, Any]) -> list[dict[str, Any]]:
    """Gold events as {source: [codes], target: [codes], code: str|None, full: str|None}."""
    out = []
    for e in rec.get("events") or []:
        if rec["dataset"] == "plover_gsr":
            srcs = [e["source_actor"]] if e.get("source_actor") else [
                f"{a.get('code') or ''}{a.get('sector') or ''}" for a in e.get("source_actors") or []]
            tgts = [e["target_actor"]] if e.get("target_actor") else [
                f"{a.get('code') or ''}{a.get('sector') or ''}" for a in e.get("target_actors") or []]
            if e.get("reciprocal") and not tgts:
                tgts = srcs  # "A and B agreed": each is the other's counterpart
            out.append({"source": srcs, "target": tgts, "code": e.get("plover_type_2021") or e.get("plover_type"),
                        "full": None})
        else:
            out.append({"source": [e.get("source_actor")], "target": [e.get("target_actor")],
                        "code": e.get("cameo_root") or (e.get("cameo_code") or "")[:2] or None,
                        "full": e.get("cameo_code")})
    return out


def _pred_view(ev: RawEvent, dataset: str) -> dict[str, Any]:
    from ..events.codebook import load_codebook

    code = load_codebook().plover(ev.cameo_code)[0] if dataset == "plover_gsr" else ev.cameo_code[:2]
    return {"source": ev.source.code, "target": ev.target.code, "code": code, "full": ev.cameo_code}


def _agree(p: dict[str, Any], g: dict[str, Any], strict: bool = False) -> dict[str, bool]:
    return {
        "source": any(actors_match(p["source"], s, strict) for s in g["source"]) if g["source"]
        else not p["source"],
        "target": any(actors_match(p["target"], t, strict) for t in g["target"]) if g["target"]
        else not p["target"],
        "code": p["code"] == g["code"],
    }


_Pair = tuple[dict[str, Any], dict[str, Any] | None]


def _align(preds: list[dict[str, Any]], golds: list[dict[str, Any]]) -> list[_Pair]:
    pairs: list[_Pair] = []
    free = list(range(len(preds)))
    for g in golds:
        best, best_score = None, -1
        for i in free:
            a = _agree(preds[i], g)
            score = a["code"] * 2 + a["source"] + a["target"]
            if score > best_score:
                best, best_score = i, score
        if best is not None and best_score > 0:
            free.remove(best)
            pairs.append((g, preds[best]))
        else:
            pairs.append((g, None))
    for i in free:
        pairs.append(({"source": [], "target": [], "code": None, "full": None, "spurious": True}, preds[i]))
    return pairs


# ------------------------------------------------------------------------------ metrics

def macro_f1(pairs: Iterable[tuple[str | None, str | None]]) -> float:
    """Macro-F1 over gold classes; ``None`` stands for "no event" on either side."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    classes: set[str] = set()
    for gold, pred in pairs:
        if gold is not None:
            classes.add(gold)
        if gold is not None and pred == gold:
            tp[gold] += 1
            continue
        if gold is not None:
            fn[gold] += 1
        if pred is not None:
            fp[pred] += 1
    if not classes:
        return 0.0
    scores = []
    for c in sorted(classes):
        p = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        r = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 0.0
        scores.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(scores) / len(scores)


class _Tally:
    def __init__(self) -> None:
        self.n_events = 0
        self.correct: Counter[str] = Counter()
        self.strict: Counter[str] = Counter()
        self.records = 0
        self.records_ok = 0
        self.no_event = 0
        self.no_event_ok = 0
        self.spurious = 0
        self.predicted = 0
        self.code_pairs: list[tuple[str | None, str | None]] = []
        self.full_ok = 0
        self.full_n = 0
        self.confusion: Counter[tuple[str, str]] = Counter()

    def add(self, golds: list[dict[str, Any]], preds: list[dict[str, Any]], no_event: bool) -> bool:
        self.predicted += len(preds)
        if not golds:
            self.no_event += 1
            self.records += 1
            ok = not preds
            self.no_event_ok += ok
            self.records_ok += ok
            for pred in preds:
                self.code_pairs.append((None, pred["code"]))
                self.spurious += 1
            return ok
        all_ok = True
        for g, p in _align(preds, golds):
            if g.get("spurious"):
                self.spurious += 1
                self.code_pairs.append((None, p["code"] if p else None))
                continue
            self.n_events += 1
            self.records += 1
            agree = _agree(p, g) if p else dict.fromkeys(ELEMENTS, False)
            agree_s = _agree(p, g, strict=True) if p else dict.fromkeys(ELEMENTS, False)
            for k in ELEMENTS:
                self.correct[k] += agree[k]
                self.strict[k] += agree_s[k]
            ok = all(agree.values())
            self.records_ok += ok
            all_ok = all_ok and ok
            self.code_pairs.append((g["code"], p["code"] if p else None))
            self.confusion[(g["code"] or "-", (p["code"] if p else None) or "none")] += 1
            if g.get("full"):
                self.full_n += 1
                self.full_ok += bool(p and p["full"] == g["full"])
        return all_ok

    def scores(self, prefix: str = "") -> dict[str, Any]:
        n = self.n_events or 1
        out: dict[str, Any] = {
            f"{prefix}n_sentences_events": self.n_events,
            f"{prefix}n_records": self.records,
            f"{prefix}source_accuracy": self.correct["source"] / n,
            f"{prefix}target_accuracy": self.correct["target"] / n,
            f"{prefix}code_accuracy": self.correct["code"] / n,
            f"{prefix}source_accuracy_strict": self.strict["source"] / n,
            f"{prefix}target_accuracy_strict": self.strict["target"] / n,
            f"{prefix}element_accuracy": sum(self.correct[k] for k in ELEMENTS) / (3 * n),
            f"{prefix}record_accuracy": self.records_ok / (self.records or 1),
            f"{prefix}no_event_accuracy": self.no_event_ok / self.no_event if self.no_event else None,
            f"{prefix}spurious_events": self.spurious,
            f"{prefix}predicted_events": self.predicted,
            f"{prefix}code_macro_f1": macro_f1(self.code_pairs),
        }
        if self.full_n:
            out[f"{prefix}cameo_full_accuracy"] = self.full_ok / self.full_n
        return out


def _merge_tallies(tallies: Sequence[_Tally]) -> _Tally:
    t = _Tally()
    for x in tallies:
        t.n_events += x.n_events
        t.correct.update(x.correct)
        t.strict.update(x.strict)
        t.records += x.records
        t.records_ok += x.records_ok
        t.no_event += x.no_event
        t.no_event_ok += x.no_event_ok
        t.spurious += x.spurious
        t.predicted += x.predicted
        t.full_ok += x.full_ok
        t.full_n += x.full_n
        t.confusion.update(x.confusion)
    return t


# ------------------------------------------------------------------------------ NGEC actors

def _score_ngec(records: list[dict[str, Any]], nlp: Any) -> dict[str, Any]:
    from ..annotate import actor_kb
    from ..events.actor_resolve import DocActors

    country_ok = country_n = sector_ok = sector_n = 0
    rows = [r for r in records if not r.get("shadowed_by_later_definition")
            and not any(m.get("mark") in ("xfail", "skip") for m in r.get("marks") or [])]
    texts = [r["input"].get("text") or "" for r in rows]
    docs = list(nlp.pipe(texts, batch_size=64)) if texts else []
    for r, doc in zip(rows, docs, strict=True):
        text = r["input"].get("text") or ""
        if r["method"] == "search_nat":
            for e in r["expected"]:
                if e["field"] == "[0]" and e["op"] == "==":
                    country_n += 1
                    country_ok += (actor_kb.country_of(text) or "") == e["value"]
            continue
        if r["method"] not in ("agent_to_code", "short_text_to_agent"):
            continue
        heads = [t for t in doc if t.dep_ == "ROOT"]
        act = DocActors().resolve(heads[0]) if heads else None
        for e in r["expected"]:
            if e["op"] != "==":
                continue
            if e["field"] == "country":
                country_n += 1
                got = (act.country if act else None) or ("IGO" if act and act.role == "igo" else None)
                country_ok += (got or "") == (e["value"] or "")
            elif e["field"] == "code_1":
                sector_n += 1
                got = actor_kb.sector_code(act.role) if act else None
                sector_ok += (got or "") == (e["value"] or "")
    return {
        "ngec_actor_resolution.n_country_checks": country_n,
        "ngec_actor_resolution.country_accuracy": country_ok / country_n if country_n else None,
        "ngec_actor_resolution.n_sector_checks": sector_n,
        "ngec_actor_resolution.sector_accuracy": sector_ok / sector_n if sector_n else None,
    }


# ------------------------------------------------------------------------------ entry point

def _dictionary_for(data: Path, dictionaries: str | Path | None) -> ActorDictionary | None:
    from ..events.petrarch_dict import load_petrarch_dictionaries

    if dictionaries:
        return load_petrarch_dictionaries(dictionaries)
    base = data if data.is_dir() else data.parent
    folder = base / "petrarch_unittest_dictionaries"
    return load_petrarch_dictionaries(folder) if folder.is_dir() else None


def evaluate(data: Path, limit: int | None = None, dictionaries: str | Path | None = None,
             **_options: Any) -> dict[str, Any]:
    """Score the coder on every event gold set found in ``data`` (file or folder)."""
    from ..annotate import load_nlp
    from ..events.coder import code_doc

    data = Path(data)
    records = _read(data)
    by_set: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_set[r.get("dataset") or "unknown"].append(r)
    if limit:
        by_set = defaultdict(list, {k: v[:limit] for k, v in by_set.items()})
    if not any(k in by_set for k in (*EVENT_SETS, "ngec_actor_resolution")):
        raise EvalError(f"no event benchmark records (datasets {EVENT_SETS}) in {data}")
    nlp = load_nlp()
    disable = [p for p in nlp.pipe_names if p.startswith("rashomon_") and p != "rashomon_paragraphs"]
    pdict = _dictionary_for(data, dictionaries) if "petrarch_unittest" in by_set else None
    scores: dict[str, Any] = {}
    tallies: dict[str, _Tally] = {}
    categories: dict[str, list[bool]] = defaultdict(list)
    errors: list[dict[str, Any]] = []
    for name in EVENT_SETS:
        recs = by_set.get(name) or []
        if not recs:
            continue
        recs = [r for r in recs if not (r.get("meta") or {}).get("expected_error")]
        tally = _Tally()

        def make(r: dict[str, Any]) -> Any:
            doc = nlp.make_doc(r["text"])
            doc._.published = r.get("date")
            return doc

        docs = nlp.pipe((make(r) for r in recs), batch_size=64, disable=disable)
        for r, doc in zip(recs, docs, strict=True):
            raws = code_doc(doc, skip_roles=True,
                            actor_dictionary=pdict if name == "petrarch_unittest" else None)
            preds, seen = [], set()
            for ev in raws:
                if ev.negated:
                    continue
                view = _pred_view(ev, name)
                key = (view["source"], view["target"], view["full"])
                if key not in seen:
                    seen.add(key)
                    preds.append(view)
            golds = _gold_events(r)
            ok = tally.add(golds, preds, bool(r.get("no_event")))
            if name == "petrarch_unittest":
                categories[(r.get("meta") or {}).get("category") or "?"].append(ok)
            if not ok and len(errors) < 400:
                errors.append({"id": r["id"], "dataset": name, "gold": golds, "pred": preds})
        tallies[name] = tally
        scores.update(tally.scores(prefix=f"{name}."))
    head_sets = [n for n in HEADLINE_SETS if n in tallies] or list(tallies)
    if head_sets:
        head = _merge_tallies([tallies[n] for n in head_sets])
        pooled = head.scores()
        scores["headline_datasets"] = ",".join(head_sets)
        for k in ("source_accuracy", "target_accuracy", "code_accuracy", "element_accuracy",
                  "record_accuracy", "source_accuracy_strict", "target_accuracy_strict",
                  "no_event_accuracy", "spurious_events", "predicted_events", "n_records"):
            scores[k] = pooled[k]
        scores["confusion"] = {f"{g}->{p}": n for (g, p), n in sorted(head.confusion.items())}
    if "petr2_gsr" in tallies:
        scores["cameo_root_macro_f1"] = macro_f1(tallies["petr2_gsr"].code_pairs)
    elif "petrarch_unittest" in tallies:
        scores["cameo_root_macro_f1"] = macro_f1(tallies["petrarch_unittest"].code_pairs)
    if "plover_gsr" in tallies:
        scores["plover_macro_f1"] = macro_f1(tallies["plover_gsr"].code_pairs)
    if categories:
        scores["petrarch_unittest.category_pass_rate"] = {
            c: sum(v) / len(v) for c, v in sorted(categories.items())}
    if "ngec_actor_resolution" in by_set:
        scores.update(_score_ngec(by_set["ngec_actor_resolution"], nlp))
    scores["errors_sample"] = errors[:40]
    return scores


def render(scores: dict[str, Any]) -> Table:
    from rich.table import Table

    table = Table(title="Event coding (CAMEO / PLOVER)")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in scores.items():
        if key in ("confusion", "errors_sample") or isinstance(value, dict):
            continue
        if isinstance(value, float):
            table.add_row(key, f"{value:.3f}")
        elif value is not None:
            table.add_row(key, str(value))
    return table
