"""The conversation store (the tracker store's database) can't be reached: what the visitor is told.

Both channels (guarded_rest.py, guarded_socketio.py) answer with `trouble_message()` instead of
silence, and the message is not processed, so nothing is half-stored: the visitor sends it again
once the database is back.
"""
from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


class ConversationStoreUnavailable(BaseException):
    """Raised by the tracker store when its database is away. A BaseException, not an Exception, so
    that Rasa's FailSafeTrackerStore (which catches every Exception and forks the conversation into
    memory) lets it through to the channel."""


def trouble_message() -> str:
    from actions.clinic_profile import load_profile  # the profile's one reader
    profile = load_profile()
    call = f" If it's urgent, please call {profile.name} at {profile.phone}." if profile.phone else ""
    return ("Sorry, I'm having trouble on our side right now and couldn't take in your last message. "
            f"Please try again in a minute.{call}")


async def trouble_replies(agent, text: str) -> list:
    """What to say instead of silence: the warning-sign advice first when the message carries one (the
    screen runs in the NLU pipeline, which needs no database), then the trouble message."""
    said = []
    try:
        parsed = await agent.parse_message(text)
        level = (parsed.get("warning") or {}).get("level")
        if level in ("emergency", "urgent"):
            said.append(agent.domain.responses[f"utter_warning_{level}"][0]["text"])
    except Exception:  # the advice is a courtesy here; the trouble message always goes
        logger.exception("could not screen a message while the conversation store is away")
    said.append(trouble_message())
    return said
