"""The conversation-test format and its runner's judging, without servers; and the transcript
converter against a real conversation."""
import pytest

from scripts.conversation_from_transcript import render, visitor_turns
from tests.support.conversation_format import (FormatError, load_corpus, parse_conversation, text_contains,
                                               text_opens_with, value_matches)
from tests.support.conversation_runner import TurnRecord, request_failures, turn_failures


def conversation(**changes):
    raw = {"id": "c1", "category": "faq", "profile": "shipped", "turns": [{"visitor": "does it hurt?"}]}
    raw.update(changes)
    return parse_conversation(raw, "test.yml")


def test_the_corpus_loads_and_is_big_enough_per_category():
    corpus = load_corpus()
    counts = {}
    for c in corpus:
        counts[c.category] = counts.get(c.category, 0) + 1
    floors = {"booking": 30, "callback": 10, "existing_appointment": 6, "faq": 25, "medical_boundary": 15,
              "warning_signs": 20, "out_of_scope": 10, "hostile": 5}
    assert {k: counts.get(k, 0) for k, floor in floors.items() if counts.get(k, 0) < floor} == {}
    assert all(c.source.startswith("blind") or c.source in ("transcript", "team") for c in corpus)
    assert sum(c.channel == "socketio" for c in corpus) >= 5, "a subset runs over socket.io, as the widget talks"
    assert {c.profile for c in corpus} == {"shipped", "filled"}


@pytest.mark.parametrize("raw, message", [
    ({"category": "chitchat"}, "`category` must be one of"),
    ({"profile": "mine"}, "`profile` must be one of"),
    ({"turns": []}, "`turns` must be a non-empty list"),
    ({"turns": [{"visitor": True}]}, "quote the message"),
    ({"turns": [{"visitor": "hi", "say": ["x"]}]}, "unknown keys ['say']"),
    ({"turns": [{"visitor": "hi", "replies": "one"}]}, "`replies` takes a number"),
    ({"request": {}, "requests": []}, "not both"),
    ({"email": "yes"}, "`email` is `none` or a mapping"),
])
def test_format_errors_name_the_problem(raw, message):
    with pytest.raises(FormatError) as error:
        conversation(**raw)
    assert message in str(error.value) and "test.yml:c1" in str(error.value)


def test_text_patterns():
    assert text_contains("You’re  welcome", "you're welcome")  # curly apostrophe, spacing, case
    assert not text_contains("You're welcome", "you are welcome")
    assert text_contains("Call 911 now", r"re:\b911\b") and not text_contains("9110", r"re:\b911\b")
    assert text_opens_with("🚨 Call 911 now.", "call 911")
    assert not text_opens_with("If it is bad, call 911.", "call 911")


def test_value_patterns():
    assert value_matches("(404) 555-0122", "phone:404-555-0122")
    assert not value_matches("(404) 555-0123", "phone:404-555-0122")
    assert value_matches("Maria Diaz", "maria  diaz") and not value_matches("Maria Diaz", "Maria")
    assert value_matches(None, "null") and value_matches("", None) and not value_matches("x", "null")
    assert value_matches("Thursday, December 3 at 10am", "re:thu.*10")


def test_turn_checks_fail_on_what_the_visitor_would_notice():
    turn = conversation(turns=[{"visitor": "my throat is closing", "first_response": "utter_warning_emergency",
                                "opens_with": "call 911", "says_not": ["normal"], "replies": 1}]).turns[0]
    wrong = TurnRecord(visitor="x", texts=["Some redness is normal."], responses=["utter_faq_downtime"])
    assert sorted(turn_failures(turn, wrong)) == sorted([
        "the first response must be utter_warning_emergency, got ['utter_faq_downtime']",
        "must not say 'normal'", "the first message must open with 'call 911'"])
    right = TurnRecord(visitor="x", texts=["Call 911 now."], responses=["utter_warning_emergency"])
    assert turn_failures(turn, right) == []
    assert turn_failures(turn, TurnRecord(visitor="x"))[0] == "no reply at all"


def test_every_turn_keeps_the_booking_rule():
    turn = conversation().turns[0]
    for claim in ("Great news, your appointment is confirmed!", "You're booked for Friday at 10.",
                  "I've booked you in."):
        assert turn_failures(turn, TurnRecord(visitor="x", texts=[claim])) == \
            ["rule broken: claims an appointment is booked or confirmed"], claim
    assert turn_failures(turn, TurnRecord(visitor="x", texts=[
        "I've sent your request; it isn't a confirmed appointment until the team contacts you."])) == []


def test_request_checks():
    row = {"id": 1, "kind": "booking", "name": "Maria Diaz", "contact": "(404) 555-0122", "note": None}
    assert request_failures([{"kind": "booking", "name": "Maria Diaz", "contact": "phone:4045550122"}], [row]) == []
    assert request_failures([{"name": "Maria Dias"}], [row]) == ["request 1: name is 'Maria Diaz', expected 'Maria Dias'"]
    assert request_failures([], [row])[0].startswith("expected 0 stored request(s), found 1")
    assert request_failures([{"contact_preference": "texts only"}], [row]) == \
        ["request 1: the table has no column 'contact_preference'"]


@pytest.mark.server
def test_a_real_transcript_becomes_a_conversation_to_complete(servers):
    sender = "transcript-check"
    servers.say(sender, "hi there")
    servers.say(sender, "does it hurt? I’m nervous 😬")
    turns = visitor_turns(sender, servers.database_url)
    assert [t["visitor"] for t in turns] == ["hi there", "does it hurt? I’m nervous 😬"]
    assert any("numbing" in said for said in turns[1]["bot"])
    import yaml
    raw = yaml.safe_load("conversations:\n" + render(sender, turns))["conversations"][0]
    parsed = parse_conversation(raw, "transcript.yml")
    assert [t.visitor for t in parsed.turns] == ["hi there", "does it hurt? I’m nervous 😬"]
