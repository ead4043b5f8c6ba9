"""The database unreachable for 30 s, against the real Rasa and action servers on the real PostgreSQL,
reached through a TCP proxy the test cuts and restores: visitors are told the assistant is having
trouble (with the phone, and 911 first for an emergency) rather than silence, no conversation forks
into memory, and afterwards conversations go on from what was stored, nothing lost."""
import json
import queue
import time
import uuid

import pytest
import requests
import sqlalchemy as sa

from tests.servers import start_servers, stop_servers
from tests.support.tcp_proxy import TcpProxy
from tests.test_booking_store import POSTGRES_ADMIN_URL

pytestmark = pytest.mark.server

OUTAGE_SECONDS = 30
PHONE = "(770) 555-0100"  # the filled fixture profile's


@pytest.fixture(scope="module")
def database():
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"clinic_outage_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        pytest.skip(f"skipped: no PostgreSQL ({exc.__class__.__name__})")
    url = sa.engine.make_url(POSTGRES_ADMIN_URL)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    yield {"direct": str(url.set(database=name)), "proxied": str(url.set(host="127.0.0.1", port=proxy.port, database=name)),
           "proxy": proxy}
    proxy.stop()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, database):
    running = start_servers(tmp_path_factory.mktemp("outage"), extra_env={"DATABASE_URL": database["proxied"]})
    yield running
    stop_servers(running)


def post(stack, sender: str, text: str) -> requests.Response:
    return requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)


def texts(response: requests.Response) -> str:
    return " ".join(m.get("text") or "" for m in response.json())


def socketio_reply(stack, session_id: str, text: str) -> str:
    import socketio  # the sync client (websocket-client transport) runs in the project's venv

    received = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", received.put)
    client.on("session_confirm", lambda data=None: received.put({"text": ""}))
    client.connect(stack.rasa_url, transports=["websocket"], wait_timeout=10)
    try:
        client.emit("session_request", {"session_id": session_id})
        received.get(timeout=10)
        client.emit("user_uttered", {"message": text, "session_id": session_id})
        return received.get(timeout=30).get("text") or ""
    finally:
        client.disconnect()


def stored_events(database, sender: str) -> list:
    with sa.create_engine(database["direct"]).connect() as conn:
        rows = conn.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}).all()
    return [json.loads(r[0]) for r in rows]


def test_thirty_seconds_without_the_database(stack, database):
    sender = f"outage-{uuid.uuid4().hex[:6]}"
    assert "name" in texts(post(stack, sender, "I'd like to book an appointment")).lower()
    assert "phone number or email" in texts(post(stack, sender, "Maria Diaz"))

    database["proxy"].cut()
    cut_at = time.monotonic()
    during = post(stack, sender, "404-555-0122")
    assert during.status_code == 503
    said = texts(during)
    assert "having trouble" in said and "try again" in said and PHONE in said, said
    emergency = post(stack, f"{sender}-911", "my lips are swelling and my throat is closing")
    assert emergency.status_code == 503 and emergency.json()[0]["text"].startswith("Please call 911"), emergency.text
    widget_said = socketio_reply(stack, f"{sender}-widget", "does it hurt?")
    assert "having trouble" in widget_said and PHONE in widget_said, "over socket.io too, as the widget talks"
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - cut_at)))
    still = post(stack, sender, "404-555-0122")
    assert still.status_code == 503 and "having trouble" in texts(still)
    database["proxy"].restore()

    after = post(stack, sender, "404-555-0122")
    assert after.status_code == 200
    reply = texts(after)
    assert "having trouble" not in reply and "name" not in reply.lower(), "the form goes on where it was"
    events = stored_events(database, sender)
    assert sum(e["event"] == "session_started" for e in events) == 1, "one conversation, never forked"
    said_by_visitor = [e["text"] for e in events if e["event"] == "user"]
    assert said_by_visitor == ["I'd like to book an appointment", "Maria Diaz", "404-555-0122"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots.get("booking_name") == "Maria Diaz" and "0122" in (slots.get("booking_contact") or "")
    # The refused messages were never half-processed: nothing of theirs was stored.
    assert not any(e["event"] == "user" and "throat" in (e.get("text") or "") for e in stored_events(database, f"{sender}-911"))
