"""One message → the booking details it holds: name, contact, time preference, contact preference, note.

`read_message` reads a message once, for every detail, whatever question was asked; the form
validation action (actions/booking.py) maps the result to slots. Dates and times are Duckling's
(in-process, `pyduckling-native-phihos`) in the clinic's time zone, phones `phonenumbers`', e-mails
`email-validator`'s, name capitalisation `nameparser`'s. Pure functions of their inputs (the time is
passed in), scored by `make parsing` on the blind corpus in tests/parsing/.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

import duckling
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from nameparser import HumanName

from actions.clinic_profile import DAYS, ClinicProfile, format_time_of_day

FIELDS = ("name", "contact", "time", "note")


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
    """Is the value at `start` negated ("not 555-0101", "wrong email: …")?"""
    return bool(_NEGATION_BEFORE.search(text[max(0, start - 25):start]))


def find_email(text: str) -> Optional[str]:
    match = _EMAIL_RE.search(text or "")
    return match.group(0).rstrip(".") if match else None


def find_phone(text: str) -> Optional[str]:
    """The first phone-number-looking run of digits in the text (valid or not)."""
    for match in phonenumbers.PhoneNumberMatcher(text or "", "US", leniency=phonenumbers.Leniency.POSSIBLE):
        return match.raw_string
    digits = re.search(r"(?:\+?\d[\d\s().-]{5,}\d)", text or "")
    return digits.group(0) if digits else None


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


def normalise_contact(text: str) -> "str | Problem":
    """A valid email address or phone number found in the text, normalised."""
    details = read_contacts(text)
    if details.get("problem"):
        return details["problem"]
    return details.get("email") or details.get("phone") or Problem(
        "contact", "I need a phone number or an email address so the team can reach you, "
                   "for example 770-555-0134 or name@example.com.")


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
    ("email", re.compile(r"\b(?:e-?mail(?:ing)?|e-?mails)\b(?=[^.?!]*\b(?:only|best|prefer|better|please|pls|rather|instead)\b)"
                         r"|\b(?:only|prefer|rather)\b[^.?!]{0,20}\be-?mail|\bby e-?mail\b|\be-?mail me\b", re.IGNORECASE)),
    ("call", re.compile(r"\b(?:call(?:ing)? me|phone call|give me a (?:call|ring)|ring me|calls? (?:only|are best|is best|is fine|work))\b",
                        re.IGNORECASE)),
]
_NO_CALLS = re.compile(r"\b(?:no|don'?t|do not|never)\s+(?:phone\s+)?call", re.IGNORECASE)
_CONTACT_WHEN = re.compile(r"(?:\b(?:call|text|reach|contact|ring)\w*\b[^.?!]{0,30}?|)\b((?:after|before|between|around)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?"
                           r"(?:\s*(?:-|–|and|to)\s*\d{1,2}(?::\d\d)?\s*(?:am|pm)?)?|(?:in the )?(?:mornings?|afternoons?|evenings?|lunch(?:time)?))\b"
                           r"(?=[^.?!]{0,25}\b(?:best|works?|better|to (?:call|text|reach)|is good|is fine)\b|)", re.IGNORECASE)
_CONTACT_WORDS = re.compile(r"\b(?:call|text|reach|contact|ring|phone|answer|pick up)\w*\b", re.IGNORECASE)


def read_contact_preference(text: str, asked: str) -> Tuple[Optional[str], Optional[str]]:
    """(how, readable): "texts only please" → ("text", "texts only please")."""
    how = None
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
    readable = "; ".join(words) or None
    if how is None and readable is None:
        return None, None
    return how, readable


# ---------------------------------------------------------------- names
_NOT_NAME_WORDS = set("""
a an the and or but not no yes yeah yep yup nope ok okay k sure skip none nothing idk dunno thx thanks thank
you your u ur me my mine i im i'm it its it's is am are was be been this that these those there here
interested looking wondering curious asking trying hoping thinking planning just want wanna would like love
pregnant breastfeeding nursing on taking allergic diabetic over under about from in at of to for with by
back new good fine great sorry free available busy done ready unsure confused still also too very really
hi hello hey hiya thanks please pls plz help booking book booked appointment appt consult consultation
session sessions treatment call text email e-mail phone number cell mobile contact reach name surname
microneedling what why how when where who which can could would will is are do does did should
morning afternoon evening night noon lunch today tomorrow tonight week weekend weekday weekdays next
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec am pm asap soon later time day days any anytime whenever
friend recommended recommend sister mom mother husband wife daughter son boyfriend girlfriend
actually oops sorry wait correction instead change changed update meant mean spelt spelled spelling
one two l h e letter best only prefer rather texts
first last full real nickname go goes by
""".split())
# Capitalised words that are names when used as names (the whole answer to the name question,
# or after "I'm"/"my name is"): the words above otherwise keep them out of a name.
_NAME_TOKEN = r"[^\W\d_][^\W\d_'’\-]*(?:['’\-][^\W\d_]+)*\.?"
_NAME_RUN = re.compile(rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}}")
_NAME_CUE = re.compile(
    r"\b(?:my name(?:'s|’s| is)|name(?:'s|’s| is)|name\s*[:=-]|the name(?:'s|’s| is| should be)?|names?|this is|i am|i'm|i’m|im|"
    r"it'?s|it’s|call me|put (?:it )?(?:down |under )?(?:as |under )|under(?: the name)?|for)\s+",
    re.IGNORECASE)
_STRONG_CUES = re.compile(r"my name|name(?:'s|’s| is)|name\s*[:=-]|the name|call me|put|under|names?\s", re.IGNORECASE)


# Words that end a name even when capitalised ("Michael Okafor I'd like…", "Laura Chen Phone 770…").
_NAME_ENDS = set("""i i'd i'm i'll i've im id and or but my phone email e-mail number cell mobile tel text call
please pls thanks thank here is at on for from them they her him us we it that this later now""".split())


def _name_words(candidate: str, *, lenient: bool) -> List[str]:
    words = []
    for word in candidate.split():
        bare = word.strip(".,").lower().replace("’", "'")
        if bare in _NAME_ENDS or (bare in _NOT_NAME_WORDS and not (lenient and word[:1].isupper())):
            break
        words.append(word.rstrip("."))
    return words


def tidy_name(words: Sequence[str]) -> str:
    name = " ".join(words).strip(" ,.;:!-")
    if name == name.lower() or name == name.upper():
        parsed = HumanName(name)
        parsed.capitalize(force=True)
        name = str(parsed) or name.title()
    return name


def find_name(text: str, *, asked_for_name: bool) -> Optional[str]:
    """The visitor's own name in the (contact-free) text, or None."""
    # "I'm Sarah", "my name is jo smith", "name: Đặng Văn", "put it under April"
    for cue in _NAME_CUE.finditer(text):
        strong = bool(_STRONG_CUES.search(cue.group(0)))
        lead = cue.group(0).strip().lower()
        if lead in ("for", "it's", "it’s", "its") and not asked_for_name:
            continue
        run = _NAME_RUN.match(text, cue.end())
        if not run:
            continue
        if not strong and not run.group(0)[:1].isupper() and not asked_for_name:
            continue  # "i'm looking", "im on accutane"
        words = _name_words(run.group(0), lenient=True)
        if words and (strong or asked_for_name or words[0][:1].isupper()):
            return tidy_name(words[:4])
    # "Mary-Kate Vanderberg here", "Mark Sunday here"
    here = re.search(rf"({_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,2}})\s+here\b", text)
    if here:
        words = [w for w in here.group(1).split() if w[:1].isupper()]
        if words and words[0].lower() not in ("i", "hi", "hey", "hello", "hiya"):
            return tidy_name(words)
    # A sentence or clause that is nothing but a capitalised name: "… afternoon. Chloé Lefèvre"
    for clause in re.split(r"[.!?;,\n]|\s[-–—]\s", text):
        clause = clause.strip()
        tokens = clause.split()
        if 2 <= len(tokens) <= 3 and all(re.fullmatch(_NAME_TOKEN, t) and t[:1].isupper() for t in tokens) and \
                tokens[0].lower() not in _NOT_NAME_WORDS:
            return tidy_name(tokens)
    if asked_for_name:
        bare = re.sub(r"^\s*(?:(?:sure|ok(?:ay)?|yes|yeah|yep|hi|hey|of course)\b[\s,!.]*)+", "", text, flags=re.IGNORECASE)
        bare = re.sub(r"[\s,.!]+(?:thanks?|thx|ty|pls|please|:\)|🙂)?[\s,.!]*$", "", bare, flags=re.IGNORECASE).strip(" ,.!")
        if bare and re.fullmatch(rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}}", bare):
            words = _name_words(bare, lenient=True)
            if len(words) == len(bare.split()) and words:
                return tidy_name(words)
    return None


