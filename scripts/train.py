"""`make train`: train the model unless one for the current inputs exists."""
import os
import subprocess
import sys
import time

from scripts.model_files import MODELS, ROOT, fingerprint, model_path


def main() -> int:
    fp = fingerprint()
    target = model_path(fp)
    if target.exists() and "--force" not in sys.argv:
        print(f"Model is current: {target.relative_to(ROOT)} (inputs fingerprint {fp})")
        return 0
    MODELS.mkdir(exist_ok=True)
    started = time.perf_counter()
    cmd = [os.path.join(os.path.dirname(sys.executable), "rasa"), "train", "--config", "config.yml",
           "--domain", "domain.yml", "--data", "data", "--out", str(MODELS),
           "--fixed-model-name", target.name[: -len(".tar.gz")]]
    print("Training:", " ".join(cmd[1:]), flush=True)
    result = subprocess.run(cmd, cwd=ROOT)
    if result.returncode != 0:
        return result.returncode
    print(f"Trained {target.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
