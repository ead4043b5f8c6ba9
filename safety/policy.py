"""The dialogue policy that answers by the screen's verdict (safety/component.py) before any rule,
form or FAQ answer: it outranks RulePolicy (higher priority, and its predictions count as "no user"
predictions, which Rasa ranks above a form's happy path).

For the latest visitor message it makes a plan of actions and predicts the next one not yet run:

- an emergency: `utter_warning_emergency` (call 911 first), the form paused if one was running,
  `action_warning_followup` (tells the staff);
- an urgent sign: `utter_warning_urgent`, the form paused, `action_warning_followup` (the clinic's
  phone when set, an urgent call-back offer, the staff told), or `utter_warning_contact_offer` when
  the action server could not answer;
- after a warning, until the visitor clearly changes topic: `utter_cannot_advise_treatment`;
- medication, diagnosis and push-back questions: their boundary reply; a suitability question: the
  answer for each condition it names (or the general one).

Otherwise it abstains and the rules decide. It has nothing to train.
"""
from __future__ import annotations

import re

from typing import Any, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered

from rasa_extensions.graph_steps import TrackerPolicy, actions_since_message

FOLLOWUP = "action_warning_followup"
# After a warning these end the "don't advise on treating it" hold: the visitor has moved on.
TOPIC_CHANGES = {"ask_price", "ask_location_hours", "ask_what_is_microneedling", "ask_collagen",
                 "ask_texture_scars", "ask_hyperpigmentation", "ask_sessions_results", "greet", "goodbye", "thank",
                 "bot_challenge", "stop", "request_human"}
# A booking request ends the hold only once the visitor says they are getting help ("ok i'll call my doctor today,
# can we still put the booking in?"); asked straight after the warning, the warning stands.
GETTING_HELP_RE = re.compile(
    r"\b(i'?ll|i will|i'?m going to|i am going to|gonna|going to|i already|i'?ve|i have|we'?ll|we will)\s+(\w+\s+){0,2}"
    r"(call|calling|called|go|going|gone|see|seeing|seen|contact|contacted|ring|phone|text|message|book)\b.*\b(doctor|dr|"
    r"911|urgent care|er|provider|nurse|clinic|hospital|pharmacist|gp)\b|\b(called|saw|seen|spoke to|talked to)\s+"
    r"(my |the |a )?(doctor|dr|provider|nurse|911|urgent care|pharmacist|gp)\b", re.IGNORECASE)
