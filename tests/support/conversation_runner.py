"""Runs one conversation of tests/conversations/ against the real Rasa server and action server and
says what went wrong, turn by turn.

What a turn is judged on: the bot messages the visitor received (REST reply, or socket.io
`bot_uttered` events) and, from the Rasa server's tracker, the response names
(`utter_action` metadata), the actions that ran and the slots after the turn. At the end: the
rows of `booking_requests` for this conversation and the staff e-mails naming it.
"""
from __future__ import annotations

import queue
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import requests
import sqlalchemy as sa

from tests.support.conversation_format import (Conversation, Turn, first_sentence, text_contains,
                                               text_opens_with, value_matches)
from tests.support.smtp_inbox import Inbox, body_of

# Product rules every turn of every conversation must keep, whatever the writer expected.
RULES = {
    "claims an appointment is booked or confirmed": (
        r"re:\b(your|the) (appointment|booking|visit|consultation|consult|spot)( request)? (is|has been|was) "
        r"(now |all )?(booked|confirmed|scheduled|reserved)\b"
        r"|\byou('re| are) (all )?(booked|confirmed|scheduled|set for)\b"
        r"|\bi('ve| have) (booked|scheduled|confirmed|reserved)\b"),
}


@dataclass
class Stack:
    """The running servers one profile's conversations are sent to."""
    rasa_url: str
    token: str
    database_url: str
    inbox: Inbox


@dataclass
class TurnRecord:
    visitor: str
    texts: List[str] = field(default_factory=list)        # what the visitor saw, message by message
    buttons: List[str] = field(default_factory=list)
    responses: List[Optional[str]] = field(default_factory=list)  # response name per bot message
    actions: List[str] = field(default_factory=list)
    intent: str = ""
    confidence: float = 0.0
    slots: Dict[str, Any] = field(default_factory=dict)

    def shown(self) -> str:
        return "\n".join(self.texts + self.buttons)


@dataclass
class Result:
    conversation: Conversation
    sender: str
    turns: List[TurnRecord]
    failures: List[str]                 # "turn 2: ..." or "request: ..." / "e-mail: ..."
    first_failing_turn: Optional[int]   # 1-based, None when only the end checks failed (or none)

    @property
    def passed(self) -> bool:
        return not self.failures


# ------------------------------------------------------------------------------------------ channels
class RestChannel:
    def __init__(self, stack: Stack, sender: str):
        self.url = f"{stack.rasa_url}/webhooks/rest/webhook"
        self.sender = sender

    def send(self, text: str) -> List[Dict[str, Any]]:
        reply = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        reply.raise_for_status()
        return reply.json()

    def close(self) -> None:
        pass


class SocketIOChannel:
    """The widget's transport: one socket.io session, messages as `user_uttered`/`bot_uttered`."""

    def __init__(self, stack: Stack, sender: str):
        import socketio  # the sync client (websocket-client transport) runs in the project's venv

        self.stack, self.sender = stack, sender
        self.received: "queue.Queue[dict]" = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("bot_uttered", lambda data: self.received.put(data))
        confirmed = queue.Queue()
        self.sio.on("session_confirm", lambda data=None: confirmed.put(data))
        self.sio.connect(stack.rasa_url, transports=["websocket"], wait_timeout=10)
        self.sio.emit("session_request", {"session_id": sender})
        confirmed.get(timeout=10)

    def send(self, text: str) -> List[Dict[str, Any]]:
        before = len(tracker(self.stack, self.sender).get("events", []))
        self.sio.emit("user_uttered", {"message": text, "session_id": self.sender})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the turn is over when the bot listens again
            events = tracker(self.stack, self.sender).get("events", [])[before:]
            if any(e["event"] == "user" for e in events) and events[-1]["event"] == "action" \
                    and events[-1]["name"] == "action_listen":
                break
            time.sleep(0.1)
        else:
            raise TimeoutError("the bot did not finish the turn within 60 s")
        time.sleep(0.3)  # bot_uttered events emitted just before the save may still be in flight
        out = []
        while not self.received.empty():
            out.append(self.received.get())
        return out

    def close(self) -> None:
        self.sio.disconnect()


