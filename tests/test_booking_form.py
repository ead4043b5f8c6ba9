"""The booking form's validation action on tracker fixtures: what it picks up,
what it refuses, when it gives up, corrections and confirmation."""
import asyncio
import datetime as dt

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import booking
from actions.booking import (ActionAskBookingConfirmed, ActionCancelRequest, ValidateBookingForm,
                             ValidateCallbackForm)
from tests.helpers import DOMAIN, make_tracker, slot_events, texts

NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.timezone.utc)  # Wed 10:00 in Roswell


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch, fixture_profile):
    monkeypatch.setattr(booking, "now_utc", lambda: NOW)


def validate(tracker, form=ValidateBookingForm):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(form().run(dispatcher, tracker, DOMAIN))
    return slot_events(events), texts(dispatcher)


def test_details_in_the_first_message_are_used():
    slots, said = validate(make_tracker("can I come in next tuesday at 3pm, I'm Sarah 770-555-0134",
                                        "book_appointment"))
    assert slots["booking_name"] == "Sarah"
    assert slots["booking_contact"] == "(770) 555-0134"
    assert slots["booking_time"] == "2026-12-01T15:00"
    assert said == ""


def test_email_in_first_message():
    slots, _ = validate(make_tracker("I want a consult, email is jo@example.com", "book_appointment"))
    assert slots["booking_contact"] == "jo@example.com"
    assert "booking_name" not in slots and "booking_time" not in slots


def test_a_plain_booking_request_extracts_nothing():
    slots, said = validate(make_tracker("I'd like to book", "book_appointment"))
    assert {k: v for k, v in slots.items() if k != "requested_slot"} == {}


def test_name_answer_is_taken_when_asked():
    slots, _ = validate(make_tracker("maria lopez", "inform", requested_slot="booking_name"))
    assert slots["booking_name"] == "Maria Lopez"


def test_faq_question_inside_the_form_is_not_taken_as_an_answer():
    # Nothing extracted -> the form rejects, the FAQ rule answers, the form asks again.
    slots, said = validate(make_tracker("does it hurt?", "ask_pain", requested_slot="booking_name",
                                        slots={"booking_failures": 0}))
    assert "booking_name" not in slots and said == ""


def test_invalid_phone_is_refused_with_a_helpful_reask():
    slots, said = validate(make_tracker("555-12", "inform", requested_slot="booking_contact"))
    assert slots["booking_contact"] is None
    assert slots["booking_failures"] == 1
    assert "I need a phone number or an email address so the team can reach you" in said


def test_past_time_is_refused():
    slots, said = validate(make_tracker("today at 9am", "inform", requested_slot="booking_time"))
    assert slots["booking_time"] is None and "already passed" in said


def test_time_outside_opening_hours_is_refused():
    slots, said = validate(make_tracker("sunday at 11", "inform", requested_slot="booking_time"))
    assert slots["booking_time"] is None and "closed on Sundays" in said


def test_time_without_day_is_kept_until_the_day_comes():
    slots, said = validate(make_tracker("3pm", "inform", requested_slot="booking_time"))
    assert slots["booking_time"] is None and "Which day" in said
    assert slots["booking_time_partial"] == "3pm"
    slots, _ = validate(make_tracker("thursday", "inform", requested_slot="booking_time",
                                     slots={"booking_time_partial": "3pm", "booking_failures": 1}))
    assert slots["booking_time"] == "2026-11-26T15:00"
    assert slots["booking_failures"] == 0


def test_gives_up_after_three_invalid_answers():
    slots, said = validate(make_tracker("asdf", "inform", requested_slot="booking_contact",
                                        slots={"booking_failures": 2}))
    assert slots["booking_gave_up"] is True
    # The form is told to stop asking (the submit action then offers a callback).
    assert slots["requested_slot"] is None


def test_correction_of_an_earlier_answer():
    slots, said = validate(make_tracker("wait, the number is 678-555-0123", "inform",
                                        requested_slot="booking_time",
                                        slots={"booking_name": "Sarah", "booking_contact": "(770) 555-0134"}))
    assert slots["booking_contact"] == "(678) 555-0123"
    assert "booking_time" not in slots


def test_correction_of_time_at_the_confirmation_step():
    slots, _ = validate(make_tracker("actually make it thursday at 4", "inform", requested_slot="booking_confirmed",
                                     slots={"booking_name": "Sarah", "booking_contact": "(770) 555-0134",
                                            "booking_time": "2026-12-01T15:00", "booking_note": "none"}))
    assert slots["booking_time"] == "2026-11-26T16:00"


def test_note_can_be_skipped():
    slots, _ = validate(make_tracker("/deny", "deny", requested_slot="booking_note"))
    assert slots["booking_note"] == booking.NO_NOTE
    slots, _ = validate(make_tracker("nope", "deny", requested_slot="booking_note"))
    assert slots["booking_note"] == booking.NO_NOTE


def test_note_that_sounds_like_a_topic_is_still_a_note():
    slots, _ = validate(make_tracker("acne scars on my cheeks", "ask_texture_scars", requested_slot="booking_note"))
    assert slots["booking_note"] == "acne scars on my cheeks"


def test_confirmation_yes_and_no():
    base = {"booking_name": "Sarah", "booking_contact": "(770) 555-0134", "booking_time": "2026-12-01T15:00",
            "booking_note": "none"}
    slots, _ = validate(make_tracker("yes", "affirm", requested_slot="booking_confirmed", slots=base))
    assert slots["booking_confirmed"] is True
    slots, said = validate(make_tracker("no", "deny", requested_slot="booking_confirmed", slots=base))
    assert slots["booking_confirmed"] is None and "what to change" in said


def test_readback_lists_every_detail():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("", slots={"booking_name": "Sarah", "booking_contact": "(770) 555-0134",
                                      "booking_time": "2026-12-02T17:00", "booking_note": "acne scars"})
    asyncio.run(ActionAskBookingConfirmed().run(dispatcher, tracker, DOMAIN))
    said = texts(dispatcher)
    for part in ("Sarah", "(770) 555-0134", "Wednesday, December 2 at 5pm", "acne scars", "Shall I send it"):
        assert part in said
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny", "/stop"]


def test_callback_form_only_collects_name_and_contact():
    slots, _ = validate(make_tracker("call me at 404-555-0100 tomorrow at 3, I'm Jo", "request_human"),
                        form=ValidateCallbackForm)
    assert slots["booking_contact"] == "(404) 555-0100" and slots["booking_name"] == "Jo"
    assert "booking_time" not in slots


def test_cancel_clears_everything_and_says_nothing_was_sent():
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCancelRequest().run(dispatcher, make_tracker("never mind", "stop"), DOMAIN))
    slots = slot_events(events)
    assert slots["booking_name"] is None and slots["booking_time"] is None and slots["booking_contact"] is None
    assert "Nothing was sent" in texts(dispatcher)
