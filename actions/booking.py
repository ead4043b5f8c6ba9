"""The booking and call-back forms: details → slots, the read-back, and the hand-over to the store.

Each message is read once by actions/booking_details.py for every detail it holds; the
validation action below maps those details to slots, says in one line what it changed, and
leaves what to say next in `booking_notice` for the form's question (one message a turn).
A message that holds no detail and is a question is rejected, so the FAQ rules answer it and
the form asks again.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import booking_names, booking_store, settings
from actions.booking_details import Details, TimePreference, read_message
from actions.clinic_profile import ClinicProfile, load_profile
from actions.faq import FAQ_INTENTS, FINANCING_RE, location_answer, price_answer
from actions.staff_notice import notify_staff

logger = logging.getLogger(__name__)
booking_names.warm()  # at the action server's start, not at the first visitor's message

MAX_FAILURES = 3
NO_NOTE = "none"
# Intents answered by rules inside a form when the message gives no detail.
DIGRESSIONS = set(FAQ_INTENTS) | {"out_of_scope", "bot_challenge", "stop", "request_human", "nlu_fallback"}
ASKED = {"booking_name": "name", "booking_contact": "contact", "booking_time": "time", "booking_note": "note",
         "booking_confirmed": "confirm"}
FIELD_SLOTS = {"name": "booking_name", "contact": "booking_contact", "time": "booking_time", "note": "booking_note"}

BOOKING_SLOTS = ["booking_time", "booking_note", "booking_confirmed", "booking_failures", "booking_gave_up",
                 "booking_notice", "booking_kind", "booking_declined", "booking_contact_preference"]


def now_utc() -> dt.datetime:
    return settings.now()


_SIDE_QUESTIONS = [
    # (what the clause asks, the answer from the clinic profile)
    (re.compile(r"(?i)\b(?:what time|when) do (?:you|u|y'all) (?:open|close)|\bopening hours\b|\byour hours\b|"
                r"\bwhere are (?:you|u)\b|\baddress\b|\bparking\b"), lambda p, q: location_answer(p, offer_contact=False)[0]),
    (re.compile(r"(?i)\bhow much\b|\bprices?\b|\bcost\b|\bpackages?\b|\b\d[- ]?pack\b|\bfinancing\b|\binsurance\b"),
     lambda p, q: price_answer(p, offer_contact=False, asks_financing=bool(FINANCING_RE.search(q)))[0]),
    (re.compile(r"(?i)\be-?mail\b[^?]{0,30}\b(?:ok|okay|fine|alright|instead)\b|\bdon'?t want to give (?:you )?my (?:phone|number)"),
     lambda p, q: "An email address is fine instead of a phone number."),
]


def side_answers(text: str, profile: ClinicProfile) -> List[str]:
    """A clinic-fact question asked beside booking details ("…what time do you open? I'm Grant"):
    answered from the profile in the same message, before the form's next question."""
    questions = [c for c in re.split(r"(?<=[?.!])\s+|\s[-–—]\s|,?\s+(?:and|but)\s+(?=can|could|do|is|i)", text)
                 if "?" in c or re.match(r"(?i)\s*(?:what'?s|whats|what|when|where|how|do|does|is|are|can)\b", c)]
    answers = []
    for pattern, answer in _SIDE_QUESTIONS:
        asked = [q for q in questions if pattern.search(q)]
        if asked:
            answers.append(answer(profile, " ".join(asked)))
    return answers


def _latest(tracker: Tracker) -> tuple[str, str]:
    message = tracker.latest_message or {}
    return (message.get("intent") or {}).get("name") or "", (message.get("text") or "").strip()


SPANISH_REASK = {
    "name": "No entendí el nombre. ¿A nombre de quién dejo la solicitud?",
    "contact": "Necesito un número de teléfono o un correo electrónico para que el equipo le contacte, por ejemplo "
               "770-555-0134 o nombre@example.com.",
    "confirm": "¿Envío la solicitud al equipo? Responda sí o no, o dígame qué cambiar.",
}
SPANISH_CHANGE = "De acuerdo. Dígame qué cambiar (por ejemplo “mi número es 770-555-0134”), o escriba “cancelar”."


