"""The booking and callback queue: statuses with history, masking, CSV export."""
import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from console.bookings.models import BookingRequest, StatusChange
from console.conftest import add_conversation, add_request, page_of
from console.conversations.event_factory import Turn
from console.conversations.sync import sync

NOW = dt.datetime.now(dt.timezone.utc)


@pytest.fixture
def queue(db):
    add_conversation("v-book", [Turn("book me", "book_appointment")])
    sync()
    add_request("v-book", reference="RR-BOOK01", contact="(770) 555-0134", created_at=NOW - dt.timedelta(hours=2))
    add_request("v-call", kind="callback", reference="RR-CALL01", name="Sam Lee", contact="sam.lee@example.com",
                created_at=NOW - dt.timedelta(hours=1))
    add_request("v-done", reference="RR-DONE01", status="booked", created_at=NOW - dt.timedelta(days=3))


def test_queue_lists_newest_first_with_masked_contacts(staff_client, queue):
    html = staff_client.get(reverse("bookings:queue")).content.decode()
    assert html.index("RR-CALL01") < html.index("RR-BOOK01") < html.index("RR-DONE01")
    assert "555-0134" not in html and "sam.lee@example.com" not in html
    assert "s•••@example.com" in html and "•••-•••-••34" in html
    assert 'href="/conversations/' in html  # link to the transcript where the conversation is known


@pytest.mark.parametrize("params, expected", [
    ({"status": "open"}, {"RR-BOOK01", "RR-CALL01"}),
    ({"status": "booked"}, {"RR-DONE01"}),
    ({"kind": "callback"}, {"RR-CALL01"}),
    ({"kind": "booking", "status": "new"}, {"RR-BOOK01"}),
])
def test_queue_filters(staff_client, queue, params, expected):
    html = staff_client.get(reverse("bookings:queue"), params).content.decode()
    assert {ref for ref in ("RR-BOOK01", "RR-CALL01", "RR-DONE01") if ref in html} == expected


def test_status_changes_are_recorded_with_who_when_and_a_note(staff_client, staff_user, queue):
    request = BookingRequest.objects.get(reference="RR-BOOK01")
    url = reverse("bookings:detail", args=[request.pk])
    page = staff_client.get(url).content.decode()
    assert "(770) 555-0134" in page  # the full contact where staff act on it
    staff_client.post(url, {"status": "contacted", "note": "left a voicemail"})
    response = staff_client.post(url, {"status": "booked", "note": ""}, follow=True)
    assert "RR-BOOK01 is now “Booked”" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "booked"
    changes = list(StatusChange.objects.filter(request=request).order_by("changed_at", "pk"))
    assert [(c.old_status, c.new_status, c.note, c.changed_by) for c in changes] == [
        ("new", "contacted", "left a voicemail", staff_user), ("contacted", "booked", "", staff_user)]
    assert changes[0].changed_at <= changes[1].changed_at
    history = staff_client.get(url).content.decode()
    assert "left a voicemail" in history and "new → <b>contacted</b> by sam" in history


@pytest.mark.parametrize("data", [{"status": "cancelled"}, {"status": ""}, {"status": "booked", "note": "x" * 3000}])
def test_invalid_status_changes_change_nothing(staff_client, queue, data):
    request = BookingRequest.objects.get(reference="RR-BOOK01")
    response = staff_client.post(reverse("bookings:detail", args=[request.pk]), data)
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == "new" and not StatusChange.objects.exists()


def test_csv_export_has_every_request_in_full_and_defuses_formulas(staff_client, queue):
    add_request("v-evil", reference="RR-EVIL01", name="=HYPERLINK(\"http://x\")", contact="+1 770 555 0100")
    response = staff_client.get(reverse("bookings:export"))
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["reference"] for r in rows] == ["RR-DONE01", "RR-BOOK01", "RR-CALL01", "RR-EVIL01"]
    assert rows[1]["contact"] == "(770) 555-0134" and rows[1]["conversation_id"] == "v-book"
    assert [r["urgent"] for r in rows] == ["no", "no", "no", "no"]
    assert rows[3]["name"].startswith("'=") and rows[3]["contact"] == "'+1 770 555 0100"


