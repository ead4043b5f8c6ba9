"""Language detection as a step of the Rasa server's NLU pipeline (config.yml). Every message's verdict
goes into its parse data, which Rasa stores with the message:

    "language": {"code": "es", "spanish_words": 3, "words": 9}

The dialogue policy (languages/policy.py) answers by it.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from languages.detect import detect, warm_up
from rasa_extensions.graph_steps import SpacyStep

LANGUAGE = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False,
                          model_from="SpacyNLP")
class LanguageDetector(SpacyStep):
    def __init__(self) -> None:
        warm_up()  # the models load at start-up, not on the first visitor's message

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        for message in messages:
            message.set(LANGUAGE, detect(message.get(TEXT) or "").as_dict(), add_to_output=True)
        return messages
