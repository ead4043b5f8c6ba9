"""Bases for the project's own Rasa graph steps, which learn nothing from the training data: an NLU step
that works on the spaCy pipeline (safety/component.py, answers/component.py) and a dialogue policy that
predicts from the tracker alone (safety/policy.py, answers/policy.py)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple, Type

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


class SpacyStep(GraphComponent):
    """An NLU pipeline step that reads the spaCy pipeline's model and has nothing to train."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> GraphComponent:
        return cls()


class TrackerPolicy(Policy):
    """A policy with nothing to train. `plan(events, actions)` lists the actions that answer the latest
    message (None: abstain); the policy predicts them in turn, then `when_done(events, steps)`."""

    no_user_prediction = False  # True: counts as a "no user" prediction, ranked above a form's happy path

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 7}  # RulePolicy's is 6

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, featurizer=None) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "TrackerPolicy":
        return cls(config, model_storage, resource, execution_context)

    @staticmethod
    def plan(events: List[Any], actions: set) -> Optional[List[str]]:
        raise NotImplementedError

    @staticmethod
    def when_done(events: List[Any], steps: List[str]) -> Optional[str]:
        return ACTION_LISTEN_NAME

    @staticmethod
    def events_for(events: List[Any], step: str) -> List[Any]:
        """Events to apply with the plan's first step (slots its response fills from the profile)."""
        return []

    def next_action(self, tracker: DialogueStateTracker, actions: set) -> Tuple[Optional[str], List[Any]]:
        events = list(tracker.applied_events())
        steps = self.plan(events, actions)
        if steps is None:
            return None, []
        step = next_in_plan(events, steps)
        if step is None:
            return None, []  # something else answered this message
        if step and not actions_since_message(events):
            return step, self.events_for(events, step)
        return step or self.when_done(events, steps), []

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        action, events = self.next_action(tracker, set(domain.action_names_or_texts))
        if action is None:
            return self._prediction(self._default_predictions(domain))
        return self._prediction(confidence_scores_for(action, 1.0, domain),
                                is_no_user_prediction=self.no_user_prediction, events=events or None)


def actions_since_message(events: List[Any]) -> Optional[List[str]]:
    """The actions run since the latest visitor message (None when there is none)."""
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            return [e.action_name for e in events[index + 1:] if isinstance(e, ActionExecuted)
                    and e.action_name != ACTION_LISTEN_NAME]
    return None


def next_in_plan(events: List[Any], steps: List[str]) -> Optional[str]:
    """The plan's next action for the latest message; "" when it has all run; None when something else
    answered the message."""
    done = actions_since_message(events) or []
    if done[:len(steps)] != steps[:len(done)]:
        return None
    return steps[len(done)] if len(done) < len(steps) else ""
