"""Conversations as the console sees them.

`Event` is Rasa's tracker-store table, read as it is. `Conversation` and `VisitorMessage` are
the console's summary of it, kept up to date incrementally by `sync.py`: the list, filters,
search, inbox and charts query these small indexed tables instead of parsing 200,000 JSON
events per page.
"""
from django.conf import settings
from django.db import models


class Event(models.Model):
    """One row of Rasa's SQL tracker store (written by the Rasa server only)."""

    id = models.AutoField(primary_key=True)
    sender_id = models.CharField(max_length=255)
    type_name = models.CharField(max_length=255)
    timestamp = models.FloatField(null=True)
    intent_name = models.CharField(max_length=255, null=True)
    action_name = models.CharField(max_length=255, null=True)
    data = models.TextField(null=True)

    class Meta:
        managed = False
        db_table = "events"


WARNING_LEVELS = ("urgent", "emergency")  # the NLU warning-sign screen's levels, mildest first


def warning_rank(level: str) -> int:
    """0 for no warning sign, 1 urgent, 2 emergency: how the list sorts conversations awaiting review."""
    return WARNING_LEVELS.index(level) + 1 if level in WARNING_LEVELS else 0


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Conversation(models.Model):
    """Summary of one visitor's conversation (one Rasa sender id)."""

    sender_id = models.CharField(max_length=255, unique=True)
    started_at = models.DateTimeField()
    last_event_at = models.DateTimeField(db_index=True)
    channel = models.CharField(max_length=32, blank=True)
    visitor_messages = models.PositiveIntegerField(default=0)  # not counting the widget's automatic "/greet"
    first_question = models.CharField(max_length=300, blank=True)
    has_fallback = models.BooleanField(default=False)
    min_confidence = models.FloatField(null=True)  # lowest intent confidence of a typed message outside forms
    human_requested = models.BooleanField(default=False)
    booking_started = models.BooleanField(default=False)
    greeting_only = models.BooleanField(default=True)
    active_form = models.CharField(max_length=64, blank=True)  # sync state: the form running at the last event
    # The highest warning level of its visitor messages ("", "urgent", "emergency") and their signs
    # The assistant told the visitor it could not send their request (the action server was down): staff
    # follow it up from the transcript unless a request from this conversation came in after it.
    request_not_sent_at = models.DateTimeField(null=True, blank=True)
    warning_level = models.CharField(max_length=16, blank=True, default="")
    warning_signs = models.JSONField(default=list, blank=True)  # in the order first reported
    # What awaits review: warning_rank() of warning_level when a warning sign came after the
    # last review, else 0. The list shows these first (emergency, then urgent).
    attention = models.PositiveSmallIntegerField(default=0)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    tags = models.ManyToManyField(Tag, blank=True, related_name="conversations")

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["greeting_only", "-attention", "-started_at"], name="conv_triage_idx"),
            models.Index(fields=["greeting_only", "-started_at"], name="conv_list_idx"),
            models.Index(fields=["-started_at"], name="conv_started_idx"),
        ]

    def __str__(self) -> str:
        return self.sender_id

    @property
    def awaiting_review(self) -> bool:
        return self.attention > 0

    def mark_reviewed(self, user) -> None:
        from django.utils import timezone

        self.reviewed_at, self.reviewed_by, self.attention = timezone.now(), user, 0
        self.save(update_fields=["reviewed_at", "reviewed_by", "attention"])

    def mark_not_reviewed(self) -> None:
        self.reviewed_at, self.reviewed_by, self.attention = None, None, warning_rank(self.warning_level)
        self.save(update_fields=["reviewed_at", "reviewed_by", "attention"])


class VisitorMessage(models.Model):
    """A visitor's message with what the model made of it."""

    event_id = models.BigIntegerField(unique=True)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sent_at = models.DateTimeField(db_index=True)
    text = models.TextField()
    intent = models.CharField(max_length=64)  # the best real intent (never nlu_fallback)
    confidence = models.FloatField(null=True)
    is_fallback = models.BooleanField(default=False)  # below the NLU fallback threshold
    is_button = models.BooleanField(default=False)  # a quick-reply payload such as "/ask_price"
    in_form = models.BooleanField(default=False)  # answered a form's question (name, phone, time)
    model_id = models.CharField(max_length=64, blank=True)
    warning_level = models.CharField(max_length=16, blank=True, default="")  # the warning-sign screen's verdict
    warning_signs = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["event_id"]
        indexes = [
            models.Index(fields=["intent", "conversation"], name="msg_intent_idx"),
            models.Index(fields=["conversation", "event_id"], name="msg_conv_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Note(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class SyncState(models.Model):
    """How far the summary has read Rasa's events table (one row)."""

    last_event_id = models.BigIntegerField(default=0)
    synced_at = models.DateTimeField(null=True)
