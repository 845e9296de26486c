"""``rashomon eval quotes``: attribution (cue / source / content) and speaker accuracy.

Two data formats, detected from the records:

* **PolNeAR** (``attributions`` with ``source``/``cue``/``content`` spans; Newell et al.
  2018). Scored as Citron's ``evaluate`` (bbc/citron ``citron/metrics.py``): spans are
  compared as token spans of the same spaCy tokenisation (gold character spans are
  expanded to whole tokens; a discontinuous span is its set of fragments).

  - *exact*: cue = same tokens; source / content = same tokens **and** the cues overlap;
    *all* = cue, source and content all exact. Precision = matched predictions /
    predictions, recall = matched gold / gold.
  - *overlap*: tokens shared between predicted and gold spans (summed over pairs) over
    predicted tokens (precision) and gold tokens (recall); *all* sums the three roles.
  - ``speaker_accuracy``: over gold attributions with a source whose cue a prediction
    overlaps, the share where the predicted source mention overlaps the gold source, or
    the resolved canonical speaker's head word occurs in the gold source text.

* **BASIL** (``articles`` with quote ``spans`` and a ``speaker``; Fan et al. 2019). Only
  quotes carrying a bias span are annotated, so recall cannot be measured: given each
  gold quote span, a prediction whose content overlaps it is looked up and its speaker
  compared with the gold speaker (``speaker_accuracy`` over named speakers; generic
  ``other_*`` groups are counted apart), plus ``quote_coverage`` (gold quote spans with an
  overlapping prediction).

PolNeAR annotates every attribution (also "according to", beliefs, stances); the
extractor runs with ``cues="all"`` here. Rashomon's stored quotes use the speech cues.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EvalError

if TYPE_CHECKING:
    from rich.table import Table
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["build_nlp", "evaluate", "render", "score_polnear_doc"]

Tokens = frozenset[int]


def build_nlp(cues: str = "all", model: str = "builtin") -> Language:
    """The annotation pipeline with actors and quotes (``cues``, ``model`` as in ``rashomon_quotes``)."""
    import warnings

    import spacy

    from ..annotate import actors as _actors  # noqa: F401  (registers the factory)
    from ..annotate import paragraphs as _paragraphs  # noqa: F401
    from ..annotate import quotes as _quotes  # noqa: F401
    from ..annotate.model import model_name

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*W095.*")
        nlp = spacy.load(model_name())
    nlp.add_pipe("rashomon_paragraphs", before="parser")
    nlp.add_pipe("rashomon_actors", last=True)
    nlp.add_pipe("rashomon_quotes", last=True, config={"cues": cues, "model": model})
    return nlp


def _paragraphs(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            out.append((m.start(), m.end(), "body"))
    return out


def _docs(nlp: Language, items: Iterable[tuple[str, Any]]) -> Iterator[tuple[Doc, Any]]:
    def gen() -> Iterator[tuple[Doc, Any]]:
        for text, payload in items:
            doc = nlp.make_doc(text)
            doc._.paragraph_roles = _paragraphs(text)
            yield doc, payload

    yield from nlp.pipe(gen(), as_tuples=True, batch_size=16)


def _tokens(doc: Doc, fragments: list[list[int]] | list[tuple[int, int]]) -> Tokens:
    toks: set[int] = set()
    for s, e in fragments:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            toks.update(t.i for t in span if not t.is_space)
    return frozenset(toks)


def _span_tokens(doc: Doc, ranges: Iterable[tuple[int, int]]) -> Tokens:
    return frozenset(i for s, e in ranges for i in range(s, e) if not doc[i].is_space)


def _head_word(name: str | None) -> str | None:
    if not name:
        return None
    words = [w for w in re.findall(r"[\w'’.-]+", name) if w[:1].isupper() or w.isalpha()]
    return words[-1].lower() if words else None


def score_polnear_doc(doc: Doc, record: dict[str, Any]) -> dict[str, int]:
    """Counts for one PolNeAR article (summed by :func:`evaluate`)."""
    from ..annotate.quotes import doc_attributions

    gold: list[dict[str, Any]] = []
    for a in record.get("attributions", ()):
        g: dict[str, Any] = {}
        for role in ("cue", "source", "content"):
            span = a.get(role)
            g[role] = _tokens(doc, span["fragments"]) if span else frozenset()
        g["source_text"] = (a.get("source") or {}).get("text", "")
        if g["cue"]:
            gold.append(g)
    pred: list[dict[str, Any]] = []
    for att in doc_attributions(doc):
        pred.append({
            "cue": _span_tokens(doc, [att.cue]),
            "source": _span_tokens(doc, [att.source]) if att.source else frozenset(),
            "content": _span_tokens(doc, att.content),
            "speaker": att.speaker,
        })
    c: dict[str, int] = {"n_pred": len(pred), "n_gold": len(gold)}

    def match(p: dict[str, Any], g: dict[str, Any], role: str) -> bool:
        if role == "cue":
            return bool(p["cue"] == g["cue"])
        if role == "all":
            return bool(p["cue"] == g["cue"] and p["source"] == g["source"] and p["content"] == g["content"])
        return bool(p["cue"] & g["cue"]) and p[role] == g[role]

    for role in ("cue", "source", "content", "all"):
        c[f"{role}_tp"] = sum(1 for p in pred if any(match(p, g, role) for g in gold))
        c[f"{role}_fp"] = len(pred) - c[f"{role}_tp"]
        c[f"{role}_fn"] = sum(1 for g in gold if not any(match(p, g, role) for p in pred))
    for role in ("cue", "source", "content"):
        c[f"{role}_overlap"] = sum(len(p[role] & g[role]) for p in pred for g in gold)
        c[f"{role}_pred_len"] = sum(len(p[role]) for p in pred)
        c[f"{role}_gold_len"] = sum(len(g[role]) for g in gold)
    # speaker accuracy over gold attributions (with a source) whose cue was found
    n = ok = 0
    for g in gold:
        if not g["source"]:
            continue
        cands = [p for p in pred if p["cue"] & g["cue"]]
        if not cands:
            continue
        n += 1
        p = cands[0]
        head = _head_word(p["speaker"])
        src_words = {w.lower() for w in re.findall(r"[\w'’.-]+", g["source_text"])}
        if p["source"] & g["source"] or (head and head in src_words):
            ok += 1
    c["speaker_n"] = n
    c["speaker_ok"] = ok
    return c


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _polnear_scores(totals: dict[str, int], n_docs: int) -> dict[str, Any]:
    out: dict[str, Any] = {"format": "polnear", "documents": n_docs,
                           "predicted": totals.get("n_pred", 0), "gold": totals.get("n_gold", 0)}
    for role in ("cue", "source", "content", "all"):
        p, r, f = _prf(totals.get(f"{role}_tp", 0), totals.get(f"{role}_fp", 0), totals.get(f"{role}_fn", 0))
        out[f"{role}_precision_exact"] = round(p, 4)
        out[f"{role}_recall_exact"] = round(r, 4)
        out[f"{role}_f1_exact"] = round(f, 4)
    ov = pl = gl = 0
    for role in ("cue", "source", "content"):
        o, lp, lg = (totals.get(f"{role}_overlap", 0), totals.get(f"{role}_pred_len", 0),
                     totals.get(f"{role}_gold_len", 0))
        ov, pl, gl = ov + o, pl + lp, gl + lg
        p = o / lp if lp else 0.0
        r = o / lg if lg else 0.0
        out[f"{role}_precision_overlap"] = round(p, 4)
        out[f"{role}_recall_overlap"] = round(r, 4)
        out[f"{role}_f1_overlap"] = round(2 * p * r / (p + r) if p + r else 0.0, 4)
    p = ov / pl if pl else 0.0
    r = ov / gl if gl else 0.0
    out["all_precision_overlap"] = round(p, 4)
    out["all_recall_overlap"] = round(r, 4)
    out["all_f1_overlap"] = round(2 * p * r / (p + r) if p + r else 0.0, 4)
    n = totals.get("speaker_n", 0)
    out["speaker_n"] = n
    out["speaker_accuracy"] = round(totals.get("speaker_ok", 0) / n, 4) if n else 0.0
    return out


# --------------------------------------------------------------------------- BASIL

_GENERIC = re.compile(r"^other_", re.IGNORECASE)


def _basil_scores(nlp: Language, records: list[dict[str, Any]], limit: int | None) -> dict[str, Any]:
    from ..annotate.quotes import doc_attributions

    articles = [a for r in records for a in r.get("articles", ())]
    if limit is not None:
        articles = articles[:limit]
    n_quotes = covered = named = named_ok = lenient_ok = generic = 0
    items = ((a["text"], a) for a in articles)
    for doc, art in _docs(nlp, items):
        atts = doc_attributions(doc)
        for span in art.get("spans", ()):
            if not span.get("quote"):
                continue
            n_quotes += 1
            toks = _tokens(doc, [(span["start"], span["end"])])
            hit = next((a for a in atts if toks & _span_tokens(doc, a.content)), None)
            if hit is None:
                continue
            covered += 1
            gold = str(span.get("speaker") or "")
            if not gold or _GENERIC.match(gold):
                generic += 1
                continue
            named += 1
            gold_words = {w.lower() for w in re.split(r"[_\s]+", gold) if w}
            head = _head_word(hit.speaker) or _head_word(hit.source_text)
            if head and head in gold_words:
                named_ok += 1
                lenient_ok += 1
            elif gold_words & {w.lower() for w in re.findall(r"[\w'’.-]+", hit.source_text or "")}:
                # BASIL often names the group ("NAACP") where the text quotes its member
                # ("Anita L. Russell, president of … the NAACP"): counted leniently only
                lenient_ok += 1
    return {
        "format": "basil", "documents": len(articles), "gold_quotes": n_quotes,
        "quote_coverage": round(covered / n_quotes, 4) if n_quotes else 0.0,
        "speaker_n": named, "generic_speakers": generic,
        "speaker_accuracy": round(named_ok / named, 4) if named else 0.0,
        "speaker_accuracy_lenient": round(lenient_ok / named, 4) if named else 0.0,
    }


# --------------------------------------------------------------------------- API


def evaluate(data: Path, limit: int | None = None, split_note: str = "", model: str = "builtin",
             **_: Any) -> dict[str, Any]:
    """Score the attribution extractor on PolNeAR- or BASIL-format JSONL (see module doc).

    ``model``: "builtin" (the trained cue model, the default), "small", "minilm", "none"
    (rules only) or a model file, as the ``rashomon_quotes`` option of the same name.
    """
    from .ecbplus import read_jsonl

    path = Path(data)
    if not path.exists():
        raise EvalError(f"no such data file or folder: {path}")
    records = list(read_jsonl(path))
    if not records:
        raise EvalError(f"no records in {path}")
    nlp = build_nlp("all", model)
    if "attributions" in records[0]:
        if limit is not None:
            records = records[:limit]
        totals: dict[str, int] = {}
        for doc, rec in _docs(nlp, ((r["text"], r) for r in records)):
            for k, v in score_polnear_doc(doc, rec).items():
                totals[k] = totals.get(k, 0) + v
        scores = _polnear_scores(totals, len(records))
    elif "articles" in records[0]:
        scores = _basil_scores(nlp, records, limit)
    else:
        raise EvalError(f"{path}: neither PolNeAR (attributions) nor BASIL (articles) records")
    scores["data"] = str(path)
    scores["model"] = model
    if model != "none":  # which file "builtin" (or a name) resolved to
        scores["model_file"] = getattr(nlp.get_pipe("rashomon_quotes"), "model_file", None)
    if split_note:
        scores["split_note"] = split_note
    return scores


def render(scores: dict[str, Any]) -> Table:
    from rich.table import Table

    table = Table(title=f"Quote attribution ({scores.get('format')}, {scores.get('documents')} docs)")
    if scores.get("format") == "basil":
        table.add_column("metric")
        table.add_column("value", justify="right")
        for k in ("gold_quotes", "quote_coverage", "speaker_n", "generic_speakers", "speaker_accuracy",
                  "speaker_accuracy_lenient"):
            table.add_row(k, str(scores.get(k)))
        return table
    table.add_column("span")
    for m in ("P exact", "R exact", "F1 exact", "P overlap", "R overlap", "F1 overlap"):
        table.add_column(m, justify="right")
    for role in ("cue", "source", "content", "all"):
        row = [role]
        for kind in ("exact", "overlap"):
            for m in ("precision", "recall", "f1"):
                row.append(f"{100 * float(scores.get(f'{role}_{m}_{kind}', 0.0)):.1f}")
        table.add_row(*row)
    table.caption = (f"speaker accuracy {100 * float(scores.get('speaker_accuracy', 0.0)):.1f}% "
                     f"(n={scores.get('speaker_n')}); predicted {scores.get('predicted')}, gold {scores.get('gold')}")
    return table
