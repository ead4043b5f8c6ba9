"""A conversation's events, in order, as the transcript page shows them."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from console.conversations.models import Event, VisitorMessage
from console.conversations.sync import AUTO_GREETING, parse_warning

HIDDEN_EVENTS = {"user_featurization", "action_execution_rejected"}
HIDDEN_ACTIONS = {"action_listen", "action_session_start"}
HIDDEN_SLOTS = {"requested_slot"}


@dataclass
class Line:
    kind: str  # user | bot | action | form | slot | session | other
    at: dt.datetime
    text: str = ""
    intent: str = ""
    confidence: Optional[float] = None
    entities: List[dict] = field(default_factory=list)
    buttons: List[str] = field(default_factory=list)
    image: str = ""
    detail: str = ""
    message: Optional[VisitorMessage] = None
    model: str = ""  # the model that understood a visitor message: its file name when known, else its id
    warning_level: str = ""  # the warning-sign screen's verdict on a visitor message ("", urgent, emergency)
    warning_signs: List[str] = field(default_factory=list)
    answered: List[str] = field(default_factory=list)  # the topics (and points) the Rasa server answered, in order


def model_names() -> Dict[str, str]:
    """Model id -> model file, from the promotion record (scripts/model_registry.py), when this
    machine has one; the transcript shows the id alone otherwise."""
    from django.conf import settings

    from scripts.model_registry import Registry

    try:
        return {entry["model_id"]: entry["model"] for entry in Registry(settings.CONSOLE_MODELS_DIR).history()}
    except (OSError, ValueError, KeyError):
        return {}


def transcript(sender_id: str, models: Optional[Dict[str, str]] = None) -> List[Line]:
    messages: Dict[int, VisitorMessage] = {
        m.event_id: m for m in VisitorMessage.objects.filter(conversation__sender_id=sender_id)
        .select_related("review")}
    lines = []
    for event in Event.objects.filter(sender_id=sender_id).order_by("id"):
        if event.type_name in HIDDEN_EVENTS:
            continue
        try:
            data = json.loads(event.data or "{}")
        except ValueError:
            data = {}
        line = _line(event, data, messages.get(event.id))
        if line is not None and line.message is not None and line.message.model_id:
            line.model = (models or {}).get(line.message.model_id) or line.message.model_id[:8]
        if line is not None:
            lines.append(line)
    return lines


def _line(event: Event, data: dict, message: Optional[VisitorMessage]) -> Optional[Line]:
    at = dt.datetime.fromtimestamp(event.timestamp or 0, tz=dt.timezone.utc)
    kind = event.type_name
    if kind == "user":
        if (data.get("text") or "").strip() == AUTO_GREETING:
            return Line("session", at, text="the visitor opened the chat widget")
        parse = data.get("parse_data") or {}
        entities = [{"entity": e.get("entity"), "value": e.get("value")} for e in parse.get("entities") or []]
        level, signs = parse_warning(parse)
        answered = [a.get("intent", "") + (f"/{a['point']}" if a.get("point") else "")
                    for a in parse.get("answers") or [] if isinstance(a, dict)]
        return Line("user", at, text=data.get("text") or "", entities=entities, message=message,
                    intent=message.intent if message else (event.intent_name or ""),
                    confidence=message.confidence if message else None, warning_level=level, warning_signs=signs,
                    answered=answered)
    if kind == "bot":
        payload = data.get("data") or {}
        buttons = [b.get("title") or b.get("payload") or "" for b in payload.get("buttons") or []]
        return Line("bot", at, text=data.get("text") or "", buttons=buttons, image=payload.get("image") or "",
                    detail=(data.get("metadata") or {}).get("utter_action") or "")
    if kind == "action":
        if event.action_name in HIDDEN_ACTIONS:
            return None
        policy = data.get("policy") or ""
        confidence = data.get("confidence")
        detail = policy + (f" {confidence:.2f}" if isinstance(confidence, (int, float)) else "")
        return Line("action", at, text=event.action_name or "", detail=detail.strip())
    if kind == "active_loop":
        name = event.action_name
        return Line("form", at, text=f"{name} started" if name else "form ended")
    if kind == "slot":
        if event.action_name in HIDDEN_SLOTS:
            return None
        return Line("slot", at, text=f"{event.action_name} = {json.dumps(data.get('value'), ensure_ascii=False)}")
    if kind == "session_started":
        return Line("session", at, text="new session")
    return Line("other", at, text=kind)
