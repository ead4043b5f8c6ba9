"""The dialogue policy that sends FAQ answers from the Rasa server itself: the point asked first (the plan
answers/component.py stored with the message), both answers of a two-question message in order, and an
elliptical follow-up ("and the gym?") on the topic answered just before. The action server is needed only
when an answer reads the clinic profile (price, location and hours): then `action_answer` sends the plan.

It abstains whenever the safety policy has something to say (the screen stays in front of every answer),
inside a form (the form's rules answer there, through action_answer) and for what is not a FAQ question.
"""
from __future__ import annotations

import re
from typing import Any, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

from answers.points import PROFILE_INTENTS, QUESTION_RE, response_for
from rasa_extensions.graph_steps import TrackerPolicy
from safety import policy as safety

FAQ_INTENTS = {"ask_what_is_microneedling", "ask_collagen", "ask_texture_scars", "ask_hyperpigmentation",
               "ask_product_absorption", "ask_downtime", "ask_pain", "ask_sessions_results", "ask_price",
               "ask_location_hours"}
# "and the gym?", "what about makeup", "same for retinol?": a follow-up that leans on the answer before
ELLIPTICAL_RE = re.compile(r"^\W*(and|what about|how about|or|also|plus|same for|is that the same|what if|even|but)\b",
                           re.IGNORECASE)
# Intents that are not a question about the topic before, whatever words they hold.
NOT_QUESTIONS = {"book_appointment", "request_human", "stop", "affirm", "deny", "greet", "goodbye", "thank",
                 "bot_challenge", "ask_suitability"}
# "what can you do?" is classified as one of these; the reply says what the assistant can do.
CAPABILITY_INTENTS = {"out_of_scope", "nlu_fallback", "greet", "ask_what_is_microneedling", "bot_challenge"}
POINT_ONLY_INTENTS = {"nlu_fallback", "out_of_scope", "ask_suitability"}
RESPONSE_INTENT = {f"utter_faq_{intent[len('ask_'):]}": intent for intent in FAQ_INTENTS}


SERVICE_REPLY, PRP_ANSWER = "utter_service", "utter_faq_what_is_microneedling_prp"
SERVICE_LABELS = {"prp": "PRP", "botox": "Botox or other wrinkle relaxers", "fillers": "fillers",
                  "laser": "laser treatments", "chemical_peel": "chemical peels", "facial": "facials",
                  "gift_card": "gift cards", "other_service": "other treatments like that one"}


def _profile():
    from actions.clinic_profile import load_profile  # the profile's one reader
    return load_profile()


def service_reply(keys: List[str], profile, knowledge_sent: bool) -> str:
    """What the profile says about each treatment asked; for the rest, that the team can tell."""
    parts = [profile.services[k] for k in keys if profile.services.get(k)]
    missing = [k for k in keys if not profile.services.get(k) and not (k == "prp" and knowledge_sent)]
    if missing:
        labels = [SERVICE_LABELS[k] for k in missing]
        named = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
        parts.append(f"I can answer questions about microneedling, but I don't have details about {named} here, "
                     f"so I can't say whether {profile.name} offers that. The team can tell you.")
    phone = f" You can call {profile.name} at {profile.phone}, or I can ask them to contact you." if profile.phone \
        else " I can ask them to contact you."
    return " ".join(parts) + phone + " Would you like that?"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class AnswerPolicy(TrackerPolicy):
    """Priority 7, above RulePolicy; the safety policy's plan always comes first (see plan)."""

    @staticmethod
    def plan(events: List[Any], actions: set) -> Optional[List[str]]:
        return plan(events, actions)

    @staticmethod
    def events_for(events: List[Any], step: str) -> List[Any]:
        latest = safety._latest_user_index(events)
        keys = (events[latest].parse_data or {}).get("services") if latest is not None else None
        if not keys:
            return []
        text = service_reply(keys, _profile(), knowledge_sent=step == PRP_ANSWER)
        return [SlotSet("service_reply", text), SlotSet("pending_offer", "callback")]


