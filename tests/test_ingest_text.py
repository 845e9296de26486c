"""Plain-text reading: normalization, quote repair, datelines, roles, titles, the seeds."""

from __future__ import annotations

import json

import pytest

from rashomon.ingest import ingest
from rashomon.ingest.build import build_article, filename_meta
from rashomon.ingest.dateline import parse_lead
from rashomon.ingest.ids import article_id
from rashomon.ingest.normalize import normalize_paragraph
from rashomon.ingest.outlets import normalize_outlet, outlet_from_url
from rashomon.ingest.roles import classify, is_caption, is_date_line
from rashomon.ingest.text import looks_like_title, parse_text, split_paragraphs

REUTERS = "reuters-2018-12-04-trump-letter-khan.txt"
VOA = "voa-2018-12-03-trump-letter-khan.txt"


# --- normalization -------------------------------------------------------------------

def test_glued_opening_quote_in_the_reuters_seed(seeds_dir):
    raw = (seeds_dir / REUTERS).read_text(encoding="utf-8")
    assert "the official said.”The letter" in raw  # the flaw is in the file...
    result = ingest([str(seeds_dir / REUTERS)])
    text = result.articles[0].text
    assert "the official said.”The" not in text  # ...and not in the article
    assert ("on its territory,” the official said. “The letter also makes clear that Pakistan’s "
            "assistance") in text


def test_glued_quote_that_really_closes_gets_only_a_space():
    assert normalize_paragraph("He said “we will go.”Then he left.") == "He said “we will go.” Then he left."


def test_glued_straight_quote():
    assert normalize_paragraph('the official said."The letter is clear," he said.') == \
        'the official said. "The letter is clear," he said.'
    assert normalize_paragraph('He said "no."Then he left.') == 'He said "no." Then he left.'


def test_normalization_nfc_whitespace_invisibles():
    decomposed = "Cafe\u0301  au\tlait\n\u200bnoir\u00ad "
    assert normalize_paragraph(decomposed) == "Café au lait noir"


# --- datelines -----------------------------------------------------------------------

@pytest.mark.parametrize("text, rest, published, outlet, place", [
    (" date 2018-12-04 WASHINGTON (Reuters) - U.S. President Donald Trump has asked",
     "U.S. President Donald Trump has asked", "2018-12-04", "Reuters", "WASHINGTON"),
    ("ISLAMABAD, Dec 3 (Reuters) - Pakistan said", "Pakistan said", None, "Reuters", "ISLAMABAD"),
    ("PARIS, Dec. 3, 2018 (AFP) -- France said", "France said", "2018-12-03", "AFP", "PARIS"),
    ("KABUL, Afghanistan (AP) — The Taliban said", "The Taliban said", None, "AP", "KABUL, Afghanistan"),
    ("NEW YORK — Stocks fell on Monday.", "Stocks fell on Monday.", None, None, "NEW YORK"),
])
def test_dateline_parsed(text, rest, published, outlet, place):
    lead = parse_lead(text)
    assert (lead.rest, lead.published, lead.outlet, lead.place) == (rest, published, outlet, place)


@pytest.mark.parametrize("text", [
    "The United Nations (UN) - a body of nations - met on Monday.",
    "U.S. President Trump (R) - said so.",
    "NATO — The alliance said it would meet.",
    "WASHINGTON (Reuters) -",
    "date 2018-02-30",  # not a real date: marker dropped, no date taken
])
def test_not_a_dateline(text):
    lead = parse_lead(text)
    assert lead.place is None and lead.outlet is None and lead.published is None


# --- roles ---------------------------------------------------------------------------

