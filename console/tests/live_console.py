"""The real staff console, live: gunicorn in front of the real Rasa + action servers' database
(tests/servers.py), and a headless Chromium that downloads files into a known folder.

Registered for console/tests/ by console/tests/conftest.py (a star import: `pytest_plugins`
is only allowed in the root conftest).
"""
from __future__ import annotations

import base64
import os
import re
import secrets
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict

import pytest
import requests

from tests.helpers import ROOT
from tests.servers import BIN, free_port, wait_until
from tests.widget.chat import set_viewport
from tests.widget.conftest import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS

__all__ = ["live_console", "console_browser", "console_artifacts"]  # the fixtures, for conftest.py

ARTIFACTS = ROOT / "test-artifacts"
MANAGE = ROOT / "console" / "manage.py"
STAFF_USERNAME = "walker"
STAFF_PASSWORD = "walker-staff-pass-" + secrets.token_hex(4)


@dataclass
class LiveConsole:
    url: str
    username: str
    password: str
    database: Path  # the SQLite file shared with the Rasa and action servers
    corrections_file: Path  # CONSOLE_CORRECTIONS_FILE of the running console (never created by it)
    workdir: Path
    proc: subprocess.Popen

    def conversation_ids(self) -> Dict[str, int]:
        """sender id -> console pk, read from the console's summary (filled by its page views)."""
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as db:
            return dict(db.execute("SELECT sender_id, id FROM conversations_conversation"))

    def log(self) -> str:
        path = self.workdir / "console.log"
        return path.read_text()[-3000:] if path.exists() else ""


def _manage(env: Dict[str, str], workdir: Path, *args: str) -> None:
    result = subprocess.run([sys.executable, str(MANAGE), *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=180)
    with (workdir / "manage.log").open("a") as log:
        log.write(f"$ manage.py {' '.join(args)[:200]}\n{result.stdout}{result.stderr}\n")
    if result.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed ({result.returncode}):\n{result.stdout}{result.stderr}")


@pytest.fixture(scope="session")
def live_console(servers, tmp_path_factory) -> LiveConsole:
    """gunicorn serving console.site.wsgi (as scripts/run.sh does) on the servers' database,
    migrated, with one staff (non-admin) account."""
    workdir = tmp_path_factory.mktemp("console")
    corrections = workdir / "corrections.yml"
    env = {**servers.env, "DATABASE_URL": servers.database_url, "PYTHONPATH": str(ROOT),
           "CONSOLE_SECRET_KEY": secrets.token_urlsafe(50), "CONSOLE_CORRECTIONS_FILE": str(corrections),
           "CLINIC_PROFILE": servers.env["CLINIC_PROFILE"]}
    for name in ("CONSOLE_DEBUG", "CONSOLE_HTTPS", "CONSOLE_ALLOWED_HOSTS", "CONSOLE_LOW_CONFIDENCE",
                 "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    _manage(env, workdir, "migrate", "--no-input")
    _manage(env, workdir, "shell", "-c",
            "from django.contrib.auth.models import User; "
            f"User.objects.create_user({STAFF_USERNAME!r}, password={STAFF_PASSWORD!r})")

    port = free_port()
    log = workdir / "console.log"
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "console.site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--threads", "4", "--access-logfile", str(workdir / "console-access.log")],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: requests.get(f"{url}/healthz", timeout=2).text == "ok", 60, "staff console", proc, log)
        yield LiveConsole(url=url, username=STAFF_USERNAME, password=STAFF_PASSWORD,
                          database=Path(servers.database_url.split("sqlite:///", 1)[1]),
                          corrections_file=corrections, workdir=workdir, proc=proc)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def console_session(console: LiveConsole) -> requests.Session:
    """A `requests` session logged in through the real login form (CSRF token and all)."""
    session = requests.Session()
    page = session.get(f"{console.url}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{console.url}/accounts/login/", timeout=10, allow_redirects=False, data={
        "csrfmiddlewaretoken": token, "username": console.username, "password": console.password, "next": ""})
    assert response.status_code == 302, f"login failed ({response.status_code})"
    return session


@pytest.fixture
def console_browser(tmp_path):
    """A fresh headless Chromium (same binary and flags as the widget tests) that saves downloads,
    without asking, into `driver.download_dir`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.fail(f"needs Debian's chromium and chromium-driver ({CHROMIUM}, {CHROMEDRIVER}): "
                    "bash scripts/install_browser.sh")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a browser or driver
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={tmp_path / 'chromium-profile'}"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "download.directory_upgrade": True, "safebrowsing.enabled": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        driver.set_page_load_timeout(30)
        set_viewport(driver, 1280, 800)
        # New headless mode ignores the prefs in some versions: say it over CDP as well.
        driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                               {"behavior": "allow", "downloadPath": str(downloads), "eventsEnabled": False})
        driver.download_dir = downloads
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def console_artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def full_page_screenshot(driver, path: Path) -> Path:
    """The whole page, not only the 1280x800 viewport (a transcript runs long)."""
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000), "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
