"""The clinic profile (clinic_profile.yml): the only source of clinic facts.

Loaded lazily and re-read when the file changes, so the clinic's edits apply
without restarting the action server.  Every fact is optional; callers ask
`profile.phone` etc. and must handle `None` by saying the fact isn't available.
"""
from __future__ import annotations

import datetime as dt
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
    )


_cache: Dict[Path, Tuple[float, ClinicProfile]] = {}


def load_profile(path: Optional[Path] = None) -> ClinicProfile:
    """The current profile; re-read only when the file's mtime changes."""
    path = Path(path or settings.profile_path())
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    with path.open(encoding="utf-8") as handle:
        profile = parse_profile(yaml.safe_load(handle))
    _cache[path] = (mtime, profile)
    logger.info("loaded clinic profile %s", path)
    return profile


def load_profile_or_empty(path: Optional[Path] = None) -> ClinicProfile:
    """The profile, or one with no facts set when the file does not load (the error is logged): answers that
    need no clinic fact must never be lost to a typo in the file."""
    try:
        return load_profile(path)
    except (ProfileError, OSError, yaml.YAMLError) as error:
        logger.error("clinic profile not loaded, answering without its facts: %s", error)
        return parse_profile({})
