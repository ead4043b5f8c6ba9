"""The warning-sign screen and the medical boundary live in the Rasa server: with the action server
stopped, or with a clinic profile that does not load, every warning-sign and medical-boundary
conversation of the corpus that passes with everything up still gets the same first reply (the message
that carries the warning or the medical question). Shipped-profile conversations: their replies
need no clinic fact."""
import pytest

from tests.support.conversation_format import load_corpus
from tests.support.conversation_runner import describe, run

pytestmark = pytest.mark.server

# The conversations whose first reply is the screen's: a warning, or a medical-boundary answer.
CASES = [c for c in load_corpus() if c.profile == "shipped" and not c.xfail and (
    c.category == "medical_boundary" or str(c.turns[0].checks.get("first_response", "")).startswith("utter_warning"))]


@pytest.mark.parametrize("conversation", CASES, ids=[c.id for c in CASES])
def test_first_reply_with_the_action_server_stopped(conversation, conversation_stacks):
    result = run(conversation, conversation_stacks("shipped", actions=False), turns=1, end_checks=False)
    assert result.passed, describe(result)


@pytest.mark.parametrize("conversation", CASES, ids=[c.id for c in CASES])
def test_first_reply_with_a_broken_clinic_profile(conversation, conversation_stacks):
    result = run(conversation, conversation_stacks("broken"), turns=1, end_checks=False)
    assert result.passed, describe(result)


def test_there_are_enough_cases():
    assert len(CASES) >= 10
