"""Figures for the overview page, for a period of whole days in the clinic's time zone."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Dict, List, Tuple

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from console.bookings.models import BookingRequest
from console.conversations.forms import start_of
from console.conversations.models import Conversation, VisitorMessage


@dataclass
class Overview:
    days: List[dt.date]
    conversations_per_day: List[int]
    messages_per_day: List[int]
    fallback_rate_per_day: List[float | None]
    top_intents: List[Tuple[str, int]]
    conversations: int
    messages: int
    fallback_messages: int
    requests_by_status: Dict[str, int]
    bookings_requested: int
    bookings_booked: int
    callbacks_requested: int

    @property
    def fallback_rate(self) -> float | None:
        return self.fallback_messages / self.messages if self.messages else None


def overview(first: dt.date, last: dt.date) -> Overview:
    start, end = start_of(first), start_of(last + dt.timedelta(days=1))
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    conversations = Conversation.objects.filter(started_at__gte=start, started_at__lt=end, greeting_only=False)
    per_day = dict(conversations.annotate(day=TruncDate("started_at")).values("day")
                   .annotate(n=Count("id")).values_list("day", "n"))
    # typed messages only: quick-reply clicks and the widget's automatic greeting say nothing about the model
    messages = VisitorMessage.objects.filter(sent_at__gte=start, sent_at__lt=end, is_button=False)
    by_day = {row["day"]: row for row in messages.annotate(day=TruncDate("sent_at")).values("day")
              .annotate(n=Count("id"), fallbacks=Count("id", filter=Q(is_fallback=True)))}
    top = list(messages.values("intent").annotate(n=Count("id")).order_by("-n", "intent")[:12].values_list("intent", "n"))
    requests = BookingRequest.objects.filter(created_at__gte=start, created_at__lt=end)
    by_kind_status: Dict[Tuple[str, str], int] = {
        (k, s): n for k, s, n in requests.values("kind", "status").annotate(n=Count("id")).values_list("kind", "status", "n")}
    statuses: Dict[str, int] = {}
    for (_, status), n in by_kind_status.items():
        statuses[status] = statuses.get(status, 0) + n
    return Overview(
        days=days,
        conversations_per_day=[per_day.get(day, 0) for day in days],
        messages_per_day=[by_day[day]["n"] if day in by_day else 0 for day in days],
        fallback_rate_per_day=[by_day[day]["fallbacks"] / by_day[day]["n"] if by_day.get(day, {}).get("n") else None
                               for day in days],
        top_intents=top,
        conversations=sum(per_day.values()),
        messages=sum(row["n"] for row in by_day.values()),
        fallback_messages=sum(row["fallbacks"] for row in by_day.values()),
        requests_by_status=statuses,
        bookings_requested=sum(n for (k, _), n in by_kind_status.items() if k == "booking"),
        bookings_booked=by_kind_status.get(("booking", "booked"), 0),
        callbacks_requested=sum(n for (k, _), n in by_kind_status.items() if k == "callback"),
    )
