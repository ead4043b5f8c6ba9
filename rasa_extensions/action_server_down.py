"""What the visitor hears when the action server can't be reached, from the Rasa server itself.

Rasa runs a custom action over HTTP; when the call fails, it logs the error ("Encountered an exception
while running action …", rasa.core.processor), records the action as run with no events at all and
carries on, so the visitor would get silence (a form would even be run again and again). That log
record is the one sign of the failure Rasa gives (an action may rightly return nothing), so a logging
filter notes the action's name for the message being handled (a context variable: each message is
handled in its own task), and this policy acts when the action just run is that one. Then:

- a booking or call-back step: the request can't be sent right now; the details stay in the
  conversation (the slots are untouched), the phone is given when the profile sets one, and a
  "Try again" button (a "yes") tries again: a form that failed starts again and reads back what it
  has, a submit that failed is run again. The form stops meanwhile, so a question is answered by
  the Rasa server. A request is stored once, however often it is tried (booking_store).
- anything else: it can't be looked up right now, with the phone.

The clinic phone comes from the profile's one reader (actions/clinic_profile.py), which keeps the last
good profile serving, so a broken profile costs the phone, never the reply.
"""
from __future__ import annotations

import contextvars
import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import PolicyPrediction, confidence_scores_for
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.graph_steps import TrackerPolicy

REQUEST_NOT_SENT = "utter_request_not_sent"
LOOKUP_UNAVAILABLE = "utter_action_unavailable"
# Its failure is not announced: the warning-sign advice before it has been given, from the Rasa server.
NOT_ANNOUNCED = {"action_warning_followup"}
REQUEST_STEPS = ("booking_form", "callback_form", "action_submit_booking", "action_submit_callback",
                 "action_start_request", "action_cancel_request", "validate_booking_form", "validate_callback_form")
RETRIED_ON_YES = ("action_submit_booking", "action_submit_callback")  # and the forms


_FAILED = contextvars.ContextVar("action_that_failed", default=None)
_FAILURE_LOG = re.compile(r"^Encountered an exception while running action '([^']+)'")


class _NoteFailedActions(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        found = _FAILURE_LOG.match(str(record.msg))
        if found:
            _FAILED.set(found.group(1))
        return True  # the record is logged as before


logging.getLogger("rasa.core.processor").addFilter(_NoteFailedActions())


def failed_action(events: List[Any], custom_actions: set) -> Optional[str]:
    """The custom action that was just run and failed (None when there is none)."""
    if not events or not isinstance(events[-1], ActionExecuted):
        return None
    name = events[-1].action_name
    if name not in custom_actions or _FAILED.get() != name:
        return None
    _FAILED.set(None)
    return None if name in NOT_ANNOUNCED else name


def contact_line() -> str:
    from actions.clinic_profile import load_profile  # the profile's one reader
    profile = load_profile()
    return f" You can also call {profile.name} at {profile.phone}." if profile.phone else ""


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class ActionServerDownPolicy(TrackerPolicy):
    no_user_prediction = True  # outranks a form's happy path, which would run the failing form again

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 8}  # acts only right after a failed action, so it may outrank the others

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        events = list(tracker.events)
        custom = {a for a in domain.user_actions if not a.startswith("utter_")} | set(domain.form_names)
        failed = failed_action(events, custom)
        if failed:
            reply = REQUEST_NOT_SENT if failed.startswith(REQUEST_STEPS) or failed.startswith("action_ask_") \
                else LOOKUP_UNAVAILABLE
            events = [SlotSet("clinic_contact", contact_line()), SlotSet("unsent_action", None)]
            if failed in domain.form_names:
                # The form stops (so the next question is answered, not fed to a form that can't run);
                # a "yes" starts it again, and it reads back what it already has.
                events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), SlotSet("unsent_action", failed)]
            elif failed in RETRIED_ON_YES:
                events.append(SlotSet("unsent_action", failed))
            return self._predict(reply, domain, events)
        if self._just_said_sorry(events):
            return self._predict(ACTION_LISTEN_NAME, domain)
        retry = tracker.get_slot("unsent_action")
        latest = tracker.latest_message
        if retry and isinstance(events[-1], UserUttered) and latest and latest.intent.get("name") == "affirm":
            return self._predict(retry, domain, [SlotSet("unsent_action", None)])
        return self._prediction(self._default_predictions(domain))

    @staticmethod
    def _just_said_sorry(events: List[Any]) -> bool:
        for event in reversed(events):
            if isinstance(event, (BotUttered, SlotSet, ActiveLoop)):
                continue
            return isinstance(event, ActionExecuted) and event.action_name in (REQUEST_NOT_SENT, LOOKUP_UNAVAILABLE)
        return False

    def _predict(self, action: str, domain: Domain, events: Optional[list] = None) -> PolicyPrediction:
        return self._prediction(confidence_scores_for(action, 1.0, domain), events=events,
                                is_no_user_prediction=True)
