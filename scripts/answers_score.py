"""`make answers`: the answer points (answers/points.py) on the blind sub-point corpus (tests/answers/).

For each one-point message: is the point found for its topic the one asked ("general" when none)?
For each two-point message: are both points found, in the order asked? Prints both shares, the misses
and the time per message; `--held-back` scores tests/answers/held_back.yml instead (run it once, at the
end). Exits 1 below the floor (0.92 on the one-point messages).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "answers"
FLOOR = 0.92


def load(name: str):
    data = yaml.safe_load((CORPUS / name).read_text())
    single = [(text, intent, None if point == "general" else point)
              for intent, points in data["single"].items() for point, texts in points.items() for text in texts]
    two = [(item["text"], [tuple(p.split("/")) for p in item["points"]]) for item in data.get("two_points") or []]
    return single, two


def finder():
    import spacy

    from answers.points import PointFinder
    return PointFinder(spacy.load(str(ROOT / "build" / "spacy" / "en_clinic")))


def score(names, explain: bool = False):
    from answers.points import choose
    points = finder()
    single, two = [], []
    for name in names:
        s, t = load(name)
        single += s
        two += t
    misses, right, times = [], 0, []
    for text, intent, point in single:
        started = time.perf_counter()
        found = points.find(text)
        times.append(time.perf_counter() - started)
        mine = [p for i, p in choose(found, intent) if i == intent]  # what the visitor is answered
        got = mine[0] if mine else None
        if got == point:
            right += 1
        else:
            misses.append(f"{intent}/{point or 'general'} got {got or 'general'}: {text}")
    pair_right = 0
    for text, wanted in two:
        got = [(i, p or "general") for i, p in choose(points.find(text), wanted[0][0])]
        if [tuple(w) for w in wanted] == got[:len(wanted)] and len(got) >= len(wanted):
            pair_right += 1
        else:
            misses.append(f"two points {wanted} got {got}: {text}")
    share = right / len(single)
    print(f"answer points on {' + '.join(names)}: {len(single)} one-point and {len(two)} two-point messages")
    if explain:
        for miss in misses:
            print("  miss:", miss)
    print(f"one-point messages, point right   {share:.3f}   (floor {FLOOR})")
    if two:
        print(f"two-point messages, both in order {pair_right / len(two):.3f}")
    print(f"median time per message           {statistics.median(times) * 1000:.2f} ms")
    return share


def main(argv=None) -> int:
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--held-back", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    share = score(["held_back.yml"] if args.held_back else ["development.yml"], explain=args.explain)
    return 0 if share >= FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