def _topic_before(events: List[Any], latest: int) -> Optional[str]:
    """The FAQ intent the bot answered last before this message."""
    for event in reversed(events[:latest]):
        if isinstance(event, BotUttered):
            name = (event.metadata or {}).get("utter_action") or ""
            for prefix, intent in sorted(RESPONSE_INTENT.items(), key=lambda item: -len(item[0])):
                if name == prefix or name.startswith(prefix + "_"):
                    return intent
            return None
        if isinstance(event, UserUttered):
            continue
    return None


# The "Sources" reply for the answer before the button: sub-answers share their topic's sources.
SOURCES_BY_RESPONSE = (("utter_faq_what_is_microneedling_home_rollers", "utter_sources_home_rollers"),
                       ("utter_faq_what_is_microneedling_prp", "utter_sources_prp"),
                       ("utter_suitability_", "utter_sources_suitability"))


def sources_for(events: List[Any], latest: int) -> Optional[str]:
    for event in reversed(events[:latest]):
        if isinstance(event, BotUttered):
            name = (event.metadata or {}).get("utter_action") or ""
            if not name.startswith(("utter_faq_", "utter_suitability_")):
                continue  # e.g. a "Was this helpful?" after the answer
            for prefix, response in SOURCES_BY_RESPONSE:
                if name.startswith(prefix):
                    return response
            intent = _topic_before(events[:events.index(event) + 1], events.index(event) + 1)
            return f"utter_sources_{intent[len('ask_'):]}" if intent else None
    return None


def plan(events: List[Any], actions: set) -> Optional[List[str]]:
    latest = safety._latest_user_index(events)
    if latest is None or safety._loop_before(events, latest) or safety.plan(events, actions) is not None:
        return None
    user: UserUttered = events[latest]
    parse = user.parse_data or {}
    intent = safety._intent(user)
    text = user.text or ""
    answers = [(a["intent"], a.get("point")) for a in parse.get("answers") or []]
    if text.startswith("/") or (not answers and intent in FAQ_INTENTS):
        # a button ("More about downtime"), or a message without a plan: the topic's whole answer
        answers = [(intent, None)] if intent in FAQ_INTENTS else []
    before = _topic_before(events, latest)
    if text == "/ask_sources":
        response = sources_for(events, latest)
        return [response] if response in actions else None
    if parse.get("services") and SERVICE_REPLY in actions:
        # "do you do botox?": the profile's answer; PRP the profile doesn't list: what PRP is, then the offer
        return ([PRP_ANSWER] if "prp" in parse["services"] and not _profile().services.get("prp") else []) + [SERVICE_REPLY]
    if parse.get("unreadable") and intent in ("out_of_scope", "nlu_fallback"):
        return ["utter_not_understood"] if "utter_not_understood" in actions else None
    if parse.get("asks_capabilities") and not before and intent in CAPABILITY_INTENTS:
        return ["utter_capabilities"] if "utter_capabilities" in actions else None
    points = [(p["intent"], p.get("point")) for p in parse.get("answer_points") or [] if p.get("point")]
    follow_up = [pair for pair in points if pair[0] == before]
    if before and follow_up and intent not in NOT_QUESTIONS and (
            ELLIPTICAL_RE.search(text) or len(text.split()) <= 4 or intent not in FAQ_INTENTS):
        answers = follow_up[:2]  # "and the gym?" after a downtime answer: the gym point of downtime
    elif intent == "out_of_scope":
        answers = [(i, p) for i, p in answers if p and i in FAQ_INTENTS]  # a plainly microneedling point only
    elif (intent in POINT_ONLY_INTENTS or intent in ("deny", "inform")) and (
            "?" in text or QUESTION_RE.search(text) or intent == "ask_suitability"):
        # unsure, or taken for suitability or a "no", yet a point is named: the points named answer it
        answers = list(dict.fromkeys((i, p) for i, p in points if i in FAQ_INTENTS))[:2]
    elif intent not in FAQ_INTENTS:
        return None
    if not answers:
        return None
    if any(i in PROFILE_INTENTS for i, _ in answers):
        return ["action_answer"]  # it sends the whole plan, reading the profile for its part
    steps = [response_for(i, p) for i, p in answers]
    steps = [s if s in actions else response_for(i, None) for s, (i, _) in zip(steps, answers)]
    return [s for s in steps if s in actions] or None
