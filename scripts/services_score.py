"""The services question detector (answers/services.py) on the blind corpus in tests/services/: share
right, services missed, false alarms on microneedling questions.

    python -m scripts.services_score [--held-back] [--misses]
"""
from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import yaml

from answers.services import services_asked

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "services"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-back", action="store_true", help="the part written last: run once, report it")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    part = "held_back" if args.held_back else "development"
    messages = yaml.safe_load((CORPUS / f"{part}.yml").read_text(encoding="utf-8"))["messages"]
    totals, right, misses = Counter(), Counter(), []
    started = time.perf_counter()
    for message in messages:
        want = message["service"]
        got = (services_asked(message["text"]) or ["none"])[0]
        totals[want] += 1
        if got == want:
            right[want] += 1
        else:
            misses.append((want, got, message["text"]))
    ms = (time.perf_counter() - started) / len(messages) * 1000
    asked = [m for m in messages if m["service"] != "none"]
    caught = sum(1 for m in asked if services_asked(m["text"]))
    false_alarms = sum(1 for want, got, _ in misses if want == "none")
    print(f"services corpus, {part}: {len(messages)} messages, {sum(right.values())} right "
          f"({sum(right.values()) / len(messages):.1%}), {ms:.2f} ms per message")
    print(f"  service questions recognised as one: {caught}/{len(asked)}; "
          f"false alarms on other messages: {false_alarms}/{totals['none']}")
    for key in sorted(totals):
        print(f"  {key:14} {right[key]}/{totals[key]}")
    if args.misses:
        for want, got, text in misses:
            print(f"  - want {want}, got {got}: {text!r}")


if __name__ == "__main__":
    main()
