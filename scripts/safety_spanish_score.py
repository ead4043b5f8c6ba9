"""The Spanish warning-sign screen (safety/spanish.py) on the blind corpus tests/safety/spanish.yml:
recall by level, false positives on `none`, the misses.

    python -m scripts.safety_spanish_score [--held-back] [--misses]
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import yaml

from safety.spanish import screen

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "safety"
RANK = {None: 0, "none": 0, "urgent": 1, "emergency": 2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-back", action="store_true", help="the part written last: run once, report it")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    part = "spanish_held_back.yml" if args.held_back else "spanish.yml"
    messages = yaml.safe_load((CORPUS / part).read_text(encoding="utf-8"))["messages"]
    totals, caught, misses = Counter(), Counter(), []
    for message in messages:
        want, (got, signs) = message["level"], screen(message["text"])
        totals[want] += 1
        # an emergency must be caught as one; an urgent sign as urgent or emergency (911 first is not wrong)
        if (want == "none" and got is None) or (want != "none" and RANK[got] >= RANK[want]):
            caught[want] += 1
        else:
            misses.append((want, got, signs, message["text"]))
    print(f"Spanish safety corpus, {part}: {len(messages)} messages")
    print(f"  emergency recall {caught['emergency']}/{totals['emergency']}, urgent recall (urgent or emergency) "
          f"{caught['urgent']}/{totals['urgent']}, false positives on none {totals['none'] - caught['none']}/{totals['none']}")
    if args.misses:
        for want, got, signs, text in misses:
            print(f"  - want {want}, got {got} {signs or ''}: {text!r}")


if __name__ == "__main__":
    main()
