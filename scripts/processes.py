"""The servers `make run` started, as supervisord (deploy/supervisord.conf) knows them: their pids
and memory, for the benchmarks, the soak and the supervision tests."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "supervisord.conf"
PROGRAMS = ("actions", "rasa", "widget", "console")


def supervisorctl(*args: str, var_dir: Optional[Path] = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "VAR_DIR": str(var_dir or os.environ.get("VAR_DIR") or ROOT / "var")}
    return subprocess.run([str(Path(sys.executable).parent / "supervisorctl"), "-c", str(CONFIG), *args],
                          env=env, capture_output=True, text=True, timeout=30)


def pid(program: str, var_dir: Optional[Path] = None) -> Optional[int]:
    """The running process's pid; None when it is not running (or supervisord is not)."""
    out = supervisorctl("pid", program, var_dir=var_dir).stdout.strip()
    return int(out) if out.isdigit() and out != "0" else None


def _children(process_id: int) -> List[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == process_id:
            found.append(int(stat.parent.name))
    return found


def rss_mb(process_id: Optional[int]) -> Optional[float]:
    """Resident memory of the process and its children (the console's gunicorn workers), in MB."""
    if not process_id:
        return None
    total, pending = 0, [process_id]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            if current == process_id:
                return None
            continue
        pending += _children(current)
    return total / 1024


if __name__ == "__main__":
    for name in PROGRAMS:
        process_id = pid(name)
        memory = rss_mb(process_id)
        print(f"{name:8} pid {process_id or '-':>7}  rss {f'{memory:.0f} MB' if memory else '-'}")
