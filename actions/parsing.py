"""Turning a visitor's words into booking details: name, phone/email, day and time.

Each parser returns a value or a `Problem` whose text is the helpful re-ask shown
to the visitor.  Pure functions of their inputs (the current time is passed in),
so they are tested directly in tests/test_parsing.py.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional, Tuple

from dateparser.search import search_dates
import phonenumbers
from email_validator import EmailNotValidError, validate_email

from actions.clinic_profile import DAYS, ClinicProfile, format_time_of_day


@dataclass(frozen=True)
class Problem:
    message: str
    needs_day: bool = False  # a time was understood, only the day is missing


# ---------------------------------------------------------------- contact
_EMAIL_RE = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,}")


def find_email(text: str) -> Optional[str]:
    match = _EMAIL_RE.search(text or "")
    return match.group(0).rstrip(".") if match else None


def find_phone(text: str) -> Optional[str]:
    """The first phone-number-looking run of digits in the text (valid or not)."""
    for match in phonenumbers.PhoneNumberMatcher(text or "", "US", leniency=phonenumbers.Leniency.POSSIBLE):
        return match.raw_string
    digits = re.search(r"(?:\+?\d[\d\s().-]{5,}\d)", text or "")
    return digits.group(0) if digits else None


def normalise_contact(text: str) -> str | Problem:
    """A valid email address or phone number found in the text, normalised."""
    email = find_email(text)
    if email:
        try:
            return validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            return Problem(f"“{email}” doesn’t look like a complete email address. Could you check it, or give a phone number instead?")
    raw_phone = find_phone(text)
    if raw_phone:
        try:
            number = phonenumbers.parse(raw_phone, "US")
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and phonenumbers.is_valid_number(number):
            fmt = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 1
                   else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            return phonenumbers.format_number(number, fmt)
        return Problem(f"“{raw_phone.strip()}” doesn’t look like a complete phone number. Could you send it with the area code, like 770-555-0134, or give an email instead?")
    return Problem("I need a phone number or an email address so the team can reach you, for example 770-555-0134 or name@example.com.")


# ---------------------------------------------------------------- name
# Words that follow "I'm" without being a name ("I'm pregnant", "I'm looking").
_NOT_NAMES = set("""
a an the and or not no yes yeah yep nope ok okay sure skip none nothing idk dunno
interested looking wondering curious asking trying hoping thinking planning just
pregnant breastfeeding nursing on taking allergic diabetic over under about from in at
here back new good fine great sorry free available busy done ready sure unsure confused
hi hello hey thanks thank please help booking book appointment consultation call text email phone
microneedling what why how when where who which can could would will is are do does
""".split())
_NAME_WORD = r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]*"
_EXPLICIT_NAME_RE = re.compile(
    rf"\b(?:my name(?:'s|’s| is)|name'?s|name\s*:|this is|i am|i'm|i’m|im)\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})",
    re.IGNORECASE,
)


def _clean_name(candidate: str) -> Optional[str]:
    words = [w for w in re.split(r"\s+", candidate.strip()) if w]
    kept = []
    for word in words:
        if word.lower().strip("'’-") in _NOT_NAMES:
            break
        kept.append(word)
    if not kept or len(kept) > 4:
        return None
    return " ".join(w[:1].upper() + w[1:] for w in kept)


def find_explicit_name(text: str) -> Optional[str]:
    """A name the visitor states outright: "I'm Sarah", "my name is jo smith"."""
    for match in _EXPLICIT_NAME_RE.finditer(text or ""):
        stated = match.group(1)
        lead = match.group(0)[: match.start(1) - match.start(0)].lower()
        # "I'm X" is only a name when X is capitalised ("I'm Sarah", not "I'm on accutane").
        if lead.strip() in {"i am", "i'm", "i’m", "im", "this is"} and not stated[:1].isupper():
            continue
        name = _clean_name(stated)
        if name:
            return name
    return None


def parse_name_answer(text: str) -> str | Problem:
    """The answer to "what name should the team use?"."""
    text = (text or "").strip()
    explicit = find_explicit_name(text)
    if explicit:
        return explicit
    stripped = re.sub(r"^(?:it'?s|it’s|i'?m|name:?)\s+", "", text, flags=re.IGNORECASE).strip(" .!,")
    if (stripped and "?" not in stripped and re.fullmatch(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}", stripped)
            and stripped.split()[0].lower() not in _NOT_NAMES):
        return " ".join(w[:1].upper() + w[1:] for w in stripped.split())
    return Problem("Sorry, I didn’t catch a name there. What name should the team use for the request? (First name is fine.)")


# ---------------------------------------------------------------- day and time
@dataclass(frozen=True)
class RequestedTime:
    """A requested start: a date, and a time of day unless the visitor left it open."""
    date: dt.date
    time: Optional[dt.time]
    tz: str

    def to_slot(self) -> str:
        return self.date.isoformat() + (f"T{self.time.strftime('%H:%M')}" if self.time else "")

    @classmethod
    def from_slot(cls, value: str, tz: str) -> "RequestedTime":
        day, _, clock = value.partition("T")
        return cls(dt.date.fromisoformat(day), dt.time.fromisoformat(clock) if clock else None, tz)

    def display(self) -> str:
        day = f"{self.date.strftime('%A')}, {self.date.strftime('%B')} {self.date.day}"
        return f"{day} at {format_time_of_day(self.time)}" if self.time else f"{day} (any time that day)"


_WORD_TIMES = {
    "noon": dt.time(12), "midday": dt.time(12), "lunchtime": dt.time(12), "lunch": dt.time(12),
    "morning": dt.time(10), "afternoon": dt.time(14), "evening": dt.time(17), "after work": dt.time(17, 30),
}
_CLOCK_RE = re.compile(
    r"\b(?:(at|after|around|about|by|before|from|@)\s*)?(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?(?![\d/.\-:])",
    re.IGNORECASE,
)


def _find_time_of_day(text: str) -> Tuple[Optional[dt.time], str]:
    """(time, text without it). Bare hours 1-7 are read as pm: nobody books 3am."""
    for match in _CLOCK_RE.finditer(text):
        lead, hour_s, minute_s, meridiem = match.groups()
        hour, minute = int(hour_s), int(minute_s or 0)
        if not (lead or meridiem or minute_s):
            continue  # a lone number ("the 3rd", "2 weeks") is not a time
        if hour > 23 or minute > 59 or (meridiem and not 1 <= hour <= 12):
            continue
        if meridiem:
            pm = meridiem.lower().startswith("p")
            hour = (hour % 12) + (12 if pm else 0)
        elif 1 <= hour <= 7:
            hour += 12
        if lead and lead.lower() == "before":
            hour = max(hour - 1, 0)
        return dt.time(hour, minute), text[: match.start()] + " " + text[match.end():]
    lowered = text.lower()
    for phrase, value in _WORD_TIMES.items():
        if re.search(rf"\b{phrase}\b", lowered):
            return value, re.sub(rf"\b(?:in the |this |tomorrow )?{phrase}\b", " ", text, flags=re.IGNORECASE)
    return None, text


_WEEKDAY_RE = re.compile(r"\b(?:(next|this|coming|on)\s+)?(mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)[a-z]*\b", re.IGNORECASE)
_DAY_ABBREV = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}


def _find_day(text: str, today: dt.date) -> Optional[dt.date]:
    lowered = text.lower()
    if re.search(r"\bday after tomorrow\b", lowered):
        return today + dt.timedelta(days=2)
    if re.search(r"\b(?:tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow)\b", lowered):
        return today + dt.timedelta(days=1)
    if re.search(r"\b(?:today|tonight|this evening|this afternoon)\b", lowered):
        return today
    weekday = _WEEKDAY_RE.search(lowered)
    if weekday and not re.search(r"\b\d{1,2}[/.-]\d{1,2}", lowered):
        target = _DAY_ABBREV[weekday.group(2)[:4] if weekday.group(2)[:4] in _DAY_ABBREV else weekday.group(2)[:3]]
        ahead = (target - today.weekday()) % 7 or 7  # the coming one, never today
        return today + dt.timedelta(days=ahead)
    # Explicit dates ("dec 3rd", "12/3", "the 14th"): dateparser, preferring the future.
    candidate = re.sub(r"\b(?:on|the|please|for|maybe|how about|can i come|could i come|in)\b", " ", lowered)
    candidate = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", candidate).strip(" ,.!?")
    if not re.search(r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", candidate):
        return None
    found = search_dates(
        candidate, languages=["en"],
        settings={"PREFER_DATES_FROM": "future", "RELATIVE_BASE": dt.datetime.combine(today, dt.time(0)),
                  "REQUIRE_PARTS": ["day"], "STRICT_PARSING": False},
    )
    if not found:
        return None
    return found[0][1].date()


def mentions_day_or_time(text: str) -> bool:
    """Cheap test used before extracting a time from a message that wasn't asked for one."""
    lowered = (text or "").lower()
    return bool(_WEEKDAY_RE.search(lowered) or re.search(
        r"\b(?:today|tonight|tomorrow|tmrw|noon|morning|afternoon|evening|\d{1,2}\s*(?:am|pm)|\d{1,2}:\d{2}|"
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}|\d{1,2}/\d{1,2})\b", lowered))


