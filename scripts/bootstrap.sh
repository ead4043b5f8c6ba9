#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the pinned requirements.
# Re-runs the install only when requirements.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."

is_py310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.10 "$HOME"/.pyenv/versions/3.10.*/bin/python3.10 \
                   /root/.pyenv/versions/3.10.*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
    [ -n "$candidate" ] || continue
    if is_py310 "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}

stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ -x .venv/bin/python ] && is_py310 .venv/bin/python && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

if ! [ -x .venv/bin/python ] || ! is_py310 .venv/bin/python; then
  if ! python=$(find_python); then
    echo "ERROR: Python 3.10 is required (Rasa 3.6 does not run on 3.11+) and none was found." >&2
    echo "       Install it (e.g. 'pyenv install 3.10') or set PYTHON=/path/to/python3.10." >&2
    exit 1
  fi
  echo "Creating .venv with $python"
  rm -rf .venv
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade "pip==24.0" 2>&1 | { grep -v "is neither a file nor a directory" || true; }
echo "Installing pinned requirements into .venv (a few minutes the first time)..."
# (grep drops pip's notes about this machine's optional local package mirrors)
.venv/bin/python -m pip install --quiet -r requirements.txt 2>&1 | { grep -v "is neither a file nor a directory" || true; }
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "ERROR: pip install failed" >&2; exit 1; }
.venv/bin/python -m pip check
echo "$want" > "$stamp"
