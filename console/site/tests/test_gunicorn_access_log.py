"""gunicorn.conf.py: the access log keeps paths, never the query strings staff searches put there."""
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from actions.settings import ROOT

CONFIG = ROOT / "console" / "site" / "gunicorn.conf.py"
PHONE = "404-555-0199"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"gunicorn exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).text == "ok":
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer at {url}:\n{log.read_text()[-3000:]}")


def test_the_access_log_has_paths_but_not_query_strings(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'clinic.db'}", "PYTHONPATH": str(ROOT),
           "CONSOLE_SECRET_KEY": secrets.token_urlsafe(50), "VAR_DIR": str(tmp_path / "var"),
           "DJANGO_SETTINGS_MODULE": "console.site.settings"}
    env.pop("CONSOLE_DEBUG", None)
    subprocess.run([sys.executable, str(ROOT / "console" / "manage.py"), "migrate", "--no-input", "-v", "0"],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=180)
    access_log, server_log = tmp_path / "access.log", tmp_path / "gunicorn.log"
    port = free_port()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "console.site.wsgi", "-c", str(CONFIG),
         "--bind", f"127.0.0.1:{port}", "--access-logfile", str(access_log)],
        cwd=ROOT, env=env, stdout=server_log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/healthz", proc, server_log)
        # the query string of a search, and the same search in the Referer of the next page
        login = requests.get(f"{url}/accounts/login/?next=/search%3Fq%3D{PHONE}", timeout=10)
        listing = requests.get(f"{url}/conversations/?q={PHONE}", allow_redirects=False, timeout=10,
                               headers={"Referer": f"{url}/conversations/?q={PHONE}"})
        assert (login.status_code, listing.status_code) == (200, 302)
        deadline = time.monotonic() + 10
        while access_log.read_text().count("\n") < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(20)
    logged = access_log.read_text()
    assert '"GET /accounts/login/ HTTP/1.1" 200' in logged
    assert '"GET /conversations/ HTTP/1.1" 302' in logged
    assert PHONE not in logged and "?" not in logged
    assert server_log.read_text().count("Booting worker") == 2  # workers = 2