class ValidateBookingForm(FormValidationAction):
    kind = "booking"
    submit_action = "action_submit_booking"

    def name(self) -> Text:
        return "validate_booking_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        # After repeated invalid answers, or a "no thanks", the form stops asking; the submit
        # action then says so (and offers a call-back with what was given).
        if tracker.get_slot("booking_gave_up") or tracker.get_slot("booking_declined"):
            return []
        if tracker.get_slot("booking_kind") == "change":
            return ["booking_name", "booking_contact"]  # they asked for it to be passed on: no read-back
        return domain_slots

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        updates = self.read(tracker)
        events = [SlotSet(slot, value) for slot, value in updates.items()]
        # Let the base class work out the next slot to ask for (it reads the updated slots).
        next_tracker = tracker.copy()
        next_tracker.slots.update(updates)
        slots = next_tracker.slots
        required = await self.required_slots(self.domain_slots(domain), dispatcher, next_tracker, domain)
        if not updates:
            return []  # nothing read: the form is rejected and the rules answer the message
        missing = next((s for s in required if slots.get(s) is None), None)
        # The offer this form took up is spent: a "yes" at its read-back answers the read-back.
        spent = [SlotSet("pending_offer", None)] if tracker.get_slot("pending_offer") else []
        # A finished form hands over at once. The submit rules say the same; this also holds when the
        # form was started by the safety policy, where the rule policy does not take over again.
        submit = [FollowupAction(self.submit_action)] if missing is None else []
        return events + spent + [SlotSet("requested_slot", missing)] + submit

    # ------------------------------------------------------------ the mapping
    def read(self, tracker: Tracker) -> Dict[Text, Any]:
        """Slot updates for the latest message (empty: it answers nothing)."""
        intent, text = _latest(tracker)
        requested = tracker.get_slot("requested_slot")
        asked = ASKED.get(requested) if requested else None
        if not text or text.startswith("/"):
            return self._payload(tracker, intent, asked)
        profile = load_profile()
        earlier = {"name": tracker.get_slot("booking_name"), "contact": tracker.get_slot("booking_contact"),
                   "time": tracker.get_slot("booking_time")}
        details = read_message(text, asked=asked, now=now_utc(), profile=profile, earlier=earlier)
        updates: Dict[Text, Any] = {}
        said: List[str] = []

        if requested is None and details.existing_appointment and not tracker.get_slot("booking_kind"):
            return self._start_change(tracker, details, text, profile)

        if tracker.get_slot("booking_kind") == "change" and asked and not details.fields() and (
                intent not in FAQ_INTENTS or not details.question):
            return {"booking_declined": True}  # "ok i'll call them", "no it's fine": nothing to pass on
        if (intent == "stop" and not [f for f in details.fields() if f != "note"]) or (
                intent == "request_human" and self.kind == "booking" and asked != "note" and not details.fields()):
            return {}  # the rules stop the form, or switch to a call-back request (which reads this message)
        if intent in DIGRESSIONS and not details.fields() and not details.problems and details.answer is None \
                and not (asked == "note" and details.no_note):
            return {}  # a question or something unclear: the rules answer it ("skip" is the note's answer)
        side = side_answers(text, profile)
        if details.question and not details.fields() and not details.problems and not side:
            return {}

        changed = []
        for field_name, value in (("name", details.name), ("contact", details.contact)):
            if value:
                old = tracker.get_slot(FIELD_SLOTS[field_name])
                if old and old != value:
                    changed.append(f"{field_name} {value}")
                updates[FIELD_SLOTS[field_name]] = value
        if details.contact_preference:
            updates["booking_contact_preference"] = details.contact_preference
            if asked == "contact" and not details.contact and not tracker.get_slot("booking_contact"):
                said.append(f"Noted: {details.contact_preference}.")
        if details.time and self.kind == "booking":
            old = tracker.get_slot("booking_time")
            if old and old.get("text") != details.time.text:
                changed.append(f"time {details.time.text}")
            updates["booking_time"] = details.time.to_slot()

        # The note (booking only).
        if self.kind == "booking":
            if asked == "note":
                if details.note:
                    updates["booking_note"] = details.note
                elif details.no_note:
                    updates["booking_note"] = tracker.get_slot("booking_note") or NO_NOTE
                elif details.answer is True:
                    said.append("Go ahead: what would you like the provider to know?")
            elif details.no_note and not tracker.get_slot("booking_note"):
                updates["booking_note"] = NO_NOTE

        # The read-back answer.
        if asked == "confirm":
            if details.answer is True and not changed:
                updates["booking_confirmed"] = True
            elif details.answer is False and not changed and spanish(tracker):
                said.append(SPANISH_CHANGE)
                updates["booking_confirmed"] = None
            elif details.answer is False and not changed:
                said.append("No problem. Tell me what to change, for example “the number is 770-555-0134” or "
                            "“make it Friday at 10am”, or say “cancel” to drop the request.")
                updates["booking_confirmed"] = None

        if changed:
            said.insert(0, "Updated: " + "; ".join(changed) + ".")
        said = side + said
        said += [p.message for p in details.problems if p.field != "time" or self.kind == "booking"]
        asked_field_problem = any(p.field == asked for p in details.problems)
        gave_asked = asked and (asked in details.fields() or (asked == "note" and "booking_note" in updates)
                                or (asked == "confirm" and "booking_confirmed" in updates))

        if requested is None and self.kind == "booking" and not tracker.get_slot("booking_note"):
            concern = visitor_concern(tracker)
            if concern:  # shown in the read-back, to keep or change
                updates["booking_note"] = concern
        if asked and not gave_asked and not updates and not said and (
                tracker.get_slot("booking_kind") == "change" or intent == "deny" or details.answer is False):
            return {"booking_declined": True}  # "no thanks, I'll call them"
        if asked and not gave_asked and not updates and not said:
            # Nothing usable in an answer to our question: say so, in the question itself.
            said.append(SPANISH_REASK.get(asked) if spanish(tracker) and asked in SPANISH_REASK
                        else self._reask(asked, details))
            asked_field_problem = True
        if asked_field_problem and asked in ("name", "contact", "time"):
            failures = int(tracker.get_slot("booking_failures") or 0) + 1
            updates["booking_failures"] = failures
            if failures >= MAX_FAILURES:
                updates["booking_gave_up"] = True
                said = []
        elif gave_asked:
            updates["booking_failures"] = 0
        if said:
            updates["booking_notice"] = " ".join(said)
        return updates

    def _payload(self, tracker: Tracker, intent: str, asked: Optional[str]) -> Dict[Text, Any]:
        """A button press: /affirm, /deny at the note question or the read-back."""
        if asked == "confirm" and intent in ("affirm", "deny"):
            if intent == "affirm":
                return {"booking_confirmed": True}
            return {"booking_confirmed": None, "booking_notice": SPANISH_CHANGE if spanish(tracker) else
                    "No problem. Tell me what to change, for example "
                                                                 "“the number is 770-555-0134” or “make it Friday at 10am”, "
                                                                 "or say “cancel” to drop the request."}
        if asked == "note" and intent == "deny":
            return {"booking_note": tracker.get_slot("booking_note") or NO_NOTE}
        return {}

    @staticmethod
    def _reask(asked: str, details: Details) -> str:
        return {
            "name": "I didn’t catch a name there. What name should the team use? (A first name is fine.)",
            "contact": "I need a phone number or an email address so the team can reach you, for example "
                       "770-555-0134 or name@example.com. Which would you like to give?",
            "time": "I couldn’t tell which days or times you mean. When would suit you? Anything works, such as "
                    "“Thursday at 10”, “weekday mornings” or “the week of Dec 7”.",
            "note": "Anything you’d like the provider to know? (Or say “skip”.)",
            "confirm": "Shall I send the request to the team? Please answer yes or no, or tell me what to change.",
        }[asked]

    def _start_change(self, tracker: Tracker, details: Details, text: str, profile: ClinicProfile) -> Dict[Text, Any]:
        """"Cancel my Friday appointment": not a new booking. Offer to pass a change request."""
        phone = (f" You can call {profile.name} at {profile.phone} to change or cancel it." if profile.phone else
                 " I don’t have the clinic’s phone number here.")
        status = (" I can’t see whether a request was confirmed either: the team confirms each request themselves, "
                  "by phone or email." if re.search(r"(?i)confirm|booked|status", text) else "")
        updates: Dict[Text, Any] = {"booking_kind": "change", "booking_note": text[:500],
                                    "booking_notice": "I can’t see, change or cancel appointments from here." + status + phone +
                                                      " If you like, I can pass your message to the team so they get "
                                                      "back to you: what name should they use? (Or say “no thanks”.)"}
        if details.name:
            updates["booking_name"] = details.name
        if details.contact:
            updates["booking_contact"] = details.contact
        return updates


