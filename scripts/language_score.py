"""Language detection (languages/detect.py) on the blind corpus in tests/language/: share right by
language, English messages taken for Spanish, ms per message and the detector's memory.

    python -m scripts.language_score [--held-back] [--misses]
"""
from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path

import yaml

from answers.points import common_words
from languages.detect import detect, warm_up
from scripts.processes import rss_mb

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "language"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-back", action="store_true", help="the part written last: run once, report it")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    part = "held_back" if args.held_back else "development"
    messages = yaml.safe_load((CORPUS / f"{part}.yml").read_text(encoding="utf-8"))["messages"]
    common_words()  # the Rasa server holds these already (answers/points.py): not counted below
    before = rss_mb(os.getpid())
    warm_up()
    models_mb = rss_mb(os.getpid()) - before
    totals, right, misses = Counter(), Counter(), []
    started = time.perf_counter()
    for message in messages:
        got = detect(message["text"]).code
        totals[message["language"]] += 1
        if got == message["language"]:
            right[message["language"]] += 1
        else:
            misses.append((message["language"], got, message["text"]))
    ms = (time.perf_counter() - started) / len(messages) * 1000
    print(f"language corpus, {part}: {len(messages)} messages, {sum(right.values())} right "
          f"({sum(right.values()) / len(messages):.1%}), {ms:.2f} ms per message, Lingua's models {models_mb:.0f} MB")
    for code in ("es", "en", "other"):
        print(f"  {code:5} {right[code]}/{totals[code]} ({right[code] / max(totals[code], 1):.1%})")
    english_as_spanish = sum(1 for want, got, _ in misses if want == "en" and got == "es")
    print(f"  English messages answered in Spanish: {english_as_spanish}/{totals['en']}")
    if args.misses:
        for want, got, text in misses:
            print(f"  - want {want}, got {got}: {text!r}")


if __name__ == "__main__":
    main()
