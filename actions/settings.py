"""Where the project's files and database are, and the clock. Imported by the action server and
by the Rasa server's tracker store, so it must stay free of heavy imports."""
import datetime as dt
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'var' / 'clinic.db'}"


def database_url() -> str:
    """The one database of the assistant: Rasa's tracker store and the booking requests.

    `DATABASE_URL` selects it (e.g. postgresql://user:pass@host:5432/clinic); a relative
    SQLite path is taken from the project root so every process opens the same file.
    """
    url = os.environ.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/"):
        url = prefix + str(ROOT / url[len(prefix):])
    if url.startswith(prefix):
        Path(url[len(prefix):]).parent.mkdir(parents=True, exist_ok=True)
    return url


def var_dir() -> Path:
    """The run-time files' folder (`VAR_DIR`, default var/): secrets, logs, the last good profile."""
    return Path(os.environ.get("VAR_DIR") or ROOT / "var")


def profile_path() -> Path:
    return Path(os.environ.get("CLINIC_PROFILE") or ROOT / "clinic_profile.yml")


_clock_offset = None


def now() -> dt.datetime:
    """The current time (UTC). `ASSISTANT_CLOCK_START` (ISO, e.g. 2026-11-25T15:00:00Z) starts the clock
    at that instant when the process first asks, and it runs on from there: the conversation tests
    use it so "tomorrow at 10" means the same day whatever day they run."""
    global _clock_offset
    real = dt.datetime.now(dt.timezone.utc)
    if _clock_offset is None:
        start = os.environ.get("ASSISTANT_CLOCK_START", "").strip()
        _clock_offset = dt.datetime.fromisoformat(start.replace("Z", "+00:00")) - real if start else dt.timedelta(0)
    return real + _clock_offset


def actions_host() -> str:
    """Where the action server listens: loopback unless `ACTIONS_HOST` says otherwise (only the
    Rasa server calls it)."""
    return os.environ.get("ACTIONS_HOST", "").strip() or "127.0.0.1"


def actions_token() -> str:
    """The secret the Rasa server sends the action server (`ACTIONS_TOKEN`); "" when unset."""
    return os.environ.get("ACTIONS_TOKEN", "").strip()
