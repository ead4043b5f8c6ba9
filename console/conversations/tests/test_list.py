"""The conversation list: order, filters, search, pagination, masking, bad input."""
import datetime as dt
import re

import pytest
from django.urls import reverse

from console.conftest import add_conversation, add_request, page_of
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
    ({"warning": "severe"}, "Select a valid choice"),
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


# ----------------------------------------------------------------------------- warning signs

def rows(client, **params):
    """The list as staff read it: (sender id, Flags cell text, the Flags cell's badges as (class, text))."""
    response = client.get(reverse("conversations:list"), params)
    assert response.status_code == 200
    by_pk = dict(Conversation.objects.values_list("pk", "sender_id"))
    found = []
    for row in page_of(response).find("table", id="conversations").find("tbody").find_all("tr"):
        cells = row.find_all("td")
        if len(cells) == 1:  # "No conversations match"
            continue
        pk = int(re.fullmatch(r"/conversations/(\d+)/", cells[0].find("a").attrs["href"]).group(1))
        badges = [(" ".join(b.classes), b.text) for b in cells[3].find_all("span", cls="badge")]
        found.append((by_pk[pk], cells[3].text, badges))
    return found


@pytest.fixture
def warnings(db, staff_user):
    """Conversations with and without warning signs; one urgent one already reviewed."""
    add_conversation("calm-new", [Turn("does it hurt?", "ask_pain")], start=NOW - dt.timedelta(hours=1))
    add_conversation("urgent-new", [Turn("my face is hot and swollen", "ask_downtime", warning="urgent",
                                         signs=["worsening swelling"])], start=NOW - dt.timedelta(hours=2))
    add_conversation("reviewed-urgent", [Turn("a bit of pus at one spot", "out_of_scope", warning="urgent",
                                              signs=["pus"])], start=NOW - dt.timedelta(days=1))
    add_conversation("emergency-old", [Turn("how long does redness last", "ask_downtime"),
                                       Turn("I can't breathe well and my lips swell", "out_of_scope",
                                            warning="emergency", signs=["trouble breathing", "lip swelling"]),
                                       Turn("also a fever", "out_of_scope", warning="urgent", signs=["fever"])],
                     start=NOW - dt.timedelta(days=2))
    add_conversation("urgent-old", [Turn("I have a fever since the treatment", "ask_downtime", warning="urgent",
                                         signs=["fever"])], start=NOW - dt.timedelta(days=3))
    add_conversation("calm-old", [Turn("how much is it", "ask_price")], start=NOW - dt.timedelta(days=5))
    sync()
    Conversation.objects.get(sender_id="reviewed-urgent").mark_reviewed(staff_user)


def test_warning_badges_and_signs_in_the_list(staff_client, warnings):
    listed_rows = {sender: (flags, badges) for sender, flags, badges in rows(staff_client)}
    assert listed_rows["emergency-old"] == (
        "emergency trouble breathing, lip swelling, fever not reviewed",
        [("badge emergency", "emergency"), ("badge", "not reviewed")])
    assert listed_rows["urgent-new"] == (
        "urgent worsening swelling not reviewed", [("badge urgent", "urgent"), ("badge", "not reviewed")])
    assert listed_rows["reviewed-urgent"] == ("urgent pus reviewed", [("badge urgent", "urgent"), ("badge ok", "reviewed")])
    assert listed_rows["calm-new"] == ("", []) and listed_rows["calm-old"] == ("", [])


def test_unreviewed_warning_signs_come_first_emergency_then_urgent_then_newest_first(staff_client, warnings):
    assert [sender for sender, _, _ in rows(staff_client)] == [
        "emergency-old", "urgent-new", "urgent-old",  # awaiting review
        "calm-new", "reviewed-urgent", "calm-old"]  # everything else, newest first
    page = page_of(staff_client.get(reverse("conversations:list"))).find("main")
    assert page.find("p", cls="muted").text.startswith(
        "6 conversations: warning signs not yet reviewed first (emergency, then urgent), then newest first.")


def test_marking_reviewed_puts_it_back_in_date_order_and_a_new_warning_sign_brings_it_up_again(
        staff_client, staff_user, warnings):
    urgent_new = Conversation.objects.get(sender_id="urgent-new")
    response = staff_client.post(reverse("conversations:review", args=[urgent_new.pk]), {"reviewed": "1"})
    assert response.status_code == 302
    assert [sender for sender, _, _ in rows(staff_client)] == [
        "emergency-old", "urgent-old", "calm-new", "urgent-new", "reviewed-urgent", "calm-old"]
    # the reviewed visitor comes back: a calm question keeps it reviewed, a new warning sign does not
    add_conversation("reviewed-urgent", [Turn("and what does it cost", "ask_price")], start=NOW - dt.timedelta(minutes=30))
    sync()
    assert [sender for sender, _, _ in rows(staff_client)][:3] == ["emergency-old", "urgent-old", "calm-new"]
    add_conversation("reviewed-urgent", [Turn("now I can't breathe", "out_of_scope", warning="emergency",
                                              signs=["trouble breathing"])], start=NOW - dt.timedelta(minutes=10))
    sync()
    listed_rows = rows(staff_client)
    assert [sender for sender, _, _ in listed_rows] == [
        "reviewed-urgent", "emergency-old", "urgent-old", "calm-new", "urgent-new", "calm-old"]
    assert listed_rows[0][1] == "emergency pus, trouble breathing not reviewed"
    # undoing a review puts a conversation with warning signs back among those awaiting it
    staff_client.post(reverse("conversations:review", args=[urgent_new.pk]), {"reviewed": "0"})
    assert [sender for sender, _, _ in rows(staff_client)][:4] == [
        "reviewed-urgent", "emergency-old", "urgent-new", "urgent-old"]


def test_the_warning_sign_filter(staff_client, warnings):
    senders = lambda **params: [sender for sender, _, _ in rows(staff_client, **params)]  # noqa: E731
    assert senders(warning="any") == ["emergency-old", "urgent-new", "urgent-old", "reviewed-urgent"]
    assert senders(warning="emergency") == ["emergency-old"]
    assert senders(warning="unreviewed") == ["emergency-old", "urgent-new", "urgent-old"]
    assert senders(warning="any", intent="ask_downtime") == ["emergency-old", "urgent-new", "urgent-old"]
    assert senders(warning="") == senders()
    options = page_of(staff_client.get(reverse("conversations:list"))).find("select", name="warning")
    assert [o.text for o in options.find_all("option")] == [
        "any conversation", "urgent or emergency", "emergency only", "not reviewed yet"]


def test_a_greeting_with_a_warning_sign_is_not_hidden_as_greeting_only(staff_client, db):
    add_conversation("hi-swollen", [Turn("/greet", "greet", 1.0),
                                    Turn("hello, my cheek is swollen and hot", "greet", warning="urgent",
                                         signs=["worsening swelling"])])
    add_conversation("hi", [Turn("/greet", "greet", 1.0), Turn("hello", "greet")])
    sync()
    assert rows(staff_client) == [("hi-swollen", "urgent worsening swelling not reviewed",
                                   [("badge urgent", "urgent"), ("badge", "not reviewed")])]
