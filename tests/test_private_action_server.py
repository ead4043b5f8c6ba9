"""The action server is private: it listens on loopback only and runs nothing for a caller without
the Rasa server's secret. Against the real action server (`python -m actions.server`), on its own
SQLite file; a forged call with the right secret is the control that shows the refusal is what
keeps the staff queue clean."""
import socket
import subprocess

import pytest
import requests
import sqlalchemy as sa

from scripts.local_servers import BIN, ROOT, free_port
from tests.helpers import SLOT_DEFAULTS
from tests.test_booking_store import CONFIRMED


def forged_call(sender: str) -> dict:
    """What a forger would POST: a tracker whose booking form is confirmed, asking to submit it."""
    slots = {**SLOT_DEFAULTS, **CONFIRMED}
    return {"next_action": "action_submit_booking", "sender_id": sender, "version": "3.6.21",
            "tracker": {"sender_id": sender, "slots": slots, "latest_message": {"text": "yes", "intent": {"name": "affirm"}},
                        "events": [{"event": "user", "text": "yes", "parse_data": {"intent": {"name": "affirm"}}}],
                        "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"},
            "domain": {"slots": {}, "responses": {}}}


def stored_requests(action_server, sender: str) -> int:
    with sa.create_engine(action_server["env"]["DATABASE_URL"]).connect() as conn:
        if not sa.inspect(conn).has_table("booking_requests"):
            return 0
        return conn.execute(sa.text("SELECT count(*) FROM booking_requests WHERE conversation_id = :s"), {"s": sender}).scalar()


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-secret"}, {"Authorization": "wrong"}],
                         ids=["no secret", "wrong secret", "malformed header"])
def test_a_forged_webhook_call_is_refused_and_stores_nothing(action_server, headers):
    response = requests.post(f"{action_server['url']}/webhook", json=forged_call("forger"), headers=headers, timeout=10)
    assert response.status_code == 401
    assert "RR-" not in response.text
    assert stored_requests(action_server, "forger") == 0


def test_the_same_call_with_the_rasa_servers_secret_is_run(action_server):
    headers = {"Authorization": f"Bearer {action_server['env']['ACTIONS_TOKEN']}"}
    response = requests.post(f"{action_server['url']}/webhook", json=forged_call("rasa-server"), headers=headers, timeout=10)
    assert response.status_code == 200 and "RR-" in response.text
    assert stored_requests(action_server, "rasa-server") == 1


def test_the_list_of_actions_is_private_and_health_is_open(action_server):
    assert requests.get(f"{action_server['url']}/actions", timeout=5).status_code == 401
    assert requests.get(f"{action_server['url']}/health", timeout=5).json() == {"status": "ok"}


def _outward_address() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outward interface
        return probe.getsockname()[0]


def test_it_listens_on_loopback_only(action_server):
    address = _outward_address()
    if address.startswith("127."):
        pytest.skip("skipped: this machine has no address but loopback")
    port = int(action_server["url"].rsplit(":", 1)[1])
    with pytest.raises(OSError):
        socket.create_connection((address, port), timeout=3).close()
    socket.create_connection(("127.0.0.1", port), timeout=3).close()


def test_without_a_secret_it_refuses_to_start(action_server, tmp_path):
    env = {**action_server["env"], "ACTIONS_TOKEN": ""}
    result = subprocess.run([str(BIN / "python"), "-m", "actions.server", "--port", str(free_port())],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "ACTIONS_TOKEN is not set" in result.stderr
