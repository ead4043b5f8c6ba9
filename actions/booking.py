"""The booking and callback forms: extracting and validating details, reading
the request back, and handing it to the store and the staff notice.

Extraction is done here rather than by NLU entities: phone numbers and emails by
phonenumbers/email-validator, days and times by actions/parsing.py in the
clinic's time zone, names by explicit phrases ("I'm Sarah") or as the answer to
the name question.  Details given in any message of the form are picked up, so
"wait, the number is …" corrects an earlier answer.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import booking_store, settings
from actions.clinic_profile import load_profile
from actions.faq import FAQ_INTENTS
from actions.parsing import (Problem, RequestedTime, find_email, find_explicit_name, find_phone,
                             mentions_day_or_time, normalise_contact, parse_name_answer, parse_requested_time)
from actions.staff_notice import notify_staff

logger = logging.getLogger(__name__)

MAX_FAILURES = 3
NO_NOTE = "none"
# Messages with these intents never answer a form question (they are handled by rules).
NEVER_ANSWERS = {"stop", "request_human", "bot_challenge", "greet", "goodbye", "thank"}
_QUESTION_START = re.compile(
    r"^\s*(?:what|how|why|when|where|who|which|does|do|is|are|can|could|will|would|should|am|may|tell me|explain)\b",
    re.IGNORECASE)
_SKIP = re.compile(r"^\s*(?:no|nope|nah|none|nothing|n/?a|skip|no thanks|not really|that's all|nothing else)\b[\s.!]*$", re.IGNORECASE)

BOOKING_SLOTS = ["booking_time", "booking_time_partial", "booking_note", "booking_confirmed",
                 "booking_failures", "booking_gave_up"]


def looks_like_question(text: str) -> bool:
    return "?" in text or bool(_QUESTION_START.match(text))


def now_utc() -> dt.datetime:
    return settings.now()


def _strip_contacts(text: str) -> str:
    """The message without emails and phone numbers, so digits aren't read as dates."""
    email = find_email(text)
    if email:
        text = text.replace(email, " ")
    phone = find_phone(text)
    if phone:
        text = text.replace(phone, " ")
    return text


