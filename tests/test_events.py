"""Event coding: codebooks, lexicon, dedup, exports (fast) and the seed story (model)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest

from rashomon.events import dedup_events, load_codebook
from rashomon.events.dedup import dates_compatible
from rashomon.events.export import (
    GDELT_COLUMNS,
    MENTION_COLUMNS,
    PLOVER_SCHEMA,
    gdelt_rows,
    mention_rows,
    plover_records,
    write_export,
)
from rashomon.events.petrarch_dict import ActorDictionary, read_actors, read_agents
from rashomon.events.verbs import LEXICON, load_lexicon, parse_lexicon
from rashomon.records import Article, Citation, Event, EventActor

USAGOV = EventActor("Donald Trump", "USA", "government", "USAGOV")
USA = EventActor("United States", "USA", None, "USA")
PAK = EventActor("Pakistan", "PAK", None, "PAK")
PAKGOV = EventActor("Islamabad", "PAK", "government", "PAKGOV")


def _ev(aid: str, sent: int, src: EventActor, tgt: EventActor, code: str, date: str | None,
        dsrc: str = "text", story: str | None = "st1") -> Event:
    cb = load_codebook()
    ptype, pmode = cb.plover(code)
    return Event(id=f"{aid}-{sent}", story_id=story, source_actor=src, target_actor=tgt, action="x",
                 cameo_code=code, cameo_root=code[:2], goldstein=cb.goldstein(code), plover_type=ptype,
                 plover_mode=pmode, date=date, date_source=dsrc, place=None,
                 citations=(Citation(aid, sent),), evidence="sentence")


# ------------------------------------------------------------------------------ codebooks

def test_codebook_goldstein_plover_and_fallbacks() -> None:
    cb = load_codebook()
    assert len(cb.codes) == 321
    assert cb.goldstein("1622") == -5.6
    assert cb.plover("1622") == ("SANCTION", "discontinue")
    assert cb.plover("042") == ("CONSULT", "visit")
    # 4-digit codes missing from the mapping walk up to their parent
    assert cb.plover("1951")[0] == "ASSAULT"
    # documented extension: appeals are PLOVER REQUEST; statements have no type
    assert cb.plover("023") == ("REQUEST", "assist")
    assert cb.plover("010") == (None, None)
    assert cb.quad_class("190") == 4


def test_lexicon_codes_exist_and_specific_patterns_rank_first() -> None:
    lx = load_lexicon()
    cb = load_codebook()
    for table in (lx.verbs, lx.nouns):
        for pats in table.values():
            for p in pats:
                assert p.code in cb.codes, p
    cut = lx.verbs["cut"]
    assert cut[-1].obj_class is None and cut[-1].prep is None  # bare verb is the fallback
    assert "military aid" in lx.classes["MILAID"]


def test_lexicon_rejects_unknown_class_and_missing_code() -> None:
    with pytest.raises(ValueError):
        parse_lexicon("cut +NOPE 162")
    with pytest.raises(ValueError):
        parse_lexicon("cut aid")
    assert "visit" in parse_lexicon(LEXICON).verbs


# ------------------------------------------------------------------------------ dedup

def test_dates_compatible() -> None:
    assert dates_compatible("2018-12-03", "2018-12-04")
    assert not dates_compatible("2018-12-01", "2018-12-04")
    assert dates_compatible("2018-11", "2018-11-20")
    assert dates_compatible("2018-W49", "2018-12-04")
    assert dates_compatible(None, None)
    assert not dates_compatible(None, "2018-12-04")


def test_dedup_merges_same_happening_across_outlets() -> None:
    a = _ev("voa", 1, USAGOV, PAKGOV, "021", "2018-12-03", "publication")
    b = _ev("reuters", 0, USAGOV, PAK, "023", "2018-12-04", "publication")
    c = _ev("voa", 6, USAGOV, PAK, "022", "2018-12-03", "publication")
    out = dedup_events([a, b, c])
    assert len(out) == 1
    ev = out[0]
    assert set(ev.citations) == {Citation("voa", 1), Citation("reuters", 0), Citation("voa", 6)}
    assert ev.target_actor.code == "PAKGOV"  # the most specific actor code wins
    assert ev.merge_reason and "USA→PAK" in ev.merge_reason and "root 02" in ev.merge_reason
    assert ev.confidence > 0.6
    # deterministic ids: same input, same id, regardless of order
    assert dedup_events([c, b, a])[0].id == ev.id


def test_dedup_keeps_distinct_happenings_apart() -> None:
    visit1 = _ev("a", 1, USAGOV, PAK, "042", "2018-12-02")
    visit2 = _ev("a", 9, USAGOV, PAK, "042", "2018-12-10")
    other_root = _ev("b", 2, USAGOV, PAK, "111", "2018-12-02")
    other_story = _ev("c", 2, USAGOV, PAK, "042", "2018-12-02", story="st2")
    military = _ev("d", 3, EventActor("troops", "USA", "military", "USAMIL"), PAK, "042", "2018-12-02")
    assert len(dedup_events([visit1, visit2, other_root, other_story, military])) == 5


# ------------------------------------------------------------------------------ exports

def _export_events() -> tuple[list[Event], dict[str, Article]]:
    events = dedup_events([
        _ev("voa", 1, USAGOV, PAKGOV, "021", "2018-12-03"),
        _ev("reuters", 0, USAGOV, PAK, "023", "2018-12-04"),
        _ev("voa", 9, PAKGOV, USAGOV, "010", "2018-12-03"),
    ])
    arts = {
        "voa": Article(id="voa", text="", paragraphs=(), outlet="VOA", url="https://voa.example/x",
                       published="2018-12-03"),
        "reuters": Article(id="reuters", text="", paragraphs=(), outlet="Reuters", published="2018-12-04"),
    }
    return events, arts


def test_gdelt_and_mentions_rows() -> None:
    events, arts = _export_events()
    rows = gdelt_rows(events, arts)
    assert all(set(r) == {c for c, _ in GDELT_COLUMNS} for r in rows)
    req = next(r for r in rows if r["EventRootCode"] == "02")
    assert req["NumMentions"] == 2 and req["NumSources"] == 2 and req["NumArticles"] == 2
    assert isinstance(req["GlobalEventID"], int) and req["Day"] == 20181203
    assert req["Actor1CountryCode"] == "USA" and req["Actor1Type1Code"] == "GOV"
    assert req["SOURCEURL"] in ("https://voa.example/x", "reuters")
    ments = mention_rows(events, arts)
    assert all(set(m) == {c for c, _ in MENTION_COLUMNS} for m in ments)
    req_m = [m for m in ments if m["GlobalEventID"] == req["GlobalEventID"]]
    assert {m["MentionSourceName"] for m in req_m} == {"VOA", "Reuters"}
    assert {m["MentionIdentifier"] for m in req_m} == {"https://voa.example/x", "reuters"}


def test_plover_records_validate_against_schema() -> None:
    events, arts = _export_events()
    recs = plover_records(events, arts)
    assert len(recs) == 1  # the 010 statement has no PLOVER type
    for r in recs:
        jsonschema.validate(r, PLOVER_SCHEMA)
    assert recs[0]["event_type"] == "REQUEST"
    bad = dict(recs[0], event_type="DEMAND")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, PLOVER_SCHEMA)


def test_write_export_formats(tmp_path: Path) -> None:
    import duckdb

    events, arts = _export_events()
    ev_tsv, me_tsv = write_export(events, tmp_path / "g", "gdelt", arts)
    with ev_tsv.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == 2 and list(rows[0]) == [c for c, _ in GDELT_COLUMNS]
    assert me_tsv.name == "mentions.tsv"
    ev_pq, me_pq = write_export(events, tmp_path / "p", "parquet", arts)
    con = duckdb.connect()
    described = dict(con.execute(f"DESCRIBE SELECT * FROM read_parquet('{ev_pq}')").fetchall()[i][:2]
                     for i in range(len(GDELT_COLUMNS)))
    assert described["GlobalEventID"] == "BIGINT" and described["GoldsteinScale"] == "DOUBLE"
    assert con.execute(f"SELECT count(*) FROM read_parquet('{me_pq}')").fetchone()[0] == 3
    ev_csv, _ = write_export(events, tmp_path / "c", "csv", arts)
    assert ev_csv.read_text(encoding="utf-8").startswith("GlobalEventID,")
    (pl,) = write_export(events, tmp_path / "events.jsonl", "plover", arts)
    lines = pl.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["event_type"] == "REQUEST"


def test_write_export_unknown_format(tmp_path: Path) -> None:
    from rashomon.errors import ConfigError

    with pytest.raises(ConfigError):
        write_export([], tmp_path, "xml")


# ------------------------------------------------------------------------------ PETRARCH dictionaries

def test_petrarch_dictionary_reader() -> None:
    d = ActorDictionary()
    read_actors("ARNOR_  [ARN]\nGONDOR [GON]\n+MINAS_TIRITH\nARGENTIN [ARG]\n"
                "GOLLUM\n\t[HOB < 950601]\n\t[HOBREB > 990816]\n<!-- comment -->\n", d)
    read_agents("!PERSON! = MAN, MEN\nPRIME_MINISTER [~GOV]\nCONGRESS!PERSON! [~LEG]\n"
                "HUMAN_RIGHTS_BODY [NGO~]\nTROOPS {} [~MIL]\n", d)
    assert d.actor(["Arnor"]) == ("ARN", 0, 1)
    assert d.actor(["Arnori"]) is None  # trailing "_": exact word only
    assert d.actor(["Argentina"])[0] == "ARG"  # prefix match
    assert d.actor(["in", "Minas", "Tirith"])[0] == "GON"
    assert d.actor(["Gollum"], "1999-09-01")[0] == "HOBREB"
    assert d.actor(["Gollum"], "1994-01-01")[0] == "HOB"
    assert d.agent(["prime", "ministers"]) == ("GOV", False)
    assert d.agent(["congressmen"]) == ("LEG", False)
    assert d.agent(["human", "rights", "body"]) == ("NGO", True)
    assert d.agent(["troopss"]) is None


# ------------------------------------------------------------------------------ seeds (model)

@pytest.fixture(scope="module")
def seed_events(nlp, seeds_dir: Path):  # type: ignore[no-untyped-def]
    from rashomon.annotate import annotate
    from rashomon.events import code_events
    from rashomon.ingest import ingest
    from rashomon.records import Story

    result = ingest([str(p) for p in sorted(seeds_dir.glob("*.txt"))])
    ann = annotate(result.articles, nlp)
    story = Story(id="st_seed", title="seed", article_ids=tuple(a.article.id for a in ann), why="test")
    events = code_events(ann, [story])
    return events, ann


def _outlet_ids(ann) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {("voa" if "VOA" in (a.article.outlet or "") or "voa" in a.article.source else "reuters"): a.article.id
            for a in ann}


def _find(events, src: str, tgt: str | None, roots: set[str]):  # type: ignore[no-untyped-def]
    return [e for e in events if (e.source_actor.country == src)
            and (tgt is None or e.target_actor.country == tgt) and e.cameo_root in roots]


def test_seed_request_is_one_event_cited_by_both_outlets(seed_events) -> None:  # type: ignore[no-untyped-def]
    events, ann = seed_events
    ids = _outlet_ids(ann)
    reqs = _find(events, "USA", "PAK", {"02", "10"})
    asks = [e for e in reqs if e.cameo_root == "02"]
    assert len(asks) == 1, [(e.action, e.citations) for e in reqs]
    ev = asks[0]
    assert {c.article_id for c in ev.citations} == {ids["voa"], ids["reuters"]}
    assert ev.plover_type == "REQUEST" and ev.source_actor.code == "USAGOV"
    assert ev.merge_reason and ev.story_id == "st_seed"
    assert ev.date and ev.date.startswith("2018-12-0")


def test_seed_pakistan_promise_to_facilitate(seed_events) -> None:  # type: ignore[no-untyped-def]
    events, _ann = seed_events
    promise = _find(events, "PAK", "USA", {"03"})
    assert promise and promise[0].plover_type == "AGREE"
    assert any(e.date == "2018-12-03" and e.date_source == "text" for e in promise)  # "Monday"


def test_seed_military_aid_cut(seed_events) -> None:  # type: ignore[no-untyped-def]
    events, _ann = seed_events
    cuts = _find(events, "USA", "PAK", {"16"})
    assert cuts and cuts[0].plover_type == "SANCTION"
    assert len({c.article_id for c in cuts[0].citations}) == 2  # suspension (VOA) = cutting (Reuters)


def test_seed_khan_denounces_trump(seed_events) -> None:  # type: ignore[no-untyped-def]
    events, _ann = seed_events
    den = [e for e in _find(events, "PAK", "USA", {"11"}) if "denounce" in e.action]
    assert den and den[0].plover_type == "ACCUSE" and den[0].target_actor.code == "USAGOV"


def test_seed_khalilzad_visits_and_qatar_talks(seed_events) -> None:  # type: ignore[no-untyped-def]
    events, _ann = seed_events
    tour = [e for e in events if e.source_actor.code == "USAGOV" and e.cameo_code == "042"
            and e.target_actor.country == "QAT"]
    assert tour and tour[0].date == "2018-12-02" and tour[0].date_source == "text"  # "on Sunday"
    planned = [e for e in events if e.source_actor.code == "USAGOV" and e.future and e.cameo_root == "03"]
    assert {e.target_actor.country for e in planned} >= {"AFG", "RUS"}  # "will also travel to"
    talks = [e for e in events if e.cameo_root == "04" and "no agreement" in e.action]
    # the Taliban are REB in event codes, the Phoenix/PETRARCH dictionaries' convention
    assert talks and {talks[0].source_actor.code, talks[0].target_actor.code} == {"AFGREB", "USAGOV"}


def test_seed_nothing_coded_from_captions(seed_events) -> None:  # type: ignore[no-untyped-def]
    events, ann = seed_events
    roles = {(a.article.id, s.index): s.role for a in ann for s in a.sentences}
    cited = [roles[(c.article_id, c.sentence_index)] for e in events for c in e.citations]
    assert cited and set(cited) == {"body"}


def test_events_coded_in_the_annotate_pass(nlp, seed_events) -> None:  # type: ignore[no-untyped-def]
    _events, ann = seed_events
    assert nlp.pipe_names[-1] == "rashomon_events"
    for a in ann:
        assert a.raw_events, a.article.id
        for ev in a.raw_events:
            assert ev.story_id is None and len(ev.citations) == 1
            assert ev.citations[0].article_id == a.article.id
            assert ev.evidence == a.sentences[ev.citations[0].sentence_index].text


def test_code_events_does_not_parse(seed_events, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from spacy.language import Language

    from rashomon.events import code_events
    from rashomon.records import Story

    events, ann = seed_events

    def no_parse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("code_events must not run spaCy")

    monkeypatch.setattr(Language, "__call__", no_parse)
    monkeypatch.setattr(Language, "pipe", no_parse)
    story = Story(id="st_seed", title="seed", article_ids=tuple(a.article.id for a in ann), why="test")
    again = code_events(ann, [story])
    assert [e.id for e in again] == [e.id for e in events]
    assert all(e.story_id == "st_seed" for e in again)
    raw = code_events(ann, dedup=False)
    assert len(raw) == sum(len(a.raw_events) for a in ann) and all(e.story_id is None for e in raw)


def test_raw_events_round_trip_through_the_store(seed_events) -> None:  # type: ignore[no-untyped-def]
    from rashomon.store import Store

    _events, ann = seed_events
    with Store(":memory:") as store:
        store.save_articles(ann)
        store.save_articles(ann)  # idempotent upsert
        back = {a.article.id: a for a in store.load_articles()}
        n = store.con.execute("SELECT count(*) FROM raw_events").fetchone()[0]
    assert n == sum(len(a.raw_events) for a in ann)
    for a in ann:
        assert back[a.article.id].raw_events == a.raw_events


def test_code_sentence_flags() -> None:
    from rashomon.events import code_sentence

    neg = code_sentence("Iran did not accept the proposal from France.", "2020-01-01")
    assert any(e.cameo_code.startswith("12") and not e.negated for e in neg)  # not accept = reject
    fut = code_sentence("The minister will travel to Kabul next week.", "2020-01-01")
    assert fut and all(e.future for e in fut)
    hyp = code_sentence("Russia said it would attack Georgia if provoked.", "2020-01-01")
    assert hyp and hyp[0].hypothetical and hyp[0].cameo_code[:2] == "13"
    rep = code_sentence("Officials said Syrian troops attacked rebels in Aleppo on Monday.", "2020-01-08")
    assert rep and rep[0].source.code == "SYRMIL" and rep[0].reported_by is not None
    assert rep[0].date == "2020-01-06" and rep[0].date_source == "text"


def test_code_sentence_round3_conventions() -> None:
    """Round-3 rules on invented sentences: pronouns bound to the speaker, ethnic groups by
    country of residence, statement nouns with a 'must' clause, announced non-cooperation,
    agentless de-escalation, indictments as accusations, air strikes."""
    from rashomon.events import code_sentence

    def codes(text: str) -> list[tuple[str | None, str | None, str]]:
        return [(e.source.code, e.target.code, e.cameo_code)
                for e in code_sentence(text, "2020-01-01") if not e.negated]

    assert any(s == "KENAGR" for s, _t, _c in codes("Kenyan farmers said they would block the main highway."))
    assert ("ROUCVL", None, "141") in codes("Ethnic Hungarians in Romania demonstrated in Cluj on Sunday.")
    assert ("NLDGOV", "GHA", "100") in codes(
        "The Dutch foreign minister issued a warning to Ghana that it must release the sailors.")
    assert ("ESP", "MAR", "122") in codes("Spain said it would not provide military aid to Morocco.")
    assert ("TCDREB", None, "0873") in codes("One third of the rebels in Chad have been demobilized.")
    assert ("INDJUD", "PAKGOV", "1121") in codes("An Indian court indicted the Pakistani diplomat.")
    assert any(c == "195" for _s, _t, c in codes("Turkish warplanes launched an air strike against Kurdish rebels."))
    assert ("KEN", "SOMREB", "112") in codes("Kenya claimed that Somali militants had attacked its border posts.")
    assert ("UGAGOV", "UGAREB", "030") in codes("The Ugandan rebels received assurances from the Ugandan government.")
    assert ("IGO", "SYR", "111") in codes("The Security Council passed a resolution condemning Syria.")


def test_code_sentence_round4_conventions() -> None:
    """Round-4 rules on invented sentences: misspelt countries, former office holders (ELI),
    opposition and exiles (OPP), national peacekeepers, the owner's head as target, a third
    party named by co-subjects, and coordinated heads sharing one nationality."""
    from rashomon.events import code_sentence

    def codes(text: str) -> list[tuple[str | None, str | None, str]]:
        return [(e.source.code, e.target.code, e.cameo_code)
                for e in code_sentence(text, "2020-01-01") if not e.negated]

    assert any(s == "ETH" and t == "KEN" for s, t, _c in codes("Ethopia condemned Kenya on Monday."))
    assert any(t == "PERELI" for _s, t, _c in codes(
        "A Peruvian judge ordered former president Alberto Fujimori to appear in court."))
    assert any(s == "KENOPP" for s, _t, _c in codes("Four opposition parties in Kenya organized a general strike."))
    assert any(s == "SYRREB" and t == "FJI" for s, t, _c in codes("Syrian rebels attacked Fijian peacekeepers."))
    assert any(t == "SDNGOV" for _s, t, _c in codes(
        "The rebels insisted on their demands that Sudan's government release the prisoners."))
    both = codes("Egypt and the embattled Syria welcomed a resumption of diplomatic ties with Jordan.")
    assert ("EGY", "JOR", "043") in both and ("SYR", "JOR", "043") in both
    assert any(s == "DNKMIL" for s, _t, _c in codes("Danish police and soldiers condemned the attack."))
    assert ("USA", "RUS", "112") in codes("Evidence against Russia was presented by the US.")
    assert ("ROU", None, "081") in codes("Romania cancelled restrictions on the use of the Hungarian language.")
    assert any(s == "FRAMED" and c[:2] == "07" for s, _t, c in codes(
        "Doctors from two French aid groups donated and delivered medicine to a hospital in Gaza."))
