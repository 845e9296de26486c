from __future__ import annotations

from helpers import make_article

from rashomon.annotate import annotate, paragraph_spans
from rashomon.annotate.spacy_ext import sentence_index


def _article():
    return make_article(
        [
            ("Trump Writes to Khan", "headline"),
            ("Trump said in the letter that he wants help, the official said. Khan agreed.", "body"),
            ("U.S. President Donald Trump attends a meeting. REUTERS/Kevin Lamarque/Files", "caption"),
            ("Last week, Afghan President Ashraf Ghani said he had formed a team", "body"),
        ],
        published="2018-12-04",
        outlet="Reuters",
    )


def test_sentences_carry_paragraph_roles_and_offsets(nlp):
    art = _article()
    rec = annotate([art], nlp)[0]
    roles = [s.role for s in rec.sentences]
    assert roles[0] == "headline"
    assert "caption" in roles
    # A sentence never crosses a paragraph break, even without final punctuation.
    assert rec.sentences[-1].text.startswith("Last week")
    assert [s.index for s in rec.sentences] == list(range(len(rec.sentences)))
    for s in rec.sentences:
        assert art.text[s.start : s.end] == s.text
    assert all(s.role == "caption" for s in rec.sentences if "REUTERS/" in s.text)


def test_entities_cite_their_sentence(nlp):
    rec = annotate([_article()], nlp)[0]
    assert rec.entities
    for e in rec.entities:
        sent = rec.sentences[e.sentence_index]
        assert sent.start <= e.start < e.end <= sent.end + 1


def test_paragraph_spans_match_text():
    art = _article()
    spans = paragraph_spans(art)
    assert [art.text[s:e] for s, e, _ in spans] == [p.text for p in art.paragraphs]


def test_sentence_index_helper(nlp):
    from rashomon.annotate import make_doc

    art = _article()
    doc = nlp(make_doc(nlp, art))
    sents = list(doc.sents)
    for i, s in enumerate(sents):
        assert sentence_index(doc, s.start_char) == i


def test_model_loaded_once_per_process():
    from rashomon.annotate import load_nlp

    assert load_nlp() is load_nlp()