def find_name_beside_contact(text: str, spans: Sequence[Tuple[int, int]]) -> Optional[str]:
    """"Maria Diaz 404-555-0122", "Keisha Banks, keisha@…": the name-like words just before a contact."""
    for start, _end in sorted(spans):
        before = text[:start].rstrip(" ,:;-–—(")
        clause = re.split(r"[.!?;\n]|,(?=\s*\w+\s*$)|\s[-–—]\s|\b(?:and|is|at|on|or|pls|please)\s*$", before)[-1]
        clause = re.split(r"[,.!?;]", clause)[-1].strip()
        tokens = clause.split()[-3:]
        while tokens and (tokens[0].lower().strip(".") in _NOT_NAME_WORDS or not tokens[0][:1].isalpha()):
            tokens = tokens[1:]
        if tokens and all(re.fullmatch(_NAME_TOKEN, t) for t in tokens) and \
                all(t.lower().strip(".") not in _NOT_NAME_WORDS or t[:1].isupper() for t in tokens) and \
                (tokens[0][:1].isupper() or len(tokens) >= 2):
            if any(t.lower() in _DAY_WORDS for t in tokens) and len(tokens) == 1:
                continue
            return tidy_name(tokens)
    return None


_PHONE_ENDING = re.compile(r"\b(?:ends?|ending|last (?:\w+ )?digits? (?:are|is|should be)?)\s*(?:in|with|is|are)?\s*(\d{2,4})\b", re.IGNORECASE)
_SPELLED = re.compile(r"\b((?:[^\W\d_][-.\s]){2,}[^\W\d_])\b")
_LETTER_COUNT = re.compile(r"\b(?:with|has|it'?s|just)\s+(?:one|a single|1|only one|two|double|2)\s+([a-z])'?s?\b", re.IGNORECASE)


