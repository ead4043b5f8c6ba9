"""`make evaluate`: score the candidate model and compare it with the model in service.

The candidate is the model for the current data, config and domain (`make train` makes it);
the model in service is the one `make promote` last put there (scripts/model_registry.py).
Each is scored once on
- the held-out split tests/nlu/heldout.yml (`rasa test nlu`): per-intent precision, recall,
  F1, macro-F1, accuracy, the confusion matrix;
- the test stories tests/test_stories.yml (`rasa test core --e2e`, against a real action
  server with the fixture clinic profile): which stories fail.
Everything is written beside the model (models/model-<fp>.eval/: metrics.json,
intent_report.json, intent_confusion_matrix.png, failed_test_stories.yml), so a model is
scored once and its figures travel with it.

    python -m scripts.evaluate [--model PATH] [--force]
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from scripts.local_servers import BIN, server_env, start_action_server, write_endpoints
from scripts.model_files import ROOT, current_model
from scripts.model_registry import Registry, eval_dir, load_metrics, model_id

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
STORIES = ROOT / "tests" / "test_stories.yml"
AVERAGES = ("macro avg", "weighted avg", "micro avg")


def _digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def score_nlu(model: Path, heldout: Path, out: Path) -> dict:
    result = subprocess.run([str(BIN / "rasa"), "test", "nlu", "--nlu", str(heldout), "--model", str(model),
                             "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"rasa test nlu failed:\n{result.stderr[-3000:]}")
    report = json.loads((out / "intent_report.json").read_text())
    per_intent = {name: scores for name, scores in report.items()
                  if isinstance(scores, dict) and "support" in scores and name not in AVERAGES}
    return {
        "macro_f1": report["macro avg"]["f1-score"],
        "accuracy": report["accuracy"],
        "heldout_examples": sum(s["support"] for s in per_intent.values()),
        "per_intent": {name: {"precision": s["precision"], "recall": s["recall"], "f1": s["f1-score"],
                              "support": s["support"]} for name, s in sorted(per_intent.items())},
    }


def score_stories(model: Path, stories: Path, out: Path) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="evaluate-"))
    env = server_env(workdir, f"sqlite:///{workdir / 'clinic.db'}")
    proc, url = start_action_server(workdir, env)
    try:
        result = subprocess.run([str(BIN / "rasa"), "test", "core", "--model", str(model), "--stories", str(stories),
                                 "--endpoints", str(write_endpoints(workdir, url)), "--out", str(out), "--e2e"],
                                cwd=ROOT, env=env, capture_output=True, text=True)
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(workdir, ignore_errors=True)
    failed_file = out / "failed_test_stories.yml"
    if result.returncode != 0 or not failed_file.exists():
        raise RuntimeError(f"rasa test core failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    failed = [s.get("story") for s in (yaml.safe_load(failed_file.read_text()) or {}).get("stories") or []]
    total = len(yaml.safe_load(stories.read_text())["stories"])
    return {"stories_total": total, "stories_failed": len(failed), "failed_stories": failed}


def evaluate(model: Path, heldout: Path = HELDOUT, stories: Path = STORIES, force: bool = False) -> dict:
    """The model's metrics, computed once per model and test inputs, kept beside the model."""
    inputs = _digest(heldout, stories)
    cached = load_metrics(model)
    if cached and cached.get("test_inputs") == inputs and not force:
        return cached
    out = eval_dir(model)
    out.mkdir(parents=True, exist_ok=True)
    metrics = {"model": model.name, "model_id": model_id(model), "test_inputs": inputs,
               "evaluated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
               **score_nlu(model, heldout, out), **score_stories(model, stories, out)}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics


def intent_changes(candidate: dict, service: dict) -> List[Tuple[str, Optional[float], Optional[float]]]:
    """(intent, F1 in service, F1 of the candidate) for every intent either knows."""
    names = sorted(set(candidate["per_intent"]) | set(service["per_intent"]))
    return [(n, service["per_intent"].get(n, {}).get("f1"), candidate["per_intent"].get(n, {}).get("f1")) for n in names]


def report(candidate: dict, service: Optional[dict]) -> str:
    lines = [f"Candidate:  {candidate['model']}", f"In service: {service['model'] if service else '(none)'}", "",
             f"Held-out split ({candidate['heldout_examples']} messages):",
             f"{'intent':26} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>4}   {'in service':>10} {'change':>7}"]
    for name, scores in candidate["per_intent"].items():
        before = service["per_intent"].get(name, {}).get("f1") if service else None
        change = f"{scores['f1'] - before:+7.3f}" if before is not None else ""
        shown = f"{before:10.3f}" if before is not None else f"{'':10}"
        lines.append(f"{name:26} {scores['precision']:9.3f} {scores['recall']:7.3f} {scores['f1']:6.3f} "
                     f"{scores['support']:4d}   {shown} {change}")
    for key, label in (("macro_f1", "macro-F1"), ("accuracy", "accuracy")):
        before = f"{service[key]:10.3f} {candidate[key] - service[key]:+7.3f}" if service else ""
        lines.append(f"{label:26} {'':9} {'':7} {candidate[key]:6.3f} {'':4}   {before}")
    lines += ["", f"Test stories: {candidate['stories_total'] - candidate['stories_failed']}/{candidate['stories_total']} pass"
              + (f" (in service: {service['stories_total'] - service['stories_failed']}/{service['stories_total']})" if service else "")]
    lines += [f"  failed: {name}" for name in candidate["failed_stories"]]
    return "\n".join(lines)


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="make evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="the candidate (default: the model for the current data)")
    parser.add_argument("--force", action="store_true", help="score again even if metrics exist")
    args = parser.parse_args(argv)
    model = args.model or current_model()
    if model is None or not model.exists():
        print("No model for the current data: run `make train` first.", file=sys.stderr)
        return 1
    registry = Registry(model.parent)
    serving = registry.in_service()
    candidate = evaluate(model, force=args.force)
    service = evaluate(serving) if serving is not None and serving.exists() and serving != model else None
    print(report(candidate, service))
    out = eval_dir(model)
    print(f"\nMetrics: {shown(out / 'metrics.json')}\nConfusion matrix: {shown(out / 'intent_confusion_matrix.png')}"
          f"\nMisclassified examples: {shown(out / 'intent_errors.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
