#!/usr/bin/env bash
# `make run`: start the action server and the Rasa server, print where they listen,
# stop both on Ctrl-C.  Ports: ACTIONS_PORT (5055), RASA_PORT (5005).
set -euo pipefail
cd "$(dirname "$0")/.."
ACTIONS_PORT=${ACTIONS_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}
WIDGET_PORT=${WIDGET_PORT:-8080}
CONSOLE_PORT=${CONSOLE_PORT:-8000}
# The model in service (`make promote` chooses it); on a first run, the model just trained.
MODEL=$(.venv/bin/python -m scripts.model_registry serving)
CANDIDATE=$(.venv/bin/python -c 'from scripts.model_files import model_path; print(model_path())')
mkdir -p var/run var/log

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f var/run/*.pid
}
trap stop_all INT TERM EXIT

# Rasa's HTTP API (model status, model swap) is only served with a token: without
# one, anybody who can reach the port could read conversations or replace the model.
if [ -z "${RASA_API_TOKEN:-}" ]; then
  [ -s var/run/api-token ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > var/run/api-token)
  RASA_API_TOKEN=$(cat var/run/api-token)
fi

endpoints=var/run/endpoints.yml
sed "s#http://127.0.0.1:5055/webhook#http://127.0.0.1:${ACTIONS_PORT}/webhook#" endpoints.yml > "$endpoints"

.venv/bin/rasa run actions --actions actions --port "$ACTIONS_PORT" > var/log/actions.log 2>&1 &
pids+=($!); echo $! > var/run/actions.pid
.venv/bin/rasa run --model "$MODEL" --endpoints "$endpoints" --credentials credentials.yml \
  --enable-api --auth-token "$RASA_API_TOKEN" --cors "*" --port "$RASA_PORT" > var/log/rasa.log 2>&1 &
pids+=($!); echo $! > var/run/rasa.pid
RASA_PORT="$RASA_PORT" WIDGET_PORT="$WIDGET_PORT" .venv/bin/python widget/serve.py > var/log/widget.log 2>&1 &
pids+=($!); echo $! > var/run/widget.pid
# Staff console: gunicorn, 2 workers (2 cores). It reads the same DATABASE_URL.
.venv/bin/gunicorn console.site.wsgi --bind "127.0.0.1:${CONSOLE_PORT}" --workers 2 --threads 4 \
  --access-logfile var/log/console-access.log > var/log/console.log 2>&1 &
pids+=($!); echo $! > var/run/console.pid

echo "Starting (logs in var/log/)..."
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
    wait -n "${pids[@]}" || true
    echo "A server exited; see var/log/." >&2
    exit 1
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A server failed to start; see var/log/:" >&2; tail -20 var/log/*.log >&2; exit 1; }
  done
  sleep 1
done
echo "Servers did not become ready in 180 s; see var/log/." >&2
exit 1
