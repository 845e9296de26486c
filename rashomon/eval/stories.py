"""``rashomon eval stories``: document → story clustering on ECB+.

Each ECB+ document becomes an :class:`~rashomon.records.Article` (one paragraph per
sentence, the first one the headline, the source-URL sentence of ``*ecbplus`` documents
dropped), is annotated with the components the stories stage reads (``STORY_COMPONENTS``:
quotes and events are skipped, they do not change a story) and clustered with
:func:`rashomon.stories.cluster`. ECB+ has no publication dates, so clustering runs on
content only. The predicted clusters are scored against the gold ``subtopic`` (the
story: one seminal event) and against the gold ``topic`` (the kind of event):

- B³ precision / recall / F1 (Bagga & Baldwin 1998), written here;
- adjusted Rand index and V-measure (scikit-learn).

The anchor is Barhom et al. 2019's K-means document clusters (subtopic B³ F1 0.968,
ARI 0.965, V 0.984 on the ECB+ test topics), which know the number of clusters; ours do not.

Documents are passed in a fixed pseudo-random order (``order="shuffled"``, seeded), not in
file order: file order puts every subtopic's documents next to each other, which would
flatter an online clusterer that kept the input order. With the default
``stream_order="central"`` the clusterer orders undated articles itself, so every input
order gives the same stories; ``stream_order="input"`` brings the order dependence back.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import EvalError
from ..records import AnnotatedArticle, Article, Paragraph, Story
from .ecbplus import read_jsonl, to_article_row

__all__ = ["STORY_COMPONENTS", "b_cubed", "ecb_articles", "evaluate", "load_annotated", "render", "score", "story_nlp"]


def ecb_articles(docs: Iterable[dict[str, Any]]) -> tuple[list[Article], dict[str, tuple[int, str]]]:
    """ECB+ documents as Articles, plus ``doc_id -> (topic, subtopic)`` gold labels."""
    articles: list[Article] = []
    gold: dict[str, tuple[int, str]] = {}
    for doc in docs:
        row = to_article_row(doc)
        paras = [p for p in row["text"].split("\n\n") if p.strip()]
        if not paras:
            continue
        paragraphs = tuple(
            Paragraph(text=p, role="headline" if i == 0 else "body") for i, p in enumerate(paras)
        )
        articles.append(Article(
            id=row["id"], text="\n\n".join(p.text for p in paragraphs), paragraphs=paragraphs,
            title=row["title"], outlet=row["outlet"], url=row["url"], published=None,
            source=f"ecbplus:{row['id']}", format="jsonl",
        ))
        gold[row["id"]] = (int(row["topic"]), str(row["subtopic"]))
    return articles, gold


def load_annotated(data: Path, limit: int | None = None) -> tuple[list[AnnotatedArticle], dict[str, tuple[int, str]]]:
    """Read and annotate ECB+ documents (``limit``: first N documents, in file order)."""
    from ..annotate import annotate

    data = Path(data)
    if not data.exists():
        raise EvalError(f"no ECB+ data at {data}")
    docs = []
    for doc in read_jsonl(data):
        if "subtopic" not in doc or "sentences" not in doc:
            raise EvalError(f"{data}: not an ECB+ JSONL row (missing subtopic/sentences)")
        docs.append(doc)
        if limit is not None and len(docs) >= limit:
            break
    articles, gold = ecb_articles(docs)
    if not articles:
        raise EvalError(f"{data}: no documents")
    return annotate(articles, story_nlp()), gold


#: The annotate components whose output the stories stage reads (sentences come from the
#: paragraphs component and the parser, entities from the model). Quotes and events do not
#: change a story, so the evaluation skips them: faster, and it cannot fail on their models.
STORY_COMPONENTS = ("rashomon_paragraphs", "rashomon_dates", "rashomon_quantities",
                    "rashomon_places", "rashomon_actors")


def story_nlp():  # -> spacy.language.Language (imported lazily)
    from ..annotate.components import DEFAULT_COMPONENTS
    from ..annotate.model import load_nlp

    return load_nlp(components=tuple(c for c in DEFAULT_COMPONENTS if c in STORY_COMPONENTS))


def b_cubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """B³ precision, recall and F1 of a clustering (two label sequences over the same items).

    For each item, precision is the share of its predicted cluster that shares its gold
    cluster and recall the share of its gold cluster that shares its predicted cluster;
    both are averaged over items.
    """
    if len(predicted) != len(gold):
        raise ValueError("predicted and gold must label the same items")
    n = len(predicted)
    if n == 0:
        return 0.0, 0.0, 0.0
    pair = Counter(zip(predicted, gold, strict=True))
    pred_size = Counter(predicted)
    gold_size = Counter(gold)
    # Sum over items of |pred ∩ gold| / |pred|: every item in the same (pred, gold) cell
    # contributes the same amount, so sum per cell: count * count / size.
    p = sum(c * c / pred_size[pl] for (pl, _gl), c in pair.items()) / n
    r = sum(c * c / gold_size[gl] for (_pl, gl), c in pair.items()) / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(stories: Sequence[Story], gold: dict[str, tuple[int, str]]) -> dict[str, Any]:
    """Score predicted stories against ECB+ gold topics and subtopics."""
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    pred_of: dict[str, str] = {}
    for story in stories:
        for aid in story.article_ids:
            pred_of[aid] = story.id
    ids = sorted(gold)
    missing = [i for i in ids if i not in pred_of]
    if missing:
        raise EvalError(f"{len(missing)} documents were not assigned to any story, e.g. {missing[0]}")
    pred = [pred_of[i] for i in ids]
    sub = [gold[i][1] for i in ids]
    top = [gold[i][0] for i in ids]
    sp, sr, sf = b_cubed(pred, sub)
    tp, tr, tf = b_cubed(pred, top)
    return {
        "n_docs": len(ids),
        "n_predicted": len(set(pred)),
        "n_gold": len(set(sub)),
        "n_gold_topics": len(set(top)),
        "subtopic_b3_precision": sp,
        "subtopic_b3_recall": sr,
        "subtopic_b3_f1": sf,
        "ari": float(adjusted_rand_score(sub, pred)),
        "v_measure": float(v_measure_score(sub, pred)),
        "topic_b3_precision": tp,
        "topic_b3_recall": tr,
        "topic_b3_f1": tf,
        "topic_ari": float(adjusted_rand_score(top, pred)),
        "topic_v_measure": float(v_measure_score(top, pred)),
    }


def _shuffled(items: Sequence[AnnotatedArticle], seed: str) -> list[AnnotatedArticle]:
    """A fixed pseudo-random order (hash of id + seed): same input, same order, no RNG state."""
    return sorted(items, key=lambda a: hashlib.sha1(f"{seed}:{a.article.id}".encode()).hexdigest())


def evaluate(data: Path, limit: int | None = None, *, order: str = "shuffled", seed: str = "rashomon",
             **options: Any) -> dict[str, Any]:
    """Cluster the ECB+ documents at ``data`` and score them (see the module docstring).

    ``options`` go to :func:`rashomon.stories.cluster` (``threshold``, weights, ...).
    """
    annotated, gold = load_annotated(Path(data), limit)
    return evaluate_annotated(annotated, gold, order=order, seed=seed, **options)


def evaluate_annotated(annotated: Sequence[AnnotatedArticle], gold: dict[str, tuple[int, str]], *,
                       order: str = "shuffled", seed: str = "rashomon", **options: Any) -> dict[str, Any]:
    from ..stories import cluster

    if order == "shuffled":
        stream = _shuffled(annotated, seed)
    elif order == "file":
        stream = list(annotated)
    else:
        raise EvalError(f"unknown order {order!r}: use 'shuffled' or 'file'")
    stories = cluster(stream, **options)
    scores = score(stories, gold)
    scores["order"] = order
    return scores


def errors(stories: Sequence[Story], gold: dict[str, tuple[int, str]]) -> list[str]:
    """Readable error analysis: predicted stories mixing gold subtopics, split subtopics."""
    lines: list[str] = []
    by_gold: dict[str, set[str]] = defaultdict(set)
    for s in stories:
        subs = Counter(gold[a][1] for a in s.article_ids if a in gold)
        for g in subs:
            by_gold[g].add(s.id)
        if len(subs) > 1:
            lines.append(f"MIXED {s.id} {dict(subs)} title={s.title!r} why={s.why!r}")
    for g, sids in sorted(by_gold.items()):
        if len(sids) > 1:
            lines.append(f"SPLIT {g} into {len(sids)} stories")
    return lines


def render(scores: dict[str, Any]):  # -> rich.table.Table (rich imported lazily)
    from rich.table import Table

    table = Table(title="ECB+ document → story clustering")
    table.add_column("gold")
    table.add_column("B³ P", justify="right")
    table.add_column("B³ R", justify="right")
    table.add_column("B³ F1", justify="right")
    table.add_column("ARI", justify="right")
    table.add_column("V-measure", justify="right")
    table.add_row("subtopic (story)", f"{scores['subtopic_b3_precision']:.3f}",
                  f"{scores['subtopic_b3_recall']:.3f}", f"{scores['subtopic_b3_f1']:.3f}",
                  f"{scores['ari']:.3f}", f"{scores['v_measure']:.3f}")
    table.add_row("topic (event type)", f"{scores['topic_b3_precision']:.3f}",
                  f"{scores['topic_b3_recall']:.3f}", f"{scores['topic_b3_f1']:.3f}",
                  f"{scores['topic_ari']:.3f}", f"{scores['topic_v_measure']:.3f}")
    table.caption = (f"{scores['n_docs']} documents, {scores['n_predicted']} predicted stories, "
                     f"{scores['n_gold']} gold subtopics. Anchor (Barhom et al. 2019, ECB+ test, "
                     f"K known): subtopic B³ F1 0.968, ARI 0.965, V 0.984")
    return table
