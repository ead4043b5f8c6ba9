"""Shared fixtures. The server fixtures (real Rasa + action servers) live in tests/servers.py."""
import pytest

from tests.helpers import FIXTURE_PROFILE, ROOT


@pytest.fixture
def fixture_profile(monkeypatch):
    """Every clinic fact set (fictional values)."""
    monkeypatch.setenv("CLINIC_PROFILE", str(FIXTURE_PROFILE))


@pytest.fixture
def shipped_profile(monkeypatch):
    """The profile as shipped: no phone, address, hours or prices."""
    monkeypatch.setenv("CLINIC_PROFILE", str(ROOT / "clinic_profile.yml"))


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture(autouse=True)
def _no_smtp(monkeypatch):
    # Tests opt in to email by setting SMTP_HOST themselves.
    for name in ("SMTP_HOST", "NOTIFY_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    yield


# ------------------------------------------------------------------ conversation tests
# The conversations' week: they start on Wednesday 25 November 2026, 10:00 in Roswell, so "tomorrow
# at 10" and the filled profile's opening hours mean the same whatever day the tests run.
CLOCK_START = "2026-11-25T15:00:00Z"
PROFILES = {"shipped": ROOT / "clinic_profile.yml", "filled": FIXTURE_PROFILE,
            "broken": ROOT / "tests" / "fixtures" / "clinic_profile_broken.yml"}


@pytest.fixture(scope="session")
def staff_inbox():
    from tests.support.smtp_inbox import Inbox
    inbox = Inbox().start()
    yield inbox
    inbox.stop()


@pytest.fixture(scope="session")
def conversation_stacks(tmp_path_factory, staff_inbox):
    """`stack_for(profile, actions=True)`: a Rasa + action server pair under that clinic profile, started
    when first asked for; with `actions=False` the action server is stopped once the pair is up."""
    from tests.servers import API_TOKEN, start_servers, stop_servers
    from tests.support.conversation_runner import Stack
    started = {}

    def stack_for(profile: str, actions: bool = True) -> Stack:
        key = (profile, actions)
        if key not in started:
            env = {**staff_inbox.env(), "NOTIFY_EMAIL": "staff@clinic.test", "ASSISTANT_CLOCK_START": CLOCK_START}
            running = start_servers(tmp_path_factory.mktemp(f"conversations-{profile}"), PROFILES[profile], env)
            if not actions:
                running.actions_proc.terminate()
                running.actions_proc.wait(30)
            started[key] = running
        running = started[key]
        return Stack(rasa_url=running.rasa_url, token=API_TOKEN, database_url=running.database_url,
                     inbox=staff_inbox)
    yield stack_for
    for running in started.values():
        stop_servers(running)
