"""The answer points (answers/points.py, answers/policy.py): which point a message asks, what the Rasa
server sends for it, in order, and the floor on the blind sub-point corpus (tests/answers/)."""
import pytest
import spacy
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, UserUttered

from answers.points import PointFinder, choose
from answers.policy import plan
from scripts.answers_score import FLOOR, score
from tests.helpers import DOMAIN, ROOT

ACTIONS = set(DOMAIN["responses"]) | set(DOMAIN["actions"]) | {"callback_form", "booking_form"}


@pytest.fixture(scope="module")
def finder():
    return PointFinder(spacy.load(str(ROOT / "build" / "spacy" / "en_clinic")))


@pytest.mark.parametrize("text, intent, wanted", [
    ("when can i wear makeup again?", "ask_downtime", [("ask_downtime", "makeup")]),
    ("Can I go to the GYM the day after?", "ask_downtime", [("ask_downtime", "exercise")]),
    ("how long does the redness usually last?", "ask_sessions_results", [("ask_downtime", "redness")]),
    ("when can i go back to my vitamin c serum? and my tretinoin too", "ask_product_absorption",
     [("ask_product_absorption", "vitamin_c"), ("ask_product_absorption", "retinoids")]),
    ("is it painful, and how long am I red after?", "ask_pain", [("ask_pain", None), ("ask_downtime", "redness")]),
    ("will it help ice-pick scars", "ask_texture_scars", [("ask_texture_scars", "icepick")]),
    ("whats the phone number", "ask_location_hours", [("ask_location_hours", None)]),   # "number" is not numbing
    ("how does it even work", "ask_what_is_microneedling", [("ask_what_is_microneedling", "how_it_works")]),
])
def test_the_point_asked_is_answered_first(finder, text, intent, wanted):
    assert choose(finder.find(text), intent) == wanted


def test_a_button_payload_names_no_point(finder):
    assert finder.find("/ask_downtime") == []


def test_the_point_floor_on_the_blind_development_corpus():
    assert score(["development.yml"]) >= FLOOR


def user(text, intent, answers=(), points=None, ranking=None):
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text,
             "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
             "answers": [{"intent": i, "point": p} for i, p in answers],
             "answer_points": [{"intent": i, "point": p} for i, p in (points or answers)]}
    return UserUttered(text, intent=parse["intent"], parse_data=parse)


def test_the_rasa_server_sends_each_point_in_order():
    events = [user("is it painful, and how long am I red after?", "ask_pain",
                   [("ask_pain", None), ("ask_downtime", "redness")])]
    assert plan(events, ACTIONS) == ["utter_faq_pain", "utter_faq_downtime_redness"]


def test_a_button_gets_the_topics_whole_answer():
    assert plan([user("/ask_downtime", "ask_downtime")], ACTIONS) == ["utter_faq_downtime"]


def test_an_elliptical_follow_up_keeps_to_the_topic_before():
    before = [user("when can i wear makeup?", "ask_downtime", [("ask_downtime", "makeup")]),
              ActionExecuted("utter_faq_downtime_makeup"),
              BotUttered("Makeup usually…", metadata={"utter_action": "utter_faq_downtime_makeup"}),
              ActionExecuted("action_listen")]
    follow = user("and the gym?", "nlu_fallback", [], points=[("ask_downtime", "exercise")])
    assert plan(before + [follow], ACTIONS) == ["utter_faq_downtime_exercise"]


def test_price_in_the_plan_goes_to_the_action_server_which_reads_the_profile():
    events = [user("how much is it and does it hurt?", "ask_price", [("ask_price", None), ("ask_pain", None)])]
    assert plan(events, ACTIONS) == ["action_answer"]


def test_it_leaves_warnings_forms_and_other_intents_alone():
    warned = user("there is pus, can i wear makeup?", "ask_downtime", [("ask_downtime", "makeup")])
    warned.parse_data["warning"] = {"level": "urgent", "signs": ["pus"]}
    assert plan([warned], ACTIONS) is None
    in_form = [ActionExecuted("booking_form"), ActiveLoop("booking_form"), ActionExecuted("action_listen"),
               user("can i wear makeup after?", "ask_downtime", [("ask_downtime", "makeup")])]
    assert plan(in_form, ACTIONS) is None  # the form's rule answers through action_answer
    assert plan([user("book me for friday, can i work after?", "book_appointment",
                      [("ask_downtime", "work")])], ACTIONS) is None


# ------------------------------------------------------------------ the "Sources" button
def _answered(response):
    from rasa.shared.core.events import ActionExecuted, BotUttered
    return [BotUttered("…", metadata={"utter_action": response}), ActionExecuted("action_listen")]


@pytest.mark.parametrize("answer, sources", [
    ("utter_faq_downtime_makeup", "utter_sources_downtime"),
    ("utter_faq_downtime", "utter_sources_downtime"),
    ("utter_faq_what_is_microneedling_prp", "utter_sources_prp"),
    ("utter_faq_what_is_microneedling_home_rollers", "utter_sources_home_rollers"),
    ("utter_suitability_pregnancy", "utter_sources_suitability"),
    ("utter_faq_texture_scars_icepick", "utter_sources_texture_scars"),
])
def test_sources_name_where_the_answer_before_comes_from(answer, sources):
    from rasa.shared.core.events import UserUttered
    from answers.policy import plan
    from tests.helpers import DOMAIN
    actions = set(DOMAIN["responses"]) | set(DOMAIN["actions"])
    button = UserUttered("/ask_sources", intent={"name": "ask_sources", "confidence": 1.0},
                         parse_data={"intent": {"name": "ask_sources", "confidence": 1.0}, "text": "/ask_sources"})
    assert plan(_answered(answer) + [button], actions) == [sources]


def test_every_medical_answer_offers_its_sources():
    from answers.policy import RESPONSE_INTENT
    from tests.helpers import DOMAIN
    medical = [name for name in DOMAIN["responses"] if name.startswith(("utter_faq_", "utter_suitability_"))]
    missing = [name for name in medical
               if {"title": "Sources", "payload": "/ask_sources"} not in DOMAIN["responses"][name][0].get("buttons", [])]
    assert medical and missing == []
    topics = {f"utter_sources_{intent[len('ask_'):]}" for intent in RESPONSE_INTENT.values()} - {
        "utter_sources_price", "utter_sources_location_hours"}
    assert topics <= set(DOMAIN["responses"])
