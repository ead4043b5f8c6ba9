"""Which model is in service, and the record of every promotion (models/registry.json).

`make train` makes a candidate (models/model-<fingerprint>.tar.gz); `make evaluate` writes its
scores beside it (models/model-<fingerprint>.eval/metrics.json); `make promote` puts it in
service only when the gate lets it through, and appends a record here; `make restore` puts an
earlier model back. `make run` serves the model in service.

    python -m scripts.model_registry serving    # prints the model to serve (used by scripts/run.sh)
    python -m scripts.model_registry history    # every promotion and restore
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from scripts.model_files import MODELS, ROOT, current_model


def eval_dir(model: Path) -> Path:
    """Where a model's evaluation lives: beside it, named after it."""
    return model.with_name(model.name[: -len(".tar.gz")] + ".eval")


def load_metrics(model: Path) -> Optional[dict]:
    path = eval_dir(model) / "metrics.json"
    return json.loads(path.read_text()) if path.exists() else None


def model_id(model: Path) -> str:
    """The id Rasa writes into every event's metadata (the console shows it per message)."""
    with warnings.catch_warnings():  # Rasa's imports warn about their own dependencies
        warnings.simplefilter("ignore")
        from rasa.engine.storage.local_model_storage import LocalModelStorage

        return LocalModelStorage.metadata_from_archive(model).model_id


@dataclass
class Registry:
    models: Path = MODELS

    @property
    def path(self) -> Path:
        return self.models / "registry.json"

    def history(self) -> List[dict]:
        return json.loads(self.path.read_text()) if self.path.exists() else []

    def in_service(self) -> Optional[Path]:
        history = self.history()
        return self.models / history[-1]["model"] if history else None

    def record(self, model: Path, kind: str, metrics: Optional[dict] = None, note: str = "") -> dict:
        """Append a promotion ("promote", "restore" or "initial") and make `model` the one in service."""
        metrics = metrics or {}
        entry = {
            "model": model.name,
            "model_id": model_id(model),
            "data_fingerprint": model.name[len("model-"): -len(".tar.gz")],
            "kind": kind,
            "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "macro_f1": metrics.get("macro_f1"),
            "accuracy": metrics.get("accuracy"),
            "stories_failed": metrics.get("stories_failed"),
            "stories_total": metrics.get("stories_total"),
            "note": note,
        }
        history = self.history() + [entry]
        self.models.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(history, indent=2))
        tmp.replace(self.path)  # atomic: a crash never leaves half a registry
        return entry

    def previous(self) -> Optional[Path]:
        """The model in service before the current one (what `make restore` goes back to)."""
        history = self.history()
        if not history:
            return None
        current = history[-1]["model"]
        for entry in reversed(history[:-1]):
            if entry["model"] != current and (self.models / entry["model"]).exists():
                return self.models / entry["model"]
        return None

    def serving(self) -> Optional[Path]:
        """The model to serve: the one in service; on a first run, the current model becomes it."""
        model = self.in_service()
        if model is not None and model.exists():
            return model
        first = current_model()
        if first is not None and model is None:
            self.record(first, "initial", load_metrics(first), note="first model served (no earlier model to compare)")
        return first


def main(argv: List[str]) -> int:
    registry = Registry()
    command = argv[0] if argv else "history"
    if command == "serving":
        model = registry.serving()
        if model is None:
            print("no model: run `make train`", file=sys.stderr)
            return 1
        print(model)
        return 0
    if command == "history":
        for entry in registry.history():
            f1 = f"{entry['macro_f1']:.3f}" if entry.get("macro_f1") is not None else "–"
            print(f"{entry['at']}  {entry['kind']:8} {entry['model']}  macro-F1 {f1}  {entry.get('note', '')}")
        serving = registry.in_service()
        print(f"in service: {serving.relative_to(ROOT) if serving else 'none'}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
