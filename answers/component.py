"""The answer points as a step of the Rasa server's NLU pipeline (config.yml, after the intent classifier
and the warning-sign screen). Each message's plan goes into its parse data, stored with the message:

    "answers": [{"intent": "ask_pain", "point": "feeling", "response": "utter_faq_pain_feeling"},
                {"intent": "ask_downtime", "point": "redness", "response": "utter_faq_downtime_redness"}]

    "services": ["botox", "fillers"]      (absent when the message asks about no other treatment)

The dialogue policy (answers/policy.py) sends those responses; inside a form, action_answer does; the staff
console shows every intent answered.
"""
from __future__ import annotations

from typing import List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from answers.points import CAPABILITIES_RE, DISTINCTIVE, PointFinder, choose, common_words, response_for, unreadable
from answers.services import services_asked
from rasa_extensions.graph_steps import SpacyStep

ANSWERS, SERVICES = "answers", "services"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False,
                          model_from="SpacyNLP")
class AnswerPoints(SpacyStep):
    def __init__(self) -> None:
        self._finder: Optional[PointFinder] = None  # needs the spaCy model, which comes with the first message
        common_words()  # read when the model loads, not at a visitor's first message

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        if self._finder is None or self._finder.nlp is not model.model:
            self._finder = PointFinder(model.model)
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name") or ""
            found = self._finder.find(message.get(TEXT) or "")
            message.set("answer_points", [{"intent": p.intent, "point": p.point} for p in found], add_to_output=True)
            if intent == "out_of_scope":  # only a point that is plainly about microneedling overrides the classifier
                distinctive = [p for p in found if (p.intent, p.point) in DISTINCTIVE]
                intent, found = (distinctive[0].intent, found) if distinctive else (intent, [])
            message.set(ANSWERS, [{"intent": i, "point": p, "response": response_for(i, p)}
                                  for i, p in choose(found, intent) if i.startswith("ask_")], add_to_output=True)
            services = services_asked(message.get(TEXT) or "")
            if services:  # "do y'all do botox?": answered from the profile's services (answers/policy.py)
                message.set(SERVICES, services, add_to_output=True)
            if CAPABILITIES_RE.search(message.get(TEXT) or ""):
                message.set("asks_capabilities", True, add_to_output=True)
            if not found and unreadable(message.get(TEXT) or ""):
                message.set("unreadable", True, add_to_output=True)
        return messages