class ValidateBookingForm(FormValidationAction):
    # Inside the booking form, "can someone just call me" switches to a callback
    # request (a rule), so details in that message are left for the callback form.
    ignored_intents = {"request_human"}

    def name(self) -> Text:
        return "validate_booking_form"

    async def get_extraction_events(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent in self.ignored_intents and tracker.active_loop.get("name") == self.form_name():
            return []
        return await super().get_extraction_events(dispatcher, tracker, domain)

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        # After repeated invalid answers the form stops asking; the submit action
        # then offers a callback instead.
        return [] if tracker.get_slot("booking_gave_up") else domain_slots

    # ------------------------------------------------------------ helpers
    @staticmethod
    def _message(tracker: Tracker) -> tuple[str, str, Optional[str]]:
        message = tracker.latest_message or {}
        return ((message.get("intent") or {}).get("name") or "", (message.get("text") or "").strip(),
                tracker.get_slot("requested_slot"))

    def _answers(self, tracker: Tracker, slot: str) -> bool:
        """Is the latest message an answer to the question about `slot`?"""
        intent, text, requested = self._message(tracker)
        if requested != slot or not text or text.startswith("/"):
            return False
        if slot == "booking_time" and intent != "stop" and mentions_day_or_time(text):
            return True  # "sat morning" is an answer even if the classifier heard a greeting
        if intent in NEVER_ANSWERS:
            return False
        if slot != "booking_contact" and (find_email(text) or find_phone(text)):
            return False  # "wait, the number is ..." corrects the contact, answers nothing else
        if slot == "booking_name" and mentions_day_or_time(text):
            return False
        if intent in FAQ_INTENTS or intent == "out_of_scope":
            return not looks_like_question(text) and len(text.split()) <= 12
        return True

    @staticmethod
    def _invalid(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, problem: Problem,
                 extra: Optional[Dict[Text, Any]] = None, counts: bool = True) -> Dict[Text, Any]:
        result: Dict[Text, Any] = {slot: None, **(extra or {})}
        if tracker.get_slot("requested_slot") != slot:
            # A correction that didn't parse: say so, keep what we had, don't count it.
            dispatcher.utter_message(text=problem.message)
            result.pop(slot)
            return result or {"booking_failures": tracker.get_slot("booking_failures") or 0}
        failures = int(tracker.get_slot("booking_failures") or 0) + (1 if counts else 0)
        result["booking_failures"] = failures
        if failures >= MAX_FAILURES:
            result["booking_gave_up"] = True
        else:
            dispatcher.utter_message(text=problem.message)
        return result

    def _accept(self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, parsed) -> Dict[Text, Any]:
        if isinstance(parsed, Problem):
            return self._invalid(dispatcher, tracker, slot, parsed)
        return {slot: parsed, "booking_failures": 0}

    # ------------------------------------------------------------ name
    async def extract_booking_name(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        intent, text, _ = self._message(tracker)
        if intent not in FAQ_INTENTS and intent not in ("stop", "out_of_scope"):
            explicit = find_explicit_name(_strip_contacts(text))
            if explicit:
                return {"booking_name": explicit}
        if self._answers(tracker, "booking_name"):
            return {"booking_name": text}
        return {}

    def validate_booking_name(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._accept(dispatcher, tracker, "booking_name", parse_name_answer(str(value)))

    # ------------------------------------------------------------ contact
    async def extract_booking_contact(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        intent, text, _ = self._message(tracker)
        if intent not in FAQ_INTENTS and (find_email(text) or find_phone(text)):
            return {"booking_contact": text}
        if self._answers(tracker, "booking_contact"):
            return {"booking_contact": text}
        return {}

    def validate_booking_contact(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._accept(dispatcher, tracker, "booking_contact", normalise_contact(str(value)))

    # ------------------------------------------------------------ day and time
    async def extract_booking_time(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        intent, text, _ = self._message(tracker)
        text = _strip_contacts(text)
        if self._answers(tracker, "booking_time"):
            partial = tracker.get_slot("booking_time_partial")
            return {"booking_time": f"{text} {partial}" if partial else text}
        if intent in ("inform", "book_appointment", "deny") and mentions_day_or_time(text):
            return {"booking_time": text}
        return {}

    def validate_booking_time(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        profile = load_profile()
        parsed = parse_requested_time(str(value), now_utc(), profile)
        if isinstance(parsed, Problem):
            # "3pm" without a day: remember the time so the next answer can add the day.
            partial = str(value) if parsed.needs_day else None
            return self._invalid(dispatcher, tracker, "booking_time", parsed, {"booking_time_partial": partial},
                                 counts=partial is None)
        return {"booking_time": parsed.to_slot(), "booking_time_partial": None, "booking_failures": 0}

    # ------------------------------------------------------------ note
    async def extract_booking_note(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        intent, text, requested = self._message(tracker)
        if requested != "booking_note":
            return {}
        if intent == "deny" or _SKIP.match(text):
            return {"booking_note": NO_NOTE}
        if intent == "affirm" and len(text.split()) <= 3:
            dispatcher.utter_message(text="Go ahead: what would you like the provider to know?")
            return {"booking_failures": tracker.get_slot("booking_failures") or 0}
        if self._answers(tracker, "booking_note"):
            return {"booking_note": text[:500]}
        return {}

    def validate_booking_note(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return {"booking_note": value, "booking_failures": 0}

    # ------------------------------------------------------------ confirmation
    async def extract_booking_confirmed(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        intent, _, requested = self._message(tracker)
        if requested == "booking_confirmed" and intent in ("affirm", "deny"):
            return {"booking_confirmed": intent == "affirm"}
        return {}

    def validate_booking_confirmed(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value is True:
            return {"booking_confirmed": True}
        if value is False:
            dispatcher.utter_message(
                text="No problem. Tell me what to change, for example “the number is 770-555-0134” or "
                     "“make it Friday at 10am”, or say “cancel” to drop the request.")
        return {"booking_confirmed": None}


class ValidateCallbackForm(ValidateBookingForm):
    ignored_intents: set = set()

    def name(self) -> Text:
        return "validate_callback_form"


def request_summary(tracker: Tracker) -> str:
    profile = load_profile()
    lines = [f"- Name: {tracker.get_slot('booking_name')}",
             f"- Contact: {tracker.get_slot('booking_contact')}"]
    when = tracker.get_slot("booking_time")
    if when:
        lines.append(f"- Preferred time: {RequestedTime.from_slot(when, profile.timezone).display()}")
    note = tracker.get_slot("booking_note")
    if note and note != NO_NOTE:
        lines.append(f"- Note: {note}")
    return "\n".join(lines)


class ActionAskBookingConfirmed(Action):
    """The form's last question: read the request back and ask to send it."""

    def name(self) -> Text:
        return "action_ask_booking_confirmed"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(
            text=f"Here's your request:\n{request_summary(tracker)}\n\nShall I send it to the team? "
                 "They'll contact you to confirm a time.",
            buttons=[{"title": "Yes, send it", "payload": "/affirm"},
                     {"title": "No, change something", "payload": "/deny"},
                     {"title": "Cancel", "payload": "/stop"}],
        )
        return []


def _reset(*, keep_contact: bool) -> List[Dict[Text, Any]]:
    slots = BOOKING_SLOTS + ([] if keep_contact else ["booking_name", "booking_contact"])
    events = [SlotSet(slot, 0 if slot == "booking_failures" else None) for slot in slots]
    return events + [SlotSet("pending_offer", None)]


async def _store_and_notify(dispatcher, tracker: Tracker, kind: str) -> Optional[booking_store.BookingRequest]:
    profile = load_profile()
    when = tracker.get_slot("booking_time") if kind == "booking" else None
    note = tracker.get_slot("booking_note") if kind == "booking" else None
    try:
        request = await asyncio.to_thread(
            booking_store.create_request,
            kind=kind, name=tracker.get_slot("booking_name"), contact=tracker.get_slot("booking_contact"),
            conversation_id=tracker.sender_id, requested_time=when,
            requested_time_text=RequestedTime.from_slot(when, profile.timezone).display() if when else None,
            note=None if note in (None, NO_NOTE) else note, urgent=warning_reported(tracker),
        )
    except SQLAlchemyError:
        logger.exception("could not store %s request for %s", kind, tracker.sender_id)
        fallback = f" or contact {profile.name} at {profile.contact_line()}" if profile.contact_line() else ""
        dispatcher.utter_message(text=f"Sorry, something went wrong on our side and your request was not saved. "
                                      f"Please try again in a few minutes{fallback}.")
        return None
    if request.created and await asyncio.to_thread(notify_staff, request, profile):
        await asyncio.to_thread(booking_store.mark_notified, request.reference)
    return request


def warning_reported(tracker: Tracker) -> bool:
    """The visitor described a warning sign in this conversation (the Rasa server's screen said so)."""
    return any(e.get("event") == "user" and (e.get("parse_data") or {}).get("warning") for e in tracker.events)


def _gave_up(dispatcher, profile) -> List[Dict[Text, Any]]:
    phone = f" You can also reach {profile.name} at {profile.contact_line()}." if profile.contact_line() else ""
    dispatcher.utter_message(
        text="I'm sorry, I'm having trouble getting that detail right, so I've stopped the request; nothing was "
             f"sent. Would you like a person from the team to contact you instead?{phone}",
        buttons=[{"title": "Yes, please", "payload": "/request_human"}, {"title": "No, thanks", "payload": "/deny"}])
    return _reset(keep_contact=False)[:-1] + [SlotSet("pending_offer", "callback")]


class ActionSubmitBooking(Action):
    """Runs when the booking form ends: hand over a confirmed request, or say why not."""

    def name(self) -> Text:
        return "action_submit_booking"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        profile = load_profile()
        if tracker.get_slot("booking_gave_up"):
            return _gave_up(dispatcher, profile)
        if tracker.get_slot("booking_confirmed") is not True:
            dispatcher.utter_message(text="Okay, I haven't sent anything to the team.")
            return _reset(keep_contact=True)
        request = await _store_and_notify(dispatcher, tracker, "booking")
        if request is None:
            return _reset(keep_contact=True)
        dispatcher.utter_message(
            text=f"Thanks, {request.name}! Your request ({request.reference}) for {request.requested_time_text} "
                 f"has been sent to the {profile.name} team. It isn't a confirmed appointment yet: "
                 f"the team will contact you at {request.contact} to confirm.")
        return _reset(keep_contact=True)


class ActionSubmitCallback(Action):
    def name(self) -> Text:
        return "action_submit_callback"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        profile = load_profile()
        if tracker.get_slot("booking_gave_up"):
            reach = (f" You can reach {profile.name} at {profile.contact_line()}." if profile.contact_line()
                     else " Please try again later.")
            dispatcher.utter_message(text="I'm sorry, I couldn't get a phone number or email that works, so I haven't "
                                          f"sent a callback request.{reach}")
            return _reset(keep_contact=False)
        request = await _store_and_notify(dispatcher, tracker, "callback")
        if request is not None and request.urgent:
            dispatcher.utter_message(
                text=f"Thanks, {request.name}. I've sent the {profile.name} team an urgent request to call you at "
                     f"{request.contact} (reference {request.reference}). Meanwhile, if it gets worse, please contact "
                     "a doctor or urgent care today.")
        elif request is not None:
            dispatcher.utter_message(
                text=f"Thanks, {request.name}. I've asked the {profile.name} team to contact you at "
                     f"{request.contact} (reference {request.reference}).")
        return _reset(keep_contact=True)


class ActionCancelRequest(Action):
    """"Never mind" inside a form: drop everything collected, submit nothing."""

    def name(self) -> Text:
        return "action_cancel_request"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text="Okay, I've stopped. Nothing was sent to the team. "
                                      "Is there anything else I can help with?")
        return _reset(keep_contact=False) + [SlotSet("requested_slot", None)]
