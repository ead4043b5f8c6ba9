"""Tracker fixtures for action tests: real rasa_sdk Trackers, no live services."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PROFILE = ROOT / "tests" / "fixtures" / "clinic_profile.yml"
DOMAIN: Dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text())
SLOT_DEFAULTS = {name: spec.get("initial_value") for name, spec in DOMAIN["slots"].items()}


def make_tracker(text: str = "", intent: str = "inform", *, confidence: float = 0.95,
                 slots: Optional[Dict[str, Any]] = None, requested_slot: Optional[str] = None,
                 active_loop: Optional[str] = None, ranking: Optional[List[Dict[str, Any]]] = None,
                 events: Optional[List[Dict[str, Any]]] = None, sender_id: str = "visitor-1") -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence},
              "intent_ranking": ranking or [{"name": intent, "confidence": confidence}], "entities": []}
    all_slots = {**SLOT_DEFAULTS, **(slots or {}), "requested_slot": requested_slot}
    history = list(events or []) + [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker(sender_id, all_slots, latest, history, False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def texts(dispatcher: CollectingDispatcher) -> str:
    """Everything the bot said, as one string (response names shown as [utter_x])."""
    parts = []
    for message in dispatcher.messages:
        parts.append(message.get("text") or f"[{message.get('response')}]")
    return "\n".join(parts)


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
