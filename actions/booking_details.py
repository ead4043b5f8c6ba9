"""One message → the booking details it holds: name, contact, time preference, contact preference, note.

`read_message` reads a message once, for every detail, whatever question was asked; the form
validation action (actions/booking.py) maps the result to slots. Dates and times are Duckling's
(`pyduckling-native-phihos`, in a child process: actions/duckling_process.py) in the clinic's time zone, phones `phonenumbers`', e-mails
`email-validator`'s, name capitalisation `nameparser`'s. Pure functions of their inputs (the time is
passed in), scored by `make parsing` on the blind corpus in tests/parsing/.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from actions import duckling_process
from actions.booking_names import corrected_name, similar, find_name, find_name_beside_contact
from actions.clinic_profile import DAYS, ClinicProfile, format_time_of_day

@dataclass(frozen=True)
class Problem:
    """A detail that was given but can't be used; `message` says why and what would work."""
    field: str
    message: str
    reason: str = "invalid"  # time: past | closed | too_far | too_soon | mismatch


# ---------------------------------------------------------------- contact
_EMAIL_RE = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,}")
_NEGATION_BEFORE = re.compile(r"(?:\bnot|\bisn'?t|\bwrong|\bold|\binstead of|\bno longer|\bnot this one)\W{0,3}(?:\w+\W+){0,2}$",
                              re.IGNORECASE)


def _negated(text: str, start: int) -> bool:
    """Is the value at `start` negated ("not 555-0101")? Not when restated: "wrong, it's …"."""
    match = _NEGATION_BEFORE.search(text[max(0, start - 25):start])
    return bool(match) and not re.search(r"(?i)\b(?:it'?s|it is|is|should be|use|try|correct one is)\s*:?\s*$", match.group(0))


def _phone_spans(text: str) -> List[Tuple[int, int, str]]:
    spans = [(m.start, m.end, m.raw_string) for m in
             phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.POSSIBLE)]
    if not spans:  # too short to be possible: still a number the visitor meant as one
        spans = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\+?\d[\d\s().-]{5,}\d", text)
                 if len(re.sub(r"\D", "", m.group(0))) >= 7]
    return spans


def format_phone(raw: str) -> Optional[str]:
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    fmt = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 1
           else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, fmt)


