"""Messages in Spanish or another language (languages/): the detector, the policy's plans, and the whole
Spanish call-back through the real servers (what the visitor reads, what the staff receive)."""
import uuid

import pytest
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered

from actions import booking_store
from languages.detect import detect
from languages.policy import plan
from tests.helpers import DOMAIN

ACTIONS = set(DOMAIN["responses"]) | set(DOMAIN["actions"]) | {"callback_form", "booking_form"}


@pytest.mark.parametrize("text, code", [
    ("hola, cuánto cuesta una sesión y cuánto tiempo dura lo rojo?", "es"),
    ("quisiera saber si atienden los sabados", "es"),
    ("muchas gracias for the info, see you soon!", "en"),
    ("hola! how long is the downtime", "en"),
    ("Hernández", "en"),           # one word: the conversation's language stands
    ("Bom dia, quanto custa uma sessão de microagulhamento?", "other"),
    ("마이크로니들링 가격이 얼마예요?", "other"),
])
def test_the_language_of_a_message(text, code):
    assert detect(text).code == code


def user(text, code="en", intent="out_of_scope", spanish_words=0):
    words = len(text.split())
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text,
             "language": {"code": code, "spanish_words": spanish_words, "words": words}}
    return UserUttered(text, intent=parse["intent"], parse_data=parse)


def test_a_spanish_question_gets_the_spanish_offer():
    assert plan([user("cuánto cuesta?", "es", "ask_price", 0)], ACTIONS) == ["utter_spanish_offer"]


def test_a_spanish_request_with_details_starts_the_call_back_at_once():
    events = [user("me llamo Ana Ruiz, mi número es 404-555-0101", "es", "request_human", 3)]
    assert plan(events, ACTIONS) == ["callback_form"]


def test_yes_to_the_spanish_offer_starts_the_call_back():
    events = [user("cuánto cuesta?", "es", "ask_price"), SlotSet("visitor_language", "es"),
              SlotSet("pending_offer", "callback"), ActionExecuted("action_listen"),
              user("sí, por favor", "es", "deny")]
    assert plan(events, ACTIONS) == ["callback_form"]


def test_one_spanish_word_in_an_english_conversation_changes_nothing():
    events = [user("how long does the redness last?", "en", "ask_downtime"), ActionExecuted("action_listen"),
              user("ok cool, gracias, bye!", "es", "goodbye", 0)]
    assert plan(events, ACTIONS) is None
    events[-1] = user("perdón, mi inglés no es muy bueno, me pueden llamar?", "es", "request_human", 3)
    assert plan(events, ACTIONS) == ["callback_form"]  # a real switch to Spanish is taken


def test_another_language_gets_the_reply_in_english():
    assert plan([user("Bonjour, combien coûte une séance ?", "other")], ACTIONS) == ["utter_other_language"]


def test_inside_a_form_the_form_reads_the_answer():
    events = [ActionExecuted("callback_form"), ActiveLoop("callback_form"), ActionExecuted("action_listen"),
              user("Hernández Gómez", "es")]
    assert plan(events, ACTIONS) is None


def test_the_safety_screen_comes_first():
    emergency = user("no puedo respirar after my treatment", "es")
    emergency.parse_data["warning"] = {"level": "emergency", "signs": ["trouble breathing"]}
    assert plan([emergency], ACTIONS) is None  # the safety policy answers it


# ------------------------------------------------------------------ through the real servers
def _text(replies):
    return "\n".join(r.get("text", "") for r in replies)


@pytest.mark.server
def test_a_spanish_call_back_from_offer_to_staff(services_servers):
    servers = services_servers
    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    offer = servers.say(sender, "Hola, ¿cuánto cuesta el microneedling? ¿tienen paquetes?")
    said = _text(offer)
    assert "inglés" in said and "911" in said and "(770) 555-0100" in said  # the filled profile's phone
    assert "$" not in said, "no English price answer in the same turn"
    assert [b["title"] for b in offer[0]["buttons"]] == ["Sí, que me llamen", "No, gracias"]
    assert "A nombre de quién" in _text(servers.say(sender, "sí, por favor"))
    assert "número de teléfono" in _text(servers.say(sender, "Marisol Peña"))
    readback = _text(servers.say(sender, "mi cel es 678 555 0142"))
    assert "Marisol Peña" in readback and "(678) 555-0142" in readback and "¿La envío al equipo?" in readback
    assert booking_store.requests_for_conversation(sender, url=servers.database_url) == []
    done = _text(servers.say(sender, "sí"))
    assert "He pasado su solicitud al equipo" in done and "RR-" in done
    rows = booking_store.requests_for_conversation(sender, url=servers.database_url)
    assert [(r.kind, r.name, r.contact) for r in rows] == [("callback", "Marisol Peña", "(678) 555-0142")]
    assert "Spanish" in rows[0].note


@pytest.mark.server
def test_english_with_spanish_words_stays_english(services_servers):
    servers = services_servers
    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    servers.say(sender, "how long does the redness last after microneedling?")
    said = _text(servers.say(sender, "ok gracias amiga, and can i wear makeup the next day?"))
    assert "inglés" not in said and "makeup" in said.lower()