def corrected_phone(text: str, old: Optional[str]) -> Optional[str]:
    """"my number ends 0191 not 0190": the old number with its last digits replaced."""
    match = _PHONE_ENDING.search(text)
    if not match or not old:
        return None
    digits, ending = re.sub(r"\D", "", old), match.group(1)
    return format_phone(digits[: len(digits) - len(ending)] + ending) if len(digits) >= 10 else None


def corrected_name(text: str, old: Optional[str]) -> Optional[str]:
    """"P-O-W-E-L", "Powel with one L": the old name with its surname (or only name) respelt."""
    if not old:
        return None
    words = old.split()
    spelled = _SPELLED.search(text)
    if spelled:
        respelt = re.sub(r"[-.\s]", "", spelled.group(1))
        respelt = respelt[:1].upper() + respelt[1:].lower()
        index = next((i for i in range(len(words) - 1, -1, -1) if words[i][:1].lower() == respelt[:1].lower()), len(words) - 1)
        return " ".join(words[:index] + [respelt] + words[index + 1:])
    count = _LETTER_COUNT.search(text)
    if count:
        letter, single = count.group(1).lower(), not re.search(r"(?i)two|double|2", count.group(0))
        index = next((i for i in range(len(words) - 1, -1, -1) if letter * 2 in words[i].lower() or letter in words[i].lower()),
                     None)
        if index is None:
            return None
        word = words[index]
        new = re.sub(f"(?i){letter}{letter}", word[word.lower().index(letter)] if letter * 2 in word.lower() else letter, word, count=1) \
            if single else re.sub(f"(?i)({letter})(?!{letter})", r"\1\1", word, count=1)
        return " ".join(words[:index] + [new] + words[index + 1:]) if new != word else None
    return None


# ---------------------------------------------------------------- time preference
_DAY_WORDS = {d for d in DAYS} | {"mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri", "sat", "sun"}
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

    def earliest_text(self) -> str:
        return describe(self.earliest, self.has_clock)


def describe(moment: dt.datetime, has_clock: bool) -> str:
    day = f"{moment.strftime('%A')}, {moment.strftime('%B')} {moment.day}"
    return f"{day} at {format_time_of_day(moment.time())}" if has_clock else day


@lru_cache(maxsize=1)
def _time_zones():
    return duckling.load_time_zones("/usr/share/zoneinfo")


@lru_cache(maxsize=1)
def _duckling_setup():
    lang = duckling.parse_lang("EN")
    return duckling.default_locale_lang(lang), duckling.parse_dimensions(["time"])


def _duckling_times(text: str, now: dt.datetime, tz: str) -> List[dict]:
    locale, dims = _duckling_setup()
    ref = duckling.parse_ref_time(_time_zones(), tz, int(now.timestamp()))
    return duckling.parse(text, duckling.Context(ref, locale), dims, False)


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


