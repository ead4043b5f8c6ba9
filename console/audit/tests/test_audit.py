"""The audit log: every view, export, change and deletion of patient records, seen by admins only."""
import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from console.audit.models import AuditEntry
from console.bookings.models import BookingRequest
from console.conftest import add_conversation, add_request, page_of
from console.conversations.event_factory import Turn
from console.conversations.models import Conversation
from console.conversations.sync import sync

NOW = dt.datetime.now(dt.timezone.utc)


@pytest.fixture
def records(db):
    add_conversation("visitor-a", [Turn("blah", "out_of_scope", confidence=0.3, fallback=True),
                                   Turn("book me", "book_appointment")])
    sync()
    add_request("visitor-a", reference="RR-AUDIT1")
    return Conversation.objects.get(sender_id="visitor-a")


def entries():
    """(username, action, kind, object id) of every entry, oldest first."""
    return [(e.username, e.action, e.object_kind, e.object_id) for e in AuditEntry.objects.order_by("at", "pk")]


def test_viewing_a_transcript_is_recorded(staff_client, records):
    staff_client.get(reverse("conversations:detail", args=[records.pk]))
    assert entries() == [("sam", "viewed", "conversation", "visitor-a")]
    entry = AuditEntry.objects.get()
    assert entry.user.username == "sam" and entry.ip_address == "127.0.0.1"


def test_exporting_requests_and_corrections_is_recorded(staff_client, records, settings, tmp_path):
    settings.CONSOLE_CORRECTIONS_FILE = tmp_path / "corrections.yml"
    b"".join(staff_client.get(reverse("bookings:export"), {"status": "open"}).streaming_content)
    staff_client.get(reverse("inbox:download"))
    assert entries() == [("sam", "exported", "request", ""), ("sam", "exported", "correction", "")]
    assert AuditEntry.objects.get(object_kind="request").detail == "CSV of 1 requests (status: open)"


def test_changing_a_request_status_and_a_correction_is_recorded(staff_client, records):
    item = BookingRequest.objects.get()
    staff_client.post(reverse("bookings:detail", args=[item.pk]), {"status": "contacted", "note": ""})
    message = records.messages.get(text="blah")
    staff_client.post(reverse("inbox:decide", args=[message.pk]), {"decision": "label", "intent": "greet"})
    changes = AuditEntry.objects.filter(action="changed").order_by("at", "pk")
    assert [(e.username, e.object_kind, e.object_id, e.detail) for e in changes] == [
        ("sam", "request", "RR-AUDIT1", "status new → contacted"),
        ("sam", "correction", str(message.pk), "labelled as greet (conversation visitor-a)")]


def test_deleting_a_conversation_is_recorded_and_keeps_its_history(admin_client, records):
    admin_client.get(reverse("conversations:detail", args=[records.pk]))
    admin_client.post(reverse("conversations:delete", args=[records.pk]))
    assert not Conversation.objects.filter(sender_id="visitor-a").exists()
    assert entries() == [("admin", "viewed", "conversation", "visitor-a"),
                         ("admin", "deleted", "conversation", "visitor-a"),
                         ("admin", "deleted", "request", "RR-AUDIT1")]


def test_staff_cannot_see_the_audit_log(staff_client, records):
    staff_client.get(reverse("conversations:detail", args=[records.pk]))
    assert staff_client.get(reverse("audit:log")).status_code == 403
    assert staff_client.get("/admin/audit/auditentry/").status_code == 302  # to the admin's own login
    assert "Audit log" not in page_of(staff_client.get(reverse("conversations:list"))).find("nav").text


def test_admins_see_entries_newest_first_and_filter_them(admin_client, staff_client, records):
    staff_client.get(reverse("conversations:detail", args=[records.pk]))
    staff_client.get(reverse("bookings:detail", args=[BookingRequest.objects.get().pk]))
    admin_client.get(reverse("conversations:detail", args=[records.pk]))
    nav = page_of(admin_client.get(reverse("conversations:list"))).find("nav")
    assert nav.find("a", href=reverse("audit:log")).text == "Audit log"

    def rows(**params):
        table = page_of(admin_client.get(reverse("audit:log"), params)).find("table", id="audit")
        return [[cell.text for cell in row.find_all("td")][1:4] for row in table.find("tbody").find_all("tr")]

    assert rows() == [["admin", "viewed", "conversation visitor-a"], ["sam", "viewed", "request RR-AUDIT1"],
                      ["sam", "viewed", "conversation visitor-a"]]
    assert rows(user="SAM") == [["sam", "viewed", "request RR-AUDIT1"], ["sam", "viewed", "conversation visitor-a"]]
    assert rows(object_id="RR-AUDIT1") == [["sam", "viewed", "request RR-AUDIT1"]]
    empty = page_of(admin_client.get(reverse("audit:log"), {"user": "sam", "object_id": "nobody"}))
    assert empty.find("table", id="audit").find("tbody").text == "No entries match these filters."


def test_the_audit_log_is_paginated(admin_client, records, settings):
    settings.CONSOLE_PAGE_SIZE = 2
    for _ in range(3):
        admin_client.get(reverse("conversations:detail", args=[records.pk]))
    first = page_of(admin_client.get(reverse("audit:log")))
    assert len(first.find("table", id="audit").find("tbody").find_all("tr")) == 2
    assert first.find("nav", cls="pager").find("a", rel="next")
    second = page_of(admin_client.get(reverse("audit:log"), {"page": 2}))
    assert len(second.find("table", id="audit").find("tbody").find_all("tr")) == 1


def test_entries_outlive_the_staff_account(admin_client, staff_client, staff_user, records):
    staff_client.get(reverse("conversations:detail", args=[records.pk]))
    staff_user.delete()
    assert entries() == [("sam", "viewed", "conversation", "visitor-a")]
    assert "sam (deleted account)" in page_of(admin_client.get(reverse("audit:log"))).find("table", id="audit").text


def test_the_django_admin_shows_entries_read_only(admin_client, records):
    admin_client.get(reverse("conversations:detail", args=[records.pk]))
    entry = AuditEntry.objects.get()
    assert admin_client.get("/admin/audit/auditentry/").status_code == 200
    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"username": "x"}).status_code == 403
    assert admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get().username == "admin"


def test_purge_removes_only_entries_older_than_the_audit_retention(records, settings):
    settings.CONSOLE_AUDIT_RETENTION_DAYS = 2190
    for days, object_id in ((2191, "too-old"), (2189, "kept"), (400, "kept-past-conversation-retention")):
        AuditEntry.objects.create(at=NOW - dt.timedelta(days=days), username="sam", action="viewed",
                                  object_kind="conversation", object_id=object_id)
    call_command("purge_conversations")
    assert set(AuditEntry.objects.values_list("object_id", flat=True)) == {"kept", "kept-past-conversation-retention"}
