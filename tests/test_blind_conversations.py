"""The conversation corpus of tests/conversations/, written blind (by writers who saw only the
clinic's knowledge files, the intent contract and the clinic profiles), run against the real Rasa
and action servers: one fresh conversation each, under the clinic profile it names.

`make conversations` runs only these and prints the per-conversation report
(tests/support/conversation_report.py). A conversation marked `xfail:` names the issue that will
make it pass; the mark is strict, so a conversation that starts passing fails the run until its
mark is removed.
"""
from __future__ import annotations

import pytest

from tests.support.conversation_format import load_corpus
from tests.support.conversation_runner import describe, run

pytestmark = pytest.mark.server

CORPUS = load_corpus()


def _param(conversation):
    marks = [pytest.mark.xfail(reason=conversation.xfail, strict=True)] if conversation.xfail else []
    return pytest.param(conversation, id=conversation.id, marks=marks)


# Shipped-profile conversations first, then filled: each server pair starts once.
@pytest.mark.parametrize("conversation", [_param(c) for c in sorted(CORPUS, key=lambda c: c.profile != "shipped")])
def test_conversation(conversation, conversation_stacks, record_property):
    result = run(conversation, conversation_stacks(conversation.profile))
    record_property("conversation_report", describe(result))
    record_property("conversation_category", conversation.category)
    record_property("conversation_passed", result.passed)
    record_property("conversation_xfail", conversation.xfail or "")
    assert result.passed, describe(result)