def read_contacts(text: str) -> Dict[str, object]:
    """{'phone', 'email', 'problem', 'spans'}: the last non-negated phone and e-mail in the text."""
    found: Dict[str, object] = {"spans": []}
    for match in _EMAIL_RE.finditer(text):
        found["spans"].append((match.start(), match.end()))
        if _negated(text, match.start()):
            continue
        raw = match.group(0).rstrip(".")
        try:
            found["email"] = validate_email(raw, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            found["problem"] = Problem("contact", f"“{raw}” doesn’t look like a complete email address. "
                                                  "Could you check it, or give a phone number instead?")
    masked = _mask(text, found["spans"])
    for start, end, raw in _phone_spans(masked):
        found["spans"].append((start, end))
        if _negated(masked, start):
            continue
        phone = format_phone(raw)
        if phone:
            found["phone"] = phone
            found.pop("problem", None)
        elif "email" not in found:
            found["problem"] = Problem("contact", f"“{raw.strip()}” doesn’t look like a complete phone number. "
                                                  "Could you send it with the area code, like 770-555-0134, "
                                                  "or give an email instead?")
    if "email" in found or "phone" in found:
        found.pop("problem", None)
    return found


def _mask(text: str, spans: Sequence[Tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


# ---------------------------------------------------------------- contact preference
_CONTACT_PREFERENCE = [
    ("text", re.compile(r"\b(?:texts?|texting|sms)\b(?!\s+(?:about|from))", re.IGNORECASE)),
    ("email", re.compile(r"\bbest (?:is|to use is|way is)?\s*(?:by )?e-?mail|"
                         r"\b(?:e-?mail(?:ing)?|e-?mails)\b(?=[^.?!]*\b(?:only|best|prefer|better|please|pls|rather|instead)\b)"
                         r"|\b(?:only|prefer|rather)\b[^.?!]{0,20}\be-?mail|\bby e-?mail\b|\be-?mail me\b", re.IGNORECASE)),
    ("call", re.compile(r"\b(?:call(?:ing)? me|phone call|give me a (?:call|ring)|ring me|calls? (?:only|are best|is best|is fine|work)|"
                        r"call (?:after|before|between|around|in the|any ?time|anytime))\b",
                        re.IGNORECASE)),
]
_NO_CALLS = re.compile(r"\b(?:no|don'?t|do not|never)\s+(?:phone\s+)?call", re.IGNORECASE)
_CONTACT_WHEN = re.compile(r"(?:\b(?:call|text|reach|contact|ring)\w*\b[^.?!]{0,30}?|)\b((?:after|before|between|around)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?"
                           r"(?:\s*(?:-|–|and|to)\s*\d{1,2}(?::\d\d)?\s*(?:am|pm)?)?|(?:in the )?(?:mornings?|afternoons?|evenings?|lunch(?:time)?))\b"
                           r"(?=[^.?!]{0,25}\b(?:best|works?|better|to (?:call|text|reach)|is good|is fine)\b|)", re.IGNORECASE)
_WORK_HOURS = re.compile(r"(?i)\bi work\b|\bwork(?:ing)? (?:till|until|from|\d)|\bmy shift\b")
_ASKS_CLINIC = re.compile(r"(?i)^(?:what|when|how|do you|does|are you|is (?:it|the|there)|will you)\b.*\b(?:you|open|close|hours)\b")
_CONTACT_WORDS = re.compile(r"\b(?:call|text|reach|contact|ring|phone|answer|pick up|cell|mobile|number)\w*\b",
                            re.IGNORECASE)


def read_contact_preference(text: str, asked: str) -> Tuple[Optional[str], Optional[str]]:
    """(how, readable): "texts only please" → ("text", "texts only please")."""
    how = None
    text = re.sub(r"(?i)\bcall me (?=[A-Z])", "", text)  # "Call me Tony" is a name
    text = re.sub(r"(?i)\bover (?:a )?(?:texts?|calls?|phone calls?|e-?mails?)\b", "", text)  # "a call over text"
    either = re.search(r"(?i)\b(?:texts?|calls?|e-?mail(?: me)?)\b[^.?!]{0,40}\bor\b[^.?!]{0,20}\b(?:texts?|calls?|e-?mail|cell|phone)\b", text)
    if either and not re.search(r"(?i)\b(?:only|prefer|rather|best)\b", text):
        return None, None  # "text or call is fine", "… or email me at …": no preference
    if re.match(r"(?i)^\s*(?:can|could|would|will)\s+(?:someone|somebody|you|a person)\s+(?:just\s+)?call\b", text) \
            and not re.search(r"(?i)\b(?:only|prefer|rather|best|hate|no texts?)\b", text):
        return None, None  # "can someone just call me": a request for a person, not a preference
    for kind, pattern in _CONTACT_PREFERENCE:
        match = pattern.search(text)
        if match and not (kind == "text" and re.search(r"\b(?:no|don'?t|not)\s+text", text, re.IGNORECASE)):
            how = kind
            break
    if _NO_CALLS.search(text) and how in (None, "call"):
        how = "text" if re.search(r"\btext", text, re.IGNORECASE) else ("email" if re.search(r"e-?mail", text, re.IGNORECASE) else None)
    if how is None and not (asked == "contact" and _CONTACT_WORDS.search(text)):
        return None, None
    clauses = [c.strip(" -–—") for c in re.split(r"[.,;!?\n]+|\s[-–—]\s", text) if c.strip(" -–—")]
    words = [c for c in clauses if (_CONTACT_WORDS.search(c) or re.search(r"\b(?:texts?|e-?mail|sms|only|best)\b", c, re.IGNORECASE))
             and not _EMAIL_RE.search(c) and not re.search(r"\d{3}\D{0,3}\d{4}", c)]
    # Staff read the visitor's own words when they are short and specific ("texts only please",
    # "call after 6"), else the kind of contact.
    specific = [c for c in words if len(c.split()) <= 12 and re.search(
        r"(?i)\b(?:only|after|before|between|not|don'?t|no|never|best|prefer|rather|evenings?|mornings?|\d)\b", c)]
    specific = [re.sub(r"\s+", " ", re.sub(r"(?i)^(?:can|could|would|will) (?:someone|somebody|you) (?:please )?", "", c)).strip()
                for c in specific]
    readable = "; ".join(specific) or ({"text": "texts preferred", "call": "calls preferred", "email": "email preferred"}
                                       .get(how or "", None))
    if how is None and readable is None:
        return None, None
    return how, readable


_PHONE_ENDING = re.compile(r"\b(?:ends?|ending|last (?:\w+ )?digits? (?:are|is|should be)?)\s*(?:in|with|is|are)?\s*(\d{2,4})\b", re.IGNORECASE)
def corrected_phone(text: str, old: Optional[str]) -> Optional[str]:
    """The old number corrected in part: "ends 0191 not 0190", "it's 555-0110" (same area code),
    "678 not 687" (one group)."""
    digits = re.sub(r"\D", "", old or "")
    if len(digits) < 10:
        return None
    match = _PHONE_ENDING.search(text)
    if match:
        ending = match.group(1)
        return format_phone(digits[: len(digits) - len(ending)] + ending)
    local = [m for m in re.finditer(r"(?<![\d-])(\d{3})[-. ]?(\d{4})(?![\d-])", text) if not _negated(text, m.start())]
    if local:
        return format_phone(digits[:-7] + local[-1].group(1) + local[-1].group(2))
    group = re.search(r"\b(\d{3})\s*,?\s*not\s+(\d{3})\b", text)
    if group and group.group(2) in (digits[-10:-7], digits[-7:-4]):
        return format_phone(digits.replace(group.group(2), group.group(1), 1))
    return None


def merge_name(old: Optional[str], new: str) -> str:
    """"Sara, no h" after "Sarah Lee": a one-word correction replaces the word it respells."""
    if not old or len(new.split()) > 1 or len(old.split()) == 1:
        return new
    words = old.split()
    index = next((i for i, w in enumerate(words) if w.lower() != new.lower() and similar(w, new)), None)
    return " ".join(words[:index] + [new] + words[index + 1:]) if index is not None else new


# ---------------------------------------------------------------- time preference
_PART_OF_DAY = {
    "early morning": (dt.time(7), dt.time(10)), "morning": (dt.time(8), dt.time(12)),
    "lunch": (dt.time(11, 30), dt.time(14)), "midday": (dt.time(11), dt.time(14)),
    "afternoon": (dt.time(12), dt.time(17)), "after work": (dt.time(17), dt.time(20)),
    "evening": (dt.time(17), dt.time(21)), "night": (dt.time(17), dt.time(21)),
}
_OPEN_WORDS = re.compile(r"\b(?:any (?:mon|tue|wed|thu|fri|sat|sun)\w*|some ?time|asap|a\.s\.a\.p|as soon as (?:possible|you can)|soonest|earliest|any ?time|whenever|"
                         r"flexible|first available|next available|any day|most days|weekdays?|weekends?|"
                         r"(?:early |late )?(?:mornings?|afternoons?|evenings?|nights?)|lunch ?(?:time|break|hour)?|after work|before work|"
                         r"this week|next week|in (?:a|two|2|three|3) weeks?|next month)\b", re.IGNORECASE)
_WEEKDAY_NAMES = re.compile(r"\b(mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day|s|\.)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class TimePreference:
    """When the visitor would like to come: readable words for staff, and the earliest start for sorting."""
    text: str
    earliest: dt.datetime  # clinic time zone
    has_clock: bool
    window: bool

    def to_slot(self) -> Dict[str, object]:
        return {"text": self.text, "earliest": self.earliest.isoformat(), "has_clock": self.has_clock,
                "window": self.window}

    @classmethod
    def from_slot(cls, value: Dict[str, object]) -> "TimePreference":
        return cls(str(value["text"]), dt.datetime.fromisoformat(str(value["earliest"])),
                   bool(value.get("has_clock")), bool(value.get("window")))



def describe(moment: dt.datetime, has_clock: bool) -> str:
    day = f"{moment.strftime('%A')}, {moment.strftime('%B')} {moment.day}"
    return f"{day} at {format_time_of_day(moment.time())}" if has_clock else day


def _duckling_times(text: str, now: dt.datetime, tz: str, latent: bool = False) -> List[dict]:
    return duckling_process.parse(text, int(now.timestamp()), tz, latent)


def _for_duckling(text: str) -> str:
    """Words Duckling doesn't read: plurals of parts of the day, "half four", "tmrw"."""
    text = re.sub(r"\b(morning|afternoon|evening|night)s\b", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(mon|tues|wednes|thurs|fri|satur|sun)days\b", r"\1day", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(?:tmrw|tmr|tomorow|tommorow|tommorrow|tomoz)\b", "tomorrow", text, flags=re.IGNORECASE)
    text = re.sub(r"\bhalf (one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\b",
                  r"half past \1", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(\d{1,2})\s*ish\b", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"\bfrom (\d{1,2}(?::\d\d)?) (?:to|till|until|-) (\d{1,2}(?::\d\d)?)\b", r"from \1-\2", text,
                  flags=re.IGNORECASE)  # "from 3 to 5", not "3 minutes to 5"
    text = re.sub(r"\blunch(?:time)?\b", "noon", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<![\d\s])(\s+)am\b|(?<=[a-z])\s+am\b", " morning", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<=[a-z])\s+pm\b", " afternoon", text, flags=re.IGNORECASE)
    return text


def _local(value: str, tz) -> dt.datetime:
    return dt.datetime.fromisoformat(value).astimezone(tz)


_NEGATED_TIME = re.compile(r"(?:\bnot(?: in the| this| on| the)?|\bscratch|\bearlier i said|\bbut|\bexcept|\bno|\bcan'?t do|\bcannot do|\bbusy|\bnot on|\binstead of|\bnot available)\s+(?:on\s+|a\s+)?$",
                           re.IGNORECASE)


_RULED_OUT = re.compile(r"s?\s*(?:are|is|'s|r)?\s*(?:out|no good|not good|bad|impossible|a no|crazy|hectic|busy|full|booked)\b"
                        r"|\s*(?:don'?t|doesn'?t|won'?t|wont|dont) work|\s*,?\s*but i meant",
                        re.IGNORECASE)


def _pm_fix(moment: dt.datetime, body: str, profile: ClinicProfile) -> dt.datetime:
    """A bare "at 4" is 4pm: inside opening hours, not 4am."""
    if re.search(r"\b(?:a\.?m|p\.?m|morning|tonight|evening|afternoon|noon|midnight|o'?clock in the)\b", body, re.IGNORECASE):
        return moment
    if 1 <= moment.hour <= 7:
        return moment + dt.timedelta(hours=12)
    return moment


@dataclass
class _Reading:
    start: dt.datetime
    has_clock: bool
    window: bool
    body: str
    end: Optional[dt.datetime] = None
    grain: str = "day"


def _readings(text: str, now: dt.datetime, profile: ClinicProfile, *, asked: Optional[str] = None,
              correcting: bool = False) -> List[_Reading]:
    tz = profile.tz
    prepared = _for_duckling(text)
    found: List[_Reading] = []
    for hit in _duckling_times(prepared, now, profile.timezone, latent=correcting):
        body, value = hit["body"], hit["value"]
        if hit.get("latent") and not (correcting and re.fullmatch(r"\d{1,2}(?::\d\d)?", body.strip())):
            continue  # a bare number is a time only when correcting one ("can we do 11 instead of 9")
        if _NEGATED_TIME.search(prepared[:hit["start"]]) or _RULED_OUT.match(prepared[hit["end"]:]):
            continue
        if re.fullmatch(r"(?i)(?:jan|feb|mar|apr|april|may|jun|june|jul|aug|sep|oct|nov|dec)\w*\.?", body.strip()) and \
                not re.search(rf"(?i)\b(?:in|of|early|late|mid|during|next|this)\s+{re.escape(body.strip())}", prepared) and \
                asked != "time":
            continue  # "April Rose", "may I": a month alone is a name or a verb
        if re.fullmatch(r"(?i)(?:now|right now|today|at the moment|currently)", body.strip()):
            if not re.search(r"(?i)\btoday\b", body):
                continue
        if value["type"] == "value":
            grain = value.get("grain", "day")
            start = _local(value["value"], tz)
            has_clock = grain in ("hour", "minute", "second")
            if has_clock:
                start = _pm_fix(start, body, profile)
            found.append(_Reading(start, has_clock, grain in ("week", "month", "year"), body, grain=grain))
        else:
            start_v, end_v = value.get("from"), value.get("to")
            start = _local(start_v["value"], tz) if start_v else None
            end = _local(end_v["value"], tz) if end_v else None
            grain = (start_v or end_v or {}).get("grain", "hour")
            if start is not None and grain in ("hour", "minute"):
                start = _pm_fix(start, body, profile)
                if end is not None:
                    end = _pm_fix(end, body, profile)
                    if end <= start:
                        end += dt.timedelta(hours=12)
            if start is None:  # "before 11 on friday": that day; "before christmas": from today on
                today = now.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
                start = end.replace(hour=0, minute=0) if end and grain in ("hour", "minute") else today
                has_clock = False
            else:
                has_clock = grain in ("hour", "minute", "second") and (bool(re.search(r"\d", body)) or not re.search(
                    r"(?i)\b(?:morning|afternoon|evening|night|noon|lunch|weekend|asap|now)\b", body))
            if re.search(r"(?i)weekend", body):
                start = start.replace(hour=0, minute=0) + dt.timedelta(days=(5 - start.weekday()) % 7)
                has_clock = False
            found.append(_Reading(start, has_clock, True, body, end=end, grain=grain))
    return found


def _window_open(profile: ClinicProfile, day: dt.date) -> Optional[Tuple[dt.time, dt.time]]:
    if not profile.has_hours:
        return dt.time(0), dt.time(23, 59)
    return profile.opening_window(day)


@dataclass
class _Window:
    """What a preference allows: from which day, on which weekdays (or one date), between which clocks."""
    first_day: dt.date
    only_date: Optional[dt.date] = None
    weekdays: Optional[set] = None
    clock_from: Optional[dt.time] = None   # a clock the visitor gave ("after 5", "2-4pm", "at 11")
    clock_until: Optional[dt.time] = None
    part: Optional[Tuple[dt.time, dt.time]] = None  # a part of the day ("mornings")


_MANY_DAYS = re.compile(r"\b(?:any|every|most|weekdays?|weekends?|week|mornings|afternoons|evenings|nights|days|"
                        r"(?:mon|tues|wednes|thurs|fri|satur|sun)days)\b", re.IGNORECASE)


def named_days_of(readings: List["_Reading"]) -> set:
    return {r.start.weekday() for r in readings if r.grain == "day" and _WEEKDAY_NAMES.search(r.body)}


def _earliest_fit(want: _Window, now: dt.datetime, profile: ClinicProfile) -> Optional[Tuple[dt.datetime, bool]]:
    """The first moment, from now plus the notice on, that fits the window and the opening hours."""
    earliest_allowed = now + dt.timedelta(hours=profile.min_notice_hours)
    day = want.only_date or want.first_day
    last = want.only_date or (now.date() + dt.timedelta(days=profile.max_days_ahead))
    while day <= last:
        opening = _window_open(profile, day)
        if opening is not None and (want.weekdays is None or day.weekday() in want.weekdays):
            start, end = opening
            if want.part:
                start, end = max(start, want.part[0]), min(end, want.part[1])
            if want.clock_from:
                start = max(start, want.clock_from) if profile.has_hours or want.clock_from >= start else want.clock_from
            if want.clock_until:
                end = min(end, want.clock_until)
            begin = dt.datetime.combine(day, start, tzinfo=profile.tz)
            finish = dt.datetime.combine(day, end, tzinfo=profile.tz)
            if start < end and finish > earliest_allowed:
                if want.clock_from:
                    if begin >= earliest_allowed:
                        return begin, True
                else:
                    return dt.datetime.combine(day, dt.time(0), tzinfo=profile.tz), False
        day += dt.timedelta(days=1)
    return None


def _time_phrase(text: str) -> str:
    """The visitor's own words about when, for staff: the clauses that hold a time word."""
    clauses = [c.strip(" -–—") for c in re.split(r"[.;!?\n]+|,\s*(?=[a-z])|\s[-–—]\s", text) if c.strip(" -–—")]
    timey = [c for c in clauses if _OPEN_WORDS.search(c) or _WEEKDAY_NAMES.search(c) or re.search(
        r"(?i)\b(?:today|tomorrow|tonight|noon|\d{1,2}(?::\d\d)?\s*(?:am|pm)|\d{1,2}:\d\d|after \d|before \d|around \d|at \d|"
        r"jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec|\d{1,2}(?:st|nd|rd|th)|\d{1,2}/\d{1,2})\b", c)]
    phrase = " ".join(timey)
    phrase = re.sub(r"(?i)^(?:no|nope|actually|oops|sorry|wait)\b[\s,]*", "", phrase)
    phrase = re.sub(r"(?i)\s*\b(?:not|instead of)\s+(?:on\s+)?(?:the\s+)?\w+\s*$", "", phrase)
    phrase = re.sub(r"(?i)^(?:hi|hey|hello)?[\s,!]*(?:i'?d like to|i want(?: to)?|want to|can i|could i|i'?m hoping to|hoping to|"
                    r"i would like to|i'?d love(?: to)?|i'?d like|please|pls)?\s*(?:book|come in|come|get|schedule|make)?\s*(?:me\s+)?(?:in\s+)?(?:an? )?"
                    r"(?:appointment|appt|consult(?:ation)?|session|microneedling)?\s*(?:for\s+)?", "", phrase).strip()
    phrase = re.sub(r"(?i)\b(?:pls|please|thx|thanks|nothing else(?: to add)?|no notes?|that'?s all)\b", "", phrase)
    return re.sub(r"\s{2,}", " ", phrase).strip(" ,.?!") or text.strip()


def read_time(text: str, now: dt.datetime, profile: ClinicProfile, *, asked: Optional[str] = None,
              correcting: bool = False) -> "TimePreference | Problem | None":
    """The time preference in the text, a Problem when it cannot work, None when it gives no time."""
    tz = profile.tz
    local_now = now.astimezone(tz)
    readings = _readings(text, now, profile, asked=asked, correcting=correcting)
    lowered = text.lower()
    open_words = _OPEN_WORDS.search(lowered)
    if not readings and not open_words:
        return None
    weekdays_only = bool(re.search(r"\bweekdays?\b|\bmon(?:day)?\s*(?:-|–|to|through|thru)\s*fri", lowered))
    excluded = {DAYS.index(d) for d in DAYS
                for m in re.finditer(rf"\b(?:but|except)\s+(?:on\s+)?{d[:3]}\w*|\bnot\s+(?:on\s+)?{d}s\b|\b{d}s\s+(?:are|r)\s+(?:out|no good|bad)", lowered) if m}
    part = next((window for word, window in _PART_OF_DAY.items() if re.search(rf"\b{word}s?\b", lowered)), None)
    if re.search(r"\bbefore work\b|\bearly\b", lowered) and part is None:
        part = _PART_OF_DAY["early morning"]

    # Weekday and date that disagree ("Monday the 15th" when the 15th is a Tuesday).
    named_day = _WEEKDAY_NAMES.search(lowered)
    date_num = re.search(r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b", lowered)
    if named_day and date_num and not re.search(r"\b(?:or|and)\b", lowered[named_day.end():date_num.start()]):
        day_of_month = int(date_num.group(1))
        candidate = local_now.date()
        for _ in range(62):
            if candidate.day == day_of_month and candidate >= local_now.date():
                break
            candidate += dt.timedelta(days=1)
        wanted = _WEEKDAY_NAMES.search(lowered).group(1)[:3]
        if candidate.strftime("%a").lower()[:3] != wanted and candidate.day == day_of_month:
            return Problem("time", f"Just to check: the {day_of_month}{_ordinal(day_of_month)} is a "
                                   f"{candidate.strftime('%A')} ({candidate.strftime('%B')} {candidate.day}). "
                                   f"Did you mean {candidate.strftime('%A')} the {day_of_month}{_ordinal(day_of_month)}, "
                                   f"or {DAYS[[d[:3] for d in DAYS].index(wanted)].capitalize()}?", reason="mismatch")

    one_moment = len(readings) == 1 and readings[0].has_clock and not readings[0].window
    window = (bool(open_words) and not one_moment) or len(readings) > 1 or any(r.window for r in readings) or bool(excluded)
    named_days = [r for r in readings if _DAY_GIVEN.search(r.body) and r.grain == "day"]
    days = {r.start.weekday() for r in named_days} if len(named_days) > 1 else None
    if readings:
        first = min(readings, key=lambda r: r.start)
        start, has_clock = first.start, first.has_clock
        if first.grain in ("week", "month"):
            start = max(start, local_now.replace(hour=0, minute=0, second=0, microsecond=0))
    else:
        start, has_clock = local_now.replace(second=0, microsecond=0), False
        if part and re.search(r"\bafter work\b", lowered):
            has_clock = False
    if excluded and not days:
        days = set(range(7)) - excluded

    if not window:
        # One specific day (and time): check it as asked; never move it.
        if start < local_now or (has_clock and start <= local_now) or (
                not has_clock and start.date() < local_now.date()):
            return Problem("time", f"{describe(start, has_clock)} has already passed. Which day and time from now on "
                                   "would suit you?", reason="past")
        if (start.date() - local_now.date()).days > profile.max_days_ahead:
            return Problem("time", f"Requests can be made up to {profile.max_days_ahead} days ahead. "
                                   "Which date closer to now would work?", reason="too_far")
        if has_clock and start < local_now + dt.timedelta(hours=profile.min_notice_hours):
            return Problem("time", "That’s a bit too soon for the team to arrange. Could you pick a time at least "
                                   f"{profile.min_notice_hours:g} hours from now?", reason="too_soon")
        if profile.has_hours:
            opening = profile.opening_window(start.date())
            if opening is None:
                open_days = [d.capitalize() for d in DAYS if profile.hours.get(d)]
                return Problem("time", f"{profile.name} is closed on {DAYS[start.weekday()].capitalize()}s. "
                                       f"It’s open {', '.join(open_days)}. Which other day would work for you?", reason="closed")
            if has_clock and not (opening[0] <= start.time() < opening[1]):
                return Problem("time", f"On {DAYS[start.weekday()].capitalize()}s {profile.name} is open "
                                       f"{format_time_of_day(opening[0])}–{format_time_of_day(opening[1])}. "
                                       "What time in that window works for you?", reason="closed")
        if not has_clock and start.date() == local_now.date() and profile.has_hours:
            opening = profile.opening_window(start.date())
            if opening and dt.datetime.combine(start.date(), opening[1], tzinfo=tz) <= local_now + dt.timedelta(
                    hours=profile.min_notice_hours):
                return Problem("time", "That’s a bit too soon for the team to arrange today. Which other day would suit you?", reason="too_soon")
        return TimePreference(describe(start, has_clock), start, has_clock, False)

    # A window: the earliest moment that fits it, from now on.
    want = _Window(first_day=max(start.date(), local_now.date()), part=part,
                   weekdays=(days if days else None))
    if weekdays_only:
        want.weekdays = (want.weekdays or set(range(7))) & {0, 1, 2, 3, 4}
    for reading in readings:
        if reading.has_clock or (reading.grain in ("hour", "minute") and not _DAY_GIVEN.search(reading.body)):
            if reading.has_clock and (want.clock_from is None or reading.start.time() < want.clock_from):
                want.clock_from = reading.start.time()
            if reading.end is not None and reading.end.date() == reading.start.date() and reading.grain in ("hour", "minute"):
                until = reading.end - dt.timedelta(hours=1) if reading.grain == "hour" and re.search(
                    r"\d\s*(?:-|–|to|till|until)\s*\d", reading.body) is None and "between" not in reading.body else reading.end
                want.clock_until = max(want.clock_until or until.time(), until.time()) if reading.start.time() < until.time() else want.clock_until
            if reading.end is not None and reading.start.hour == 0 and not reading.has_clock:
                want.clock_until = reading.end.time()  # "before 11"
    day_readings = [r for r in readings if _DAY_GIVEN.search(r.body) or r.grain in ("day", "week", "month")]
    if day_readings:
        want.first_day = max(min(r.start.date() for r in day_readings), local_now.date())
        single = {r.start.date() for r in day_readings}
        if len(single) == 1 and all(r.grain in ("day", "hour", "minute") or r.window and r.end and r.end.date() == r.start.date()
                                    for r in day_readings) and not _MANY_DAYS.search(lowered):
            want.only_date = want.first_day
    if _MANY_DAYS.search(lowered) and named_days_of(readings):
        want.weekdays = (want.weekdays or set()) | named_days_of(readings)
        want.first_day = local_now.date()
    if re.search(r"(?i)\b(?:asap|as soon as|soonest|earliest|first available|next available)\b", lowered):
        want.first_day, want.only_date = local_now.date(), None
    if (want.first_day - local_now.date()).days > profile.max_days_ahead:
        return Problem("time", f"Requests can be made up to {profile.max_days_ahead} days ahead. "
                               "Which date closer to now would work?", reason="too_far")
    timed = [r for r in day_readings if r.has_clock and not r.window]
    if len(timed) > 1 and len(timed) == len(day_readings):  # "Thursday 3pm or Friday 10am"
        fits = [_earliest_fit(_Window(r.start.date(), only_date=r.start.date(), clock_from=r.start.time()),
                              now.astimezone(tz), profile) for r in timed]
        fits = [f for f in fits if f]
        if fits:
            phrase = _time_phrase(text)
            first = min(fits)
            return TimePreference(f"{phrase} (earliest {describe(*first)})", first[0], first[1], True)
    fit = _earliest_fit(want, now.astimezone(tz), profile)
    if fit is None:
        if want.only_date and profile.has_hours:
            opening = profile.opening_window(want.only_date)
            hours = (f"open {format_time_of_day(opening[0])}–{format_time_of_day(opening[1])}" if opening else "closed")
            return Problem("time", f"On {DAYS[want.only_date.weekday()].capitalize()}s {profile.name} is {hours}, so that "
                                   "doesn’t fit. Which other day or time would work?", reason="closed")
        if want.only_date and want.only_date <= local_now.date():
            return Problem("time", "That’s a bit too soon for the team to arrange. Which other day would suit you?",
                           reason="too_soon")
        return Problem("time", f"I couldn’t find an open time in that window within {profile.max_days_ahead} days. "
                               "Which other days or times would work?", reason="closed")
    phrase = _time_phrase(text)
    return TimePreference(f"{phrase} (earliest {describe(*fit)})", fit[0], fit[1], True)


def _ordinal(n: int) -> str:
    return "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


# ---------------------------------------------------------------- the whole message
_SKIP_NOTE = re.compile(r"\b(?:no(?:thing)?(?: else)?(?: to add)?|none|nope|nah|no notes?|no thanks|n/?a|skip(?: it)?|"
                        r"that'?s (?:all|it)|nothing (?:else|more|to add)|all good|not really|i'?m good)\b", re.IGNORECASE)
_SKIP_ANYWHERE = re.compile(r"\b(?:no notes?|nothing (?:else|more)(?: to add)?|that'?s (?:all|it)|no (?:other )?notes?|"
                            r"nothing to add|no extra (?:notes?|info))\b", re.IGNORECASE)
_YES = re.compile(r"^\s*(?:y|ya|yes+|yeah|yep|yup|yea|sure|ok(?:ay)?|k|correct|right|perfect|sounds good|looks good|"
                  r"that'?s (?:right|correct|perfect)|all good|go ahead|send(?: it)?|please do|do it|confirm(?:ed)?|"
                  r"absolutely|definitely|of course|"
                  r"s[ií]+|claro|por favor|dale|de acuerdo|est[aá] bien|perfecto|correcto|env[ií]e?(?:la|lo)|adelante)\b",
                  re.IGNORECASE)  # the Spanish ones: the call-back form in Spanish (languages/policy.py)
_YES_ANYWHERE = re.compile(r"\b(?:yes|yep|yeah|yup|correct|perfect|send it|go ahead|all good|looks good|sounds good|"
                           r"that'?s (?:right|correct))\b", re.IGNORECASE)
_NO = re.compile(r"^\s*(?:(?:wait|hmm+|oh|ah|um+)[\s,]+)?(?:n|no+|nope|nah|not (?:yet|quite|really)|wrong|incorrect)\b",
                 re.IGNORECASE)
_CORRECTION = re.compile(r"\b(?:actually|oops|sorry|wrong|correction|i meant|meant to|instead|change|changed|update|"
                         r"not\b|no,|make it|should be|spelt|spelled|spelling|with (?:one|two|an?) \w\b|typo|mistake|switch|"
                         r"keep the|use (?:my|this)|rather)\b", re.IGNORECASE)
_QUESTION = re.compile(r"^\s*(?:what|how|why|when|where|who|which|does|do|is|are|can|could|will|would|should|may|tell me|"
                       r"explain)\b", re.IGNORECASE)
_EXISTING = re.compile(
    r"\b(?:cancel|reschedul\w*|move|moving|change|switch|push(?:ing)? back|running late|late for|confirm(?:ed)?|booked)\b"
    r"[^.?!]{0,40}\b(?:my|our|the|existing|current)\s+(?:\w+\s+){0,3}(?:appointment|appt|booking|consult(?:ation)?|session)\b"
    r"|\b(?:am i|are we|is my|was i)\s+(?:\w+\s+)?(?:booked|confirmed|scheduled)\b"
    r"|\bmy\s+(?:\w+\s+){0,3}(?:appointment|appt|booking)\b[^.?!]{0,40}\b(?:confirmed|cancel\w*|moved?|changed?|resched\w*|still on)\b"
    r"|\b(?:running|be|i'?m)\s+(?:about\s+)?(?:\d+\s*(?:min\w*)?\s+)?late\b",
    re.IGNORECASE)


@dataclass
class Details:
    name: Optional[str] = None
    contact: Optional[str] = None          # a normalised phone or e-mail
    phone: Optional[str] = None
    email: Optional[str] = None
    time: Optional[TimePreference] = None
    contact_preference: Optional[str] = None   # readable ("texts only please"); `contact_how` the kind
    contact_how: Optional[str] = None
    note: Optional[str] = None
    no_note: bool = False
    answer: Optional[bool] = None           # yes / no to a yes-no question
    correction: bool = False                # the message says it changes something
    question: bool = False
    existing_appointment: bool = False
    problems: List[Problem] = field(default_factory=list)

    def fields(self) -> List[str]:
        """The details this message gives, in the order the form asks for them."""
        return [f for f, v in (("name", self.name), ("contact", self.contact), ("time", self.time),
                               ("note", self.note)) if v]



_DAY_GIVEN = re.compile(r"(?i)\b(?:mon|tue|wed|thu|fri|sat|sun)\w*|\btoday\b|\btomorrow\b|\bweek|\bweekend|"
                        r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\b|\d(?:st|nd|rd|th)\b|\d/\d")
_CLOCK_GIVEN = re.compile(r"(?i)\d\s*(?:am|pm)\b|\d:\d\d|\bnoon\b|\bmidday\b|\bat \d|\b(?:morning|afternoon|evening|lunch)")


_RELATIVE = re.compile(r"(?i)\b(an?|one|two|three|half an|\d)\s+hours?\s+(later|earlier)\b")
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "half an": 0.5}


def _merge_time(old: Optional[Dict[str, object]], new: "TimePreference | Problem | None", text: str, now: dt.datetime,
                profile: ClinicProfile) -> "TimePreference | Problem | None":
    """A correction keeps what it doesn't change: "keep the day, make it noon", "11 instead of 9",
    "an hour later" (the day stays), "Wednesday not Tuesday", "the 9th, same time" (the time stays)."""
    if not old:
        return new
    previous = TimePreference.from_slot(old)
    if previous.window:
        return new
    day = previous.earliest
    relative = _RELATIVE.search(text)
    if relative and previous.has_clock:
        hours = _COUNTS.get(relative.group(1).lower()) or float(relative.group(1))
        moved = day + dt.timedelta(hours=hours if relative.group(2).lower() == "later" else -hours)
        return read_time(f"{moved:%B} {moved.day} {moved.year} at {moved:%H:%M}", now, profile)
    gave_day = bool(_DAY_GIVEN.search(text))
    if not gave_day:
        clocks = [r for r in _readings(text, now, profile, correcting=True) if r.has_clock]
        if clocks:
            return read_time(f"{day:%B} {day.day} {day.year} at {clocks[-1].start:%H:%M}", now, profile) or new
        return new
    if isinstance(new, TimePreference) and not _CLOCK_GIVEN.search(text) and previous.has_clock and not new.window:
        moved = new.earliest
        return read_time(f"{moved:%B} {moved.day} {moved.year} at {previous.earliest:%H:%M}", now, profile) or new
    return new


def read_message(text: str, *, asked: Optional[str], now: dt.datetime, profile: ClinicProfile,
                 earlier: Optional[Dict[str, object]] = None) -> Details:
    """Every booking detail in one visitor message. `asked` is the question just asked:
    None, "name", "contact", "time", "note" or "confirm"; `earlier` the details given before
    ({"name", "contact", "time" (as stored in the slot)}), which corrections start from."""
    earlier = earlier or {}
    text = (text or "").replace("’", "'").replace("“", '"').replace("”", '"').strip()
    details = Details()
    if not text or text.startswith("/"):
        return details
    details.question = "?" in text or bool(_QUESTION.match(text))
    details.correction = bool(_CORRECTION.search(text))
    details.existing_appointment = bool(_EXISTING.search(text))

    contacts = read_contacts(text)
    details.phone, details.email = contacts.get("phone"), contacts.get("email")
    details.contact = details.email if (details.email and (not details.phone or _email_last(text, contacts))) else details.phone
    if contacts.get("problem"):
        details.problems.append(contacts["problem"])
    if not details.contact and earlier.get("contact"):
        details.contact = details.phone = corrected_phone(text, str(earlier["contact"]))
    rest = _mask(text, contacts["spans"])

    how, readable = read_contact_preference(rest, asked or "")
    if how or (readable and asked == "contact"):
        details.contact_how, details.contact_preference = how, readable

    if asked == "name":
        details.name = find_name(rest, asked_for_name=True)
    else:
        details.name = find_name(rest, asked_for_name=False) or find_name_beside_contact(rest, contacts["spans"])
    respelt = corrected_name(rest, earlier.get("name")) if earlier.get("name") else None
    if respelt:
        details.name = respelt
    elif details.name and earlier.get("name") and details.correction:
        details.name = merge_name(str(earlier["name"]), details.name)
    name_free = rest
    if details.name:
        for word in details.name.split():
            name_free = re.sub(rf"(?i)\b{re.escape(word)}\b", " ", name_free)

    # When to come, from the clauses about coming: "call me after 5" is when to call, a note's
    # "2 weeks ago" is history, "what time do you open?" asks about the clinic.
    clauses = [c for c in re.split(r"(?<=[.;!?])\s+|,\s*|\s[-–—]\s|\n", name_free) if c.strip()]
    visit = re.compile(r"(?i)\b(?:come|book|appointment|appt|session|consult|visit|in on|available|free|works? for me|"
                       r"looking at|prefer|how about|can we do|instead|make it|change)\b")
    time_text = ", ".join(c for c in clauses if not (_CONTACT_WORDS.search(c) and not visit.search(c))
                         and not _ASKS_CLINIC.match(c.strip()) and not _WORK_HOURS.search(c)
                         and not (asked == "contact" and not visit.search(c) and not _DAY_GIVEN.search(c)))
    if asked == "note" and not details.correction:
        time_text = ""
    correcting = bool(earlier.get("time")) and details.correction
    found = read_time(time_text, now, profile, asked=asked, correcting=correcting) if time_text.strip() else None
    if correcting and time_text.strip():
        found = _merge_time(earlier["time"], found, time_text, now, profile)
    if isinstance(found, Problem):
        details.problems.append(found)
    elif found is not None:
        details.time = found

    if asked in ("confirm", "note"):
        # "yes - I've had a reaction before", "no, Wednesday not Tuesday": the yes or no comes first.
        if _YES.match(text) and not _NO.match(text):
            details.answer = True
        elif _NO.match(text):
            details.answer = False
        elif _YES_ANYWHERE.search(text) and len(text.split()) <= 6 and not details.fields() and not details.question:
            details.answer = True
    if asked == "note":
        changes_detail = details.correction and (details.fields() or _DETAIL_WORDS.search(text))
        if _SKIP_NOTE.search(text) and len(text.split()) <= 6 and not (details.answer and len(text.split()) > 3):
            details.no_note = True
            if not _NO.match(text):
                details.answer = None
        elif _SKIP_ANYWHERE.search(text):
            details.no_note = True  # "no notes but pls text dont call"
        elif details.question and (len(text.split()) <= 5 or re.search(r"(?i)\bnote\b|\bmean\b", text)):
            pass  # "sorry what?", "what do you mean by note?": a question to the bot, not a note
        elif not changes_detail and not (details.answer is not None and len(text.split()) <= 3):
            details.note = _NOTE_LEAD.sub("", text).strip()[:500] or None
    elif asked == "confirm":
        note = _NOTE_CHANGE.search(text)
        if note:
            details.note = note.group(1).strip()[:500]
    if _SKIP_ANYWHERE.search(text):
        details.no_note = True
    return details


_DETAIL_WORDS = re.compile(r"(?i)\b(?:number|phone|e-?mail|name|time|day|date|later|earlier|move|resched\w*|\d{3})\b")
_NOTE_LEAD = re.compile(r"(?i)^\s*(?:yes|yeah|yep|sure|ok(?:ay)?)\b[\s,.!:-]*")
_NOTE_CHANGE = re.compile(r"(?i)\b(?:add (?:a )?note(?: that| saying)?|(?:change|update) the note(?: to)?|the note should say|"
                          r"note:)\s*[-:,]?\s*(.+)$")


def _email_last(text: str, contacts: Dict[str, object]) -> bool:
    email, phone = contacts.get("email"), contacts.get("phone")
    if not phone:
        return True
    return text.lower().rfind(str(email)) > max(text.rfind(d) for d in re.findall(r"\d{4}", text) or [""])
