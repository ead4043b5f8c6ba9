"""The dialogue policy for messages in Spanish or another language (languages/component.py).

- Spanish: a short reply in Spanish (the assistant answers in English; the clinic's phone when the
  profile sets one; 911 in an emergency) with the offer of a call-back; a message that already asks
  for one, or gives a name or a phone number, starts the call-back form at once. The form then asks
  and reads back in Spanish (the `visitor_language` slot) and the request tells the staff.
- Another language: the same reply in English.

One Spanish word in an English conversation ("ok cool, gracias, bye!") changes nothing: after an
English message the switch needs two Spanish-only function words ("el parking es gratis o hay que
pagar?"). It abstains whenever the safety policy has something to say, and inside a form.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import SlotSet, UserUttered

from rasa_extensions.graph_steps import TrackerPolicy
from safety import policy as safety

SPANISH_OFFER, OTHER_LANGUAGE, CALLBACK_FORM = "utter_spanish_offer", "utter_other_language", "callback_form"
SPANISH_INTRO = "Este asistente solo responde en inglés, pero puedo pedir al equipo de la clínica que le llame."
# "me pueden llamar?", "me llamo Ana", "quiero una cita", a phone number or an e-mail: take the request now.
SPANISH_REQUEST_RE = re.compile(
    r"\b(?:ll[aá]m(?:en|e|ar|arme|enme|eme)|me llamo|mi nombre|mi n[uú]mero|mi tel[eé]fono|mi correo|cita|agendar|"
    r"consulta|hablar con|una persona)\b|\d{3}\D{0,3}\d{3}\D{0,2}\d{4}|@", re.IGNORECASE)
SPANISH_YES_RE = re.compile(r"^\W*(?:s[ií]+|claro|por favor|porfa|dale|de acuerdo|est[aá] bien|ok|okay|bueno|perfecto|"
                            r"[aá]ndale|[oó]rale|adelante|me interesa)\b", re.IGNORECASE)


def _verdict(user: UserUttered) -> Dict[Text, Any]:
    return (user.parse_data or {}).get("language") or {}


def language_of(events: List[Any], latest: int) -> Optional[str]:
    """"es" or "other" when the latest message should get the language reply; None for English."""
    verdict = _verdict(events[latest])
    code = verdict.get("code")
    if code not in ("es", "other"):
        return None
    english_before = any(isinstance(e, UserUttered) and _verdict(e).get("code") == "en" and _verdict(e).get("words", 0) >= 3
                         for e in events[:latest])
    if english_before and not (code == "es" and verdict.get("spanish_words", 0) >= 2) \
            and not (code == "other" and verdict.get("words", 0) >= 4):
        return None
    return code


def plan(events: List[Any], actions: set) -> Optional[List[str]]:
    latest = safety._latest_user_index(events)
    if latest is None or safety._loop_before(events, latest) or safety.plan(events, actions) is not None:
        return None
    user: UserUttered = events[latest]
    text = user.text or ""
    if text.startswith("/"):
        return None
    spanish_so_far = safety._slot_before(events, latest, "visitor_language") == "es"
    if spanish_so_far and safety._slot_before(events, latest, "pending_offer") == "callback" and (
            SPANISH_YES_RE.match(text) or safety._intent(user) == "affirm"):
        return [CALLBACK_FORM]
    language = language_of(events, latest)
    if language == "es":
        return [CALLBACK_FORM] if SPANISH_REQUEST_RE.search(text) else [SPANISH_OFFER]
    if language == "other":
        return [OTHER_LANGUAGE]
    return None


def first_step_events(step: str) -> List[SlotSet]:
    from actions.clinic_profile import load_profile  # the profile's one reader
    profile = load_profile()
    if step == OTHER_LANGUAGE:
        contact = f" You can also call {profile.name} at {profile.phone}." if profile.phone else ""
        return [SlotSet("clinic_contact", contact), SlotSet("pending_offer", "callback")]
    events = [SlotSet("visitor_language", "es")]
    if step == SPANISH_OFFER:
        contact = f" También puede llamar a la clínica al {profile.phone}." if profile.phone else ""
        return events + [SlotSet("spanish_contact", contact), SlotSet("pending_offer", "callback")]
    return events + [SlotSet("booking_notice", SPANISH_INTRO), SlotSet("pending_offer", None)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class LanguagePolicy(TrackerPolicy):
    no_user_prediction = True  # outranks the FAQ answer and the rules that would answer in English

    @staticmethod
    def plan(events: List[Any], actions: set) -> Optional[List[str]]:
        return plan(events, actions)

    @staticmethod
    def events_for(events: List[Any], step: str) -> List[Any]:
        return first_step_events(step)
