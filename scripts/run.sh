#!/usr/bin/env bash
# `make run`: start the action server, the Rasa server, the widget and the console under supervisord,
# print where they listen, stop them all on Ctrl-C.
# Ports: ACTIONS_PORT (5055), RASA_PORT (5005), WIDGET_PORT (8080), CONSOLE_PORT (8000).
set -euo pipefail
cd "$(dirname "$0")/.."
ACTIONS_PORT=${ACTIONS_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}
WIDGET_PORT=${WIDGET_PORT:-8080}
CONSOLE_PORT=${CONSOLE_PORT:-8000}
# The model in service (`make promote` chooses it); on a first run, the model just trained.
MODEL=$(.venv/bin/python -m scripts.model_registry serving)
CANDIDATE=$(.venv/bin/python -c 'from scripts.model_files import model_path; print(model_path())')
# VAR_DIR (var): where the run-time files go (tokens, generated endpoints, logs, supervisor's socket).
export VAR_DIR=${VAR_DIR:-$PWD/var}
mkdir -p "$VAR_DIR/run" "$VAR_DIR/log"

# Rasa's HTTP API (model status, model swap) is only served with a token: without
# one, anybody who can reach the port could read conversations or replace the model.
# The action server runs nothing for a caller without ACTIONS_TOKEN (actions/server.py).
secret() {  # the named secret from the environment, else generated once into $VAR_DIR/run/
  local file="$VAR_DIR/run/$1"
  [ -s "$file" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$file")
  cat "$file"
}
export RASA_API_TOKEN=${RASA_API_TOKEN:-$(secret api-token)}
export ACTIONS_TOKEN=${ACTIONS_TOKEN:-$(secret actions-token)}
export ACTIONS_PORT RASA_PORT WIDGET_PORT CONSOLE_PORT MODEL
# The browser origins allowed to call the Rasa server: the widget demo, the clinic's website, RASA_CORS_ORIGINS.
export RASA_CORS_ORIGINS=$(.venv/bin/python -m scripts.cors_origins)

sed "s#http://127.0.0.1:5055/webhook#http://127.0.0.1:${ACTIONS_PORT}/webhook#" endpoints.yml > "$VAR_DIR/run/endpoints.yml"

# supervisord (deploy/supervisord.conf) starts the four servers and restarts any that exits.
.venv/bin/supervisord -c deploy/supervisord.conf &
supervisor=$!
stop_all() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  kill -TERM "$supervisor" 2>/dev/null || true  # supervisord stops every server, then exits
  wait "$supervisor" 2>/dev/null || true
}
trap stop_all INT TERM EXIT

echo "Starting (logs in ${VAR_DIR#$PWD/}/log/; supervisord restarts a server that exits)..."
for _ in $(seq 1 180); do
  if curl -fs "http://localhost:${RASA_PORT}/status?token=${RASA_API_TOKEN}" >/dev/null 2>&1 && curl -fs "http://localhost:${ACTIONS_PORT}/health" >/dev/null 2>&1 \
     && curl -fs "http://localhost:${WIDGET_PORT}/clinic.json" >/dev/null 2>&1 && curl -fs "http://localhost:${CONSOLE_PORT}/healthz" >/dev/null 2>&1; then
    admins=$(.venv/bin/python console/manage.py shell --no-imports -c "from django.contrib.auth.models import User; print(User.objects.filter(is_superuser=True, is_active=True).count())" 2>/dev/null || echo "?")
    cat <<MSG

  R & R Aesthetics assistant is running
  - Chat widget demo: http://localhost:${WIDGET_PORT}/demo/   (the clinic's article with the chat widget)
  - Rasa REST:       http://localhost:${RASA_PORT}/webhooks/rest/webhook   (POST {"sender": "me", "message": "hi"})
  - Rasa socket.io:  http://localhost:${RASA_PORT}/socket.io   (session persistence on)
  - Rasa HTTP API:   http://localhost:${RASA_PORT}/status?token=…   (token: \$RASA_API_TOKEN or var/run/api-token)
  - Action server:   http://localhost:${ACTIONS_PORT}/health
  - Staff console:   http://localhost:${CONSOLE_PORT}/   (log in; admins manage accounts at /admin/)
  - Model:           ${MODEL#$PWD/}   (in service; \`make models\` lists the history)
  Database: ${DATABASE_URL:-sqlite var/clinic.db}.  Ctrl-C stops everything.
MSG
    if [ "$MODEL" != "$CANDIDATE" ]; then
      echo "  A newer candidate is trained (${CANDIDATE#$PWD/}): 'make evaluate', then 'make promote'."
    fi
    if [ "$admins" = "0" ]; then
      echo "  No console admin yet: create one with 'make console-admin' (in another terminal)."
    fi
    echo "  Processes: 'make status' (supervisord restarts a server that exits)."
    wait "$supervisor"
    exit 0
  fi
  kill -0 "$supervisor" 2>/dev/null || { echo "supervisord exited; see ${VAR_DIR}/log/:" >&2; tail -20 "$VAR_DIR"/log/*.log >&2; exit 1; }
  sleep 1
done
echo "Servers did not become ready in 180 s; see ${VAR_DIR}/log/." >&2
.venv/bin/supervisorctl -c deploy/supervisord.conf status >&2 || true
exit 1
