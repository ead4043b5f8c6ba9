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
    tags = models.ManyToManyField(Tag, blank=True, related_name="conversations")

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["greeting_only", "-started_at"], name="conv_list_idx"),
            models.Index(fields=["-started_at"], name="conv_started_idx"),
        ]

    def __str__(self) -> str:
        return self.sender_id


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
