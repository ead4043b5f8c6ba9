"""Duckling in a child process, replaced every few thousand parses.

Why not in-process: pyduckling's `parse_text` copies the result string that Haskell returns and
never frees it (phihos/pyduckling src/lib.rs), so every parse that finds a time leaks its JSON,
about 0.7 KB: 23 MB an hour at soak load, without end. A child that is replaced after
`RECYCLE_AFTER` parses takes the leak with it. It speaks JSON lines on stdin/stdout and imports
nothing but Duckling, so it starts in about 0.2 s; a round trip costs about 0.1 ms.

`python -m actions.duckling_process` is the child; `parse()` is what the parent calls.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import subprocess
import sys
import threading
from typing import List, Optional

logger = logging.getLogger(__name__)

RECYCLE_AFTER = int(os.environ.get("DUCKLING_RECYCLE_AFTER", "5000"))  # ~3.5 MB of leak at most


class DucklingUnavailable(RuntimeError):
    """The child process could not parse (it died twice in a row)."""


class _Child:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: Optional[subprocess.Popen] = None
        self._parses = 0

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "actions.duckling_process"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1,
            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        )

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()  # the child ends at end of input
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
        finally:
            proc.stdout.close()

    def pid(self) -> Optional[int]:
        return self._proc.pid if self._proc else None

    def _exchange(self, request: str) -> List[dict]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc, self._parses = self._start(), 0
        self._proc.stdin.write(request)
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise BrokenPipeError("the Duckling process ended")
        return json.loads(line)

    def parse(self, text: str, timestamp: int, tz: str, latent: bool) -> List[dict]:
        request = json.dumps({"text": text, "ts": timestamp, "tz": tz, "latent": latent}) + "\n"
        with self._lock:
            if self._parses >= RECYCLE_AFTER:
                self.stop()
            for attempt in (1, 2):
                try:
                    found = self._exchange(request)
                    self._parses += 1
                    return found
                except (OSError, ValueError) as error:
                    logger.warning("Duckling process failed (%s); starting a new one", error)
                    self.stop()
            raise DucklingUnavailable("Duckling failed twice")


_child = _Child()
atexit.register(_child.stop)


def parse(text: str, timestamp: int, tz: str, latent: bool = False) -> List[dict]:
    """Duckling's time entities in `text`, with the reference time `timestamp` (Unix) in `tz`."""
    return _child.parse(text, timestamp, tz, latent)


def child_pid() -> Optional[int]:
    return _child.pid()


def stop_child() -> None:
    """End the child now (the next parse starts a new one)."""
    with _child._lock:
        _child.stop()


def _serve() -> None:
    import duckling  # only the child loads the leaking binding

    zones = duckling.load_time_zones("/usr/share/zoneinfo")
    locale = duckling.default_locale_lang(duckling.parse_lang("EN"))
    dims = duckling.parse_dimensions(["time"])
    for line in sys.stdin:
        request = json.loads(line)
        ref = duckling.parse_ref_time(zones, request["tz"], int(request["ts"]))
        found = duckling.parse(request["text"], duckling.Context(ref, locale), dims, bool(request["latent"]))
        sys.stdout.write(json.dumps(found) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
