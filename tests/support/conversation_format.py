"""The conversation-test format: YAML files under tests/conversations/, read into plain objects.

A file holds `conversations:`, a list of:

    - id: booking-all-details-first          # unique across the corpus
      category: booking                       # see CATEGORIES
      profile: shipped                        # shipped (clinic_profile.yml) or filled (tests/fixtures/)
      channel: rest                           # rest (default) or socketio, as the widget talks
      source: blind-a                         # who wrote it (blind-a, blind-b, transcript, team)
      summary: all details in the first message
      outcome: the writer's expected outcome for staff, in plain words (kept as written)
      xfail: "issue 11: the first message's details are not used"   # expected to fail (strict)
      turns:
        - visitor: "can i come in thursday at 10? Maria Diaz 404-555-0122"
          expect: the writer's expectation, in plain words (kept as written)
          # checks on this turn, all optional:
          responses: [utter_ask_booking_note]  # each was sent this turn (by response name)
          no_responses: [utter_ask_booking_name]
          first_response: utter_warning_emergency
          actions: [booking_form]              # each ran this turn
          no_actions: [action_submit_booking]
          says: ["911"]                        # each appears in what the visitor sees
          says_not: ["normal"]                 # none appears
          opens_with: "call 911"               # the first message starts with it
          leads_with: [makeup]                 # each appears in the first message's first sentence
          replies: 1                           # exactly this many bot messages
          slots: {booking_name: Maria Diaz}    # slot values after the turn
      request:                                 # the one request stored for this conversation
        kind: booking
        name: Maria Diaz
        contact: "phone:4045550122"
        requested_time_text: "re:thu"
      email: {says: ["Maria Diaz"]}            # the staff e-mail (default: one, whenever a request is stored)

`request: none` means nothing is stored (and then no staff e-mail); `requests:` takes a list when a
conversation must store several.

Patterns. Text checks (`says`, `says_not`, `opens_with`, `leads_with`, e-mail `says`) look for the text inside
what the visitor sees, ignoring case, runs of white space and the curly/straight apostrophe
difference; a pattern starting `re:` is a regular expression (case-insensitive). Value checks
(slots and request columns) compare the whole value the same way; `re:` searches in it, `phone:`
compares the digits (the last ten), and `null` means empty.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

CORPUS = Path(__file__).resolve().parent.parent / "conversations"
CATEGORIES = ("booking", "callback", "existing_appointment", "faq", "medical_boundary", "warning_signs",
              "out_of_scope", "hostile")
PROFILES = ("shipped", "filled")
CHANNELS = ("rest", "socketio")
TURN_CHECKS = ("responses", "no_responses", "first_response", "actions", "no_actions", "says", "says_not",
               "opens_with", "leads_with", "replies", "slots")
CONVERSATION_KEYS = ("id", "category", "profile", "channel", "source", "summary", "xfail", "turns", "outcome",
                     "request", "requests", "email")


class FormatError(ValueError):
    pass


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text).translate(_QUOTES)).strip().casefold()


def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern[3:], re.IGNORECASE | re.DOTALL)


def text_contains(haystack: str, pattern: str) -> bool:
    if pattern.startswith("re:"):
        return bool(_regex(pattern).search(haystack.translate(_QUOTES)))
    return normalise(pattern) in normalise(haystack)


def text_opens_with(text: str, pattern: str) -> bool:
    """The message starts with the pattern, after any leading emoji, symbols or white space."""
    start = re.sub(r"^[\W_]+", "", text.translate(_QUOTES))
    if pattern.startswith("re:"):
        return bool(_regex(pattern).match(start))
    return normalise(start).startswith(normalise(pattern))


def first_sentence(text: str) -> str:
    """Up to the first full stop, question or exclamation mark that ends a sentence."""
    match = re.search(r"[.!?](\s|$)", text)
    return text[: match.end()] if match else text


def value_matches(value: Any, pattern: Any) -> bool:
    if pattern is None or pattern == "null":
        return value in (None, "", [], {})
    if value is None:
        return False
    if isinstance(pattern, bool) or not isinstance(pattern, str):
        return value == pattern
    if pattern.startswith("re:"):
        return bool(_regex(pattern).search(str(value).translate(_QUOTES)))
    if pattern.startswith("phone:"):
        return re.sub(r"\D", "", str(value))[-10:] == re.sub(r"\D", "", pattern)[-10:]
    return normalise(value) == normalise(pattern)


@dataclass
class Turn:
    visitor: str
    expect: str = ""
    checks: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Conversation:
    id: str
    category: str
    profile: str
    turns: List[Turn]
    channel: str = "rest"
    source: str = ""
    summary: str = ""
    xfail: Optional[str] = None
    requests: Optional[List[Dict[str, Any]]] = None  # None: not checked; []: nothing stored
    email: Optional[Dict[str, Any]] = None          # None: one e-mail per stored request
    file: str = ""


def _listed(value: Any, where: str, key: str) -> List[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FormatError(f"{where}: `{key}` takes a text or a list of texts")
    return value


def parse_turn(raw: Any, where: str) -> Turn:
    if isinstance(raw, dict) and isinstance(raw.get("visitor"), (bool, int, float)):
        raise FormatError(f"{where}: YAML read `visitor: {raw['visitor']}` as a {type(raw['visitor']).__name__}; "
                          "quote the message (visitor: \"yes\")")
    if not isinstance(raw, dict) or not isinstance(raw.get("visitor"), str) or not raw["visitor"]:
        raise FormatError(f"{where}: a turn needs `visitor:` with the visitor's message")
    unknown = set(raw) - {"visitor", "expect", *TURN_CHECKS}
    if unknown:
        raise FormatError(f"{where}: unknown keys {sorted(unknown)} (checks are {', '.join(TURN_CHECKS)})")
    checks: Dict[str, Any] = {}
    for key in TURN_CHECKS:
        if key not in raw:
            continue
        value = raw[key]
        if key in ("first_response", "opens_with"):
            if not isinstance(value, str):
                raise FormatError(f"{where}: `{key}` takes one text")
        elif key == "replies":
            if not isinstance(value, int) or value < 0:
                raise FormatError(f"{where}: `replies` takes a number")
        elif key == "slots":
            if not isinstance(value, dict):
                raise FormatError(f"{where}: `slots` takes a mapping of slot name to value")
        else:
            value = _listed(value, where, key)
        checks[key] = value
    return Turn(visitor=raw["visitor"], expect=str(raw.get("expect", "")).strip(), checks=checks)


def parse_conversation(raw: Any, file: str) -> Conversation:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise FormatError(f"{file}: every conversation needs an `id`")
    where = f"{file}:{raw['id']}"
    unknown = set(raw) - set(CONVERSATION_KEYS)
    if unknown:
        raise FormatError(f"{where}: unknown keys {sorted(unknown)}")
    for key, allowed in (("category", CATEGORIES), ("profile", PROFILES), ("channel", CHANNELS)):
        value = raw.get(key, "rest" if key == "channel" else None)
        if value not in allowed:
            raise FormatError(f"{where}: `{key}` must be one of {', '.join(allowed)}, not {value!r}")
    turns = raw.get("turns")
    if not isinstance(turns, list) or not turns:
        raise FormatError(f"{where}: `turns` must be a non-empty list")
    if "request" in raw and "requests" in raw:
        raise FormatError(f"{where}: give `request` or `requests`, not both")
    requests = None
    if "request" in raw:
        requests = [] if raw["request"] in (None, "none") else [raw["request"]]
    elif "requests" in raw:
        requests = raw["requests"] or []
    for wanted in requests or []:
        if not isinstance(wanted, dict):
            raise FormatError(f"{where}: a request is a mapping of column to value (or `none`)")
    email = raw.get("email")
    if email in ("none", False):
        email = {"count": 0}
    elif email is not None and not isinstance(email, dict):
        raise FormatError(f"{where}: `email` is `none` or a mapping with `says` / `says_not` / `count`")
    if email and set(email) - {"says", "says_not", "subject_says_not", "count"}:
        raise FormatError(f"{where}: `email` takes says, says_not, subject_says_not and count")
    return Conversation(
        id=str(raw["id"]), category=raw["category"], profile=raw["profile"], channel=raw.get("channel", "rest"),
        source=str(raw.get("source", "")), summary=str(raw.get("summary", "")), xfail=raw.get("xfail"),
        turns=[parse_turn(t, f"{where} turn {i}") for i, t in enumerate(turns, 1)],
        requests=requests, email=email, file=file)


def load_corpus(folder: Path = CORPUS) -> List[Conversation]:
    conversations: List[Conversation] = []
    for path in sorted(folder.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(document, dict) or not isinstance(document.get("conversations"), list):
            raise FormatError(f"{path.name}: the file needs a top-level `conversations:` list")
        conversations += [parse_conversation(raw, path.name) for raw in document["conversations"]]
    seen: Dict[str, str] = {}
    for conversation in conversations:
        if conversation.id in seen:
            raise FormatError(f"{conversation.file}: id {conversation.id!r} is also in {seen[conversation.id]}")
        seen[conversation.id] = conversation.file
    return conversations
