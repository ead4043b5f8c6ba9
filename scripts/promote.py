"""`make promote` / `make restore`: put a model in service, gated, and swap it into the running server.

Promote: the candidate (the model for the current data, or --model) replaces the model in
service only if
- its held-out macro-F1 is not below the one in service by more than the tolerance (0.005:
  about the run-to-run spread of a changed training set), and
- every test story passes, and
- its warning-sign screen meets the safety floors on the blind safety corpus (`make safety`).
Otherwise the command refuses (exit status 1) and names the intents whose F1 got worse.
Restore: the model in service before the current one (or --model) goes back in service.

Either way the change is recorded in models/registry.json (model, data fingerprint, metrics,
time), and a running Rasa server (`make run`) loads the model through its HTTP API
(PUT /model): no restart, conversations in progress carry on from the tracker store.

    python -m scripts.promote [--model PATH] [--tolerance 0.005]
    python -m scripts.promote --restore [--model PATH]
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Tuple

import requests

from scripts.evaluate import evaluate, intent_changes
from scripts.model_files import ROOT, current_model
from scripts.model_registry import Registry, load_metrics
from scripts.safety_score import model_screen, score as safety_score

TOLERANCE = 0.005


@dataclass
class Decision:
    accepted: bool
    reasons: List[str] = field(default_factory=list)
    worse_intents: List[Tuple[str, float, float]] = field(default_factory=list)


def gate(candidate: dict, service: Optional[dict], tolerance: float = TOLERANCE) -> Decision:
    decision = Decision(accepted=True)
    if candidate["stories_failed"]:
        decision.accepted = False
        decision.reasons.append(f"{candidate['stories_failed']} of {candidate['stories_total']} test stories fail: "
                                + ", ".join(candidate["failed_stories"]))
    if service is not None:
        decision.worse_intents = sorted(
            ((name, before, after if after is not None else 0.0) for name, before, after in intent_changes(candidate, service)
             if before is not None and (after is None or after < before)),
            key=lambda row: row[2] - row[1])
        if candidate["macro_f1"] < service["macro_f1"] - tolerance:
            decision.accepted = False
            decision.reasons.append(f"held-out macro-F1 {candidate['macro_f1']:.3f} is below the model in service "
                                    f"({service['macro_f1']:.3f}) by more than {tolerance}")
    return decision


def rasa_server() -> Tuple[str, Optional[str]]:
    url = os.environ.get("RASA_URL") or f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"
    token = os.environ.get("RASA_API_TOKEN")
    token_file = ROOT / "var" / "run" / "api-token"
    if not token and token_file.exists():
        token = token_file.read_text().strip()
    return url, token


def swap(model: Path, url: Optional[str] = None, token: Optional[str] = None) -> str:
    """Ask a running Rasa server to load `model`; says what happened."""
    default_url, default_token = rasa_server()
    url, token = url or default_url, token or default_token
    params = {"token": token} if token else {}
    try:
        response = requests.put(f"{url}/model", params=params, json={"model_file": str(model.resolve())}, timeout=300)
    except requests.ConnectionError:
        return f"No Rasa server at {url}: `make run` will serve {model.name}."
    if response.status_code != 204:
        raise RuntimeError(f"the Rasa server at {url} refused the model ({response.status_code}): {response.text[:500]}")
    status = requests.get(f"{url}/status", params=params, timeout=10).json()
    if Path(status.get("model_file", "")).name != model.name:
        raise RuntimeError(f"the Rasa server at {url} still serves {status.get('model_file')}")
    return f"The Rasa server at {url} now serves {model.name} (no restart)."


def promote(model: Path, tolerance: float = TOLERANCE, url: Optional[str] = None, token: Optional[str] = None) -> int:
    registry = Registry(model.parent)
    serving = registry.in_service()
    candidate = evaluate(model)
    service = evaluate(serving) if serving is not None and serving.exists() and serving != model else None
    if serving == model:
        print(f"{model.name} is already in service.")
        return 0
    decision = gate(candidate, service, tolerance)
    safety = safety_score(screen=model_screen(model))
    if safety.below_floor():
        decision.accepted = False
        decision.reasons.append("the warning-sign screen is below its floors: " + "; ".join(safety.below_floor()))
    for name, before, after in decision.worse_intents:
        print(f"  worse: {name:26} F1 {before:.3f} -> {after:.3f} ({after - before:+.3f})")
    if not decision.accepted:
        print(f"REFUSED: {model.name} stays out of service.")
        for reason in decision.reasons:
            print(f"  - {reason}")
        return 1
    before = f" (in service: {service['macro_f1']:.3f})" if service else ""
    registry.record(model, "promote", candidate, note=f"macro-F1 {candidate['macro_f1']:.3f}{before}")
    print(f"PROMOTED: {model.name}, macro-F1 {candidate['macro_f1']:.3f}{before}, "
          f"{candidate['stories_total']}/{candidate['stories_total']} stories pass.")
    print(swap(model, url, token))
    return 0


def restore(model: Optional[Path] = None, models: Optional[Path] = None, url: Optional[str] = None,
            token: Optional[str] = None) -> int:
    registry = Registry(models or (model.parent if model else Registry().models))
    target = model or registry.previous()
    if target is None or not target.exists():
        print("Nothing to restore: no earlier model in service." if target is None else f"{target} does not exist.")
        return 1
    registry.record(target, "restore", load_metrics(target), note="restored")
    print(f"RESTORED: {target.name} is in service again.")
    print(swap(target, url, token))
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="make promote", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="default: the candidate for the current data (promote) "
                                                     "or the model in service before the current one (restore)")
    parser.add_argument("--restore", action="store_true", help="put an earlier model back in service")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="allowed macro-F1 drop (default %(default)s)")
    args = parser.parse_args(argv)
    if args.restore:
        return restore(args.model)
    model = args.model or current_model()
    if model is None:
        print("No model for the current data: run `make train` first.", file=sys.stderr)
        return 1
    return promote(model, args.tolerance)


if __name__ == "__main__":
    sys.exit(main())