def test_csv_export_follows_the_filters(staff_client, queue):
    response = staff_client.get(reverse("bookings:export"), {"kind": "callback"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["reference"] for r in rows] == ["RR-CALL01"]


# ----------------------------------------------------------------------------- urgent requests

def queue_rows(client, **params):
    """The queue as staff read it: (reference, the reference cell's text, status) per row, in order."""
    response = client.get(reverse("bookings:queue"), params)
    assert response.status_code == 200
    found = []
    for row in page_of(response).find("table", id="requests").find("tbody").find_all("tr"):
        cells = row.find_all("td")
        if len(cells) > 1:
            found.append((cells[1].find("a").text, cells[1].text, cells[6].text))
    return found


@pytest.fixture
def urgent_queue(queue):
    add_conversation("v-fever", [Turn("fever and pus since the treatment, can someone call me", "request_human",
                                      warning="urgent", signs=["fever", "pus"])])
    sync()
    add_request("v-fever", kind="callback", reference="RR-URG001", urgent=True, created_at=NOW - dt.timedelta(days=1))
    add_request("v-old", kind="callback", reference="RR-URG002", urgent=True, created_at=NOW - dt.timedelta(days=2),
                status="contacted")
    add_request("v-handled", kind="callback", reference="RR-URG003", urgent=True, status="booked",
                created_at=NOW - dt.timedelta(minutes=30))


def test_open_urgent_requests_come_first_with_an_urgent_badge(staff_client, urgent_queue):
    assert queue_rows(staff_client) == [
        ("RR-URG001", "RR-URG001 Urgent", "New"),  # open and urgent: first, newest first
        ("RR-URG002", "RR-URG002 Urgent", "Contacted"),
        ("RR-URG003", "RR-URG003 Urgent", "Booked"),  # urgent but handled: back in date order
        ("RR-CALL01", "RR-CALL01", "New"),
        ("RR-BOOK01", "RR-BOOK01", "New"),
        ("RR-DONE01", "RR-DONE01", "Booked"),
    ]
    page = page_of(staff_client.get(reverse("bookings:queue")))
    assert page.find("span", cls="urgent").text == "Urgent"
    assert page.find("main").find("p", cls="muted").text.startswith(
        "6 requests: open urgent ones first, then newest first.")
    assert [r[0] for r in queue_rows(staff_client, kind="callback", status="open")] == [
        "RR-URG001", "RR-URG002", "RR-CALL01"]


def test_an_urgent_request_leaves_the_top_once_it_is_handled(staff_client, urgent_queue):
    request = BookingRequest.objects.get(reference="RR-URG001")
    staff_client.post(reverse("bookings:detail", args=[request.pk]), {"status": "booked", "note": "seen today"})
    assert [r[0] for r in queue_rows(staff_client)] == [
        "RR-URG002", "RR-URG003", "RR-CALL01", "RR-BOOK01", "RR-URG001", "RR-DONE01"]


def test_the_request_page_says_it_is_urgent_and_why(staff_client, urgent_queue):
    urgent = page_of(staff_client.get(reverse("bookings:detail", args=[
        BookingRequest.objects.get(reference="RR-URG001").pk])))
    assert urgent.find("h1").text == "Callback request RR-URG001 Urgent"
    assert urgent.find("p", id="urgent").text == (
        "Urgent warning signs reported in the conversation: fever, pus. Call back first.")
    assert urgent.find("td", id="urgency").text == "Yes"
    # the conversation is not known to the console (deleted, or not synced): the request still says it
    unknown = page_of(staff_client.get(reverse("bookings:detail", args=[
        BookingRequest.objects.get(reference="RR-URG002").pk])))
    assert unknown.find("p", id="urgent").text == "A warning sign was reported in the conversation. Call back first."
    calm = page_of(staff_client.get(reverse("bookings:detail", args=[
        BookingRequest.objects.get(reference="RR-BOOK01").pk])))
    assert calm.find("h1").text == "Booking request RR-BOOK01"
    assert calm.find_all(id="urgent") == [] and calm.find("td", id="urgency").text == "No"


def test_csv_export_has_the_urgent_column(staff_client, urgent_queue):
    response = staff_client.get(reverse("bookings:export"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert list(rows[0])[-1] == "urgent"
    assert {r["reference"]: r["urgent"] for r in rows} == {
        "RR-URG002": "yes", "RR-URG001": "yes", "RR-URG003": "yes", "RR-DONE01": "no", "RR-BOOK01": "no",
        "RR-CALL01": "no"}


def test_with_email_on_a_request_whose_notice_has_not_gone_out_is_marked(staff_client, queue, monkeypatch):
    BookingRequest.objects.filter(reference="RR-CALL01").update(notified=True)
    assert "e-mail not sent" not in staff_client.get(reverse("bookings:queue")).content.decode()  # e-mail off
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    rows = {line.split("RR-")[1][:6]: line for line in staff_client.get(reverse("bookings:queue")).content.decode()
            .split("<tr") if "RR-" in line}
    assert "e-mail not sent" in rows["BOOK01"] and "e-mail not sent" not in rows["CALL01"]


def test_a_request_the_assistant_could_not_send_is_listed_until_one_comes_in(staff_client, db):
    told = Turn("yes", "affirm", reply="Sorry, I can't send your request to the team right now…", action="utter_request_not_sent")
    add_conversation("v-unsent", [Turn("book me", "book_appointment", form="booking_form"), told],
                     start=NOW - dt.timedelta(minutes=30))
    add_conversation("v-fine", [Turn("book me", "book_appointment", form="booking_form")])
    section = page_of(staff_client.get(reverse("bookings:queue"))).find("section", id="not-sent")
    items = section.find_all("li")
    assert [li.text.split(" (")[0].strip() for li in items] == ["book me"]
    assert items[0].find("a").attrs["href"].startswith("/conversations/")
    add_request("v-unsent", reference="RR-LATER1", created_at=NOW)  # "Try again" sent it after all
    assert page_of(staff_client.get(reverse("bookings:queue"))).find_all("section", id="not-sent") == []
