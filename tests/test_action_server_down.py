"""The action server killed mid-conversation, against the real Rasa server: FAQ and safety replies go
on, a booking confirmation says the request can't be sent now (with the clinic's phone), keeps every
detail, and once the action server is back, "Try again" reads the details back and a "yes" sends them, once only. The staff receive it by e-mail."""
import signal
import subprocess

import pytest
import requests
import sqlalchemy as sa

from scripts.local_servers import BIN, ROOT, wait_until
from tests.servers import start_servers, stop_servers

pytestmark = pytest.mark.server

PHONE = "(770) 555-0100"  # the filled fixture profile's


@pytest.fixture(scope="module")
def stack(tmp_path_factory, staff_inbox):
    env = {**staff_inbox.env(), "NOTIFY_EMAIL": "staff@clinic.test", "ASSISTANT_CLOCK_START": "2026-11-25T15:00:00Z"}
    running = start_servers(tmp_path_factory.mktemp("actions-down"), extra_env=env)
    yield running
    if running.actions_proc.poll() is None:
        running.actions_proc.terminate()
        running.actions_proc.wait(30)
    stop_servers(running)


def kill_actions(stack) -> None:
    stack.actions_proc.send_signal(signal.SIGKILL)
    stack.actions_proc.wait(10)


def restart_actions(stack) -> None:
    port = stack.actions_url.rsplit(":", 1)[1]
    log = stack.workdir / "actions-restarted.log"
    stack.actions_proc = subprocess.Popen([str(BIN / "python"), "-m", "actions.server", "--port", port],
                                          cwd=ROOT, env=stack.env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    wait_until(lambda: requests.get(f"{stack.actions_url}/health", timeout=2).ok, 120, "action server",
               stack.actions_proc, log)


def text_of(replies: list) -> str:
    return " ".join(r.get("text") or "" for r in replies)


def stored(stack, sender: str) -> list:
    with sa.create_engine(stack.database_url).connect() as conn:
        return conn.execute(sa.text("SELECT name, contact, requested_time_text FROM booking_requests "
                                    "WHERE conversation_id = :s"), {"s": sender}).all()


def test_a_booking_confirmed_while_the_action_server_is_down_is_sent_once_it_is_back(stack, staff_inbox):
    sender = "down-booking"
    read_back = text_of(stack.say(sender, "can i come in thursday at 10? Maria Diaz 404-555-0122. that's all thx"))
    assert "Maria Diaz" in read_back

    kill_actions(stack)
    replies = stack.say(sender, "yes")
    said = text_of(replies)
    assert "can't send your request" in said and PHONE in said, said
    assert "booked" not in said.lower() and "confirmed" not in said.lower()
    assert [b["title"] for r in replies for b in r.get("buttons", [])] == ["Try again"]
    assert stored(stack, sender) == []

    faq = text_of(stack.say(sender, "does it hurt?"))
    assert "numbing" in faq.lower(), "FAQ answers go on without the action server"
    emergency = text_of(stack.say("down-emergency", "my lips are swelling and I can't breathe"))
    assert emergency.startswith("Call 911") or "911" in emergency.split(".")[0], emergency
    price = text_of(stack.say("down-price", "how much is a session?"))
    assert "can't look that up right now" in price and PHONE in price

    restart_actions(stack)
    again = text_of(stack.say(sender, "/affirm"))  # the "Try again" button: the details, read back
    assert "Maria Diaz" in again and "(404) 555-0122" in again and "Shall I send it" in again, again
    sent = text_of(stack.say(sender, "yes"))
    assert "RR-" in sent and "team" in sent, sent
    rows = stored(stack, sender)
    assert len(rows) == 1 and rows[0][0] == "Maria Diaz" and "0122" in rows[0][1] and "thu" in rows[0][2].lower()
    assert staff_inbox.wait_for(lambda m: "Maria Diaz" in m["Subject"], timeout=10)

    twice = text_of(stack.say(sender, "/affirm"))  # tapped once more: nothing new is stored
    assert len(stored(stack, sender)) == 1, twice