_NEGATED_TIME = re.compile(r"(?:\bnot|\bscratch|\bbut|\bexcept|\bno|\bcan'?t do|\bcannot do|\bbusy|\bnot on|\binstead of|\bnot available)\s+(?:on\s+|a\s+)?$",
                           re.IGNORECASE)


_RULED_OUT = re.compile(r"s?\s*(?:are|is|'s|r)?\s*(?:out|no good|not good|bad|impossible|a no)\b|\s*(?:don'?t|doesn'?t|won'?t|wont|dont) work",
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


def _readings(text: str, now: dt.datetime, profile: ClinicProfile) -> List[_Reading]:
    tz = profile.tz
    prepared = _for_duckling(text)
    found: List[_Reading] = []
    for hit in _duckling_times(prepared, now, profile.timezone):
        body, value = hit["body"], hit["value"]
        if hit.get("latent"):
            continue
        if _NEGATED_TIME.search(prepared[:hit["start"]]) or _RULED_OUT.match(prepared[hit["end"]:]):
            continue
        if re.fullmatch(r"(?i)(?:jan|feb|mar|apr|april|may|jun|june|jul|aug|sep|oct|nov|dec)\w*\.?", body.strip()) and \
                not re.search(rf"(?i)\b(?:in|of|early|late|mid|during|next|this)\s+{re.escape(body.strip())}", prepared):
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
            if start is None:  # "before 11": the earliest is the start of that day
                start = end.replace(hour=0, minute=0) if end else now.astimezone(tz)
                has_clock = False
            else:
                has_clock = grain in ("hour", "minute", "second") and not re.search(
                    r"(?i)\b(?:morning|afternoon|evening|night|noon|lunch|weekend|asap|now)\b", body)
            if re.search(r"(?i)weekend", body):
                start = start.replace(hour=0, minute=0) + dt.timedelta(days=(5 - start.weekday()) % 7)
                has_clock = False
            found.append(_Reading(start, has_clock, True, body, end=end, grain=grain))
    return found


def _window_open(profile: ClinicProfile, day: dt.date) -> Optional[Tuple[dt.time, dt.time]]:
    if not profile.has_hours:
        return dt.time(0), dt.time(23, 59)
    return profile.opening_window(day)


def _earliest_fit(start: dt.datetime, has_clock: bool, now: dt.datetime, profile: ClinicProfile,
                  weekdays_only: bool = False, days: Optional[set] = None,
                  part: Optional[Tuple[dt.time, dt.time]] = None) -> Optional[Tuple[dt.datetime, bool]]:
    """The first moment from `start` on that the clinic could see them (open day, notice, window)."""
    earliest_allowed = now + dt.timedelta(hours=profile.min_notice_hours)
    day = start.date()
    for _ in range(profile.max_days_ahead + 8):
        if (weekdays_only and day.weekday() >= 5) or (days and day.weekday() not in days):
            day += dt.timedelta(days=1)
            continue
        window = _window_open(profile, day)
        if window is not None:
            clock = start.time() if has_clock and day == start.date() else (part[0] if part and has_clock else None)
            latest = dt.datetime.combine(day, window[1], tzinfo=profile.tz)
            if part and part[1] < window[1]:
                latest = dt.datetime.combine(day, part[1], tzinfo=profile.tz)
            if has_clock:
                moment = dt.datetime.combine(day, clock or window[0], tzinfo=profile.tz)
                inside = window[0] <= moment.time() < window[1]
                if moment >= earliest_allowed and inside:
                    return moment, True
            elif latest > earliest_allowed:
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


def read_time(text: str, now: dt.datetime, profile: ClinicProfile) -> "TimePreference | Problem | None":
    """The time preference in the text, a Problem when it cannot work, None when it gives no time."""
    tz = profile.tz
    local_now = now.astimezone(tz)
    readings = _readings(text, now, profile)
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
    days = {r.start.weekday() for r in readings} if len(readings) > 1 else None
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
                                       f"It’s open {', '.join(open_days)}. Which of those days would suit you?", reason="closed")
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
    if start.date() < local_now.date():
        start = local_now
    fit = _earliest_fit(max(start, local_now), has_clock, now.astimezone(tz), profile, weekdays_only, days, part)
    if fit is None:
        return Problem("time", f"I couldn’t find an open time in that window within {profile.max_days_ahead} days. "
                               "Which other days or times would work?", reason="closed")
    if (fit[0].date() - local_now.date()).days > profile.max_days_ahead:
        return Problem("time", f"Requests can be made up to {profile.max_days_ahead} days ahead. "
                               "Which date closer to now would work?", reason="too_far")
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
                  r"absolutely|definitely|of course)\b", re.IGNORECASE)
