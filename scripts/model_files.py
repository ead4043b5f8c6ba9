"""Which trained model belongs to the current data, config and domain.

A model is named after a fingerprint of everything that shapes it (config.yml,
domain.yml, data/, the spaCy pipeline's build script), so "is the model
current?" is a file lookup, not a timestamp comparison.
"""
import hashlib
from pathlib import Path
from typing import Iterable, Optional

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"


def training_inputs(config: Path = ROOT / "config.yml", data: Path = ROOT / "data") -> Iterable[Path]:
    yield config
    yield ROOT / "domain.yml"
    yield ROOT / "scripts" / "build_spacy_pipeline.py"
    yield from sorted(p for p in data.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml", ".md", ".json"))


def nlu_data(data: Path = ROOT / "data"):
    """The NLU training examples: every Rasa NLU file in data/ (nlu.yml, and staff corrections when there are)."""
    import re

    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData
    files = [p for p in sorted(data.glob("*.yml")) if re.search(r"^nlu:", p.read_text(encoding="utf-8"), re.M)]
    sets = [load_data(str(p)) for p in files]
    return sets[0].merge(*sets[1:]) if len(sets) > 1 else (sets[0] if sets else TrainingData())


def fingerprint(config: Path = ROOT / "config.yml", data: Path = ROOT / "data") -> str:
    digest = hashlib.sha256()
    for path in training_inputs(config, data):
        # the path relative to its own tree, so a clone elsewhere gets the same fingerprint
        base = data if path.is_relative_to(data) else path.parent
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_path(fp: Optional[str] = None) -> Path:
    return MODELS / f"model-{fp or fingerprint()}.tar.gz"


def current_model() -> Optional[Path]:
    path = model_path()
    return path if path.exists() else None
