"""The safety policy's plans (safety/policy.py) on tracker events: what the Rasa server sends, in order."""
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered

from safety.policy import plan
from tests.helpers import DOMAIN

ACTIONS = set(DOMAIN["responses"]) | set(DOMAIN["actions"]) | {"callback_form", "booking_form"}


def user(text, intent="ask_downtime", warning=None, medical=None):
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text,
             "intent_ranking": [{"name": intent, "confidence": 0.9}]}
    if warning:
        parse["warning"] = {"level": warning, "signs": ["pus"]}
    if medical:
        parse["medical"] = medical
    return UserUttered(text, intent=parse["intent"], parse_data=parse)


def test_an_emergency_is_answered_first_and_pauses_the_form():
    events = [ActionExecuted("booking_form"), ActiveLoop("booking_form"), ActionExecuted("action_listen"),
              user("my throat is closing", "inform", "emergency")]
    assert plan(events, ACTIONS) == ["utter_warning_emergency", "action_deactivate_loop", "utter_request_paused",
                                     "action_warning_followup"]


def test_an_urgent_call_back_request_takes_the_call_back_after_the_advice():
    events = [user("can someone call me, my face is blistering", "request_human", "urgent")]
    assert plan(events, ACTIONS) == ["utter_warning_urgent", "action_warning_followup", "callback_form"]


def test_after_a_warning_treatment_questions_get_the_boundary_until_the_topic_changes():
    warned = [user("there is pus", warning="urgent"), ActionExecuted("utter_warning_urgent"),
              ActionExecuted("action_listen")]
    assert plan(warned + [user("should i put a cream on it?", "ask_product_absorption")], ACTIONS) == \
        ["utter_cannot_advise_treatment"]
    assert plan(warned + [user("how much is a session?", "ask_price")], ACTIONS) is None
    moved_on = warned + [user("how much is a session?", "ask_price"), ActionExecuted("action_listen")]
    assert plan(moved_on + [user("and how long is the redness?", "ask_downtime")], ACTIONS) is None


def test_yes_to_the_call_back_offer_is_not_held():
    events = [user("there is pus", warning="urgent"), SlotSet("pending_offer", "callback"),
              ActionExecuted("action_listen"), user("yes please", "affirm")]
    assert plan(events, ACTIONS) is None  # the rules start the call-back form


def test_medical_questions_get_their_boundary_and_the_condition():
    events = [user("can i stop my eliquis before?", "ask_suitability",
                   medical={"topic": "medication", "conditions": ["blood_thinners"]})]
    assert plan(events, ACTIONS) == ["utter_medication_boundary", "utter_suitability_blood_thinners"]


def test_suitability_leads_with_the_condition_and_follow_ups_keep_to_it():
    first = [user("im pregnant, can i?", "ask_suitability", medical={"conditions": ["pregnancy"]})]
    assert plan(first, ACTIONS) == ["utter_suitability_pregnancy"]
    follow = first + [BotUttered("...", metadata={"utter_action": "utter_suitability_pregnancy"}),
                      ActionExecuted("action_listen"),
                      user("same if im breastfeeding?", "ask_downtime", medical={"conditions": ["breastfeeding"]})]
    assert plan(follow, ACTIONS) == ["utter_suitability_breastfeeding"]
    assert plan([user("am i a candidate?", "ask_suitability")], ACTIONS) == ["utter_faq_suitability"]


def test_nothing_to_say_leaves_it_to_the_rules():
    assert plan([user("does it hurt?", "ask_pain")], ACTIONS) is None
    assert plan([user("/ask_pain", "ask_pain", warning="urgent")], ACTIONS) is None  # a button is not typed text
