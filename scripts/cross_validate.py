"""`make cross-validate`: k-fold cross-validation of the NLU pipeline on all the training data.

For larger data changes, where one held-out split says too little. Slow (one training per
fold). The summary is written beside the candidate's metrics
(models/model-<fp>.eval/cross_validation.json) and the full report to its crossval/ folder.

    python -m scripts.cross_validate [--folds 5]
"""
import argparse
import json
import subprocess
import sys

from scripts.local_servers import BIN
from scripts.model_files import ROOT, model_path
from scripts.model_registry import eval_dir


def main() -> int:
    parser = argparse.ArgumentParser(prog="make cross-validate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    out = eval_dir(model_path())
    result = subprocess.run([str(BIN / "rasa"), "test", "nlu", "--nlu", "data/nlu.yml", "--config", "config.yml",
                             "--cross-validation", "--folds", str(args.folds), "--out", str(out / "crossval")], cwd=ROOT)
    if result.returncode != 0:
        return result.returncode
    report = json.loads((out / "crossval" / "intent_report.json").read_text())
    summary = {"folds": args.folds, "macro_f1": report["macro avg"]["f1-score"], "accuracy": report["accuracy"],
               "per_intent_f1": {k: v["f1-score"] for k, v in report.items()
                                 if isinstance(v, dict) and "support" in v and not k.endswith(" avg")}}
    (out / "cross_validation.json").write_text(json.dumps(summary, indent=2))
    print(f"{args.folds}-fold cross-validation: macro-F1 {summary['macro_f1']:.3f}, accuracy {summary['accuracy']:.3f}")
    for name, f1 in sorted(summary["per_intent_f1"].items(), key=lambda kv: kv[1]):
        print(f"  {name:26} {f1:.3f}")
    print(f"Summary: {(out / 'cross_validation.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