_YES_ANYWHERE = re.compile(r"\b(?:yes|yep|yeah|yup|correct|perfect|send it|go ahead|all good|looks good|sounds good|"
                           r"that'?s (?:right|correct))\b", re.IGNORECASE)
_NO = re.compile(r"^\s*(?:n|no+|nope|nah|not (?:yet|quite|really)|wrong|incorrect|wait)\b", re.IGNORECASE)
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

    def as_dict(self) -> Dict[str, object]:
        data = dataclasses.asdict(self)
        data["time"] = self.time.to_slot() if self.time else None
        return data


_DAY_GIVEN = re.compile(r"(?i)\b(?:mon|tue|wed|thu|fri|sat|sun)\w*|\btoday\b|\btomorrow\b|\bweek|\bweekend|"
                        r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\b|\d(?:st|nd|rd|th)\b|\d/\d")
_CLOCK_GIVEN = re.compile(r"(?i)\d\s*(?:am|pm)\b|\d:\d\d|\bnoon\b|\bmidday\b|\bat \d|\b(?:morning|afternoon|evening|lunch)")


def _merge_time(old: Optional[Dict[str, Any]], new: TimePreference, text: str, now: dt.datetime,
                profile: ClinicProfile) -> "TimePreference | Problem":
    """"keep the day, make it noon" / "Wednesday not Tuesday" / "the 9th, same time": the part not given is kept."""
    if not old or isinstance(new, Problem):
        return new
    previous = TimePreference.from_slot(old)
    if previous.window:
        return new
    day = f"{previous.earliest.strftime('%A')} {previous.earliest.strftime('%B')} {previous.earliest.day}"
    gave_day, gave_clock = bool(_DAY_GIVEN.search(text)), bool(_CLOCK_GIVEN.search(text))
    if gave_clock and not gave_day:
        clock_words = re.sub(r"(?i)\b(?:keep|same|the|day|make it|change it to|instead|but|please|pls|actually|oops)\b", " ",
                             text)
        return read_time(f"{day} {clock_words}", now, profile) or new
    if gave_day and not gave_clock and previous.has_clock:
        return read_time(f"{text} at {previous.earliest.strftime('%H:%M')}", now, profile) or new
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
        details.name = find_name(rest, asked_for_name=False) or find_name_beside_contact(text, contacts["spans"])
    respelt = corrected_name(rest, earlier.get("name")) if earlier.get("name") else None
    if respelt:
        details.name = respelt
    name_free = rest
    if details.name:
        for word in details.name.split():
            name_free = re.sub(rf"(?i)\b{re.escape(word)}\b", " ", name_free)

    if asked != "name" or not details.name:
        # "call me after 5" is when to contact them, not when to come.
        time_text = name_free
        if details.contact_preference and _CONTACT_WORDS.search(name_free) and not re.search(
                r"(?i)\b(?:come|book|appointment|appt|session|consult|visit|in on)\b", name_free):
            time_text = ""
        found = read_time(time_text, now, profile) if time_text.strip() else None
        if found is not None and earlier.get("time"):
            found = _merge_time(earlier["time"], found, time_text, now, profile)
        if isinstance(found, Problem):
            details.problems.append(found)
        elif found is not None:
            details.time = found

    if asked in ("confirm", "note"):
        if (_YES.match(text) or _YES_ANYWHERE.search(text)) and not _NO.match(text) and len(text.split()) <= 6 \
                and not details.fields():
            details.answer = True
        elif _NO.match(text) and not details.fields():
            details.answer = False
    if asked == "note":
        if details.answer is False or (_SKIP_NOTE.search(text) and len(text.split()) <= 6):
            details.no_note, details.answer = True, False
        elif details.answer is None and not details.fields() and not details.question:
            details.note = text[:500]
    if _SKIP_ANYWHERE.search(text):
        details.no_note = True
    return details


def _email_last(text: str, contacts: Dict[str, object]) -> bool:
    email, phone = contacts.get("email"), contacts.get("phone")
    if not phone:
        return True
    return text.lower().rfind(str(email)) > max(text.rfind(d) for d in re.findall(r"\d{4}", text) or [""])
