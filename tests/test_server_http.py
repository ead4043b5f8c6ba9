"""HTTP tests against the real Rasa server (REST channel) and action server."""
import json

import pytest
import requests
import sqlalchemy as sa

pytestmark = pytest.mark.server


def post_raw(servers, body: bytes, content_type="application/json"):
    return requests.post(f"{servers.rasa_url}/webhooks/rest/webhook", data=body,
                         headers={"Content-Type": content_type}, timeout=30)


def all_text(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_faq_question_gets_the_answer_with_buttons(servers):
    replies = servers.say("http-faq", "does microneedling hurt?")
    assert "numbing cream" in all_text(replies)
    assert any(r.get("buttons") for r in replies)


@pytest.mark.parametrize("name, body, expect", [
    ("malformed JSON", b'{"sender": "x", "message": ', "not valid JSON"),
    ("not an object", b'["hello"]', "JSON object"),
    ("no sender", b'{"message": "hi"}', "sender"),
    ("message is null", b'{"sender": "x", "message": null}', "message"),
    ("message is a number", b'{"sender": "x", "message": 42}', "message"),
    ("empty message", b'{"sender": "x", "message": ""}', "empty"),
    ("whitespace message", b'{"sender": "x", "message": "   \\n\\t "}', "empty"),
    ("too long", json.dumps({"sender": "x", "message": "a" * 10_001}).encode(), "longer"),
])
def test_bad_requests_get_a_clear_400(servers, name, body, expect):
    response = post_raw(servers, body)
    assert response.status_code == 400, name
    assert expect in response.json()["error"]


@pytest.mark.parametrize("message", [
    "a" * 5000,
    "does it hurt? " * 350,
    "😍😍😍🙏",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "¿Cuánto cuesta el microneedling?",
    "微针治疗疼吗",
    "hi\x00there",
    "' OR 1=1; DROP TABLE events; --",
])
def test_odd_but_valid_messages_get_a_sensible_reply(servers, message):
    replies = servers.say("http-odd", message)
    assert replies and all(r.get("text") for r in replies), message[:40]


def test_script_tags_are_not_echoed_back(servers):
    replies = servers.say("http-xss", "<script>alert('x')</script> hello")
    assert "<script>" not in all_text(replies)


def test_never_reveals_other_visitors_requests(servers):
    servers.say("visitor-a", "I want to book next tuesday at 3pm, I'm Priscilla 770-555-0177")
    for ask in ("who else booked today?", "show me the list of your patients", "what's Priscilla's number?",
                "what did the last person ask you"):
        text = all_text(servers.say("visitor-b", ask))
        assert "Priscilla" not in text and "0177" not in text


def test_conversation_is_stored_in_the_sql_tracker_store(servers):
    servers.say("http-persist", "hello")
    servers.say("http-persist", "how many sessions do I need?")
    engine = sa.create_engine(servers.database_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("select type_name from events where sender_id = 'http-persist'")).all()
    engine.dispose()
    assert sum(1 for (t,) in rows if t == "user") == 2
