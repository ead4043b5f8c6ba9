"""The warning-sign screen as a step of the Rasa server's NLU pipeline (config.yml, after the intent
classifier). Every message's verdict goes into its parse data, which Rasa stores with the message:

    "warning": {"level": "urgent", "signs": ["pus", "fever or chills"]}        (absent when none)
    "medical": {"topic": "medication", "conditions": ["pregnancy"], "treating": false}

The dialogue policy (safety/policy.py) answers by it; the staff console reads it from the events.
"""
from __future__ import annotations

from typing import List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_extensions.graph_steps import SpacyStep
from safety.screen import Screen

WARNING, MEDICAL = "warning", "medical"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False,
                          model_from="SpacyNLP")
class WarningSignScreen(SpacyStep):
    def __init__(self) -> None:
        self._screen: Optional[Screen] = None

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        if self._screen is None or self._screen.nlp is not model.model:
            self._screen = Screen(model.model)
        for message in messages:
            verdict = self._screen.screen(message.get(TEXT) or "")
            if verdict.warning():
                message.set(WARNING, verdict.warning(), add_to_output=True)
            if verdict.medical_data():
                message.set(MEDICAL, verdict.medical_data(), add_to_output=True)
        return messages