CAPTIONS = [
    "U.S. President Donald Trump attends a meeting with and German Chancellor Angela Merkel during "
    "the G20 leaders summit in Buenos Aires, Argentina December 1, 2018. REUTERS/Kevin Lamarque/Files",
    "President Donald Trump speaks in the Oval Office. (AP Photo/Evan Vucci)",
    "Photo: Pakistan's Prime Minister Imran Khan in Islamabad",
    "FILE PHOTO: Pakistan's Prime Minister Imran Khan speaks. REUTERS/Stringer/File Photo",
    "Supporters at the rally. Photograph: Mandel Ngan/AFP via Getty Images",
    "Taliban fighters in Kabul. (Photo by Noorullah Shirzada/AFP)",
    "AFP/Getty Images",
    "Getty Images",
    "Image copyright Getty Images",
    "The delegation arrives in Doha. EPA-EFE/STRINGER",
]
BODY = [
    "A Reuters/Ipsos poll found 40 percent approve of the president's handling of Afghanistan.",
    "Getty Images reported higher profits on Tuesday, the company said.",
    "He shared the photo with the AP on Monday, officials said.",
    "The image of the country has suffered, the minister said: many investors have left.",
    "Khalilzad said last month he hoped a deal would be reached by April 2019.",
    "Trump met Khan on Monday at 10:30 in Washington.",
    "It added that Pakistan was committed to playing “a facilitation role in good faith”.",
    "Printed copies of the letter were distributed to reporters.",
]


@pytest.mark.parametrize("text", CAPTIONS)
def test_caption_detected(text):
    assert is_caption(text)
    assert classify(text) == "caption"


@pytest.mark.parametrize("text", BODY)
def test_body_is_not_a_caption(text):
    assert classify(text) == "body"


@pytest.mark.parametrize("text", [
    "Friday August 2, 2013 @ 8:13am PDT",
    "Published: 12:03 PM EST, Dec 3 2018",
    "Updated 10:15 GMT, Tuesday 4 December 2018",
    "2018-12-03",
])
def test_standalone_date_line(text):
    assert is_date_line(text)
    assert classify(text) == "dateline"


@pytest.mark.parametrize("text", [
    "Reporting by Jonathan Landay; Editing by Susan Thomas",
    "Additional reporting by Asif Shahzad in Islamabad",
    "Share this article",
    "Click here to subscribe to our newsletter.",
    "Copyright 2018 The Associated Press. All rights reserved.",
    "This material may not be published, broadcast, rewritten or redistributed.",
    "We use cookies to improve your experience. By continuing to use this site you agree.",
    "By Jane Doe and John Roe",
    "Sign up for our daily newsletter",
])
def test_boilerplate(text):
    assert classify(text) == "boilerplate"


# --- titles and paragraphs -----------------------------------------------------------

def test_title_detection():
    assert looks_like_title("Trump Writes to Pakistan’ Khan to Seek Cooperation on Afghan Peace")
    assert looks_like_title("Pakistan pledges help with Afghan talks")
    assert not looks_like_title("The official said the letter was important.")
    assert not looks_like_title("WASHINGTON (Reuters) - U.S. President Donald Trump has asked")
    assert not looks_like_title("Single")
    assert not looks_like_title("date 2018-12-04 something")


def test_paragraph_splitting():
    assert split_paragraphs("A b c.\nwrapped line.\n\nSecond para.\r\n\r\nThird.") == \
        ["A b c. wrapped line.", "Second para.", "Third."]
    assert split_paragraphs("Line one.\nLine two.\nLine three.") == ["Line one.", "Line two.", "Line three."]
    # A title glued to the body by a single newline is still split off.
    parsed = parse_text("Envoy tours region\nThe envoy began a tour on Sunday.\nMore text.\n\nNext.")
    assert parsed.title == "Envoy tours region"
    assert parsed.paragraphs[0] == "Envoy tours region"


