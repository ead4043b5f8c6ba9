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
