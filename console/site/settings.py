"""Settings of the staff console (Django).

The console uses the assistant's one database (`DATABASE_URL`, SQLite var/clinic.db by
default; see actions/settings.py): it reads the tables Rasa's tracker store and the
action server write (`events`, `booking_requests`) and keeps its own tables beside them.

Environment:
  DATABASE_URL            the assistant's database (shared with the Rasa and action servers)
  CONSOLE_SECRET_KEY      Django's secret key; generated into var/run/console-secret-key if unset
  CONSOLE_ALLOWED_HOSTS   comma-separated host names (default: localhost,127.0.0.1)
  CONSOLE_HTTPS           1 behind HTTPS: secure cookies, HSTS
  CONSOLE_DEBUG           1 for Django's debug pages (never in production)
  CONSOLE_LOW_CONFIDENCE  below this intent confidence a message counts as "unsure" (0.6)
  CONSOLE_RETENTION_DAYS  `purge_conversations` deletes conversations idle longer (365)
  CONSOLE_AUDIT_RETENTION_DAYS  ... and audit-log entries older than this (2190 days: 6 years)
  CONSOLE_LOGIN_FAILURES  wrong passwords in a row that lock a username at one IP address (5)
  CONSOLE_LOCKOUT_MINUTES how long such a lock lasts (15)
"""
import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url

from actions.clinic_profile import load_profile
from actions.settings import ROOT, database_url

BASE_DIR = ROOT / "console"
RUN_DIR = ROOT / "var" / "run"


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


def _secret_key() -> str:
    key = os.environ.get("CONSOLE_SECRET_KEY", "").strip()
    if key:
        return key
    path = RUN_DIR / "console-secret-key"
    if not path.exists():
        RUN_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _database(url: str) -> dict:
    # SQLAlchemy URLs may name a driver ("postgresql+psycopg2://"); Django picks its own.
    scheme, rest = url.split("://", 1)
    config = dj_database_url.parse(scheme.split("+")[0] + "://" + rest, conn_max_age=60)
    if config["ENGINE"].endswith("sqlite3"):
        # Rasa writes to the same file: wait for its write lock instead of failing.
        # IMMEDIATE: a transaction takes the write lock when it starts, so two syncs queue
        # instead of one failing halfway ("database is locked").
        config["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
        config["CONN_MAX_AGE"] = 0
    return config


SECRET_KEY = _secret_key()
DEBUG = _env_flag("CONSOLE_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("CONSOLE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "console.common",
    "console.conversations",
    "console.bookings",
    "console.inbox",
    "console.overview",
    "console.audit",
    "axes",  # login rate limiting: its own tables (failed attempts), migrated with the console's
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a logged-in user unless it says otherwise (only the login page does).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: turns a locked-out login attempt into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "console.site.urls"
WSGI_APPLICATION = "console.site.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "console.common.context.console",
    ]},
}]

DATABASES = {"default": _database(database_url())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# axes first: it refuses a locked-out username before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing: after this many failures for one username from one IP address, that pair is
# locked for a while (another user at the same desk, or the same user elsewhere, can still log in).
AXES_FAILURE_LIMIT = int(os.environ.get("CONSOLE_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("CONSOLE_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a typo now and then never adds up to a lock
AXES_LOCKOUT_CALLABLE = "console.common.lockout.locked_out"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "conversations:list"
LOGOUT_REDIRECT_URL = "login"

# Staff read patients' messages: sessions end when the browser closes and after 8 hours.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if _env_flag("CONSOLE_HTTPS"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000

LANGUAGE_CODE = "en-us"


def _clinic_timezone() -> str:
    try:
        return load_profile().timezone
    except Exception:  # a malformed profile must not lock staff out; the action server reports it
        return "America/New_York"


TIME_ZONE = _clinic_timezone()  # the clinic's own zone: staff read times as the clinic lives them
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# WhiteNoise serves the console's few static files straight from the apps (found and
# indexed once at start-up): no collectstatic step, no separate web server needed.
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"console": {"level": "INFO"}},
}

# The console's own settings.
CONSOLE_LOW_CONFIDENCE = float(os.environ.get("CONSOLE_LOW_CONFIDENCE", "0.6"))
CONSOLE_RETENTION_DAYS = int(os.environ.get("CONSOLE_RETENTION_DAYS", "365"))
# Six years: HIPAA's retention period for required documentation, 45 CFR §164.316(b)(2).
CONSOLE_AUDIT_RETENTION_DAYS = int(os.environ.get("CONSOLE_AUDIT_RETENTION_DAYS", "2190"))
CONSOLE_PAGE_SIZE = 50
# Events newer than this are left for the next sync (see conversations/sync.py); default: 0 on SQLite, 30 s on PostgreSQL.
CONSOLE_SYNC_SETTLE_SECONDS = float(os.environ["CONSOLE_SYNC_SETTLE_SECONDS"]) if os.environ.get("CONSOLE_SYNC_SETTLE_SECONDS") else None
# Where the trained models and their promotion record are (the transcript names the model per message).
CONSOLE_MODELS_DIR = Path(os.environ.get("CONSOLE_MODELS_DIR", ROOT / "models"))
# Where `export_corrections` writes the corrected examples (a Rasa NLU file under data/).
CONSOLE_CORRECTIONS_FILE = Path(os.environ.get("CONSOLE_CORRECTIONS_FILE", ROOT / "data" / "nlu_corrections.yml"))
