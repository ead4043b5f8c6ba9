"""The model in service (or MODEL) on a labelled NLU file: accuracy, macro-F1, the misses.

    python -m scripts.intent_score tests/nlu/fresh_batch.yml [--model models/model-….tar.gz]

Scores the top intent with the fallback classifier set aside, and counts the "did you mean" replies.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from sklearn.metrics import f1_score

from scripts.model_registry import Registry
from scripts.nlu_scoring import load_examples, predict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--model", type=Path)
    args = parser.parse_args()
    model = args.model or Registry().serving()
    predictions, _ = predict(model, load_examples(args.file))
    gold, got = [p.gold for p in predictions], [p.intent for p in predictions]
    right = sum(g == x for g, x in zip(gold, got))
    print(f"{args.file}: {len(predictions)} messages, model {model.name}: accuracy {right / len(gold):.3f}, "
          f"macro-F1 {f1_score(gold, got, labels=sorted(set(gold)), average='macro'):.3f}, "
          f"'did you mean' {sum(p.fell_back for p in predictions)}")
    for p in predictions:
        if p.gold != p.intent:
            print(f"  - {p.gold} -> {p.intent}: {p.text!r}")


if __name__ == "__main__":
    main()
