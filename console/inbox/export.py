"""Staff-labelled visitor messages -> a Rasa NLU training-data file under data/.

The file is cumulative: what it already holds is kept, newly labelled messages are added.
A message is left out, and counted in the result, when:
- its text (compared case- and space-insensitively) is already a training example;
- it is in the held-out test split (tests/nlu/heldout.yml): training on it would inflate
  the measured accuracy;
- it is labelled two ways (two staff decisions, or staff vs the existing data): a conflict,
  reported for a person to settle, never silently kept.
Phone numbers and email addresses are replaced by placeholders: the model learns the shape
of the message, not a patient's number.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple

from django.conf import settings

from actions.settings import ROOT
from console.common.masking import EMAIL_RE, PHONE_RE
from console.inbox.models import Review

DATA_DIR = ROOT / "data"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
HEADER = ("# Visitor messages labelled by clinic staff in the console's inbox.\n"
          "# Written by `make corrections` (console/inbox/export.py); edit labels in the console, not here.\n")


@dataclass
class Conflict:
    text: str
    labels: Set[str]

    def __str__(self) -> str:
        return f"“{self.text}”: labelled {' and '.join(sorted(self.labels))}"


@dataclass
class ExportResult:
    examples: Dict[str, List[str]] = field(default_factory=dict)  # intent -> texts, the whole file
    added: int = 0
    already_in_training: List[str] = field(default_factory=list)
    in_heldout: List[str] = field(default_factory=list)
    conflicts: List[Conflict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(texts) for texts in self.examples.values())

    def summary(self) -> str:
        lines = [f"{self.added} new examples added; the file holds {self.total}.",
                 f"{len(self.already_in_training)} already in the training data (skipped).",
                 f"{len(self.in_heldout)} in the held-out test split (skipped).",
                 f"{len(self.conflicts)} conflicts (the same text labelled differently; not written):"]
        lines += [f"  - {conflict}" for conflict in self.conflicts]
        return "\n".join(lines)


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def clean_example(text: str) -> str:
    """One line of plain text: no entity markup, no contact details."""
    text = EMAIL_RE.sub("name@example.com", text)
    text = PHONE_RE.sub("770-555-0100", text)
    text = text.replace("[", "(").replace("]", ")")
    return " ".join(text.split())[:500]


def read_examples(path: Path) -> List[Tuple[str, str]]:
    """(text, intent) pairs of a Rasa YAML NLU file, read by Rasa's own reader."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    if not path.exists():
        return []
    data = RasaYAMLReader().read(path)
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples if m.get("text") and m.get("intent")]


def labelled_messages() -> Iterable[Tuple[str, str]]:
    for review in Review.objects.filter(state=Review.LABELLED).select_related("message").order_by("decided_at", "pk"):
        if review.intent and not review.message.is_button:
            yield review.message.text, review.intent


def build(labelled: Iterable[Tuple[str, str]], output: Path, data_dir: Path = DATA_DIR,
          heldout: Path = HELDOUT) -> ExportResult:
    training: Dict[str, Set[str]] = defaultdict(set)
    for path in sorted(data_dir.rglob("*.yml")):
        if path.resolve() != output.resolve() and _is_nlu_file(path):
            for text, intent in read_examples(path):
                training[normalise(text)].add(intent)
    held_out = {normalise(text) for text, _ in read_examples(heldout)}

    result = ExportResult()
    kept: Dict[str, str] = {}  # normalised text -> intent, in file order
    shown: Dict[str, str] = {}
    for text, intent in read_examples(output):  # what the file already holds stays
        kept.setdefault(normalise(text), intent)
        shown.setdefault(normalise(text), text)
    before = len(kept)

    proposed: Dict[str, Set[str]] = defaultdict(set)
    for raw, intent in labelled:
        text = clean_example(raw)
        if text:
            proposed[normalise(text)].add(intent)
            shown.setdefault(normalise(text), text)
    for key, labels in proposed.items():
        known = training.get(key, set()) | ({kept[key]} if key in kept else set())
        if len(labels | known) > 1:
            result.conflicts.append(Conflict(shown[key], labels | known))
        elif key in training:
            result.already_in_training.append(shown[key])
        elif key in held_out:
            result.in_heldout.append(shown[key])
        elif key not in kept:
            kept[key] = next(iter(labels))
    result.added = len(kept) - before
    for key, intent in kept.items():
        result.examples.setdefault(intent, []).append(shown[key])
    return result


def _is_nlu_file(path: Path) -> bool:
    head = path.read_text(encoding="utf-8")[:4000]
    return re.search(r"^nlu:", head, re.M) is not None


def render(result: ExportResult) -> str:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    messages = [Message(data={"text": text, "intent": intent})
                for intent in sorted(result.examples) for text in result.examples[intent]]
    if not messages:  # Rasa's writer writes nothing at all for no examples; keep the file valid
        return HEADER + 'version: "3.1"\nnlu: []\n'
    return HEADER + RasaYAMLWriter().dumps(TrainingData(training_examples=messages))


def export(output: Optional[Path] = None) -> ExportResult:
    output = Path(output or settings.CONSOLE_CORRECTIONS_FILE)
    result = build(labelled_messages(), output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(result), encoding="utf-8")
    return result
