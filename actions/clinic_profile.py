"""The clinic profile (clinic_profile.yml): the only source of clinic facts.

Loaded lazily and re-read when the file changes, so the clinic's edits apply
without restarting the action server; an edit that breaks the file leaves the last version that
loaded in service (`load_profile`).  Every fact is optional; callers ask
`profile.phone` etc. and must handle `None` by saying the fact isn't available.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Optional, Tuple
from zoneinfo import ZoneInfo

import yaml

from actions import settings

logger = logging.getLogger(__name__)

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_HOURS_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class ProfileError(ValueError):
    """The profile file is malformed; the message says which line to fix."""


# The treatments besides microneedling that visitors ask about (answers/services.py finds the questions).
SERVICE_KEYS = ("prp", "botox", "fillers", "laser", "chemical_peel", "facial", "gift_card")


@dataclass(frozen=True)
class ClinicProfile:
    name: str = "the clinic"
    town: Optional[str] = None
    timezone: str = "America/New_York"
    phone: Optional[str] = None
    email: Optional[str] = None
    website: Optional[str] = None
    address: Optional[str] = None
    directions: Optional[str] = None
    # day name -> (open, close), or None when closed; empty dict = hours not published
    hours: Dict[str, Optional[Tuple[dt.time, dt.time]]] = field(default_factory=dict)
    price_session: Optional[str] = None
    price_packages: Optional[str] = None
    financing: Optional[str] = None
    max_days_ahead: int = 120
    min_notice_hours: float = 2
    notify_email: Optional[str] = None
    # Shown by the chat widget before the first message, with a link to the clinic's privacy page.
    privacy_notice: Optional[str] = None
    privacy_url: Optional[str] = None
    # Other treatments, each as the clinic wants it said (SERVICE_KEYS); a key left empty is not given here.
    services: Dict[str, str] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def has_hours(self) -> bool:
        return bool(self.hours)

    def opening_window(self, day: dt.date) -> Optional[Tuple[dt.time, dt.time]]:
        """Opening and closing time on that date, None when closed that day."""
        return self.hours.get(DAYS[day.weekday()])

    def hours_text(self) -> Optional[str]:
        """Hours as a short multi-line text, None when not published."""
        if not self.has_hours:
            return None
        lines = []
        for day in DAYS:
            window = self.hours.get(day)
            shown = "closed" if window is None else f"{_fmt(window[0])}–{_fmt(window[1])}"
            lines.append(f"- {day.capitalize()}: {shown}")
        return "\n".join(lines)

    def contact_line(self) -> Optional[str]:
        parts = [p for p in (self.phone, self.email) if p]
        return " or ".join(parts) if parts else None


def _fmt(t: dt.time) -> str:
    suffix = "am" if t.hour < 12 else "pm"
    hour = t.hour % 12 or 12
    return f"{hour}{suffix}" if t.minute == 0 else f"{hour}:{t.minute:02d}{suffix}"


def format_time_of_day(t: dt.time) -> str:
    return _fmt(t)


def _text(value) -> Optional[str]:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _parse_hours(raw) -> Dict[str, Optional[Tuple[dt.time, dt.time]]]:
    if not raw:
        return {}
    if not isinstance(raw, dict):
        raise ProfileError("hours: must be a list of 'day: HH:MM-HH:MM' lines")
    parsed: Dict[str, Optional[Tuple[dt.time, dt.time]]] = {}
    for day in DAYS:
        value = _text(raw.get(day))
        if value is None:
            continue
        if value.lower() == "closed":
            parsed[day] = None
            continue
        match = _HOURS_RE.match(value)
        if not match:
            raise ProfileError(f"hours.{day}: '{value}' is not 'HH:MM-HH:MM' or 'closed'")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        opens, closes = dt.time(h1, m1), dt.time(h2, m2)
        if closes <= opens:
            raise ProfileError(f"hours.{day}: closing time is not after opening time")
        parsed[day] = (opens, closes)
    if parsed and len(parsed) < len(DAYS):
        # A partially filled table: days left empty are taken as closed, which is
        # the safe reading (a request for such a day is refused, not accepted).
        for day in DAYS:
            parsed.setdefault(day, None)
    return parsed


def parse_profile(data: dict) -> ClinicProfile:
    data = data or {}
    prices = data.get("prices") or {}
    booking = data.get("booking") or {}
    privacy = data.get("privacy") or {}
    if not isinstance(privacy, dict):
        raise ProfileError("privacy: must have 'notice:' and 'url:' lines")
    privacy_url = _text(privacy.get("url"))
    if privacy_url and not re.match(r"https?://", privacy_url):
        raise ProfileError(f"privacy.url: '{privacy_url}' is not a web address (https://…)")
    services = data.get("services") or {}
    if not isinstance(services, dict):
        raise ProfileError("services: must have one line per treatment, e.g. 'prp: ~'")
    unknown = sorted(set(services) - set(SERVICE_KEYS))
    if unknown:
        raise ProfileError(f"services: unknown treatment '{unknown[0]}' (the keys are {', '.join(SERVICE_KEYS)})")
    timezone = _text(data.get("timezone")) or "America/New_York"
    try:
        ZoneInfo(timezone)
    except Exception as exc:  # zoneinfo raises several types
        raise ProfileError(f"timezone: unknown time zone '{timezone}'") from exc
    return ClinicProfile(
        name=_text(data.get("name")) or "the clinic",
        town=_text(data.get("town")),
        timezone=timezone,
        phone=_text(data.get("phone")),
        email=_text(data.get("email")),
        website=_text(data.get("website")),
        address=_text(data.get("address")),
        directions=_text(data.get("directions")),
        hours=_parse_hours(data.get("hours")),
        price_session=_text(prices.get("microneedling_session")),
        price_packages=_text(prices.get("packages")),
        financing=_text(prices.get("financing")),
        max_days_ahead=int(booking.get("max_days_ahead") or 120),
        min_notice_hours=float(booking.get("min_notice_hours") or 0),
        notify_email=_text(booking.get("notify_email")),
        privacy_notice=_text(privacy.get("notice")),
        privacy_url=privacy_url,
        services={key: _text(value) for key, value in services.items() if _text(value)},
    )


def _line_of(text: str, keys: Tuple[str, ...]) -> Optional[int]:
    """The line (1-based) of the setting at `keys` (e.g. ("hours", "monday")) in the YAML text."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        for key_node, value_node in node.value:
            if key_node.value == key:
                line, node = key_node.start_mark.line + 1, value_node
                break
        else:
            break
    return line


