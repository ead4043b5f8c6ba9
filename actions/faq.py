"""Answers: FAQ topics, clinic facts from the profile, out-of-scope, and "did you mean…".

Warning signs never reach these actions: the Rasa server's screen (safety/) answers them first.
A clinic profile that does not load (a typo in the file) costs only its facts, never the answer.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import settings
from actions.booking_details import read_message
from actions.clinic_profile import ClinicProfile, load_profile

logger = logging.getLogger(__name__)

FAQ_INTENTS = [
    "ask_what_is_microneedling", "ask_collagen", "ask_texture_scars", "ask_hyperpigmentation",
    "ask_product_absorption", "ask_downtime", "ask_pain", "ask_sessions_results", "ask_suitability",
    "ask_price", "ask_location_hours",
]
# Short button titles for "did you mean…" (intents a visitor can sensibly pick).
TOPIC_TITLES = {
    "ask_what_is_microneedling": "What microneedling is",
    "ask_collagen": "Collagen, wrinkles & firmness",
    "ask_texture_scars": "Texture, pores & scars",
    "ask_hyperpigmentation": "Dark spots & pigment",
    "ask_product_absorption": "Skincare products after",
    "ask_downtime": "Downtime & aftercare",
    "ask_pain": "Pain & numbing",
    "ask_sessions_results": "Sessions & results",
    "ask_suitability": "Is it right for me?",
    "ask_price": "Price",
    "ask_location_hours": "Location & hours",
    "book_appointment": "Book a consultation",
    "request_human": "Talk to a person",
}
CONTACT_ME = {"title": "Have the team contact me", "payload": "/request_human"}
BOOK = {"title": "Book a consultation", "payload": "/book_appointment"}


def _latest(tracker: Tracker) -> tuple[str, str]:
    message = tracker.latest_message or {}
    return (message.get("intent") or {}).get("name") or "", message.get("text") or ""


COULD_NOT_REACH_RE = re.compile(
    r"\b(nobody|no one|noone|no-one) (ever )?(answers?|picks? up|calls? (me )?back|gets? back|replies|responds)|"
    r"\bcan'?t get (through|hold of|anyone)|\bnever (answers?|picks? up|calls? (me )?back)|\bno answer\b|"
    r"\b(keep|kept) getting (voicemail|the machine)", re.IGNORECASE)
FINANCING_RE = re.compile(r"financ|payment plans?|pay (it )?(over time|monthly|in installments)|installments?|"
                          r"care ?credit|cherry|afterpay|klarna|affirm\b|split (the )?payments?", re.IGNORECASE)


def price_answer(profile: ClinicProfile, offer_contact: bool = True, asks_financing: bool = False) -> tuple[str, bool]:
    """(text, offers_contact). Inside a form no contact is offered: the form is collecting it."""
    insurance = ("Microneedling is a cosmetic treatment, so insurance usually doesn't cover it; "
                 "whether HSA/FSA or financing applies depends on your plan and the clinic.")
    if asks_financing and not profile.financing:
        # the profile says nothing about financing: never guess, and lead with what was asked
        lead = (f"I don't have details of {profile.name}'s financing or payment plans; the team can tell you "
                "whether they offer any. ")
        cosmetic = " Insurance usually doesn't cover microneedling because it's cosmetic."
        if profile.price_session:
            return lead + f"The price is {profile.price_session}" + (
                f"; packages: {profile.price_packages}." if profile.price_packages else ".") + cosmetic, False
        return lead.rstrip() + cosmetic + (" Would you like the team to get in touch?" if offer_contact else ""), \
            offer_contact
    if profile.price_session:
        parts = [f"Microneedling at {profile.name}: {profile.price_session}."]
        if profile.price_packages:
            parts.append(f"Packages: {profile.price_packages}.")
        if profile.financing:
            parts.append(profile.financing)
        parts.append(insurance if not profile.financing else
                     "Insurance usually doesn't cover microneedling because it's cosmetic.")
        return " ".join(parts), False
    answer = (f"I don't have {profile.name}'s current prices: they depend on the area treated and on packages, "
              f"so the team gives quotes directly. {insurance}")
    if not offer_contact:
        return answer, False
    return answer + " Would you like the team to get in touch with a quote?", True


def location_answer(profile: ClinicProfile, offer_contact: bool = True) -> tuple[str, bool]:
    parts, missing = [], []
    where = profile.address or profile.town
    parts.append(f"{profile.name} is at {profile.address}." if profile.address
                 else f"{profile.name} is in {where}." if where else "")
    if not profile.address:
        missing.append("the street address")
    if profile.directions:
        parts.append(profile.directions)
    hours = profile.hours_text()
    if hours:
        parts.append(f"Opening hours:\n{hours}")
    else:
        missing.append("the opening hours")
    if profile.contact_line():
        parts.append(f"Phone/email: {profile.contact_line()}.")
    else:
        missing.append("a phone number")
    if missing:
        listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " or " + missing[-1]
        parts.append(f"I don't have {listed} to hand.")
        if offer_contact:
            parts.append("Would you like the team to call you back or e-mail you?")
    return " ".join(p for p in parts if p), bool(missing) and offer_contact


class ActionAnswer(Action):
    """Answers an FAQ or out-of-scope message (also inside the booking form)."""

    def name(self) -> Text:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent, text = _latest(tracker)
        # The Rasa server's plan for this message (answers/component.py): the points asked, in order.
        plan = [(a.get("intent"), a.get("response")) for a in (tracker.latest_message or {}).get("answers") or []]
        if intent not in FAQ_INTENTS:
            # out of scope: the classifier's word stands unless the Rasa server found a microneedling point
            plan = [(i, r) for i, r in plan if r] or [(intent, None)]
        elif intent not in {i for i, _ in plan}:
            plan = [(intent, f"utter_faq_{intent[len('ask_'):]}" if intent in FAQ_INTENTS else None)] + plan
        profile = load_profile()
        offer = False
        in_form = bool((tracker.active_loop or {}).get("name"))
        responses = set((domain or {}).get("responses") or {})
        for topic, response in plan[:3]:
            if topic == "ask_price":
                answer, asks = price_answer(profile, offer_contact=not in_form,
                                            asks_financing=bool(FINANCING_RE.search(text)))
            elif topic == "ask_location_hours":
                answer, asks = location_answer(profile, offer_contact=not in_form)
            elif response and (response in responses or not responses):
                dispatcher.utter_message(response=response)
                continue
            elif topic in FAQ_INTENTS:
                dispatcher.utter_message(response=f"utter_faq_{topic[len('ask_'):]}")
                continue
            else:
                dispatcher.utter_message(response="utter_out_of_scope")
                continue
            offer = offer or asks
            dispatcher.utter_message(text=answer, buttons=[CONTACT_ME, BOOK] if asks else [] if in_form else [BOOK])
        if not in_form and not offer and COULD_NOT_REACH_RE.search(text):
            # "WHY DOES NOBODY ANSWER THE PHONE": a call-back is what they are missing
            dispatcher.utter_message(text="Sorry you couldn't get through. Would you like the team to call you back?",
                                     buttons=[{"title": "Yes, call me back", "payload": "/affirm"}, BOOK])
            offer = True
        return [SlotSet("pending_offer", "callback" if offer else None)]


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many of the latest user messages in a row fell back (including this one)."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if (event.get("parse_data", {}).get("intent") or {}).get("name") != "nlu_fallback":
                break
            count += 1
    return count


def holds_booking_details(tracker: Tracker) -> bool:
    text = (tracker.latest_message or {}).get("text") or ""
    details = read_message(text, asked=None, now=settings.now(), profile=load_profile())
    return bool(details.contact or details.time or details.problems and details.name)


class ActionClarify(Action):
    """Low confidence: offer the likeliest topics as buttons, then a person."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if not tracker.active_loop and holds_booking_details(tracker):
            # "Friday at 9am. Hannah Russell, 770-555-0124": a booking request the classifier wasn't sure of.
            return [FollowupAction("booking_form")]
        if consecutive_fallbacks(tracker) >= 2:
            dispatcher.utter_message(
                text="I'm sorry, I'm still not sure what you mean. Would you like a person from the team to get in touch with you?",
                buttons=[{"title": "Yes, please", "payload": "/request_human"}, {"title": "No, thanks", "payload": "/deny"}],
            )
            return [SlotSet("pending_offer", "callback")]
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        likely = [r["name"] for r in ranking if r.get("name") in TOPIC_TITLES][:3]
        if not likely:
            likely = ["ask_what_is_microneedling", "ask_sessions_results", "book_appointment"]
        buttons = [{"title": TOPIC_TITLES[name], "payload": f"/{name}"} for name in likely]
        if "request_human" not in likely:
            buttons.append({"title": "Something else: talk to a person", "payload": "/request_human"})
        dispatcher.utter_message(text="Sorry, I'm not sure I understood. Did you mean one of these?", buttons=buttons)
        return [SlotSet("pending_offer", None)]


class ActionDeclineOffer(Action):
    def name(self) -> Text:
        return "action_decline_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_anything_else")
        return [SlotSet("pending_offer", None)]
