"""Booking store against a real SQLite file and the real PostgreSQL server;
staff notice against a real local SMTP server (aiosmtpd); the submit action end
to end on a tracker fixture."""
import asyncio
import os
import uuid

import pytest
import sqlalchemy as sa
from rasa_sdk.executor import CollectingDispatcher

from actions import booking_store
from actions.booking import ActionSubmitBooking, ActionSubmitCallback
from tests.helpers import DOMAIN, make_tracker, slot_events, texts
from tests.support.smtp_inbox import Inbox

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def store(url, **overrides):
    values = dict(kind="booking", name="Sarah", contact="(770) 555-0134", conversation_id="conv-1",
                  requested_time="2026-12-01T15:00", requested_time_text="Tuesday, December 1 at 3pm",
                  note="acne scars", url=url)
    values.update(overrides)
    return booking_store.create_request(**values)


def test_request_is_written_to_a_real_sqlite_file(sqlite_url, tmp_path):
    request = store(sqlite_url)
    assert request.created and request.status == "new" and request.reference.startswith("RR-")
    # Read it back with a separate engine, as the staff console would.
    with sa.create_engine(sqlite_url).connect() as conn:
        rows = conn.execute(sa.text("select reference, name, contact, requested_time, note, conversation_id, "
                                    "status, created_at from booking_requests")).all()
    assert len(rows) == 1
    assert rows[0][1:7] == ("Sarah", "(770) 555-0134", "2026-12-01T15:00", "acne scars", "conv-1", "new")
    assert rows[0][7] is not None
    assert (tmp_path / "clinic.db").exists()


def test_same_confirmation_twice_makes_one_row(sqlite_url):
    first, second = store(sqlite_url), store(sqlite_url)
    assert first.reference == second.reference and first.created and not second.created
    assert len(booking_store.requests_for_conversation("conv-1", url=sqlite_url)) == 1


def test_different_requests_get_different_rows(sqlite_url):
    a = store(sqlite_url)
    b = store(sqlite_url, requested_time="2026-12-02T15:00")
    c = store(sqlite_url, kind="callback", requested_time=None)
    assert len({a.reference, b.reference, c.reference}) == 3


@pytest.fixture
def postgres_url():
    """A fresh database on the real PostgreSQL server, dropped afterwards."""
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            name = f"clinic_test_{uuid.uuid4().hex[:8]}"
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        pytest.skip(f"skipped: no PostgreSQL ({exc.__class__.__name__})")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    for engine in list(booking_store._engines.values()):
        engine.dispose()
    booking_store._engines.clear()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_booking_store_on_postgres(postgres_url):
    first, second = store(postgres_url), store(postgres_url)
    assert first.created and not second.created
    with sa.create_engine(postgres_url).connect() as conn:
        assert conn.execute(sa.text("select count(*) from booking_requests")).scalar() == 1


