"""`make train`: train a candidate model unless one for the current inputs exists.

The model is named after the fingerprint of its inputs (scripts/model_files.py) and trained
with the seeds fixed in the config, so the same inputs give the same model and scores. A new
model is a candidate: `make evaluate` scores it, `make promote` puts it in service.

    python -m scripts.train [--config config.yml] [--data data] [--out models] [--force]
"""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from scripts.model_files import MODELS, ROOT, fingerprint


def train(config: Path = ROOT / "config.yml", data: Path = ROOT / "data", out: Path = MODELS,
          force: bool = False) -> Path:
    fp = fingerprint(config, data)
    target = out / f"model-{fp}.tar.gz"
    if target.exists() and not force:
        print(f"Model is current: {target} (inputs fingerprint {fp})")
        return target
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    cmd = [os.path.join(os.path.dirname(sys.executable), "rasa"), "train", "--config", str(config),
           "--domain", str(ROOT / "domain.yml"), "--data", str(data), "--out", str(out),
           "--fixed-model-name", target.name[: -len(".tar.gz")]]
    print("Training:", " ".join(cmd[1:]), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)
    print(f"Trained {target} in {time.perf_counter() - started:.0f} s")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(prog="make train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--out", type=Path, default=MODELS)
    parser.add_argument("--force", action="store_true", help="train even if the model exists")
    args = parser.parse_args()
    try:
        train(args.config.resolve(), args.data.resolve(), args.out.resolve(), args.force)
    except subprocess.CalledProcessError as error:
        return error.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
