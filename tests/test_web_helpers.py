"""Test data for the web, report and browser tests (imported by them), and its own checks.

Two kinds of store:

- :func:`synthetic_analysis`: a hand-written story with every part filled (facts of all
  five kinds, quotes, actors, events, timeline, summary, framing), so the UI and the API
  are tested on their own, independent of how well the heuristic stages do today. With
  ``hostile=True`` the article text, titles, outlets, URLs and quotes carry markup and
  ``javascript:`` links, for the escaping tests.
- :func:`seed_analysis`: the two real seed reports through the real pipeline, as far as
  it is built (stages that are missing are skipped, never imitated).
"""

from __future__ import annotations

import json
from pathlib import Path

from rashomon.records import (
    Actor,
    Analysis,
    AnnotatedArticle,
    Article,
    Citation,
    Event,
    EventActor,
    Fact,
    Paragraph,
    Quote,
    Sentence,
    Story,
    StoryMember,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"

XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'
JS_URL = "javascript:window.__pwned=3"


def _article(aid: str, outlet: str, published: str, title: str, paras: list[list[str]],
             url: str | None = None) -> AnnotatedArticle:
    texts = [" ".join(p) for p in paras]
    text = "\n\n".join(texts)
    sentences = []
    pos = 0
    idx = 0
    for pi, p in enumerate(paras):
        for s in p:
            start = text.index(s, pos)
            sentences.append(Sentence(index=idx, text=s, role="headline" if pi == 0 else "body",
                                      start=start, end=start + len(s), paragraph=pi))
            pos = start + len(s)
            idx += 1
    art = Article(id=aid, text=text, paragraphs=tuple(Paragraph(t, "headline" if i == 0 else "body")
                                                      for i, t in enumerate(texts)),
                  title=title, outlet=outlet, published=published, url=url, source=f"{outlet}.txt")
    return AnnotatedArticle(article=art, sentences=tuple(sentences))


def synthetic_analysis(*, hostile: bool = False, story_id: str = "story-synth") -> Analysis:
    """One story told by two outlets, every part of the page filled by hand."""
    bad = f" {XSS}" if hostile else ""
    a = _article(
        f"a-{story_id}", "Daily A" + (XSS if hostile else ""), "2018-12-03", "Leader writes letter" + bad,
        [["Leader writes letter" + bad],
         ["The president wrote a letter to the prime minister seeking help with peace talks.",
          "The war has lasted 17 years."],
         ["“We will do all we can,” the ministry said." + bad,
          "About 2,400 soldiers have died in the war."]],
        url=JS_URL if hostile else "https://a.example/letter")
    b = _article(
        f"b-{story_id}", "Paper B", "2018-12-04", "Letter asks for help",
        [["Letter asks for help"],
         ["In a letter, the president asked the prime minister for help with peace talks.",
          "The 17-year war continues.", "An official who declined to be named called it fundamental."],
         ["“We will make every effort,” the ministry said.", "Some 3,000 soldiers have died."]],
        url="https://b.example/letter")
    aid, bid = a.article.id, b.article.id

    def c(art: str, i: int) -> Citation:
        return Citation(art, i)

    ministry = Actor(id="act-ministry", name="Foreign Ministry", country="PAK", role="government",
                     kind="organization")
    official = Actor(id="act-official", name="U.S. official", country="USA", role="government")
    a = AnnotatedArticle(article=a.article, sentences=a.sentences, actors=(ministry,), quotes=(
        Quote(aid, 3, "We will do all we can" + bad, "Foreign Ministry", "the ministry", "said", True, False,
              speaker_actor_id="act-ministry"),))
    b = AnnotatedArticle(article=b.article, sentences=b.sentences, actors=(ministry, official), quotes=(
        Quote(bid, 4, "We will make every effort", "Foreign Ministry", "the ministry", "said", True, False,
              speaker_actor_id="act-ministry"),
        Quote(bid, 3, "fundamental", None, "An official", "called", False, True,
              speaker_actor_id="act-official"),))
    facts = (
        Fact("f-agreed-1", story_id, "agreed", "The president wrote to the prime minister seeking help.",
             (c(aid, 1), c(bid, 1)), outlets=("Daily A", "Paper B")),
        Fact("f-agreed-2", story_id, "agreed", "The war is 17 years old.", (c(aid, 2), c(bid, 2))),
        Fact("f-quote", story_id, "reworded_quote", "The ministry promised to help" + bad,
             (c(aid, 3), c(bid, 4)), diff=({"op": "delete", "text": "do all we can"},
                                          {"op": "insert", "text": "make every effort"})),
        Fact("f-conflict", story_id, "conflict", "Soldiers killed in the war",
             (c(aid, 4), c(bid, 5)),
             values=({"value": "2,400", "citations": [{"article_id": aid, "sentence_index": 4}]},
                     {"value": "3,000", "citations": [{"article_id": bid, "sentence_index": 5}]})),
        Fact("f-single", story_id, "single_source", "An anonymous official called the letter fundamental.",
             (c(bid, 3),), outlets=("Paper B",)),
        Fact("f-attr", story_id, "different_attribution", "The letter's content, credited differently.",
             (c(aid, 3), c(bid, 3))),
    )
    story = Story(id=story_id, title="Leader writes letter" + bad, article_ids=(aid, bid),
                  why="shares president, letter, peace talks; published within 1 day",
                  members=(StoryMember(aid, "seed of the story"), StoryMember(bid, "shares letter, peace talks")),
                  first_published="2018-12-03", last_published="2018-12-04")
    event = Event(
        id="ev-1", story_id=story_id,
        source_actor=EventActor("United States", "USA", "government", "USAGOV"),
        target_actor=EventActor("Pakistan", "PAK", "government", "PAKGOV"),
        action="appeal for cooperation" + bad, cameo_code="020", cameo_root="02", goldstein=3.0,
        plover_type="COOPERATE", plover_mode=None, date="2018-12-03", date_source="text", place="Islamabad",
        citations=(c(aid, 1), c(bid, 1)))
    return Analysis(
        articles=(a, b), stories=(story,), facts=facts, events=(event,),
        framing=({"story_id": story_id, "voices": {"Daily A": {"named": 1, "anonymous": 0},
                                                   "Paper B": {"named": 1, "anonymous": 1}},
                  "note": "framing note" + bad},),
        summary=({"story_id": story_id, "sentences": [
            {"text": "The president wrote to the prime minister seeking help with peace talks." + bad,
             "citations": [{"article_id": aid, "sentence_index": 1}, {"article_id": bid, "sentence_index": 1}]}],
            "only": {"Paper B": [{"text": "An official called it fundamental.",
                                  "citations": [{"article_id": bid, "sentence_index": 3}]}]}},),
        timeline=({"story_id": story_id, "entries": [
            {"date": "2018-12-03", "text": "The letter arrives." + bad,
             "citations": [{"article_id": aid, "sentence_index": 1}]},
            {"date": "2018-11", "text": "Earlier remarks.", "citations": [{"article_id": bid, "sentence_index": 2}],
             "granularity": "month"}]},),
    )


def read_seed_articles() -> list[Article]:
    """The seed reports as Articles: through ingest when it is built, else from the JSONL
    export by hand (paragraphs split on blank lines; id = content hash)."""
    try:
        from rashomon.ingest import ingest
    except ImportError:
        ingest = None
    if ingest is not None:
        result = ingest([str(p) for p in sorted(SEEDS.glob("*.txt"))])
        if result.articles:
            return list(result.articles)
    from rashomon.ingest.ids import article_id
    from rashomon.ingest.normalize import normalize_paragraph

    out = []
    for line in (SEEDS / "articles.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        paras = [normalize_paragraph(p) for p in row["text"].split("\n\n") if p.strip()]
        paragraphs = tuple(Paragraph(p, "headline" if i == 0 else "body") for i, p in enumerate(paras))
        text = "\n\n".join(p.text for p in paragraphs)
        out.append(Article(id=article_id(text), text=text, paragraphs=paragraphs, title=row.get("title"),
                           outlet=row.get("outlet"), published=row.get("published"), source="articles.jsonl",
                           format="jsonl"))
    return out


def seed_analysis(nlp) -> tuple[Analysis, list[str]]:
    """The seeds through every pipeline stage that exists; returns (analysis, skipped stages)."""
    from rashomon import pipeline

    skipped: list[str] = []
    articles = read_seed_articles()
    annotated = pipeline.annotate_articles(articles, nlp=nlp)
    try:
        stories = pipeline.cluster_stories(annotated)
    except (ImportError, pipeline.StageError) as exc:
        if isinstance(exc, pipeline.StageError) and not isinstance(exc.__cause__, ImportError):
            raise
        skipped.append("stories")
        ids = tuple(a.article.id for a in annotated)
        stories = [Story(id="seed-story", title=annotated[0].article.title or "seed story", article_ids=ids,
                         why="the two seed reports (stories stage not built: grouped by the test)",
                         first_published=min(a.article.published or "" for a in annotated),
                         last_published=max(a.article.published or "" for a in annotated))]
    analysis = None
    for compare, events in ((True, True), (True, False), (False, True), (False, False)):
        try:
            analysis = pipeline.analyze_stories(
                annotated, stories, options=pipeline.Options(compare=compare, events=events))
            break
        except pipeline.StageError as exc:
            if not isinstance(exc.__cause__, ImportError):
                raise
    assert analysis is not None
    if not analysis.facts:
        skipped.append("compare")
    if not analysis.events:
        skipped.append("events")
    return analysis, skipped


# -- checks of the test data itself -------------------------------------------------------------

def test_synthetic_document_follows_the_schema() -> None:
    from rashomon.document import build_document, validate

    for hostile in (False, True):
        validate(build_document(synthetic_analysis(hostile=hostile)))


def test_synthetic_citations_point_at_real_sentences() -> None:
    analysis = synthetic_analysis()
    have = {(a.article.id, s.index) for a in analysis.articles for s in a.sentences}
    cited = {(c.article_id, c.sentence_index) for f in analysis.facts for c in f.citations}
    assert cited <= have
    assert {f.kind for f in analysis.facts} == {"agreed", "single_source", "conflict", "reworded_quote",
                                               "different_attribution"}