def test_headline_added_when_text_does_not_start_with_title():
    a = build_article(["Talks in Qatar between the envoy and Taliban leaders ended."],
                      source="x", fmt="jsonl", title="Talks in Qatar")
    assert a.paragraphs[0].role == "headline" and a.paragraphs[0].text == "Talks in Qatar"
    b = build_article(["Talks end in Qatar", "Body text here."], source="x", fmt="jsonl",
                      title="TALKS END IN QATAR.")
    assert [p.role for p in b.paragraphs] == ["headline", "body"]
    assert b.text == "Talks end in Qatar\n\nBody text here."


# --- outlets and file names ------------------------------------------------------------

def test_outlet_names():
    assert normalize_outlet("REUTERS") == "Reuters"
    assert normalize_outlet("The Associated Press") == "AP"
    assert normalize_outlet("voa") == "VOA"
    assert normalize_outlet("Agence France-Presse") == "AFP"
    assert normalize_outlet("  Example   Herald ") == "Example Herald"
    assert normalize_outlet("  ") is None
    assert outlet_from_url("https://www.reuters.com/article/x") == "Reuters"
    assert outlet_from_url("https://news.example.com/x") == "news.example.com"


def test_filename_meta():
    assert filename_meta("data/seeds/" + VOA).outlet == "VOA"
    assert filename_meta("data/seeds/" + VOA).published == "2018-12-03"
    assert filename_meta("notes-2018-02-30-x.txt").published is None  # not a date
    assert filename_meta("story.txt").outlet is None


# --- the seeds -----------------------------------------------------------------------

def test_reuters_seed(seeds_dir):
    result = ingest([str(seeds_dir / REUTERS)])
    assert result.failures == ()
    (a,) = result.articles
    assert (a.outlet, a.published, a.dateline, a.title, a.format) == (
        "Reuters", "2018-12-04", "WASHINGTON", None, "text")
    assert a.text.startswith("U.S. President Donald Trump has asked for Pakistan’s help")
    assert "date 2018-12-04" not in a.text and "(Reuters) -" not in a.text
    captions = [p.text for p in a.paragraphs if p.role == "caption"]
    assert len(captions) == 2
    assert captions[0].endswith("REUTERS/Kevin Lamarque/Files")
    assert captions[1].endswith("REUTERS/Athit Perawongmetha/Files")
    assert {p.role for p in a.paragraphs} == {"body", "caption"}
    assert a.text == "\n\n".join(p.text for p in a.paragraphs)
    assert a.id == article_id(a.text)


def test_voa_seed(seeds_dir):
    result = ingest([str(seeds_dir / VOA)])
    (a,) = result.articles
    assert a.title == "Trump Writes to Pakistan’ Khan to Seek Cooperation on Afghan Peace"
    assert a.paragraphs[0].role == "headline" and a.paragraphs[0].text == a.title
    # No date or outlet inside the text: both come from the file name.
    assert (a.outlet, a.published, a.dateline) == ("VOA", "2018-12-03", None)
    assert all(p.role == "body" for p in a.paragraphs[1:])
    assert "\n\n\n" not in a.text


def test_seed_jsonl_matches_the_text_files(seeds_dir):
    """The JSONL seeds hold the same texts as the .txt files, so the ids are the same."""
    rows = [json.loads(line) for line in (seeds_dir / "articles.jsonl").read_text("utf-8").splitlines()]
    files = {"VOA": seeds_dir / VOA, "Reuters": seeds_dir / REUTERS}
    assert all(row["text"] == files[row["outlet"]].read_text("utf-8") for row in rows)
    from_jsonl = ingest([str(seeds_dir / "articles.jsonl")], dedup=False)
    from_text = ingest([str(files["VOA"]), str(files["Reuters"])], dedup=False)
    assert [a.id for a in from_jsonl.articles] == [a.id for a in from_text.articles]
    for j, t in zip(from_jsonl.articles, from_text.articles, strict=True):
        assert (j.outlet, j.published, j.title, j.dateline, j.text) == \
            (t.outlet, t.published, t.title, t.dateline, t.text)
        assert j.format == "jsonl" and j.language == "en"