CHANNELS = {"rest": RestChannel, "socketio": SocketIOChannel}


# ------------------------------------------------------------------------------------------ reading back
def tracker(stack: Stack, sender: str) -> Dict[str, Any]:
    reply = requests.get(f"{stack.rasa_url}/conversations/{sender}/tracker",
                         params={"token": stack.token, "include_events": "ALL"}, timeout=30)
    reply.raise_for_status()
    return reply.json()


def stored_requests(stack: Stack, sender: str) -> List[Dict[str, Any]]:
    engine = sa.create_engine(stack.database_url, future=True)
    try:
        if not sa.inspect(engine).has_table("booking_requests"):
            return []
        table = sa.Table("booking_requests", sa.MetaData(), autoload_with=engine)
        with engine.connect() as conn:
            rows = conn.execute(sa.select(table).where(table.c.conversation_id == sender).order_by(table.c.id))
            return [dict(row._mapping) for row in rows]
    finally:
        engine.dispose()


def record_turn(visitor: str, replies: List[Dict[str, Any]], state: Dict[str, Any], seen: int) -> TurnRecord:
    """The turn as the visitor saw it, with names and slots from the tracker events after `seen`."""
    record = TurnRecord(visitor=visitor, slots=dict(state.get("slots", {})))
    for reply in replies:
        if reply.get("text"):
            record.texts.append(reply["text"])
        record.buttons += [b.get("title", "") for b in reply.get("buttons") or reply.get("quick_replies") or []]
    for event in state.get("events", [])[seen:]:
        if event["event"] == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            record.intent, record.confidence = intent.get("name") or "", intent.get("confidence") or 0.0
        elif event["event"] == "bot":
            record.responses.append((event.get("metadata") or {}).get("utter_action"))
        elif event["event"] == "action" and event["name"] != "action_listen":
            record.actions.append(event["name"])
    return record


# ------------------------------------------------------------------------------------------ judging
def turn_failures(turn: Turn, record: TurnRecord) -> List[str]:
    checks, shown, problems = turn.checks, record.shown(), []
    named = [r for r in record.responses if r]
    if not record.texts and checks.get("replies", 1) != 0:
        problems.append("no reply at all")
    for rule, pattern in RULES.items():
        if text_contains(shown, pattern):
            problems.append(f"rule broken: {rule}")
    for name in checks.get("responses", []):
        if name not in named:
            problems.append(f"expected response {name}, got {named or 'none named'}")
    for name in checks.get("no_responses", []):
        if name in named:
            problems.append(f"response {name} must not be sent")
    if "first_response" in checks and (named[:1] != [checks["first_response"]]):
        problems.append(f"the first response must be {checks['first_response']}, got {named[:1] or 'none'}")
    for name in checks.get("actions", []):
        if name not in record.actions:
            problems.append(f"expected action {name} to run, ran {record.actions}")
    for name in checks.get("no_actions", []):
        if name in record.actions:
            problems.append(f"action {name} must not run")
    for pattern in checks.get("says", []):
        if not text_contains(shown, pattern):
            problems.append(f"does not say {pattern!r}")
    for pattern in checks.get("says_not", []):
        if text_contains(shown, pattern):
            problems.append(f"must not say {pattern!r}")
    if "opens_with" in checks and not (record.texts and text_opens_with(record.texts[0], checks["opens_with"])):
        problems.append(f"the first message must open with {checks['opens_with']!r}")
    lead = first_sentence(record.texts[0]) if record.texts else ""
    for pattern in checks.get("leads_with", []):
        if not text_contains(lead, pattern):
            problems.append(f"the first sentence does not say {pattern!r}: {lead[:120]!r}")
    if "replies" in checks and len(record.texts) != checks["replies"]:
        problems.append(f"expected {checks['replies']} message(s), got {len(record.texts)}")
    for slot, wanted in checks.get("slots", {}).items():
        if not value_matches(record.slots.get(slot), wanted):
            problems.append(f"slot {slot} is {record.slots.get(slot)!r}, expected {wanted!r}")
    return problems


