"""Real servers for end-to-end tests: the action server and the Rasa server with
the current trained model, on free ports, with a throw-away SQLite database and
the fixture clinic profile.  Started once per test session, only when a test
asks for them."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

import pytest
import requests

from scripts.local_servers import BIN, free_port, server_env, start_action_server, wait_until, write_endpoints  # noqa: F401
from scripts.model_files import current_model
from tests.helpers import FIXTURE_PROFILE, ROOT

API_TOKEN = "test-token"


@dataclass
class Servers:
    rasa_url: str
    actions_url: str
    database_url: str
    env: Dict[str, str]
    endpoints: Path
    workdir: Path
    rasa_proc: subprocess.Popen
    actions_proc: subprocess.Popen
    rasa_port: int

    def say(self, sender: str, message, timeout: float = 30) -> list:
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message}, timeout=timeout)
        response.raise_for_status()
        return response.json()

    def last_responses(self, sender: str) -> list:
        """The response names (utter_action) the bot sent after the visitor's last message."""
        from tests.support.conversation_runner import Stack, record_turn, tracker
        state = tracker(Stack(self.rasa_url, API_TOKEN, self.database_url, None), sender)
        last_user = max(i for i, e in enumerate(state["events"]) if e["event"] == "user")
        return record_turn("", [], state, last_user).responses

    def start_rasa(self) -> None:
        """(Re)start the Rasa server on the same port, database and model."""
        log = self.workdir / "rasa.log"
        self.rasa_proc = subprocess.Popen(
            [str(BIN / "rasa"), "run", "--model", str(current_model()), "--endpoints", str(self.endpoints),
             "--credentials", str(ROOT / "credentials.yml"), "--enable-api", "--auth-token", API_TOKEN, "--port", str(self.rasa_port)],
            cwd=ROOT, env=self.env, stdout=log.open("a"), stderr=subprocess.STDOUT)
        wait_until(lambda: requests.get(f"{self.rasa_url}/status", params={"token": API_TOKEN}, timeout=2).json().get("model_file"),
                   240, "Rasa server", self.rasa_proc, log)

    def stop_rasa(self) -> None:
        self.rasa_proc.terminate()
        try:
            self.rasa_proc.wait(30)
        except subprocess.TimeoutExpired:
            self.rasa_proc.kill()
            self.rasa_proc.wait()


@pytest.fixture(scope="session")
def action_server(tmp_path_factory):
    """Only the action server (for `rasa test` stories), on its own database."""
    if current_model() is None:
        pytest.fail("no trained model for the current data: run `make train` (make test does)")
    workdir = tmp_path_factory.mktemp("actions")
    env = server_env(workdir, f"sqlite:///{workdir / 'clinic.db'}")
    proc, url = start_action_server(workdir, env)
    yield {"url": url, "endpoints": write_endpoints(workdir, url), "env": env, "workdir": workdir}
    proc.terminate()
    proc.wait(30)


def start_servers(workdir: Path, profile: Path = FIXTURE_PROFILE, extra_env: Optional[Dict[str, str]] = None) -> Servers:
    """An action server and a Rasa server on a throw-away SQLite database, under `profile`."""
    if current_model() is None:
        pytest.fail("no trained model for the current data: run `make train` (make test does)")
    database_url = f"sqlite:///{workdir / 'clinic.db'}"
    env = {**server_env(workdir, database_url), "CLINIC_PROFILE": str(profile), **(extra_env or {})}
    actions_proc, actions_url = start_action_server(workdir, env)
    port = free_port()
    running = Servers(rasa_url=f"http://127.0.0.1:{port}", actions_url=actions_url, database_url=database_url,
                      env=env, endpoints=write_endpoints(workdir, actions_url), workdir=workdir,
                      rasa_proc=None, actions_proc=actions_proc, rasa_port=port)
    running.start_rasa()
    return running


def stop_servers(running: Servers) -> None:
    running.stop_rasa()
    running.actions_proc.terminate()
    running.actions_proc.wait(30)


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    running = start_servers(tmp_path_factory.mktemp("servers"))
    yield running
    stop_servers(running)


@pytest.fixture(scope="session")
def services_servers(tmp_path_factory):
    """Servers under the fixture profile plus two `services` (PRP and gift cards), on their own database:
    for the tests of services, languages and sources, so that the shared `servers` database stays as the
    console's walk through it expects."""
    import yaml
    workdir = tmp_path_factory.mktemp("services")
    data = yaml.safe_load(FIXTURE_PROFILE.read_text())
    data["services"] = {"prp": "Yes: microneedling with PRP is offered, $450 per session.",
                        "gift_card": "Gift cards in any amount are sold at the front desk."}
    profile = Path(workdir) / "clinic_profile.yml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True))
    running = start_servers(workdir, profile)
    yield running
    stop_servers(running)

