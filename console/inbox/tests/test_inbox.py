"""The inbox: which messages wait for staff, and their decisions."""
import pytest
from django.urls import reverse

from console.conftest import add_conversation
from console.conversations.event_factory import Turn
from console.conversations.models import VisitorMessage
from console.conversations.sync import sync
from console.inbox.models import Review


def waiting_texts(client, **params):
    page = client.get(reverse("inbox:list"), params).content.decode()
    return {m.text for m in VisitorMessage.objects.all() if f'id="message-{m.pk}"' in page}


@pytest.fixture
def messages(db):
    add_conversation("v", [
        Turn("blah", "out_of_scope", confidence=0.3, fallback=True),
        Turn("is it ok for rosacea", "ask_suitability", confidence=0.5),
        Turn("does it hurt", "ask_pain", confidence=0.98),
        Turn("/ask_price", "ask_price", confidence=1.0),
        Turn("book me", "book_appointment", form="booking_form"),
        Turn("Jane", "inform", confidence=0.3),  # a name inside the form: expected to score low
    ])
    sync()
    return {m.text: m for m in VisitorMessage.objects.all()}


@pytest.mark.server
def test_real_fallbacks_wait_in_the_inbox(staff_client, real_events):
    fallbacks = set(VisitorMessage.objects.filter(is_fallback=True).values_list("text", flat=True))
    assert fallbacks and fallbacks <= waiting_texts(staff_client)


def test_fallbacks_unsure_and_flagged_messages_wait(staff_client, messages, staff_user):
    assert waiting_texts(staff_client) == {"blah", "is it ok for rosacea"}
    assert waiting_texts(staff_client, reason="fallback") == {"blah"}
    assert waiting_texts(staff_client, reason="unsure") == {"is it ok for rosacea"}
    staff_client.post(reverse("conversations:flag", args=[messages["does it hurt"].pk]))
    assert waiting_texts(staff_client, reason="flagged") == {"does it hurt"}
    assert waiting_texts(staff_client, intent="ask_pain") == {"does it hurt"}


def test_confirm_correct_dismiss_and_reopen(staff_client, staff_user, messages):
    url = lambda text: reverse("inbox:decide", args=[messages[text].pk])  # noqa: E731
    staff_client.post(url("blah"), {"decision": "label", "intent": "out_of_scope"})
    staff_client.post(url("is it ok for rosacea"), {"decision": "confirm"})
    assert waiting_texts(staff_client) == set()
    assert waiting_texts(staff_client, done="on") == {"blah", "is it ok for rosacea"}
    review = Review.objects.get(message=messages["is it ok for rosacea"])
    assert (review.state, review.intent, review.decided_by) == (Review.LABELLED, "ask_suitability", staff_user)
    assert not review.corrected
    corrected = Review.objects.get(message=messages["blah"])
    assert corrected.intent == "out_of_scope" and not corrected.corrected  # predicted out_of_scope too

    staff_client.post(url("blah"), {"decision": "reopen"})
    assert waiting_texts(staff_client) == {"blah"}
    staff_client.post(url("blah"), {"decision": "dismiss"})
    assert Review.objects.get(message=messages["blah"]).state == Review.DISMISSED
    assert waiting_texts(staff_client) == set()


@pytest.mark.parametrize("data, error", [
    ({"decision": "label"}, "Pick the intent"),
    ({"decision": "label", "intent": "make_coffee"}, "Select a valid choice"),
    ({"decision": "explode"}, "Select a valid choice"),
])
def test_invalid_decisions_are_refused_with_a_reason(staff_client, messages, data, error):
    response = staff_client.post(reverse("inbox:decide", args=[messages["blah"].pk]), data, follow=True)
    assert error in response.content.decode()
    assert not Review.objects.filter(state=Review.LABELLED).exists()


def test_after_a_decision_staff_return_to_their_filtered_list_never_elsewhere(staff_client, messages):
    url = reverse("inbox:decide", args=[messages["blah"].pk])
    response = staff_client.post(url, {"decision": "dismiss", "next": "/inbox/?reason=fallback"})
    assert response["Location"] == "/inbox/?reason=fallback"
    response = staff_client.post(url, {"decision": "reopen", "next": "https://evil.example.com/"})
    assert response["Location"] == reverse("inbox:list")