def request_failures(wanted: List[Dict[str, Any]], rows: List[Dict[str, Any]]) -> List[str]:
    def show(row):
        return {k: v for k, v in row.items() if k not in ("id", "created_at", "conversation_id") and v not in (None, "")}
    if len(rows) != len(wanted):
        return [f"expected {len(wanted)} stored request(s), found {len(rows)}: {[show(r) for r in rows]}"]
    problems = []
    for index, (want, row) in enumerate(zip(wanted, rows), 1):
        for column, pattern in want.items():
            if column not in row:
                problems.append(f"request {index}: the table has no column {column!r}")
            elif not value_matches(row[column], pattern):
                problems.append(f"request {index}: {column} is {row[column]!r}, expected {pattern!r}")
    return problems


def email_failures(conversation: Conversation, sender: str, inbox: Inbox, stored: int) -> List[str]:
    spec = conversation.email or {}
    expected = spec.get("count", stored if conversation.requests is not None else None)
    mentions = (lambda m: sender in body_of(m))
    found = inbox.wait_for(mentions, timeout=5 if expected else 0.5)
    if expected is None and not spec:
        return []
    problems = []
    if expected is not None and len(found) != expected:
        problems.append(f"expected {expected} staff e-mail(s), got {len(found)}")
    for message in found:
        text = f"{message['Subject']}\n{body_of(message)}"
        problems += [f"the e-mail does not say {p!r}" for p in spec.get("says", []) if not text_contains(text, p)]
        problems += [f"the e-mail must not say {p!r}" for p in spec.get("says_not", []) if text_contains(text, p)]
        problems += [f"the subject must not say {p!r}" for p in spec.get("subject_says_not", [])
                     if text_contains(str(message["Subject"]), p)]
    return problems


def run(conversation: Conversation, stack: Stack, turns: Optional[int] = None, end_checks: bool = True) -> Result:
    """The whole conversation (or its first `turns` turns; `end_checks=False` skips the request and e-mail)."""
    sender = f"conv-{conversation.id[:40]}-{uuid.uuid4().hex[:8]}"
    channel = CHANNELS[conversation.channel](stack, sender)
    records: List[TurnRecord] = []
    failures: List[str] = []
    first_failing: Optional[int] = None
    try:
        seen = 0
        for number, turn in enumerate(conversation.turns[:turns], 1):
            try:
                replies = channel.send(turn.visitor)
                state = tracker(stack, sender)
            except (requests.RequestException, TimeoutError) as exc:
                failures.append(f"turn {number}: the server failed: {exc}")
                first_failing = first_failing or number
                break
            records.append(record_turn(turn.visitor, replies, state, seen))
            seen = len(state.get("events", []))
            problems = turn_failures(turn, records[-1])
            if problems and first_failing is None:
                first_failing = number
            failures += [f"turn {number}: {p}" for p in problems]
    finally:
        channel.close()
    if not end_checks:
        return Result(conversation, sender, records, failures, first_failing)
    rows = stored_requests(stack, sender)
    if conversation.requests is not None:
        failures += [f"request: {p}" for p in request_failures(conversation.requests, rows)]
    failures += [f"e-mail: {p}" for p in email_failures(conversation, sender, stack.inbox, len(rows))]
    return Result(conversation, sender, records, failures, first_failing)


def describe(result: Result) -> str:
    """The report for one conversation: the first failing turn with what the bot said, then the rest."""
    conversation = result.conversation
    head = f"{'PASS' if result.passed else 'FAIL'} {conversation.id} [{conversation.category}, " \
           f"{conversation.profile}, {conversation.channel}] ({conversation.file})"
    if result.passed:
        return head
    lines = [head]
    if result.first_failing_turn:
        turn = conversation.turns[result.first_failing_turn - 1]
        record = result.turns[result.first_failing_turn - 1]
        lines += [f"  first failing turn {result.first_failing_turn}: visitor: {turn.visitor!r}",
                  f"    intent {record.intent} ({record.confidence:.2f}); responses {record.responses}; "
                  f"actions {record.actions}"]
        lines += [f"    bot: {text!r}" for text in record.texts] or ["    bot: (nothing)"]
        if turn.expect:
            lines.append(f"    expected: {turn.expect}")
    lines += [f"  - {failure}" for failure in result.failures]
    return "\n".join(lines)
