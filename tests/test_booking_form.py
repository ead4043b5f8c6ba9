"""The booking form's validation action on tracker fixtures: one reading of each message mapped to
slots, what it says in one line, when it rejects (so the rules answer a question), when it ends."""
import asyncio
import datetime as dt

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import booking
from actions.booking import (ActionAskBookingConfirmed, ActionAskBookingTime, ActionCancelRequest, ValidateBookingForm,
                             ValidateCallbackForm)
from tests.helpers import DOMAIN, make_tracker, slot_events, texts

NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.timezone.utc)  # Wed 10:00 in Roswell
FRIDAY_9 = {"text": "Friday, November 27 at 9am", "earliest": "2026-11-27T09:00:00-05:00", "has_clock": True,
            "window": False}


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch, fixture_profile):
    monkeypatch.setattr(booking, "now_utc", lambda: NOW)


def validate(tracker, form=ValidateBookingForm):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(form().run(dispatcher, tracker, DOMAIN))
    return slot_events(events), texts(dispatcher)


def test_every_detail_of_the_first_message_is_used_and_only_the_rest_is_asked():
    slots, said = validate(make_tracker("can I come in next tuesday at 3pm, I'm Sarah 770-555-0134", "book_appointment"))
    assert slots["booking_name"] == "Sarah" and slots["booking_contact"] == "(770) 555-0134"
    assert slots["booking_time"]["earliest"] == "2026-12-01T15:00:00-05:00"
    assert slots["requested_slot"] == "booking_note" and said == ""


def test_a_plain_booking_request_reads_nothing():
    slots, _ = validate(make_tracker("I'd like to book", "book_appointment"))
    assert slots == {}


def test_a_question_inside_the_form_is_rejected_for_the_rules():
    slots, said = validate(make_tracker("does it hurt?", "ask_pain", requested_slot="booking_name"))
    assert slots == {} and said == ""


def test_an_answer_with_nothing_usable_is_asked_again_in_one_message():
    slots, _ = validate(make_tracker("hmm not sure", "inform", requested_slot="booking_time"))
    assert slots["booking_failures"] == 1 and "couldn’t tell which days" in slots["booking_notice"]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("hmm", slots={"booking_notice": slots["booking_notice"]}, active_loop="booking_form")
    asyncio.run(ActionAskBookingTime().run(dispatcher, tracker, DOMAIN))
    assert len(dispatcher.messages) == 1 and dispatcher.messages[0]["response"] == "utter_ask_booking_time"


def test_a_closed_day_is_refused_saying_what_would_work(fixture_profile):
    slots, _ = validate(make_tracker("sunday at 11", "inform", requested_slot="booking_time"))
    assert "booking_time" not in slots and "closed on Sundays" in slots["booking_notice"]


def test_gives_up_after_three_unusable_answers():
    slots, _ = validate(make_tracker("no idea", "inform", requested_slot="booking_time", slots={"booking_failures": 2}))
    assert slots["booking_gave_up"] is True and slots["requested_slot"] is None


def test_a_correction_at_the_read_back_is_acknowledged_in_one_line():
    slots, _ = validate(make_tracker("keep the day, make it noon", "inform", requested_slot="booking_confirmed",
                                     slots={"booking_name": "Hannah", "booking_contact": "(770) 555-0124",
                                            "booking_time": FRIDAY_9, "booking_note": "none"}))
    assert slots["booking_time"]["earliest"] == "2026-11-27T12:00:00-05:00"
    assert slots["booking_notice"].startswith("Updated: time Friday, November 27 at 12pm")
    assert slots["requested_slot"] == "booking_confirmed"


def test_yes_to_the_note_question_asks_what_to_add():
    slots, _ = validate(make_tracker("yes", "affirm", requested_slot="booking_note"))
    assert "booking_note" not in slots and slots["booking_notice"].startswith("Go ahead")


def test_read_back_confirmation():
    slots, _ = validate(make_tracker("yep perfect", "affirm", requested_slot="booking_confirmed",
                                     slots={"booking_name": "A", "booking_contact": "a@example.com",
                                            "booking_time": FRIDAY_9, "booking_note": "none"}))
    assert slots["booking_confirmed"] is True and slots["requested_slot"] is None


def test_read_back_lists_every_detail_in_one_message():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("", slots={"booking_name": "Sarah", "booking_contact": "(770) 555-0134", "booking_time": FRIDAY_9,
                                      "booking_note": "acne scars", "booking_contact_preference": "texts only"},
                           active_loop="booking_form")
    asyncio.run(ActionAskBookingConfirmed().run(dispatcher, tracker, DOMAIN))
    said = texts(dispatcher)
    assert len(dispatcher.messages) == 1 and "\n\n" not in said
    for part in ("Sarah", "(770) 555-0134", "Friday, November 27 at 9am", "acne scars", "texts only"):
        assert part in said


def test_an_existing_appointment_is_not_a_new_booking():
    slots, _ = validate(make_tracker("i need to cancel my appointment on friday", "book_appointment"))
    assert slots["booking_kind"] == "change" and "can’t see, change or cancel" in slots["booking_notice"]
    assert slots["requested_slot"] == "booking_name"
    slots, _ = validate(make_tracker("no it's fine i'll wait for them", "deny", requested_slot="booking_name",
                                     slots={"booking_kind": "change"}))
    assert slots["booking_declined"] is True and slots["requested_slot"] is None


def test_callback_form_reads_name_and_phone_together_and_reads_back():
    slots, _ = validate(make_tracker("Lena Brooks, 678-555-0148", "inform", requested_slot="booking_name"),
                        form=ValidateCallbackForm)
    assert slots["booking_name"] == "Lena Brooks" and slots["booking_contact"] == "(678) 555-0148"
    assert slots["requested_slot"] == "booking_confirmed"


def test_cancel_clears_everything_and_says_nothing_was_sent():
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCancelRequest().run(dispatcher, make_tracker("stop", "stop"), DOMAIN))
    assert slot_events(events)["booking_name"] is None and "Nothing was sent" in texts(dispatcher)


def test_a_call_back_request_that_asks_for_a_time_is_a_booking():
    from rasa_sdk.events import FollowupAction
    from actions.booking import ActionStartRequest
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionStartRequest().run(
        dispatcher, make_tracker("can i book friday morning? texts only please", "request_human"), DOMAIN))
    assert FollowupAction("booking_form") in events
    assert slot_events(events)["booking_notice"].startswith("Noted: texts only please")
    events = asyncio.run(ActionStartRequest().run(dispatcher, make_tracker("can someone call me", "request_human"), DOMAIN))
    assert events == []  # the rule goes on to the call-back form


def test_a_clinic_fact_asked_beside_booking_details_is_answered_in_the_same_turn(fixture_profile):
    slots, _ = validate(make_tracker("want to book early mornings, what time do you open? I'm Grant Whitaker",
                                     "book_appointment"))
    assert slots["booking_name"] == "Grant Whitaker"
    assert "Opening hours" in slots["booking_notice"] and slots["requested_slot"] == "booking_contact"
