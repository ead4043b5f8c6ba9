"""After the Rasa server's warning reply (safety/policy.py): what only the action server can add.

The staff are e-mailed once per conversation; for an urgent sign the visitor gets the clinic's phone
(when the profile sets one) and an offer of an urgent call-back, which a "yes" accepts. When this
server is down or the profile does not load, the warning itself has already been sent.
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic_profile import load_profile
from actions.staff_notice import alert_staff


class ActionWarningFollowup(Action):
    def name(self) -> Text:
        return "action_warning_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        warning = (tracker.latest_message or {}).get("warning") or {}
        profile = load_profile()
        events: List[Dict[Text, Any]] = []
        if not tracker.get_slot("staff_alerted"):
            await asyncio.to_thread(alert_staff, tracker.sender_id, warning.get("level") or "urgent",
                                    warning.get("signs") or [], profile)
            events.append(SlotSet("staff_alerted", True))
        if warning.get("level") == "urgent":
            if profile.phone:
                dispatcher.utter_message(response="utter_warning_contact_offer_with_phone", clinic_phone=profile.phone)
            else:
                dispatcher.utter_message(response="utter_warning_contact_offer")
            events.append(SlotSet("pending_offer", "callback"))
        return events