def parse_requested_time(text: str, now: dt.datetime, profile: ClinicProfile) -> RequestedTime | Problem:
    """Read a requested day/time in the clinic's time zone and check it is bookable.

    `now` must be timezone-aware. Relative days are resolved from `now` in the
    clinic's zone; past times, closed days and times outside opening hours are
    refused with a message that says what would work.
    """
    local_now = now.astimezone(profile.tz)
    today = local_now.date()
    text = (text or "").strip()
    clock, rest = _find_time_of_day(text)
    day = _find_day(rest, today)
    if day is None:
        if clock is not None:
            return Problem(f"Got it, {format_time_of_day(clock)}. Which day would that be? (e.g. “Thursday” or “Dec 3”)",
                           needs_day=True)
        return Problem("Sorry, I couldn’t work out a day from that. Which day and time would suit you? For example “next Wednesday after 5” or “Dec 3 at 10am”.")
    if clock is not None and clock.hour == 0 and clock.minute == 0:
        clock = None
    requested = RequestedTime(day, clock, profile.timezone)

    start = dt.datetime.combine(day, clock or dt.time(23, 59), tzinfo=profile.tz)
    if start <= local_now:
        return Problem(f"{requested.display()} has already passed. Which day and time from now on would suit you?")
    if clock is not None and start < local_now + dt.timedelta(hours=profile.min_notice_hours):
        return Problem(f"That’s a bit too soon for the team to arrange. Could you pick a time at least {profile.min_notice_hours:g} hours from now?")
    if (day - today).days > profile.max_days_ahead:
        return Problem(f"Requests can be made up to {profile.max_days_ahead} days ahead. Which date closer to now would work?")
    if profile.has_hours:
        window = profile.opening_window(day)
        if window is None:
            open_days = [d.capitalize() for d in DAYS if profile.hours.get(d)]
            return Problem(f"{profile.name} is closed on {DAYS[day.weekday()].capitalize()}s. "
                           f"It’s open {', '.join(open_days)}. Which of those days would suit you?")
        opens, closes = window
        if clock is not None and not (opens <= clock < closes):
            return Problem(f"On {DAYS[day.weekday()].capitalize()}s {profile.name} is open "
                           f"{format_time_of_day(opens)}–{format_time_of_day(closes)}. What time in that window works for you?")
    return requested
