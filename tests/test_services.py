"""Other treatments (answers/services.py, answers/policy.py, the profile's `services`): a question about
whether the clinic offers one is answered from the profile, or with "I don't have that" and the contact
offer; never guessed. Through the real servers with a profile that lists some."""
import uuid

import pytest
import yaml
from rasa.shared.core.events import UserUttered

from actions.clinic_profile import ClinicProfile, ProfileError, read_profile
from answers.policy import plan, service_reply
from answers.services import services_asked
from tests.helpers import DOMAIN, FIXTURE_PROFILE

ACTIONS = set(DOMAIN["responses"]) | set(DOMAIN["actions"]) | {"callback_form", "booking_form"}


@pytest.mark.parametrize("text, keys", [
    ("hey do you all do lip filler?", ["fillers"]),
    ("how much for dysport on the forehead", ["botox"]),
    ("can I buy a gift certificate for my aunt", ["gift_card"]),
    ("can i add a hydrafacial to my microneedling visit?", ["facial"]),
    ("do you offer morpheus8", ["other_service"]),
    ("do you do botox and fillers?", ["botox", "fillers"]),
    # mentions, not questions about the clinic offering it
    ("i had botox two weeks ago, is it ok to do microneedling now?", []),
    ("is microneedling gentler than a laser for dark skin?", []),
    ("what exactly is PRP?", []),
    ("do you do microneedling on the neck?", []),
])
def test_which_service_a_message_asks_about(text, keys):
    assert services_asked(text) == keys


def test_the_profile_says_what_it_has_and_the_rest_is_not_guessed():
    profile = ClinicProfile(name="R & R Aesthetics", phone="(770) 555-0100",
                            services={"gift_card": "Gift cards in any amount are sold at the front desk."})
    said = service_reply(["gift_card", "botox"], profile, knowledge_sent=False)
    assert said.startswith("Gift cards in any amount are sold at the front desk.")
    assert "don't have details about Botox or other wrinkle relaxers" in said and "(770) 555-0100" in said
    assert "gift cards" not in said.split("front desk.")[1], "a service the profile lists is not also 'unknown'"


def test_a_services_question_is_answered_before_the_faq_rules():
    parse = {"intent": {"name": "ask_price", "confidence": 0.8}, "entities": [], "text": "how much is botox",
             "services": ["botox"]}
    assert plan([UserUttered("how much is botox", intent=parse["intent"], parse_data=parse)], ACTIONS) == ["utter_service"]


def test_an_unknown_service_key_is_a_profile_error_with_its_name(tmp_path):
    data = yaml.safe_load(FIXTURE_PROFILE.read_text())
    data["services"] = {"botox": "Yes", "lazer": "typo"}
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ProfileError, match="lazer"):
        read_profile(path)


# ------------------------------------------------------------------ through the real servers
def _text(replies):
    return "\n".join(r.get("text", "") for r in replies)


@pytest.mark.server
def test_services_through_the_servers(services_servers):
    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    said = _text(services_servers.say(sender, "do you guys do prp with the microneedling? how much"))
    assert "$450 per session" in said and "$250" not in said, "the PRP line, not the microneedling price"
    said = _text(services_servers.say(sender, "and do you do botox"))
    assert "don't have details about Botox" in said and "(770) 555-0100" in said
    said = _text(services_servers.say(sender, "yes please"))
    assert "What name should they use" in said  # the contact offer is taken up


@pytest.mark.server
def test_a_treatment_mentioned_in_a_microneedling_question_gets_the_usual_answer(services_servers):
    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    said = _text(services_servers.say(sender, "I got a gift card for my birthday, how many microneedling sessions will I need for acne scars?"))
    assert "front desk" not in said and "session" in said


@pytest.mark.server
def test_the_sources_button_names_where_an_answer_comes_from(services_servers):
    servers = services_servers
    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    answer = servers.say(sender, "can i wear makeup the day after?")
    assert {"title": "Sources", "payload": "/ask_sources"} in answer[0]["buttons"]
    sources = _text(servers.say(sender, "/ask_sources"))
    assert "Journal of Drugs in Dermatology" in sources and "aftercare" in sources
    servers.say(sender, "is it safe if i'm pregnant?")
    assert "Food and Drug Administration" in _text(servers.say(sender, "/ask_sources"))
