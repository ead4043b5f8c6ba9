"""The warning-sign screen as a step of the Rasa server's NLU pipeline (config.yml, after the intent
classifier). Every message's verdict goes into its parse data, which Rasa stores with the message:

    "warning": {"level": "urgent", "signs": ["pus", "fever or chills"]}        (absent when none;
                                                                                "language": "es" when read in Spanish: safety/spanish.py)
    "medical": {"topic": "medication", "conditions": ["pregnancy"], "treating": false}

The dialogue policy (safety/policy.py) answers by it; the staff console reads it from the events.
"""
from __future__ import annotations

from typing import List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from languages.detect import SPANISH_MARKS
from rasa_extensions.graph_steps import SpacyStep
from safety import spanish
from safety.screen import Screen

WARNING, MEDICAL = "warning", "medical"


def _spanish(message: Message) -> bool:
    """Written in Spanish, or with Spanish words in it (languages/component.py runs first)."""
    language = message.get("language") or {}
    return language.get("code") == "es" or bool(language.get("spanish_words")) or bool(
        SPANISH_MARKS.search(message.get(TEXT) or ""))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False,
                          model_from="SpacyNLP")
class WarningSignScreen(SpacyStep):
    def __init__(self) -> None:
        self._screen: Optional[Screen] = None

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        if self._screen is None or self._screen.nlp is not model.model:
            self._screen = Screen(model.model)
        for message in messages:
            text = message.get(TEXT) or ""
            verdict = self._screen.screen(text)
            if verdict.warning():
                spanish_text = (message.get("language") or {}).get("code") == "es"
                # found by the English patterns in a Spanish message: answered in Spanish all the same
                message.set(WARNING, {**verdict.warning(), **({"language": "es"} if spanish_text else {})},
                            add_to_output=True)
            elif _spanish(message):
                level, signs = spanish.screen(text)
                if level:  # the policy answers in Spanish
                    message.set(WARNING, {"level": level, "signs": signs, "language": "es"}, add_to_output=True)
            if verdict.medical_data():
                message.set(MEDICAL, verdict.medical_data(), add_to_output=True)
        return messages
