"""The staff e-mail outbox with the SMTP server down, then back: a real local SMTP server (aiosmtpd)
started late on the port the action would use, a real SQLite file, the submit action on a tracker
fixture."""
import threading
import time

import pytest

from actions import booking_store, staff_outbox
from actions.booking import ActionSubmitBooking
from tests.support.smtp_inbox import Inbox
from tests.test_booking_store import CONFIRMED, submit


@pytest.fixture
def late_inbox(monkeypatch):
    """An SMTP server whose port is set but which is not listening until the test starts it."""
    inbox = Inbox()
    for name, value in inbox.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OUTBOX_RETRY_BASE_SECONDS", "0")  # every failed notice is due again at once
    yield inbox
    try:
        inbox.stop()
    except (AssertionError, AttributeError, RuntimeError):
        pass  # never started


def request_row():
    return booking_store.requests_for_conversation("conv-42")[0]


def test_a_notice_that_fails_is_kept_and_sent_once_smtp_is_back(sqlite_url, fixture_profile, late_inbox):
    said, _ = submit(ActionSubmitBooking(), CONFIRMED)
    assert request_row().reference in said  # the visitor's request is taken all the same
    assert not request_row().notified  # the console shows "e-mail not sent"
    [queued] = staff_outbox.unsent()
    assert queued.attempts == 1 and "Connection refused" in queued.last_error

    assert staff_outbox.retry_due() == 0  # still down: tried again, kept again
    assert staff_outbox.unsent()[0].attempts == 2

    late_inbox.start()
    assert staff_outbox.retry_due() == 1
    assert request_row().notified
    assert len(late_inbox.messages) == 1 and request_row().reference in late_inbox.messages[0]["Subject"]
    assert staff_outbox.unsent() == []
    assert staff_outbox.retry_due() == 0 and len(late_inbox.messages) == 1  # never sent twice


def test_two_workers_retrying_at_once_send_one_email(sqlite_url, fixture_profile, late_inbox):
    submit(ActionSubmitBooking(), CONFIRMED)
    late_inbox.start()
    results = []
    workers = [threading.Thread(target=lambda: results.append(staff_outbox.retry_due())) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(results) == [0, 0, 0, 1]
    assert len(late_inbox.messages) == 1


def test_the_wait_between_attempts_doubles_up_to_an_hour(monkeypatch):
    monkeypatch.setenv("OUTBOX_RETRY_BASE_SECONDS", "30")
    waits = [staff_outbox.backoff(n).total_seconds() for n in range(1, 10)]
    assert waits[:4] == [30, 60, 120, 240]
    assert max(waits) == 3600


def test_a_notice_not_due_yet_is_left_for_later(sqlite_url, fixture_profile, late_inbox, monkeypatch):
    monkeypatch.setenv("OUTBOX_RETRY_BASE_SECONDS", "600")
    submit(ActionSubmitBooking(), CONFIRMED)
    late_inbox.start()
    assert staff_outbox.retry_due() == 0 and late_inbox.messages == []
    assert not request_row().notified


def test_the_action_server_retries_in_the_background(tmp_path):
    """The real action server: a request stored while SMTP is down is e-mailed once SMTP is up, unprompted."""
    import requests
    import sqlalchemy as sa

    from scripts.local_servers import server_env, start_action_server
    from tests.test_private_action_server import forged_call

    inbox = Inbox()
    env = {**server_env(tmp_path, f"sqlite:///{tmp_path / 'clinic.db'}"), **inbox.env(),
           "OUTBOX_POLL_SECONDS": "0.5", "OUTBOX_RETRY_BASE_SECONDS": "0.5"}
    proc, url = start_action_server(tmp_path, env)
    try:
        response = requests.post(f"{url}/webhook", json=forged_call("outbox-e2e"), timeout=30,
                                 headers={"Authorization": f"Bearer {env['ACTIONS_TOKEN']}"})
        assert response.status_code == 200 and "RR-" in response.text
        engine = sa.create_engine(env["DATABASE_URL"])
        notified = lambda: engine.connect().execute(sa.text("SELECT notified FROM booking_requests")).scalar()  # noqa: E731
        assert not notified()
        inbox.start()
        assert inbox.wait_for(lambda m: "Booking request" in m["Subject"], timeout=15), "retried and sent"
        deadline = time.monotonic() + 5
        while not notified() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert notified()
        time.sleep(2)  # more retry rounds: still one e-mail
        assert len(inbox.messages) == 1
    finally:
        proc.terminate()
        proc.wait(30)
        inbox.stop()