def test_tracker_store_on_postgres(postgres_url, monkeypatch):
    """Rasa's SQL tracker store, configured by DATABASE_URL, keeps a conversation."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_extensions.url_tracker_store import UrlSQLTrackerStore

    monkeypatch.setenv("DATABASE_URL", postgres_url)
    domain = Domain.load("domain.yml")
    tracker_store = UrlSQLTrackerStore(domain=domain)
    tracker = DialogueStateTracker.from_events("pg-visitor", [
        ActionExecuted("action_listen"), UserUttered("does it hurt?", {"name": "ask_pain", "confidence": 0.9})], domain.slots)
    asyncio.run(tracker_store.save(tracker))
    reopened = UrlSQLTrackerStore(domain=domain)  # a new connection, as after a restart
    restored = asyncio.run(reopened.retrieve("pg-visitor"))
    assert restored.latest_message.text == "does it hurt?"
    assert "postgresql" in str(reopened.engine.url)


@pytest.fixture
def smtp(monkeypatch):
    inbox = Inbox().start()
    for name, value in inbox.env().items():
        monkeypatch.setenv(name, value)
    yield inbox.messages
    inbox.stop()


CONFIRMED = {"booking_name": "Sarah", "booking_contact": "(770) 555-0134",
             "booking_time": {"text": "Tuesday, December 1 at 3pm", "earliest": "2026-12-01T15:00:00-05:00",
                              "has_clock": True, "window": False},
             "booking_note": "acne scars", "booking_confirmed": True, "booking_kind": "booking",
             "booking_contact_preference": "texts only please"}


def submit(action, slots, sender="conv-42"):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, make_tracker("yes", "affirm", slots=slots, sender_id=sender), DOMAIN))
    return texts(dispatcher), slot_events(events)


def test_confirmed_booking_is_stored_and_staff_are_emailed(sqlite_url, fixture_profile, smtp):
    said, slots = submit(ActionSubmitBooking(), CONFIRMED)
    rows = booking_store.requests_for_conversation("conv-42")
    assert len(rows) == 1 and rows[0].notified
    assert rows[0].reference in said and "isn't a confirmed appointment" in said and "booked" not in said
    assert len(smtp) == 1
    mail = smtp[0]
    assert mail["To"] == "staff@example.com" and rows[0].reference in mail["Subject"]
    body = mail.get_payload()
    assert "Sarah" in body and "(770) 555-0134" in body and "Tuesday, December 1 at 3pm" in body
    assert slots["booking_time"] is None and slots["booking_confirmed"] is None  # ready for another request


def test_duplicate_confirmation_sends_one_email(sqlite_url, fixture_profile, smtp):
    submit(ActionSubmitBooking(), CONFIRMED)
    said, _ = submit(ActionSubmitBooking(), CONFIRMED)
    assert len(booking_store.requests_for_conversation("conv-42")) == 1
    assert len(smtp) == 1
    assert "RR-" in said


def test_without_smtp_the_request_is_stored_and_logged(sqlite_url, fixture_profile, caplog):
    caplog.set_level("INFO")
    said, _ = submit(ActionSubmitBooking(), CONFIRMED)
    rows = booking_store.requests_for_conversation("conv-42")
    assert len(rows) == 1 and not rows[0].notified
    assert "email notice off" in caplog.text


def test_smtp_down_still_stores_the_request(sqlite_url, fixture_profile, monkeypatch):
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", "9")  # nothing listens there
    said, _ = submit(ActionSubmitBooking(), CONFIRMED)
    rows = booking_store.requests_for_conversation("conv-42")
    assert len(rows) == 1 and not rows[0].notified and rows[0].reference in said


def test_unconfirmed_form_submits_nothing(sqlite_url, fixture_profile):
    said, _ = submit(ActionSubmitBooking(), {**CONFIRMED, "booking_confirmed": None})
    assert booking_store.requests_for_conversation("conv-42") == []
    assert "haven't sent anything" in said


def test_gave_up_offers_a_callback_and_stores_nothing(sqlite_url, fixture_profile):
    said, slots = submit(ActionSubmitBooking(), {"booking_gave_up": True, "booking_name": "Sarah"})
    assert booking_store.requests_for_conversation("conv-42") == []
    assert "nothing was sent" in said and "(770) 555-0100" in said
    assert slots["pending_offer"] == "callback"


def test_callback_request_goes_to_the_same_store(sqlite_url, fixture_profile):
    said, _ = submit(ActionSubmitCallback(), {"booking_name": "Jo", "booking_contact": "jo@example.com"})
    rows = booking_store.requests_for_conversation("conv-42")
    assert [(r.kind, r.name, r.contact, r.requested_time) for r in rows] == [("callback", "Jo", "jo@example.com", None)]
    assert "contact you at jo@example.com" in said


def test_database_down_tells_the_visitor(fixture_profile, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    said, _ = submit(ActionSubmitBooking(), CONFIRMED)
    assert "was not saved" in said and "(770) 555-0100" in said
