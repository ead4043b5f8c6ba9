"""Warning signs written in Spanish (safety/spanish.py): the screen, the policy's Spanish replies, and
911 first through the real servers."""
import uuid

import pytest
from rasa.shared.core.events import UserUttered

from safety.policy import plan
from safety.spanish import screen
from tests.helpers import DOMAIN

ACTIONS = set(DOMAIN["responses"]) | set(DOMAIN["actions"]) | {"callback_form", "booking_form"}


@pytest.mark.parametrize("text, level", [
    ("me cuesta respirar y tengo los labios hinchados", "emergency"),
    ("Se me está cerrando la garganta!!", "emergency"),
    ("me desmayé hace rato en el baño", "emergency"),
    ("tengo granitos con pus desde ayer y calentura", "urgent"),
    ("me salieron ampollas en la frente, 4 días después", "urgent"),
    ("lo rojo se está regando hacia el cuello", "urgent"),
    ("no tengo fiebre ni pus, solo la cara roja", None),
    ("¿el microneedling puede causar infección?", None),
    ("a mi cuñada le dio una infección en otro spa, me da miedo", None),
    ("¿cuánto cuesta y duele mucho?", None),
    ("no veo resultados todavía", None),
])
def test_the_spanish_screen(text, level):
    assert screen(text)[0] == level


def _user(text, level):
    parse = {"intent": {"name": "out_of_scope", "confidence": 0.5}, "text": text,
             "warning": {"level": level, "signs": ["x"], "language": "es"}}
    return UserUttered(text, intent=parse["intent"], parse_data=parse)


def test_a_spanish_warning_is_answered_in_spanish():
    assert plan([_user("no puedo respirar", "emergency")], ACTIONS)[0] == "utter_warning_emergency_es"
    assert plan([_user("me sale pus", "urgent")], ACTIONS)[0] == "utter_warning_urgent_es"
    assert DOMAIN["responses"]["utter_warning_emergency_es"][0]["text"].startswith("Llame al 911")


@pytest.mark.server
def test_a_spanish_emergency_gets_911_first(services_servers):
    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    replies = services_servers.say(sender, "ayuda, despues del microneedling se me hincho la boca y me cuesta respirar")
    assert replies[0]["text"].startswith("Llame al 911")
    assert "inglés" not in replies[0]["text"], "the emergency comes before the language reply"


@pytest.mark.server
def test_an_english_herpes_question_is_not_read_as_spanish(services_servers):
    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    replies = services_servers.say(sender, "can I get microneedling if I have herpes?")
    assert "911" not in replies[0]["text"] and "today" not in replies[0]["text"]
