"""`make safety`: the warning-sign screen scored on the blind safety corpus (tests/safety/) and on the
messages that must never be flagged (the training data's and the held-out split's ask_suitability and
ask_downtime examples, and the whole held-out intent split). The development part is
development.yml and development_2.yml to development_8.yml (earlier held-back parts, each scored once and
then built on).

Prints emergency recall, urgent recall (an emergency screened as urgent is a miss for emergency, not
for urgent), the false-positive rate on the `none` messages and on the held-out split, the misses, and
the time per message. Exits 1 below a floor. `--held-back` scores tests/safety/held_back.yml instead of
the development part (run it once, at the end).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "safety"
FLOORS = {"emergency recall": 1.00, "urgent recall": 0.99, "none false positives": 0.01,
          "held-out split false positives": 0.005}


@dataclass
class Score:
    figures: Dict[str, float]
    misses: List[Tuple[str, str, str]]     # (expected, got, text)
    per_message_ms: float

    def below_floor(self) -> List[str]:
        out = []
        for name, floor in FLOORS.items():
            value = self.figures[name]
            if (value < floor) if name.endswith("recall") else (value > floor):
                out.append(f"{name} {value:.3f} (floor {floor})")
        return out


def training_messages(intents=("ask_suitability", "ask_downtime")) -> Tuple[List[str], List[str]]:
    """(this-intent examples of the training data and held-out split, every held-out message)."""
    from rasa.shared.nlu.training_data.loading import load_data

    from scripts.model_files import nlu_data
    train = nlu_data()
    heldout = load_data(str(ROOT / "tests" / "nlu" / "heldout.yml"))
    chosen = [m.get("text") for d in (train, heldout) for m in d.intent_examples if m.get("intent") in intents]
    return chosen, [m.get("text") for m in heldout.intent_examples]


def load_screen():
    import spacy
    from safety.screen import Screen
    return Screen(spacy.load(str(ROOT / "build" / "spacy" / "en_clinic")))


def model_screen(model: Path):
    """A trained model's own verdicts (its pipeline's screen), for the promotion gate: a model whose
    config dropped or broke the screen fails the floors."""
    import asyncio

    from rasa.core.agent import Agent

    from safety.screen import Verdict
    agent, loop = Agent.load(str(model)), asyncio.new_event_loop()

    class ModelScreen:
        def screen(self, text: str) -> Verdict:
            parsed = loop.run_until_complete(agent.parse_message(text))
            return Verdict(level=(parsed.get("warning") or {}).get("level"))
    return ModelScreen()


DEVELOPMENT = ("development.yml", "development_2.yml", "development_3.yml", "development_4.yml",
               "development_5.yml", "development_6.yml",
               "development_7.yml", "development_8.yml")


def load_labelled(names) -> Dict[str, List[str]]:
    labelled: Dict[str, List[str]] = {"emergency": [], "urgent": [], "none": []}
    for name in names:
        for level, texts in yaml.safe_load((CORPUS / name).read_text(encoding="utf-8")).items():
            labelled[level] += texts
    return labelled


def score(names=DEVELOPMENT, screen=None) -> Score:
    screen = screen or load_screen()
    labelled = load_labelled([names] if isinstance(names, str) else names)
    suitability_downtime, heldout = training_messages()
    reports = set(yaml.safe_load((CORPUS / "training_reports.yml").read_text(encoding="utf-8"))["urgent"])
    cases = [(level, text) for level in ("emergency", "urgent", "none") for text in labelled[level]]
    cases += [("urgent" if text in reports else "none", text) for text in suitability_downtime]
    heldout = [t for t in heldout if t not in reports]
    got: Dict[Tuple[str, str], str] = {}
    timings = []
    for _, text in cases + [("heldout", t) for t in heldout]:
        started = time.perf_counter()
        got[text] = screen.screen(text).level or "none"
        timings.append(time.perf_counter() - started)
    misses = [(level, got[text], text) for level, text in cases if got[text] != level
              and not (level == "urgent" and got[text] == "emergency")]  # more caution than needed is no miss
    misses += [("none", got[t], f"(held-out split) {t}") for t in heldout if got[t] != "none"]

    def recall(level):
        texts = [t for lv, t in cases if lv == level]
        hit = sum(got[t] == level or (level == "urgent" and got[t] == "emergency") for t in texts)
        return hit / len(texts)
    nones = [t for lv, t in cases if lv == "none"]
    figures = {
        "emergency recall": recall("emergency"),
        "urgent recall": recall("urgent"),
        "none false positives": sum(got[t] != "none" for t in nones) / len(nones),
        "held-out split false positives": sum(got[t] != "none" for t in heldout) / len(heldout),
        "messages": float(len(cases) + len(heldout)),
    }
    return Score(figures, misses, statistics.median(timings) * 1000)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--held-back", action="store_true", help="score tests/safety/held_back.yml (once, at the end)")
    parser.add_argument("--explain", action="store_true", help="say why each sign in a missed message was kept or dropped")
    args = parser.parse_args(argv)
    names = ("held_back.yml",) if args.held_back else DEVELOPMENT
    screen = load_screen()
    result = score(names, screen)
    print(f"warning-sign screen on tests/safety/{' + '.join(names)} (+ training and held-out ask_suitability/"
          f"ask_downtime as none), {int(result.figures['messages'])} messages")
    for expected, got, text in result.misses:
        print(f"  miss: expected {expected:<9} got {got:<9} {text}")
        if args.explain:
            for note in screen.explain(text)[1]:
                print(f"        {note}")
    for name in FLOORS:
        print(f"{name:<32} {result.figures[name]:.3f}   (floor {FLOORS[name]})")
    print(f"{'median time per message':<32} {result.per_message_ms:.2f} ms")
    below = result.below_floor()
    if below:
        print("BELOW FLOOR: " + "; ".join(below))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