class ValidateCallbackForm(ValidateBookingForm):
    kind = "callback"
    submit_action = "action_submit_callback"

    def name(self) -> Text:
        return "validate_callback_form"



def spanish(tracker: Tracker) -> bool:
    """The visitor writes in Spanish (languages/policy.py): the call-back form asks and reads back in Spanish."""
    return tracker.get_slot("visitor_language") == "es"


SPANISH_NOTE = "Wrote in Spanish: please call back in Spanish if you can."


def request_summary(tracker: Tracker) -> str:
    if spanish(tracker):
        return "\n".join([f"- Nombre: {tracker.get_slot('booking_name')}",
                          f"- Teléfono o correo: {tracker.get_slot('booking_contact')}"])
    lines = [f"- Name: {tracker.get_slot('booking_name')}",
             f"- Contact: {tracker.get_slot('booking_contact')}"]
    if tracker.get_slot("booking_contact_preference"):
        lines.append(f"- Contact preference: {tracker.get_slot('booking_contact_preference')}")
    when = tracker.get_slot("booking_time")
    if when and tracker.get_slot("booking_kind") != "change":
        lines.append(f"- Preferred time: {TimePreference.from_slot(when).text}")
    note = tracker.get_slot("booking_note")
    if note and note != NO_NOTE:
        label = "Your message" if tracker.get_slot("booking_kind") == "change" else "Note"
        lines.append(f"- {label}: {note}")
    return "\n".join(lines)


