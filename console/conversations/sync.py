"""Keeps `Conversation` and `VisitorMessage` in step with Rasa's events table.

Rasa's SQL tracker store only appends, so the summary reads the events after the last one
it has seen, in id order, in batches. On PostgreSQL two Rasa transactions can commit out of
id order (a conversation's events get their ids when inserted, and become visible at commit),
so there the sync leaves the newest CONSOLE_SYNC_SETTLE_SECONDS (30 s) for the next time rather
than step past an id that is not committed yet; SQLite commits one writer at a time, in order. Every console page calls `sync()` first: when nothing
is new that is one indexed query. `manage.py sync_conversations` does the same from the
command line (after a bulk import, or before a benchmark).
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import re
import time
from typing import Dict, List, Optional, Tuple

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from console.conversations.models import WARNING_LEVELS, Conversation, Event, SyncState, VisitorMessage, warning_rank

logger = logging.getLogger(__name__)

FORMS = {"booking_form": "booking_started", "callback_form": "human_requested"}
FALLBACK_ACTIONS = {"action_clarify", "action_default_fallback"}
REQUEST_NOT_SENT = "utter_request_not_sent"  # rasa_extensions/action_server_down.py: the action server was down
GREETING_INTENTS = {"greet"}
AUTO_GREETING = "/greet"  # what the website widget sends, unseen, when a visitor opens it
BUTTON_RE = re.compile(r"^/\w+(\{.*\})?$", re.S)


def settle_seconds() -> float:
    configured = settings.CONSOLE_SYNC_SETTLE_SECONDS
    if configured is not None:
        return configured
    return 0.0 if connection.vendor == "sqlite" else 30.0


def sync(batch_size: int = 2000) -> int:
    """Read new events into the summary; returns how many events were read."""
    total = 0
    while True:
        try:
            count, more = _sync_batch(batch_size)
        except (OperationalError, IntegrityError) as error:  # busy, or another sync won a race: stale, not broken
            logger.warning("conversation sync postponed: %s", error)
            return total
        total += count
        if not more:
            return total


def _when(timestamp: Optional[float]) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp or 0, tz=dt.timezone.utc)


def parse_warning(parse: dict) -> Tuple[str, List[str]]:
    """The NLU warning-sign screen's verdict on a message (`parse_data["warning"]`): its level
    ("" when none) and signs. A level this console does not know counts as "urgent": a warning
    sign is never dropped for being spelt differently."""
    warning = parse.get("warning") if isinstance(parse, dict) else None
    if not isinstance(warning, dict) or not warning.get("level"):
        return "", []
    level = str(warning["level"]).strip().lower()
    if level not in WARNING_LEVELS:
        level = "urgent"
    signs = warning.get("signs")
    if isinstance(signs, str):
        signs = [signs]
    if not isinstance(signs, list):
        signs = []
    cleaned: List[str] = []
    for sign in signs:
        text = " ".join(str(sign).split())[:100] if sign is not None else ""
        if text and text not in cleaned:
            cleaned.append(text)
    return level, cleaned[:20]


def parse_user_event(data: dict) -> dict:
    """What the console keeps of a Rasa `user` event."""
    parse = data.get("parse_data") or {}
    top = parse.get("intent") or {}
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") and r.get("name") != "nlu_fallback"]
    best = ranking[0] if ranking else top
    text = data.get("text") or ""
    warning_level, warning_signs = parse_warning(parse)
    return {
        "text": text,
        "intent": (best.get("name") or "")[:64],
        "confidence": best.get("confidence"),
        "is_fallback": top.get("name") == "nlu_fallback",
        "is_button": bool(BUTTON_RE.match(text.strip())),
        "model_id": str((data.get("metadata") or {}).get("model_id") or "")[:64],
        "channel": (data.get("input_channel") or "")[:32],
        "warning_level": warning_level,
        "warning_signs": warning_signs,
    }


@transaction.atomic
def _sync_batch(limit: int) -> Tuple[int, bool]:
    """Reads up to `limit` events; returns how many, and whether more are ready now."""
    state = SyncState.objects.select_for_update().filter(pk=1).first() or SyncState.objects.create(pk=1)
    rows = list(Event.objects.filter(id__gt=state.last_event_id).order_by("id")
                .values_list("id", "sender_id", "type_name", "timestamp", "action_name", "data")[:limit])
    more = len(rows) == limit
    settle = settle_seconds()
    if settle and rows:
        cutoff = time.time() - settle
        settled = list(itertools.takewhile(lambda row: (row[3] or 0) < cutoff, rows))
        more = more and len(settled) == len(rows)  # the rest is too new: next time
        rows = settled
    if not rows:
        return 0, False
    conversations: Dict[str, Conversation] = {
        c.sender_id: c for c in Conversation.objects.filter(sender_id__in={r[1] for r in rows})}
    new: Dict[str, Conversation] = {}
    pending: List[tuple] = []  # (sender_id, VisitorMessage without its conversation yet)
    latest: Dict[str, VisitorMessage] = {}  # each conversation's last visitor message in this batch
    warned = set()  # conversations with a warning sign in this batch

    for event_id, sender_id, type_name, timestamp, action_name, raw in rows:
        at = _when(timestamp)
        conversation = conversations.get(sender_id)
        if conversation is None:
            conversation = Conversation(sender_id=sender_id, started_at=at, last_event_at=at)
            conversations[sender_id] = new[sender_id] = conversation
        conversation.last_event_at = max(conversation.last_event_at, at)
        if type_name == "user":
            latest[sender_id] = _visitor_message(conversation, event_id, at, raw)
            pending.append((sender_id, latest[sender_id]))
            if latest[sender_id].warning_level:
                warned.add(sender_id)
        elif type_name == "active_loop":
            conversation.active_form = action_name or ""
            if action_name in FORMS:
                setattr(conversation, FORMS[action_name], True)
        elif type_name == "action" and action_name == REQUEST_NOT_SENT:
            conversation.request_not_sent_at = at
        elif type_name == "action" and action_name in FALLBACK_ACTIONS:
            # the bot really fell back (asked "did you mean…"): on the message it just got
            conversation.has_fallback = True
            if sender_id in latest:
                latest[sender_id].is_fallback = True
            else:  # that message was read in an earlier batch
                VisitorMessage.objects.filter(pk=VisitorMessage.objects.filter(conversation__sender_id=sender_id)
                                              .order_by("-event_id").values("pk")[:1]).update(is_fallback=True)

    Conversation.objects.bulk_create(new.values())
    existing = [c for s, c in conversations.items() if s not in new]
    Conversation.objects.bulk_update(existing, [
        "last_event_at", "channel", "visitor_messages", "first_question", "has_fallback", "min_confidence",
        "human_requested", "booking_started", "greeting_only", "active_form", "warning_level", "warning_signs",
        "request_not_sent_at"])
    # `attention` is also staff's (marking reviewed): written only where a warning sign just came in
    warned_existing = [c for c in existing if c.sender_id in warned]
    for rank in {c.attention for c in warned_existing}:
        Conversation.objects.filter(pk__in=[c.pk for c in warned_existing if c.attention == rank]).update(attention=rank)
    messages = []
    for sender_id, message in pending:
        message.conversation = conversations[sender_id]
        messages.append(message)
    VisitorMessage.objects.bulk_create(messages)
    state.last_event_id = rows[-1][0]
    state.synced_at = timezone.now()
    state.save()
    return len(rows), more


def _visitor_message(conversation: Conversation, event_id: int, at: dt.datetime, raw: Optional[str]) -> VisitorMessage:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        data = {}
    parsed = parse_user_event(data)
    in_form = bool(conversation.active_form)
    # Inside a form a low score is expected ("skip", a name): the form reads the answer itself.
    # It counts as a fallback only if the bot then fell back (the fallback action, above).
    parsed["is_fallback"] = parsed["is_fallback"] and not in_form
    typed = not parsed["is_button"]
    if parsed["text"].strip() != AUTO_GREETING:
        conversation.visitor_messages += 1
    if not conversation.channel:
        conversation.channel = parsed["channel"]
    warning = parsed["warning_level"]
    if warning:
        # the highest level so far; a warning sign after the last review puts it back at the top
        if warning_rank(warning) > warning_rank(conversation.warning_level):
            conversation.warning_level = warning
        conversation.warning_signs = list(conversation.warning_signs or []) + [
            s for s in parsed["warning_signs"] if s not in (conversation.warning_signs or [])]
        conversation.attention = warning_rank(conversation.warning_level)
    if parsed["intent"] not in GREETING_INTENTS or warning:  # "hi, my face is swollen" is not just a greeting
        conversation.greeting_only = False
        if typed and not conversation.first_question:
            conversation.first_question = parsed["text"][:300]
    if parsed["intent"] == "request_human":
        conversation.human_requested = True
    if parsed["is_fallback"]:
        conversation.has_fallback = True
    if typed and not in_form and parsed["confidence"] is not None:
        current = conversation.min_confidence
        conversation.min_confidence = parsed["confidence"] if current is None else min(current, parsed["confidence"])
    return VisitorMessage(event_id=event_id, sent_at=at, text=parsed["text"], intent=parsed["intent"],
                          confidence=parsed["confidence"], is_fallback=parsed["is_fallback"],
                          is_button=parsed["is_button"], in_form=in_form, model_id=parsed["model_id"],
                          warning_level=warning, warning_signs=parsed["warning_signs"])
