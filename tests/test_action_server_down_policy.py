"""The action-server-down policy on trackers (rasa_extensions/action_server_down.py): what the Rasa
server does after a custom action came back with nothing; the real-server test is
tests/test_action_server_down.py."""
import logging

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.action_server_down import ActionServerDownPolicy
from tests.helpers import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def policy(tmp_path, fixture_profile):
    return ActionServerDownPolicy(ActionServerDownPolicy.get_default_config(), LocalModelStorage(tmp_path),
                                  Resource("down"), ExecutionContext(GraphSchema({})))


def predict(policy, events):
    tracker = DialogueStateTracker.from_events("visitor", events, slots=DOMAIN.slots)
    prediction = policy.predict_action_probabilities(tracker, DOMAIN)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    if prediction.probabilities[best] == 0:
        return None, []
    return DOMAIN.action_names_or_texts[best], prediction.events


def ran(name):
    """An action as the Rasa server logs it when it was run."""
    return ActionExecuted(name, policy="RulePolicy", confidence=1.0)


def failed(name):
    """An action whose call failed: Rasa logs the exception, then records the action with no events."""
    try:
        raise ConnectionError("Cannot connect to host 127.0.0.1:5055")
    except ConnectionError:
        logging.getLogger("rasa.core.processor").exception(
            f"Encountered an exception while running action '{name}'.Bot will continue, but the actions events are lost.")
    return ran(name)


def user(text, intent):
    return UserUttered(text, {"name": intent, "confidence": 1.0})


def test_a_submit_that_came_back_empty_is_told_and_run_again_on_yes(policy):
    events = [ActionExecuted("action_listen"), user("yes", "affirm"), failed("action_submit_booking")]
    action, set_now = predict(policy, events)
    assert action == "utter_request_not_sent"
    assert SlotSet("unsent_action", "action_submit_booking") in set_now
    assert SlotSet("clinic_contact", " You can also call R & R Aesthetics at (770) 555-0100.") in set_now
    events += set_now + [ActionExecuted("utter_request_not_sent"), BotUttered("Sorry…")]
    assert predict(policy, events)[0] == "action_listen"
    events += [ActionExecuted("action_listen"), user("/affirm", "affirm")]
    action, set_now = predict(policy, events)
    assert action == "action_submit_booking" and SlotSet("unsent_action", None) in set_now


def test_a_form_that_failed_stops_until_yes_starts_it_again(policy):
    events = [ActionExecuted("action_listen"), user("Maria Diaz", "inform"), failed("booking_form")]
    action, set_now = predict(policy, events)
    assert action == "utter_request_not_sent"
    assert ActiveLoop(None) in set_now and SlotSet("unsent_action", "booking_form") in set_now
    events += set_now + [ActionExecuted("utter_request_not_sent"), BotUttered("Sorry…"), ActionExecuted("action_listen"),
                         user("does it hurt?", "ask_pain")]
    assert predict(policy, events)[0] is None, "a question is left to the answers"


def test_a_lookup_that_came_back_empty_says_so_with_the_phone(policy):
    events = [ActionExecuted("action_listen"), user("how much is it?", "ask_price"), failed("action_answer")]
    action, set_now = predict(policy, events)
    assert action == "utter_action_unavailable" and SlotSet("unsent_action", None) in set_now


def test_actions_that_worked_and_the_staff_alert_are_left_alone(policy):
    worked = [ActionExecuted("action_listen"), user("how much?", "ask_price"), ran("action_answer"),
              BotUttered("$250")]
    assert predict(policy, worked)[0] is None
    alert = [ActionExecuted("action_listen"), user("my face is oozing", "ask_downtime"),
             ran("utter_warning_urgent"), BotUttered("…"), failed("action_warning_followup")]
    assert predict(policy, alert)[0] is None
    reply = [ActionExecuted("action_listen"), user("hi", "greet"), ran("utter_greet")]
    assert predict(policy, reply)[0] is None
    silent = [ActionExecuted("action_listen"), user("call me", "request_callback"), ran("action_start_request")]
    assert predict(policy, silent)[0] is None, "an action may rightly return nothing (and `rasa test` runs none)"
