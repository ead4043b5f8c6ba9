"""The conversation list: order, filters, search, pagination, masking, bad input."""
import datetime as dt
import re

import pytest
from django.urls import reverse

from console.conftest import add_conversation, add_request
from console.conversations.event_factory import Turn
from console.conversations.models import Conversation, Tag
from console.conversations.sync import sync

NOW = dt.datetime.now(dt.timezone.utc)


def listed(client, **params):
    """Sender ids on the list page, in order (read from the transcript links)."""
    response = client.get(reverse("conversations:list"), params)
    assert response.status_code == 200
    pks = [int(pk) for pk in re.findall(rb'href="/conversations/(\d+)/"', response.content)]
    by_pk = dict(Conversation.objects.values_list("pk", "sender_id"))
    return [by_pk[pk] for pk in pks]


@pytest.fixture
def conversations(db):
    add_conversation("old-price", [Turn("how much does it cost", "ask_price")], start=NOW - dt.timedelta(days=20))
    add_conversation("pain", [Turn("does it hurt a lot?", "ask_pain")], start=NOW - dt.timedelta(days=3))
    add_conversation("unsure", [Turn("is it ok for me", "ask_suitability", confidence=0.45)], start=NOW - dt.timedelta(days=2))
    add_conversation("fell-back", [Turn("blah", "out_of_scope", confidence=0.2, fallback=True)], start=NOW - dt.timedelta(days=2))
    add_conversation("booked", [Turn("book me in", "book_appointment", form="booking_form"),
                                Turn("jane@example.com", "inform", confidence=0.3)], start=NOW - dt.timedelta(days=1))
    add_conversation("person", [Turn("can a human call me", "request_human", form="callback_form")],
                     start=NOW - dt.timedelta(hours=5))
    add_conversation("hello", [Turn("/greet", "greet", 1.0)], start=NOW - dt.timedelta(hours=1))
    sync()
    add_request("booked", kind="booking", reference="RR-BOOK01")
    add_request("person", kind="callback", reference="RR-CALL01")
    Conversation.objects.get(sender_id="pain").tags.add(Tag.objects.create(name="follow-up"))


def test_newest_first_and_greeting_only_hidden_by_default(staff_client, conversations):
    order = listed(staff_client)
    assert order[:2] == ["person", "booked"] and order[-2:] == ["pain", "old-price"]
    assert "hello" not in listed(staff_client)
    assert listed(staff_client, show_greetings="on")[0] == "hello"


def test_each_filter(staff_client, conversations):
    assert listed(staff_client, fallback="on") == ["fell-back"]
    # a low score inside a form (the email) does not count: the form reads it itself
    assert set(listed(staff_client, low_confidence="on", below="0.5")) == {"unsure", "fell-back"}
    assert set(listed(staff_client, low_confidence="on", below="0.3")) == {"fell-back"}
    assert set(listed(staff_client, low_confidence="on", below="0.99")) == {
        "unsure", "fell-back", "old-price", "pain", "person", "booked"}
    assert listed(staff_client, booking="on") == ["booked"]
    assert listed(staff_client, human="on") == ["person"]
    assert listed(staff_client, intent="ask_price") == ["old-price"]
    assert listed(staff_client, tag="follow-up") == ["pain"]
    week_ago = (NOW - dt.timedelta(days=7)).date().isoformat()
    assert "old-price" not in listed(staff_client, date_from=week_ago)
    assert listed(staff_client, date_to=(NOW - dt.timedelta(days=10)).date().isoformat()) == ["old-price"]
    assert listed(staff_client, fallback="on", intent="ask_price") == []


def test_text_search_is_case_insensitive_over_visitor_messages_only(staff_client, conversations):
    assert listed(staff_client, q="HURT") == ["pain"]
    assert listed(staff_client, q="  hurt a lot ") == ["pain"]
    assert listed(staff_client, q="An answer.") == []  # the bot's words are not the visitor's


def test_flags_and_masking_in_the_list(staff_client, conversations):
    add_conversation("contact", [Turn("call me on 770-555-0199 or mail me at sarah.k@example.com", "request_human")])
    sync()
    html = staff_client.get(reverse("conversations:list")).content.decode()
    assert "555-0199" not in html and "sarah.k@example.com" not in html
    assert "call me on •••-•••-••99 or mail me at s•••@example.com" in html
    assert "booking request" in html and "callback request" in html and "fallback" in html


def test_pagination_keeps_the_filters(staff_client, db, settings):
    settings.CONSOLE_PAGE_SIZE = 3
    for i in range(7):
        add_conversation(f"p{i}", [Turn("does it hurt", "ask_pain")], start=NOW - dt.timedelta(hours=1, minutes=i))
    sync()
    first = staff_client.get(reverse("conversations:list"), {"intent": "ask_pain"})
    assert b"Page 1 of 3" in first.content
    assert b'href="?intent=ask_pain&amp;page=2"' in first.content
    assert listed(staff_client, intent="ask_pain", page=3) == ["p6"]
    assert listed(staff_client, intent="ask_pain", page=99) == ["p6"]  # past the end: the last page
    assert listed(staff_client, intent="ask_pain", page="x") == ["p0", "p1", "p2"]


@pytest.mark.parametrize("params, error", [
    ({"date_from": "yesterday"}, "Enter a valid date"),
    ({"below": "7", "low_confidence": "on"}, "less than or equal to 1"),
    ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "start date is after the end date"),
    ({"intent": "not_an_intent"}, "Select a valid choice"),
    ({"q": "x" * 5000}, "at most 200 characters"),
])
def test_bad_filter_input_is_explained_not_a_crash(staff_client, conversations, params, error):
    response = staff_client.get(reverse("conversations:list"), params)
    assert response.status_code == 200
    assert error in response.content.decode()


@pytest.mark.parametrize("q", ["<script>alert(1)</script>", "💉 needles?", "¿duele?", "%", "_", "' OR 1=1 --"])
def test_odd_search_text_is_safe(staff_client, conversations, q):
    add_conversation("odd", [Turn(f"hello {q}", "ask_pain")])
    sync()
    response = staff_client.get(reverse("conversations:list"), {"q": q})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert listed(staff_client, q=q) == ["odd"]
