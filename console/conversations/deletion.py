"""Deleting a conversation removes everything the project keeps of it: Rasa's tracker
events, its booking and callback requests (with their status history), and the console's
summary, messages, reviews, notes and tags."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from console.bookings.models import BookingRequest
from console.conversations.models import Conversation, Event
from console.conversations.sync import sync


@dataclass
class Deleted:
    conversations: int = 0
    events: int = 0
    requests: int = 0

    def __iadd__(self, other: "Deleted") -> "Deleted":
        self.conversations += other.conversations
        self.events += other.events
        self.requests += other.requests
        return self


@transaction.atomic
def delete_conversation(sender_id: str) -> Deleted:
    events, _ = Event.objects.filter(sender_id=sender_id).delete()
    requests = BookingRequest.objects.filter(conversation_id=sender_id)
    request_count = requests.count()
    requests.delete()
    conversations, _ = Conversation.objects.filter(sender_id=sender_id).delete()
    return Deleted(conversations=1 if conversations else 0, events=events, requests=request_count)


def purge_older_than(days: int, now: dt.datetime | None = None) -> Deleted:
    """Delete every conversation whose last event is more than `days` days old."""
    if days < 1:
        raise ValueError("the retention period must be at least one day")
    sync()  # summarise first: a conversation never seen by the console must not escape retention
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    total = Deleted()
    for sender_id in Conversation.objects.filter(last_event_at__lt=cutoff).values_list("sender_id", flat=True).iterator():
        total += delete_conversation(sender_id)
    return total
