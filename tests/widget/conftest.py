"""Browser fixtures: the widget's static server (widget/serve.py) in front of the real Rasa
and action servers (tests/servers.py), and a real headless Chromium driven by Selenium.

Chromium and its driver are Debian's (`apt-get install chromium chromium-driver`); paths can
be changed with CHROMIUM and CHROMEDRIVER. Selenium is given both paths and runs offline, so
no tool ever downloads a browser.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.helpers import FIXTURE_PROFILE, ROOT
from tests.servers import free_port, wait_until
from tests.widget.chat import set_viewport

WIDGET = ROOT / "widget"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--disable-features=Translate,MediaRouter,OptimizationHints",
                  "--lang=en-US", "--window-size=1280,800"]


@pytest.fixture(scope="session")
def widget_files() -> Path:
    """widget/vendor/socket.io.min.js, built from the pinned npm package if missing."""
    if not (WIDGET / "vendor" / "socket.io.min.js").exists():
        subprocess.run(["bash", str(WIDGET / "build.sh")], check=True)
    return WIDGET


def start_static_server(workdir: Path, rasa_url: str, profile: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = workdir / f"widget-{port}.log"
    env = {**os.environ, "WIDGET_PORT": str(port), "WIDGET_HOST": "127.0.0.1", "RASA_URL": rasa_url,
           "CLINIC_PROFILE": str(profile)}
    proc = subprocess.Popen([sys.executable, str(WIDGET / "serve.py")], cwd=ROOT, env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: requests.get(f"{url}/clinic.json", timeout=2).ok, 30, "widget static server", proc, log)
    return proc, url


@pytest.fixture(scope="session")
def guarded_channel(servers):
    """The Rasa server's socket.io channel is the project's (history events), not the stock one."""
    import socketio

    got = []
    client = socketio.Client(reconnection=False)
    client.on("history", lambda data: got.append(data))
    client.connect(servers.rasa_url, transports=["websocket"], wait_timeout=10)
    try:
        client.emit("session_request", {"session_id": "channel-check"})
        wait_until(lambda: got, 10, "a history event")
    except TimeoutError:
        pytest.fail("credentials.yml must register the socket.io channel as "
                    "rasa_extensions.guarded_socketio.GuardedSocketIOInput (no history event came)")
    finally:
        client.disconnect()
    return servers


@pytest.fixture(scope="session")
def site(guarded_channel, widget_files, tmp_path_factory):
    servers = guarded_channel
    """Base URL of the demo site, wired to the real Rasa server (fixture profile: phone set)."""
    proc, url = start_static_server(tmp_path_factory.mktemp("widget"), servers.rasa_url, FIXTURE_PROFILE)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def unreachable_site(widget_files, tmp_path_factory):
    """A demo site whose Rasa server is never there, with the shipped profile (no phone)."""
    proc, url = start_static_server(tmp_path_factory.mktemp("widget-offline"), f"http://127.0.0.1:{free_port()}",
                                    ROOT / "clinic_profile.yml")
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def offline_filled_site(widget_files, tmp_path_factory):
    """A demo site under the filled fixture profile (privacy page set) whose Rasa server is never there:
    what the widget shows before any conversation exists (none is made)."""
    proc, url = start_static_server(tmp_path_factory.mktemp("widget-offline-filled"), f"http://127.0.0.1:{free_port()}",
                                    ROOT / "tests" / "fixtures" / "clinic_profile.yml")
    yield url
    proc.terminate()
    proc.wait(10)


def make_driver(user_data_dir: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.fail(f"needs Debian's chromium and chromium-driver ({CHROMIUM}, {CHROMEDRIVER}): "
                    "apt-get install -y chromium chromium-driver")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={user_data_dir}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    set_viewport(driver, 1280, 800)
    return driver



@pytest.fixture
def browser(tmp_path):
    """A fresh headless Chromium (its own profile: empty localStorage) per test."""
    driver = make_driver(tmp_path / "chromium-profile")
    yield driver
    driver.quit()


@pytest.fixture
def second_browser(tmp_path):
    driver = make_driver(tmp_path / "chromium-profile-2")
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
