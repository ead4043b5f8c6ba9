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

from tests.helpers import FIXTURE_PROFILE, ROOT
from tests.servers import API_TOKEN, start_servers, stop_servers
from tests.support.conversation_format import load_corpus
from tests.support.conversation_runner import Stack, describe, run
from tests.support.smtp_inbox import Inbox

pytestmark = pytest.mark.server

# The conversations' week: they start on Wednesday 25 November 2026, 10:00 in Roswell, so "tomorrow
# at 10" and the filled profile's opening hours mean the same whatever day the tests run.
CLOCK_START = "2026-11-25T15:00:00Z"
PROFILES = {"shipped": ROOT / "clinic_profile.yml", "filled": FIXTURE_PROFILE}
CORPUS = load_corpus()


def _param(conversation):
    marks = [pytest.mark.xfail(reason=conversation.xfail, strict=True)] if conversation.xfail else []
    return pytest.param(conversation, id=conversation.id, marks=marks)


@pytest.fixture(scope="session")
def staff_inbox():
    inbox = Inbox().start()
    yield inbox
    inbox.stop()


@pytest.fixture(scope="session")
def conversation_stacks(tmp_path_factory, staff_inbox):
    """One Rasa + action server pair per clinic profile, started when first needed."""
    started = {}

    def stack_for(profile: str) -> Stack:
        if profile not in started:
            env = {**staff_inbox.env(), "NOTIFY_EMAIL": "staff@clinic.test", "ASSISTANT_CLOCK_START": CLOCK_START}
            started[profile] = start_servers(tmp_path_factory.mktemp(f"conversations-{profile}"),
                                             PROFILES[profile], env)
        running = started[profile]
        return Stack(rasa_url=running.rasa_url, token=API_TOKEN, database_url=running.database_url,
                     inbox=staff_inbox)
    yield stack_for
    for running in started.values():
        stop_servers(running)


# Shipped-profile conversations first, then filled: each server pair starts once.
@pytest.mark.parametrize("conversation", [_param(c) for c in sorted(CORPUS, key=lambda c: c.profile != "shipped")])
def test_conversation(conversation, conversation_stacks, record_property):
    result = run(conversation, conversation_stacks(conversation.profile))
    record_property("conversation_report", describe(result))
    record_property("conversation_category", conversation.category)
    record_property("conversation_passed", result.passed)
    record_property("conversation_xfail", conversation.xfail or "")
    assert result.passed, describe(result)