def read_profile(path: Path) -> ClinicProfile:
    """The profile in the file; ProfileError (naming the line) when it is malformed."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise ProfileError(f"{path.name} {where}{getattr(error, 'problem', None) or error}") from error
    if data is not None and not isinstance(data, dict):
        raise ProfileError(f"{path.name} line 1: the profile must be a list of 'setting: value' lines")
    try:
        return parse_profile(data)
    except ProfileError as error:
        setting = str(error).split(":", 1)[0]
        line = _line_of(text, tuple(setting.split(".")))
        raise ProfileError(f"{path.name} {f'line {line}: ' if line else ''}{error}") from error
    except (TypeError, ValueError) as error:  # e.g. max_days_ahead: soon
        raise ProfileError(f"{path.name}: {error}") from error


# path -> (mtime, the profile to serve, the error when the file did not load)
_cache: Dict[Path, Tuple[float, ClinicProfile, Optional[str]]] = {}
_last_good: Dict[Path, ClinicProfile] = {}


def _last_good_copy(path: Path) -> Path:
    """Where the last profile that loaded is kept, so that a restart with a broken file still serves it."""
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    return settings.var_dir() / "run" / "last-good-profile" / f"{digest}.yml"


def load_profile(path: Optional[Path] = None) -> ClinicProfile:
    """The current profile, re-read when the file changes. When an edit breaks the file, the last
    version that loaded keeps serving (and the error is logged with its line, and shown to staff by
    the console); with none, a profile with no facts: the answers that need none are never lost."""
    path = Path(path or settings.profile_path())
    try:
        mtime = path.stat().st_mtime
    except OSError as error:
        mtime, problem = -1.0, f"{path}: {error.strerror}"
    else:
        problem = None
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    if problem is None:
        try:
            profile = read_profile(path)
        except (ProfileError, OSError) as error:
            problem = str(error)
        else:
            _cache[path] = (mtime, profile, None)
            _last_good[path] = profile
            _keep_copy(path)
            logger.info("loaded clinic profile %s", path)
            return profile
    profile = _fallback(path)
    _cache[path] = (mtime, profile, problem)
    logger.error("clinic profile not loaded (%s); serving %s", problem,
                 "the last version that loaded" if profile is not EMPTY else "no clinic facts")
    return profile


def profile_problem(path: Optional[Path] = None) -> Optional[str]:
    """Why the profile file does not load now (with its line), or None when it loads."""
    path = Path(path or settings.profile_path())
    load_profile(path)
    return _cache[path][2]


EMPTY = parse_profile({})


def _keep_copy(path: Path) -> None:
    copy = _last_good_copy(path)
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(path.read_bytes())
    except OSError as error:  # a read-only disk costs only the copy
        logger.warning("could not keep a copy of the clinic profile: %s", error)


def _fallback(path: Path) -> ClinicProfile:
    if path in _last_good:
        return _last_good[path]
    copy = _last_good_copy(path)
    if copy.exists():
        try:
            _last_good[path] = read_profile(copy)
            return _last_good[path]
        except (ProfileError, OSError):
            pass
    return EMPTY
