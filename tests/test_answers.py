"""action_answer, action_clarify: answers, clinic facts, safety screening (tracker fixtures)."""
import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswer, ActionClarify, FAQ_INTENTS
from actions.safety import red_flags
from tests.helpers import DOMAIN, make_tracker, slot_events, texts


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher, events


@pytest.mark.parametrize("intent", [i for i in FAQ_INTENTS if i not in ("ask_price", "ask_location_hours")])
def test_each_faq_intent_has_its_own_answer_in_the_domain(intent, shipped_profile):
    dispatcher, _ = run(ActionAnswer(), make_tracker("question", intent))
    response = dispatcher.messages[0]["response"]
    assert response == f"utter_faq_{intent[4:]}"
    answer = DOMAIN["responses"][response][0]
    assert len(answer["text"]) > 150 and answer["buttons"], "answer with follow-up buttons"


def test_price_not_in_profile_is_not_invented(shipped_profile):
    dispatcher, events = run(ActionAnswer(), make_tracker("how much is it", "ask_price"))
    said = texts(dispatcher)
    assert "don't have" in said and "$" not in said
    assert slot_events(events)["pending_offer"] == "callback"
    assert any(b["payload"] == "/request_human" for b in dispatcher.messages[0]["buttons"])


def test_price_from_profile(fixture_profile):
    dispatcher, events = run(ActionAnswer(), make_tracker("how much is it", "ask_price"))
    said = texts(dispatcher)
    assert "$250 per session" in said and "3 sessions for $675" in said
    assert slot_events(events)["pending_offer"] is None


def test_location_not_in_profile_says_so(shipped_profile):
    dispatcher, _ = run(ActionAnswer(), make_tracker("where are you and when are you open", "ask_location_hours"))
    said = texts(dispatcher)
    assert "Roswell, GA" in said
    assert "don't have the street address, the opening hours or a phone number" in said
    assert not any(ch.isdigit() for ch in said.replace("GA", "")), "no invented numbers"


def test_location_from_profile(fixture_profile):
    dispatcher, _ = run(ActionAnswer(), make_tracker("address?", "ask_location_hours"))
    said = texts(dispatcher)
    assert "100 Test Street" in said and "Sunday: closed" in said and "(770) 555-0100" in said
    assert "don't have" not in said


@pytest.mark.parametrize("text", [
    "it's been 4 days since my microneedling and the swelling is getting worse",
    "I have pus on my cheek and a fever after my treatment",
    "there are blisters on my face since yesterday",
    "the redness is spreading, it's day 3 now",
])
def test_post_treatment_warning_signs_are_never_called_normal(text, fixture_profile):
    dispatcher, events = run(ActionAnswer(), make_tracker(text, "ask_downtime"))
    said = texts(dispatcher)
    assert "not something to wait out as normal downtime" in said
    assert "provider who treated you, or a doctor" in said and "911" in said
    assert "(770) 555-0100" in said
    assert "utter_faq_downtime" not in said


def test_warning_signs_without_a_phone_number_offer_contact(shipped_profile):
    dispatcher, _ = run(ActionAnswer(), make_tracker("my face has pus and I have a fever", "ask_suitability"))
    said = texts(dispatcher)
    assert "I don't have R & R Aesthetics's phone number to hand, but I can ask the team to contact you" in said
    assert not any(ch.isdigit() for ch in said.replace("911", "")), "no invented phone number"
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_human"


@pytest.mark.parametrize("text", ["will I get blisters?", "can it cause an infection?", "how long is the swelling"])
def test_questions_about_risks_get_the_normal_answer(text):
    assert red_flags(text) == []


def test_out_of_scope_is_declined_and_steered_back(shipped_profile):
    dispatcher, _ = run(ActionAnswer(), make_tracker("what's the weather in roswell", "out_of_scope"))
    assert dispatcher.messages[0]["response"] == "utter_out_of_scope"


def test_clarify_offers_the_likeliest_topics(shipped_profile):
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "ask_pain", "confidence": 0.4},
               {"name": "ask_downtime", "confidence": 0.3}, {"name": "greet", "confidence": 0.1}]
    dispatcher, _ = run(ActionClarify(), make_tracker("ouchie??", "nlu_fallback", ranking=ranking))
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ["/ask_pain", "/ask_downtime", "/request_human"]


def test_second_fallback_in_a_row_offers_a_person(shipped_profile):
    earlier = [{"event": "user", "text": "blorp", "parse_data": {"intent": {"name": "nlu_fallback"}}},
               {"event": "action", "name": "action_clarify"}]
    dispatcher, events = run(ActionClarify(), make_tracker("zzz", "nlu_fallback", events=earlier))
    assert "person from the team" in texts(dispatcher)
    assert slot_events(events)["pending_offer"] == "callback"


def test_action_server_registers_every_domain_action():
    """What `rasa run actions` does at start-up: import the package and register the actions."""
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    custom = [a for a in DOMAIN["actions"]]
    assert sorted(set(custom) - set(executor.actions)) == []