class ActionAskDetail(Action):
    """The form's question for one slot, with what the validation action had to say first, in one message."""
    slot = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        notice = tracker.get_slot("booking_notice")
        form = (tracker.active_loop or {}).get("name")
        response = f"utter_ask_{form}_{self.slot}"
        if response not in domain.get("responses", {}):
            response = f"utter_ask_{self.slot}"
        if spanish(tracker) and f"{response}_es" in domain.get("responses", {}):
            response = f"{response}_es"
        if tracker.get_slot("booking_kind") == "change" and self.slot == "booking_name" and notice:
            response = "utter_offer_change_request"  # not a booking: the offer asks the name itself
        if notice and "?" in notice:
            dispatcher.utter_message(response=response, text=notice)
        elif notice:
            question = domain["responses"][response][0]["text"]
            dispatcher.utter_message(response=response, text=f"{notice} {question}")
        else:
            dispatcher.utter_message(response=response)
        return [SlotSet("booking_notice", None)]


class ActionAskBookingName(ActionAskDetail):
    slot = "booking_name"


class ActionAskBookingContact(ActionAskDetail):
    slot = "booking_contact"


class ActionAskBookingTime(ActionAskDetail):
    slot = "booking_time"


class ActionAskCallbackName(ActionAskDetail):
    slot = "booking_name"

    def name(self) -> Text:
        return "action_ask_callback_form_booking_name"  # Rasa looks for the form's own question first


class ActionAskBookingNote(ActionAskDetail):
    slot = "booking_note"


CONCERN_WORDS = ("acne scars", "acne scarring", "scars", "scarring", "acne", "melasma", "dark spots", "sun spots", "sunspots",
                 "hyperpigmentation", "pigmentation", "wrinkles", "fine lines", "large pores", "enlarged pores", "pores",
                 "stretch marks", "uneven texture", "texture")
CONCERNS = {"ask_texture_scars": "scars / skin texture", "ask_hyperpigmentation": "pigmentation (dark spots, melasma)"}


