"""Build the project's own spaCy pipeline into build/spacy/en_clinic.

Pretrained spaCy models cannot be downloaded on the project's machines, so we
build a blank English pipeline with spaCy's lookup lemmatizer (tables from the
spacy-lookups-data package).  Rasa's SpacyNLP loads it by path (see config.yml).
The pipeline is rebuilt only when this script or the spaCy version changes.
"""
import hashlib
import json
import sys
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "build" / "spacy" / "en_clinic"


def fingerprint() -> str:
    source = Path(__file__).read_bytes()
    return hashlib.sha256(source + spacy.__version__.encode()).hexdigest()[:16]


def build(target: Path = TARGET) -> Path:
    stamp = target / "build-fingerprint.txt"
    if stamp.exists() and stamp.read_text().strip() == fingerprint():
        print(f"spaCy pipeline up to date: {target}")
        return target
    nlp = spacy.blank("en")
    # Lookup lemmatizer: "hurts"/"hurting" -> "hurt", "scars" -> "scar", so the
    # count-vector features of Rasa see fewer surface forms for the same word.
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = "en_clinic"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Blank English pipeline + lookup lemmatizer (built locally)"
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    stamp.write_text(fingerprint())
    meta = json.loads((target / "meta.json").read_text())
    print(f"built spaCy pipeline {target} (spaCy {meta['spacy_version']})")
    return target


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)
