"""What a visitor's message may be, for both channels (guarded_rest.py, guarded_socketio.py): the checks
that turn bad input into a clear 400 instead of a server error, a dropped message, an unreadable stored
event or a dead server (each found by tests/test_channel_fuzzing.py).

- The conversation id (REST `sender`, socket.io `session_id`): text without control characters or lone
  surrogates. Rasa's SQL tracker store turns the database's encoding error into an exit of the server.
- The message: NUL removed (PostgreSQL can't store it), lone surrogates replaced by U+FFFD (spaCy's
  tokenizer can't encode them), and a button payload ("/intent{...}") whose entity JSON nests deeper
  than anyone's button would refused (Rasa's payload reader recurses).
- Metadata: an object of at most MAX_METADATA_CHARS characters of JSON (Rasa copies a new session's
  metadata into a slot and two events), nesting at most MAX_DEPTH deep, NaN and Infinity read as null
  (they are not JSON: PostgreSQL's jsonb, SQLite's json functions and browsers refuse them).
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Optional, Tuple

MAX_MESSAGE_CHARS = 10_000
MAX_SENDER_CHARS = 128
MAX_METADATA_CHARS = 10_000
MAX_DEPTH = 32

_CONTROL_OR_SURROGATE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def id_problem(value: Any, name: str) -> Optional[str]:
    if not isinstance(value, str) or not value.strip():
        return f"'{name}' must be a non-empty string identifying the conversation"
    if len(value) > MAX_SENDER_CHARS:
        return f"'{name}' is longer than {MAX_SENDER_CHARS} characters"
    if _CONTROL_OR_SURROGATE.search(value):
        return f"'{name}' must be plain text (no control characters or broken Unicode)"
    return None


def nesting_depth(text: str) -> int:
    """How deep brackets nest in the text (strings included: an over-count only errs on the safe side)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


def text_problem(message: Any) -> Optional[str]:
    """Why a visitor's message text can't be processed."""
    if not isinstance(message, str):
        return "'message' must be a string"
    if not message.replace("\x00", "").strip():
        return "'message' is empty"
    if len(message) > MAX_MESSAGE_CHARS:
        return f"'message' is longer than {MAX_MESSAGE_CHARS} characters"
    if message.lstrip().startswith("/") and nesting_depth(message) > MAX_DEPTH:
        return f"the button payload nests deeper than {MAX_DEPTH} levels"
    return None


def clean_text(message: str) -> str:
    return _SURROGATE.sub("\ufffd", message.replace("\x00", ""))


def read_json(raw: Any) -> Any:
    """JSON as the channels read it: NaN and Infinity as null. Raises ValueError when it is not JSON
    or nests deeper than Python can read."""
    try:
        return json.loads(raw, parse_constant=lambda _constant: None)
    except RecursionError as error:
        raise ValueError("nested too deeply") from error


def clean_metadata(metadata: Any) -> Tuple[Optional[dict], Optional[str]]:
    """(metadata to pass on, problem): an object, or a JSON object string, within the limits above."""
    if metadata is None:
        return None, None
    if isinstance(metadata, str):
        if len(metadata) > MAX_METADATA_CHARS:
            return None, f"'metadata' is longer than {MAX_METADATA_CHARS} characters"
        try:
            metadata = read_json(metadata)
        except ValueError:
            return None, "'metadata' must be an object or a JSON object string"
    if not isinstance(metadata, dict):
        return None, "'metadata' must be an object or a JSON object string"
    problem = _shape_problem(metadata)
    if problem:
        return None, problem
    cleaned = _finite(metadata)
    if len(json.dumps(cleaned)) > MAX_METADATA_CHARS:
        return None, f"'metadata' is larger than {MAX_METADATA_CHARS} characters of JSON"
    return cleaned, None


def _shape_problem(value: Any) -> Optional[str]:
    pending = [(value, 1)]
    while pending:  # iterative: a deep value must not exhaust the stack while it is checked
        item, depth = pending.pop()
        if depth > MAX_DEPTH and isinstance(item, (dict, list)):
            return f"'metadata' nests deeper than {MAX_DEPTH} levels"
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        if isinstance(item, dict) and any(not isinstance(k, str) or _SURROGATE.search(k) for k in item):
            return "'metadata' keys must be plain text"
        if isinstance(item, str) and _SURROGATE.search(item):
            return "'metadata' must be plain text (no broken Unicode)"
        pending += [(child, depth + 1) for child in children]
    return None


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value
