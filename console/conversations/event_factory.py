"""Rasa-shaped tracker events for tests and the benchmark (`make bench-console`).

The shapes follow what Rasa 3.6's SQL tracker store writes (see a real conversation in
the tests): the same columns and the same JSON in `data`, so the console's sync and
transcript read generated rows exactly as they read real ones.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence

from console.conversations.models import Event

MODEL_ID = "generated0000000000000000000000"


@dataclass
class Turn:
    text: str
    intent: str
    confidence: float = 0.95
    fallback: bool = False  # the NLU fallback fired (confidence below its threshold)
    reply: str = "An answer."
    action: str = "action_answer"
    buttons: Optional[List[dict]] = None
    form: Optional[str] = None  # a form this turn starts ("booking_form"); "-" ends the running one
    warning: Optional[str] = None  # the NLU warning-sign screen's level for this message: "urgent" or "emergency"
    signs: Sequence[str] = ()  # and the signs it found ("trouble breathing", ...)
    answers: Sequence[dict] = ()  # the answer points' plan for it ({"intent": ..., "point": ...}), as the NLU writes it


def _row(sender_id: str, type_name: str, ts: float, data: dict, intent: str = None, action: str = None) -> Event:
    data = {"event": type_name, "timestamp": ts, "metadata": {"model_id": MODEL_ID}, **data}
    return Event(sender_id=sender_id, type_name=type_name, timestamp=ts, intent_name=intent, action_name=action,
                 data=json.dumps(data))


def conversation_events(sender_id: str, start: float, turns: Iterable[Turn], channel: str = "socketio",
                        seconds_between: float = 20.0) -> List[Event]:
    ts = start
    rows = [_row(sender_id, "action", ts, {"name": "action_session_start", "policy": None, "confidence": 1.0},
                 action="action_session_start"),
            _row(sender_id, "session_started", ts, {}),
            _row(sender_id, "action", ts, {"name": "action_listen", "policy": None, "confidence": None},
                 action="action_listen")]
    for turn in turns:
        ts += seconds_between
        ranking = [{"name": turn.intent, "confidence": turn.confidence},
                   {"name": "out_of_scope", "confidence": round((1 - turn.confidence) / 2, 4)}]
        top = {"name": "nlu_fallback", "confidence": 0.4} if turn.fallback else ranking[0]
        if turn.fallback:
            ranking.insert(0, top)
        parse = {"intent": top, "entities": [], "text": turn.text, "message_id": uuid.uuid4().hex,
                 "metadata": {}, "intent_ranking": ranking}
        if turn.answers:
            parse["answers"] = list(turn.answers)
        if turn.warning:  # absent when the message shows no warning sign, as the screen writes it
            parse["warning"] = {"level": turn.warning, "signs": list(turn.signs)}
        rows.append(_row(sender_id, "user", ts, {"text": turn.text, "parse_data": parse, "input_channel": channel,
                                                 "message_id": parse["message_id"]}, intent=top["name"]))
        rows.append(_row(sender_id, "user_featurization", ts, {"use_text_for_featurization": False}))
        action = "action_clarify" if turn.fallback and turn.action == "action_answer" else turn.action
        rows.append(_row(sender_id, "action", ts, {"name": action, "policy": "RulePolicy", "confidence": 1.0},
                         action=action))
        if turn.form:
            name = None if turn.form == "-" else turn.form
            rows.append(_row(sender_id, "active_loop", ts, {"name": name}, action=name))
        rows.append(_row(sender_id, "bot", ts, {"text": turn.reply, "data": {"buttons": turn.buttons}}))
        rows.append(_row(sender_id, "action", ts, {"name": "action_listen", "policy": "RulePolicy", "confidence": 1.0},
                         action="action_listen"))
    return rows