def visitor_concern(tracker: Tracker) -> Optional[str]:
    """The concern the visitor talked about earlier in the conversation, for the note."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        text = (event.get("text") or "").lower()
        for word in CONCERN_WORDS:
            if word in text:
                return word
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent in CONCERNS:
            return CONCERNS[intent]
    return None


class ActionAskBookingConfirmed(Action):
    """The form's last question: read the request back and ask to send it."""

    def name(self) -> Text:
        return "action_ask_booking_confirmed"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        notice = tracker.get_slot("booking_notice")
        lead = f"{notice}\n" if notice else ""
        summary = request_summary(tracker)
        if warning_reported(tracker):
            summary += "\n- Urgent: yes (you told me about a problem after a treatment, so the team will call you first)"
            # While they wait, the advice stands: the call-back does not replace a doctor today.
            summary += ("\nMeanwhile, please don't wait for the call: contact the provider who treated you or a doctor "
                        "today, and go to urgent care if it gets worse.")
        if spanish(tracker):
            dispatcher.utter_message(
                text=f"{lead}Su solicitud:\n{summary}\n¿La envío al equipo? Le llamarán o escribirán en cuanto puedan.",
                buttons=[{"title": "Sí, envíela", "payload": "/affirm"},
                         {"title": "No, cambiar algo", "payload": "/deny"},
                         {"title": "No enviar", "payload": "/stop"}])
            return [SlotSet("booking_notice", None)]
        dispatcher.utter_message(
            # One message: the socket.io channel splits a text at blank lines.
            text=f"{lead}Here's your request:\n{summary}\nShall I send it to the team? They'll contact you"
                 + (" to confirm a time." if tracker.get_slot("booking_kind") == "booking" or (
                     tracker.active_loop or {}).get("name") == "booking_form" and tracker.get_slot("booking_kind") != "change"
                    else "."),
            buttons=[{"title": "Yes, send it", "payload": "/affirm"},
                     {"title": "No, change something", "payload": "/deny"},
                     {"title": "Don't send it", "payload": "/stop"}],
        )
        return [SlotSet("booking_notice", None)]


def _reset(*, keep_contact: bool) -> List[Dict[Text, Any]]:
    slots = BOOKING_SLOTS + ([] if keep_contact else ["booking_name", "booking_contact"])
    events = [SlotSet(slot, 0 if slot == "booking_failures" else None) for slot in slots]
    return events + [SlotSet("pending_offer", None)]


async def _store_and_notify(dispatcher, tracker: Tracker, kind: str) -> Optional[booking_store.BookingRequest]:
    profile = load_profile()
    when = tracker.get_slot("booking_time") if kind == "booking" else None
    preference = TimePreference.from_slot(when) if when else None
    note = tracker.get_slot("booking_note") if kind in ("booking", "change") else None
    if spanish(tracker):
        note = f"{SPANISH_NOTE} {note}" if note not in (None, NO_NOTE) else SPANISH_NOTE
    try:
        request = await asyncio.to_thread(
            booking_store.create_request,
            kind=kind, name=tracker.get_slot("booking_name"), contact=tracker.get_slot("booking_contact"),
            conversation_id=tracker.sender_id,
            requested_time=preference.earliest.strftime("%Y-%m-%dT%H:%M" if preference.has_clock else "%Y-%m-%d")
            if preference else None,
            requested_time_text=preference.text if preference else None,
            note=None if note in (None, NO_NOTE) else note, urgent=warning_reported(tracker),
            contact_preference=tracker.get_slot("booking_contact_preference"),
        )
    except SQLAlchemyError:
        logger.exception("could not store %s request for %s", kind, tracker.sender_id)
        fallback = f" or contact {profile.name} at {profile.contact_line()}" if profile.contact_line() else ""
        dispatcher.utter_message(text=f"Sorry, something went wrong on our side and your request was not saved. "
                                      f"Please try again in a few minutes{fallback}.")
        return None
    if request.created:
        await asyncio.to_thread(notify_staff, request, profile)  # marks the request notified when sent
    return request


def warning_reported(tracker: Tracker) -> bool:
    """The visitor described a warning sign in this conversation (the Rasa server's screen said so)."""
    return any(e.get("event") == "user" and (e.get("parse_data") or {}).get("warning") for e in tracker.events)


def _gave_up(dispatcher, profile) -> List[Dict[Text, Any]]:
    phone = f" You can also reach {profile.name} at {profile.contact_line()}." if profile.contact_line() else ""
    dispatcher.utter_message(
        text="I'm sorry, I'm having trouble getting that detail right, so I've stopped the request; nothing was "
             f"sent. Would you like a person from the team to contact you instead? I'll keep what you've told me.{phone}",
        buttons=[{"title": "Yes, please", "payload": "/request_human"}, {"title": "No, thanks", "payload": "/deny"}])
    # The name and contact given so far stay for the call-back form.
    return _reset(keep_contact=True)[:-1] + [SlotSet("pending_offer", "callback")]