MEDICAL_REPLIES = {"medication": "utter_medication_boundary", "numbing": "utter_medication_numbing",
                   "diagnosis": "utter_diagnosis_boundary", "pushback": "utter_suitability_pushback"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class SafetyPolicy(TrackerPolicy):
    no_user_prediction = True  # outranks a form's happy path: a warning inside a form pauses it

    @staticmethod
    def plan(events: List[Any], actions: set) -> Optional[List[str]]:
        return plan(events, actions)

    @staticmethod
    def when_done(events: List[Any], steps: List[str]) -> Optional[str]:
        return when_done(events, steps)


# ------------------------------------------------------------------------------------------ planning
def _latest_user_index(events: List[Any]) -> Optional[int]:
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            return index
    return None


def _loop_before(events: List[Any], index: int) -> Optional[str]:
    loop = None
    for event in events[:index]:
        if isinstance(event, ActiveLoop):
            loop = event.name
    return loop


def _slot_before(events: List[Any], index: int, name: str) -> Any:
    value = None
    for event in events[:index]:
        if isinstance(event, SlotSet) and event.key == name:
            value = event.value
    return value


def _intent(user: UserUttered) -> str:
    return (user.intent or {}).get("name") or ""


def _moves_on(intent: str, text: str, medical: dict) -> bool:
    """After a warning: has the visitor clearly moved to another topic?"""
    if intent == "book_appointment":
        return bool(GETTING_HELP_RE.search(text.replace("\u2019", "'")))
    return intent in TOPIC_CHANGES and not medical.get("treating")


def _held_warning(events: List[Any], latest: int) -> Optional[str]:
    """The level of a warning earlier in the conversation, when there has been no clear change of topic since."""
    hold = None
    for event in events[:latest]:
        if isinstance(event, UserUttered):
            parse = event.parse_data or {}
            if parse.get("warning"):
                hold = max(hold or "", parse["warning"].get("level") or "urgent", key=("", "urgent", "emergency").index)
            elif hold and _moves_on(_intent(event), event.text or "", parse.get("medical") or {}):
                hold = None
    return hold


def _last_bot_response(events: List[Any], latest: int) -> str:
    for event in reversed(events[:latest]):
        if isinstance(event, BotUttered):
            return (event.metadata or {}).get("utter_action") or ""
    return ""


def plan(events: List[Any], actions: set) -> Optional[List[str]]:
    latest = _latest_user_index(events)
    if latest is None:
        return None
    user: UserUttered = events[latest]
    if (user.text or "").startswith("/"):  # a button: what it names is what the visitor chose
        return None
    parse = user.parse_data or {}
    warning, medical = parse.get("warning") or {}, parse.get("medical") or {}
    loop = _loop_before(events, latest)
    pause = ["action_deactivate_loop", "utter_request_paused"] if loop else []
    suffix = "_es" if warning.get("language") == "es" else ""  # read in Spanish: answered in Spanish
    if warning.get("level") == "emergency":
        return [f"utter_warning_emergency{suffix}"] + pause + [FOLLOWUP]
    intent = _intent(user)
    if warning.get("level") == "urgent":
        # asked for a call-back in the same message: take it now (the form asks for the name)
        callback = ["callback_form"] if intent == "request_human" and not loop else []
        return [f"utter_warning_urgent{suffix}"] + pause + [FOLLOWUP] + callback
    if loop:
        return None  # the form handles its answers; FAQ digressions inside it are the rules'
    offered_callback = _slot_before(events, latest, "pending_offer") == "callback" and intent == "affirm"
    held = _held_warning(events, latest)
    if held and not offered_callback and not _moves_on(intent, user.text or "", medical):
        return ["utter_warning_emergency" if held == "emergency" else "utter_cannot_advise_treatment"]
    conditions = [f"utter_suitability_{c}" for c in medical.get("conditions") or []
                  if f"utter_suitability_{c}" in actions]
    if medical.get("topic") == "pushback" and _last_bot_response(events, latest) == "utter_diagnosis_boundary":
        return ["utter_diagnosis_boundary"]  # "it's probably nothing, right?" after a photo or mole question
    follows_suitability = _last_bot_response(events, latest).startswith(("utter_suitability_", "utter_faq_suitability"))
    if medical.get("topic") == "pushback" and not (follows_suitability or conditions or intent == "ask_suitability"):
        medical = {**medical, "topic": None}  # "so i can wear makeup?" is not a push for a yes/no on suitability
    if medical.get("topic") in MEDICAL_REPLIES:
        return [MEDICAL_REPLIES[medical["topic"]]] + (conditions[:1] if medical["topic"] != "diagnosis" else [])
    ranked = [r.get("name") for r in parse.get("intent_ranking") or []]
    asks_suitability = intent == "ask_suitability" or (intent == "nlu_fallback" and ranked[1:2] == ["ask_suitability"])
    # "does it do anything for stretch marks?" taken for a suitability question: the point named answers it
    names_point = any(a.get("point") and a.get("intent") != "ask_suitability" for a in parse.get("answers") or [])
    if asks_suitability and not conditions and names_point:
        return None
    if asks_suitability or (conditions and follows_suitability):
        return conditions or ["utter_faq_suitability"]
    return None


def when_done(events: List[Any], steps: List[str]) -> Optional[str]:
    """After the plan: the contact offer when the action server did not answer the urgent follow-up."""
    done = actions_since_message(events) or []
    if steps[-1] == FOLLOWUP and steps[0].startswith("utter_warning_urgent") and "utter_warning_contact_offer" not in done:
        followup_spoke = any(isinstance(e, BotUttered) for e in events[_index_of_last(events, FOLLOWUP):])
        if not followup_spoke:  # the action server did not answer: offer contact from here
            return "utter_warning_contact_offer"
    return ACTION_LISTEN_NAME if done and done[-1] != ACTION_LISTEN_NAME else None


def _index_of_last(events: List[Any], action_name: str) -> int:
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], ActionExecuted) and events[index].action_name == action_name:
            return index
    return len(events)
