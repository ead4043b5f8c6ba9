"""Deleting a conversation and the retention command remove exactly what they should."""
import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from console.bookings.models import BookingRequest, StatusChange
from console.conftest import add_conversation, add_request
from console.conversations.event_factory import Turn
from console.conversations.models import Conversation, Event, Note, Tag, VisitorMessage
from console.conversations.sync import sync
from console.inbox.models import Review

NOW = dt.datetime.now(dt.timezone.utc)


def everything_about(sender_id):
    return {
        "events": Event.objects.filter(sender_id=sender_id).count(),
        "requests": BookingRequest.objects.filter(conversation_id=sender_id).count(),
        "conversation": Conversation.objects.filter(sender_id=sender_id).count(),
        "messages": VisitorMessage.objects.filter(conversation__sender_id=sender_id).count(),
        "reviews": Review.objects.filter(message__conversation__sender_id=sender_id).count(),
        "notes": Note.objects.filter(conversation__sender_id=sender_id).count(),
    }


def full_conversation(sender_id, admin_user, start=None, reference="RR-AAAAAA"):
    add_conversation(sender_id, [Turn("blah", "out_of_scope", fallback=True), Turn("book please", "book_appointment")],
                     start=start)
    sync()
    conversation = Conversation.objects.get(sender_id=sender_id)
    conversation.tags.add(Tag.objects.get_or_create(name="vip")[0])
    Note.objects.create(conversation=conversation, author=admin_user, text="called")
    Review.objects.create(message=conversation.messages.first(), state=Review.LABELLED, intent="out_of_scope")
    request = add_request(sender_id, reference=reference)
    StatusChange.objects.create(request=request, old_status="new", new_status="contacted")
    return conversation


def test_deleting_removes_events_requests_and_everything_linked_and_nothing_else(admin_client, admin_user):
    doomed = full_conversation("doomed", admin_user, reference="RR-DOOMED")
    full_conversation("kept", admin_user, reference="RR-KEPT00")
    before = everything_about("kept")
    assert all(before.values())
    response = admin_client.post(reverse("conversations:delete", args=[doomed.pk]), follow=True)
    assert "events and 1 requests removed" in response.content.decode()
    assert everything_about("doomed") == dict.fromkeys(before, 0)
    assert not StatusChange.objects.filter(request__reference="RR-DOOMED").exists()
    assert everything_about("kept") == before
    assert StatusChange.objects.filter(request__reference="RR-KEPT00").count() == 1
    assert Tag.objects.filter(name="vip").exists()


def test_a_deleted_conversation_does_not_come_back_at_the_next_sync(admin_client, admin_user):
    doomed = full_conversation("doomed", admin_user)
    admin_client.post(reverse("conversations:delete", args=[doomed.pk]))
    sync()
    assert not Conversation.objects.filter(sender_id="doomed").exists()


def test_retention_deletes_only_conversations_idle_longer_than_the_period(admin_user, settings):
    settings.CONSOLE_RETENTION_DAYS = 30
    full_conversation("ancient", admin_user, start=NOW - dt.timedelta(days=400), reference="RR-ANCIEN")
    full_conversation("old", admin_user, start=NOW - dt.timedelta(days=31), reference="RR-OLD000")
    full_conversation("recent", admin_user, start=NOW - dt.timedelta(days=29), reference="RR-RECENT")
    # an old visitor who came back yesterday is not idle
    full_conversation("returning", admin_user, start=NOW - dt.timedelta(days=90), reference="RR-RETURN")
    add_conversation("returning", [Turn("me again", "greet")], start=NOW - dt.timedelta(days=1))
    # never seen by the console yet (no sync): retention must still find it
    add_conversation("unsynced", [Turn("hi", "greet")], start=NOW - dt.timedelta(days=100))
    call_command("purge_conversations")
    remaining = set(Event.objects.values_list("sender_id", flat=True))
    assert remaining == {"recent", "returning"}
    assert set(BookingRequest.objects.values_list("conversation_id", flat=True)) == {"recent", "returning"}
    assert set(Conversation.objects.values_list("sender_id", flat=True)) == {"recent", "returning"}


def test_retention_period_can_be_given_and_must_be_positive(admin_user):
    full_conversation("old", admin_user, start=NOW - dt.timedelta(days=10))
    call_command("purge_conversations", "--days", "11")
    assert Conversation.objects.filter(sender_id="old").exists()
    call_command("purge_conversations", "--days", "9")
    assert not Conversation.objects.filter(sender_id="old").exists()
    with pytest.raises(CommandError, match="at least one day"):
        call_command("purge_conversations", "--days", "0")
