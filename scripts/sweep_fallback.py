"""Choose the FallbackClassifier thresholds by measurement: for each candidate
threshold, how many correct answers on the held-out split would be lost to a
"did you mean…" and how many wrong answers it would catch.
`python -m scripts.sweep_fallback` (uses the current model)."""
from pathlib import Path

from scripts.model_files import ROOT, current_model
from scripts.nlu_scoring import load_examples, predict


def main() -> None:
    predictions, _ = predict(current_model(), load_examples(ROOT / "tests" / "nlu" / "heldout.yml"))
    right = [p for p in predictions if p.intent == p.gold]
    wrong = [p for p in predictions if p.intent != p.gold]
    print(f"held-out: {len(predictions)} messages, {len(wrong)} misclassified\n")
    print("threshold  ambiguity  correct lost  errors caught")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        for ambiguity in (0.0, 0.05, 0.1):
            def falls(p):
                return p.confidence < threshold or (p.confidence - p.runner_up) < ambiguity
            lost = sum(map(falls, right)) / len(right)
            caught = sum(map(falls, wrong)) / max(len(wrong), 1)
            print(f"{threshold:9.2f} {ambiguity:10.2f} {lost:12.1%} {caught:14.1%}")


if __name__ == "__main__":
    main()