class ActionSubmitBooking(Action):
    """Runs when the booking form ends: hand over a confirmed request, or say why not."""

    def name(self) -> Text:
        return "action_submit_booking"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        profile = load_profile()
        if tracker.get_slot("booking_gave_up"):
            return _gave_up(dispatcher, profile)
        change = tracker.get_slot("booking_kind") == "change"  # asked to be passed on: no read-back
        if tracker.get_slot("booking_declined") or (tracker.get_slot("booking_confirmed") is not True and not change):
            dispatcher.utter_message(text="Okay, I haven't sent anything to the team. Is there anything else I can help with?")
            return _reset(keep_contact=True)
        kind = "change" if tracker.get_slot("booking_kind") == "change" else "booking"
        request = await _store_and_notify(dispatcher, tracker, kind)
        if request is None:
            return _reset(keep_contact=True)
        if kind == "change":
            dispatcher.utter_message(
                text=f"Thanks, {request.name}. I've passed your message ({request.reference}) to the {profile.name} "
                     f"team; they'll get in touch at {request.contact}. Nothing about your appointment changes "
                     "until they do.")
        else:
            dispatcher.utter_message(
                text=f"Thanks, {request.name}! Your request ({request.reference}) for {request.requested_time_text} "
                     f"has been sent to the {profile.name} team. It isn't a confirmed appointment yet: "
                     f"the team will contact you at {request.contact} to confirm.")
        return _reset(keep_contact=True) + [SlotSet("request_sent", True)]


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
        if tracker.get_slot("booking_declined"):
            dispatcher.utter_message(text="De acuerdo, no he enviado nada al equipo." if spanish(tracker)
                                     else "Okay, I haven't sent anything to the team.")
            return _reset(keep_contact=True)
        request = await _store_and_notify(dispatcher, tracker, "callback")
        if request is not None and spanish(tracker):
            dispatcher.utter_message(
                text=f"Gracias, {request.name}. He pasado su solicitud al equipo de {profile.name}: le llamarán o "
                     f"escribirán al {request.contact} (referencia {request.reference})."
                     + (" Si empeora, llame hoy a un médico o vaya a urgencias." if request.urgent else ""))
            return _reset(keep_contact=True) + [SlotSet("request_sent", True)]
        if request is not None and request.urgent:
            dispatcher.utter_message(
                text=f"Thanks, {request.name}. I've sent the {profile.name} team an urgent request to call you at "
                     f"{request.contact} (reference {request.reference}). Meanwhile, if it gets worse, please contact "
                     "a doctor or urgent care today.")
        elif request is not None:
            dispatcher.utter_message(
                text=f"Thanks, {request.name}. I've passed your request on to the {profile.name} team: they'll contact you "
                     f"at {request.contact} (reference {request.reference}).")
        return _reset(keep_contact=True) + ([SlotSet("request_sent", True)] if request is not None else [])


_BOOKING_WORDS = re.compile(r"(?i)\b(?:book|appointment|appt|consult(?:ation)?|come in|get in|session|schedule)\b")
_PERSON_WORDS = re.compile(r"(?i)\b(?:real person|human|a person|bot\b|robot|automated|an ai\b)")


class ActionStartRequest(Action):
    """"Can someone call me?": a call-back request, or a booking when the message asks to book a time."""

    def name(self) -> Text:
        return "action_start_request"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        _, text = _latest(tracker)
        details = read_message(text, asked=None, now=now_utc(), profile=load_profile())
        form = "booking_form" if details.time and _BOOKING_WORDS.search(text) else "callback_form"
        said = []
        if _PERSON_WORDS.search(text):
            profile = load_profile()
            phone = f" (or you can call {profile.name} at {profile.phone})" if profile.phone else ""
            said.append(f"I'm a virtual assistant, not a person, but I can ask someone from the team to call you back{phone}.")
        if details.contact_how:
            said.append(f"Noted: {details.contact_preference or details.contact_how}.")
        events: List[Dict[Text, Any]] = [SlotSet("booking_notice", " ".join(said))] if said else []
        # The rule goes on to the call-back form; a booking is a follow-up instead.
        return events + ([FollowupAction(form)] if form == "booking_form" else [])


class ActionCancelRequest(Action):
    """"Never mind" inside a form: drop everything collected, submit nothing."""

    def name(self) -> Text:
        return "action_cancel_request"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text="Okay, I've stopped. Nothing was sent to the team. "
                                      "Is there anything else I can help with?")
        return _reset(keep_contact=False) + [SlotSet("requested_slot", None)]
