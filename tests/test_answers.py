"""action_answer, action_clarify: answers, clinic facts, safety screening (tracker fixtures)."""
import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswer, ActionClarify, FAQ_INTENTS
from actions.warning_followup import ActionWarningFollowup
from tests.helpers import DOMAIN, ROOT, make_tracker, slot_events, texts


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


def _warning_tracker(level="urgent", slots=None):
    tracker = make_tracker("my face has pus and i have a fever", "ask_downtime", slots=slots)
    tracker.latest_message["warning"] = {"level": level, "signs": ["pus", "fever or chills"]}
    return tracker


def test_after_an_urgent_sign_the_clinics_phone_and_an_urgent_call_back_are_offered(fixture_profile):
    dispatcher, events = run(ActionWarningFollowup(), _warning_tracker())
    assert dispatcher.messages == [{**dispatcher.messages[0], "response": "utter_warning_contact_offer_with_phone",
                                    "clinic_phone": "(770) 555-0100"}]
    assert slot_events(events) == {"staff_alerted": True, "pending_offer": "callback"}


def test_without_a_phone_in_the_profile_only_the_call_back_is_offered(shipped_profile):
    dispatcher, _ = run(ActionWarningFollowup(), _warning_tracker())
    assert [m["response"] for m in dispatcher.messages] == ["utter_warning_contact_offer"]


def test_a_broken_profile_costs_the_phone_not_the_offer(monkeypatch, caplog):
    monkeypatch.setenv("CLINIC_PROFILE", str(ROOT / "tests" / "fixtures" / "clinic_profile_broken.yml"))
    dispatcher, _ = run(ActionWarningFollowup(), _warning_tracker())
    assert [m["response"] for m in dispatcher.messages] == ["utter_warning_contact_offer"]
    assert "hours.monday" in caplog.text


def test_an_emergency_gets_no_offer_from_here(shipped_profile):
    dispatcher, events = run(ActionWarningFollowup(), _warning_tracker("emergency"))
    assert dispatcher.messages == [] and slot_events(events) == {"staff_alerted": True}


def test_faq_answers_survive_a_broken_profile(monkeypatch):
    monkeypatch.setenv("CLINIC_PROFILE", str(ROOT / "tests" / "fixtures" / "clinic_profile_broken.yml"))
    dispatcher, _ = run(ActionAnswer(), make_tracker("does it hurt", "ask_pain"))
    assert dispatcher.messages[0]["response"] == "utter_faq_pain"
    dispatcher, _ = run(ActionAnswer(), make_tracker("how much is it", "ask_price"))
    assert "I don't have the clinic's current prices" in texts(dispatcher)  # no fact, no name, no guess


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


def test_financing_the_profile_does_not_mention_is_never_guessed(fixture_profile):
    dispatcher, _ = run(ActionAnswer(), make_tracker("do u do financing like carecredit?", "ask_price"))
    said = texts(dispatcher)
    assert said.startswith("I don't have details of") and "financing" in said and "team" in said
    assert "$250" in said  # the price the profile does set still comes


def test_a_visitor_who_could_not_get_through_is_offered_a_call_back(fixture_profile):
    dispatcher, events = run(ActionAnswer(), make_tracker("WHY DOES NOBODY ANSWER THE PHONE. HOW MUCH IS IT", "ask_price"))
    assert "$250" in texts(dispatcher) and "call you back" in texts(dispatcher)
    assert slot_events(events)["pending_offer"] == "callback"  # so "yes" starts the call-back form
