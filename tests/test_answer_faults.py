"""FAQ answers live in the Rasa server (answers/): with the action server stopped, every FAQ conversation of
the corpus that passes with everything up, and asks about microneedling rather than a clinic fact (price,
hours, location: those read the profile on the action server), still gets the same first reply."""
import re

import pytest

from tests.support.conversation_format import load_corpus
from tests.support.conversation_runner import describe, run

pytestmark = pytest.mark.server

CLINIC_FACTS = re.compile(r"price|hours|address|parking|package|booking")
CASES = [c for c in load_corpus() if c.profile == "shipped" and not c.xfail and c.category in ("faq", "hostile")
         and not CLINIC_FACTS.search(c.id) and c.id != "hostile-prompt-injection-confirm"]


@pytest.mark.parametrize("conversation", CASES, ids=[c.id for c in CASES])
def test_first_answer_with_the_action_server_stopped(conversation, conversation_stacks):
    result = run(conversation, conversation_stacks("shipped", actions=False), turns=1, end_checks=False)
    assert result.passed, describe(result)


def test_there_are_enough_cases():
    assert len(CASES) >= 8
