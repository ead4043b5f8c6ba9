"""Local Rasa action servers on free ports, for `make evaluate` (the test stories) and the tests.

The stories are written against the fixture clinic profile (tests/fixtures/clinic_profile.yml: every
fact set, fictional values), so an action server started here uses it and a throw-away database.
"""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Optional

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FIXTURE_PROFILE = ROOT / "tests" / "fixtures" / "clinic_profile.yml"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, timeout: float, what: str, proc: Optional[subprocess.Popen] = None, log: Optional[Path] = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{log.read_text()[-3000:] if log else ''}")
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{what} not ready after {timeout} s:\n{log.read_text()[-3000:] if log else ''}")


def server_env(workdir: Path, database_url: str) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=database_url, CLINIC_PROFILE=str(FIXTURE_PROFILE),
               TF_CPP_MIN_LOG_LEVEL="3", SQLALCHEMY_SILENCE_UBER_WARNING="1", RASA_TELEMETRY_ENABLED="false",
               ACTIONS_TOKEN=secrets.token_urlsafe(24))  # the Rasa server sends it (endpoints.yml)
    env.pop("SMTP_HOST", None)
    return env


def start_action_server(workdir: Path, env: Dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = workdir / "actions.log"
    proc = subprocess.Popen([str(BIN / "python"), "-m", "actions.server", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: requests.get(f"{url}/health", timeout=2).ok, 120, "action server", proc, log)
    return proc, url


def write_endpoints(workdir: Path, actions_url: str) -> Path:
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text((ROOT / "endpoints.yml").read_text().replace("http://127.0.0.1:5055", actions_url))
    return endpoints
