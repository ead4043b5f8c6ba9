"""`make evaluate`: score the current model on the held-out split (tests/nlu/heldout.yml).

Runs `rasa test nlu`, which writes results/heldout/ (intent_report.json,
intent_confusion_matrix.png, errors), then prints the per-intent report and
writes results/heldout/metrics.json.
"""
import json
import os
import subprocess
import sys

from scripts.model_files import ROOT, current_model, fingerprint

OUT = ROOT / "results" / "heldout"


def main() -> int:
    model = current_model()
    if model is None:
        print("No model for the current data: run `make train` first.", file=sys.stderr)
        return 1
    result = subprocess.run([os.path.join(os.path.dirname(sys.executable), "rasa"), "test", "nlu",
                             "--nlu", "tests/nlu/heldout.yml", "--model", str(model), "--out", str(OUT)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        print(result.stderr[-3000:], file=sys.stderr)
        return result.returncode
    report = json.loads((OUT / "intent_report.json").read_text())
    print(f"Held-out split: tests/nlu/heldout.yml   model: {model.relative_to(ROOT)}\n")
    print(f"{'intent':28} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>4}")
    per_intent = {k: v for k, v in report.items() if isinstance(v, dict) and "support" in v
                  and k not in ("macro avg", "weighted avg", "micro avg")}
    for name, scores in sorted(per_intent.items()):
        print(f"{name:28} {scores['precision']:9.3f} {scores['recall']:7.3f} {scores['f1-score']:6.3f} {scores['support']:4d}")
    macro = report["macro avg"]
    print(f"\n{'macro avg':28} {macro['precision']:9.3f} {macro['recall']:7.3f} {macro['f1-score']:6.3f}")
    print(f"accuracy {report['accuracy']:.3f}")
    metrics = {"model": model.name, "data_fingerprint": fingerprint(), "macro_f1": macro["f1-score"],
               "accuracy": report["accuracy"],
               "per_intent_f1": {k: v["f1-score"] for k, v in per_intent.items()}}
    (OUT / "metrics.json").write_text(json.dumps(metrics, indent=2))
    print(f"\nConfusion matrix: {(OUT / 'intent_confusion_matrix.png').relative_to(ROOT)}")
    print(f"Misclassified examples: {(OUT / 'intent_errors.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
