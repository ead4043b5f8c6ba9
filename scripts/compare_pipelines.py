"""Train each candidate NLU pipeline in configs/candidates/ and score it on the
held-out split: macro-F1 (raw and with the fallback), training time, parse
latency. Writes results/pipeline_comparison.md.  `make compare` (slow: trains
every candidate)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from scripts.model_files import ROOT
from scripts.nlu_scoring import latency_summary, load_examples, macro_f1, predict

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
OUT = ROOT / "results" / "candidates"


def train(config: Path) -> tuple[Path, float]:
    OUT.mkdir(parents=True, exist_ok=True)
    name = config.stem
    started = time.perf_counter()
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "rasa"), "train", "nlu", "-c", str(config),
                    "--nlu", "data/nlu.yml", "--out", str(OUT), "--fixed-model-name", name],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return OUT / f"{name}.tar.gz", time.perf_counter() - started


def main() -> None:
    configs = [Path(a) for a in sys.argv[1:]] or sorted((ROOT / "configs" / "candidates").glob("*.yml"))
    examples = load_examples(HELDOUT)
    rows = []
    for config in configs:
        model, seconds = train(config)
        predictions, latencies = predict(model, examples)
        row = {"pipeline": config.stem, "macro_f1": round(macro_f1(predictions), 4),
               "macro_f1_with_fallback": round(macro_f1(predictions, with_fallback=True), 4),
               "train_s": round(seconds), **{k: round(v, 1) for k, v in latency_summary(latencies).items()}}
        print(json.dumps(row), flush=True)
        rows.append(row)
    lines = ["| pipeline | held-out macro-F1 | with fallback | training (s) | parse p50 (ms) | parse p95 (ms) |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {r['pipeline']} | {r['macro_f1']:.3f} | {r['macro_f1_with_fallback']:.3f} | {r['train_s']} | "
              f"{r['p50_ms']} | {r['p95_ms']} |" for r in rows]
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "pipeline_comparison.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
