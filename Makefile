# The README's two commands are `make run` and `make test`; the rest are steps they use.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: install spacy train run status soak test parsing parsing-held-back language language-held-back intents-fresh services safety-spanish evaluate bench shell validate clean lock compare sweep widget browser \
        console-db console-admin corrections purge bench-console promote restore models cross-validate \
        conversations conversation-from safety safety-held-back safety-classifier answers answers-held-back

install:            ## .venv with the pinned requirements (Python 3.10)
	@bash scripts/bootstrap.sh

spacy: install      ## the project's own spaCy pipeline in build/spacy/
	@$(PY) scripts/build_spacy_pipeline.py

train: spacy        ## train only when data, config or domain changed
	@$(PY) -m scripts.train

widget:             ## the chat widget's pinned socket.io client -> widget/vendor/ (npm ci)
	@bash widget/build.sh

browser:            ## headless Chromium + ChromeDriver for the browser tests (Debian packages)
	@bash scripts/install_browser.sh

console-db: install ## the staff console's tables (and Rasa's, if missing) in the database
	@$(PY) console/manage.py migrate --no-input -v 0

console-admin: console-db  ## create a console admin account (asks for a password; none ships)
	@$(PY) console/manage.py createsuperuser

corrections: console-db  ## staff corrections from the console's inbox -> data/nlu_corrections.yml
	@$(PY) console/manage.py export_corrections

purge: console-db   ## delete conversations older than CONSOLE_RETENTION_DAYS (default 365)
	@$(PY) console/manage.py purge_conversations

bench-console: install  ## console speed on generated data (10,000 conversations, 200,000 events)
	@$(PY) -m scripts.bench_console

run: train widget console-db  ## start action server, Rasa server, widget demo and staff console; Ctrl-C stops all
	@bash scripts/run.sh

status:             ## the servers `make run` started (supervisord): state, pid, memory
	@VAR_DIR=$(CURDIR)/var $(VENV)/bin/supervisorctl -c deploy/supervisord.conf status; VAR_DIR=$(CURDIR)/var $(PY) -m scripts.processes

test: train widget browser  ## every test: data validation, actions, stores, dialogue stories, HTTP
	@$(PY) -m pytest

safety: spacy       ## the warning-sign screen on the blind safety corpus: recall, false positives, misses
	@$(PY) -m scripts.safety_score --explain

safety-classifier: spacy  ## measures a trained classifier as the screen's second opinion (5-fold CV)
	@$(PY) -m scripts.safety_classifier_cv

safety-spanish: install  ## the Spanish warning signs (safety/spanish.py) on the blind corpus tests/safety/spanish.yml
	@$(PY) -m scripts.safety_spanish_score --misses

safety-held-back: spacy  ## the same on the held-back part (written last): run once, report what it says
	@$(PY) -m scripts.safety_score --held-back --explain

parsing: install     ## booking parsing on the blind parsing corpus (tests/parsing/development.yml): share exactly right, ms per message, misses
	@$(PY) -m scripts.parsing_score development --misses || true

parsing-held-back: install  ## the same on the held-back part (written last): run once, report what it says
	@$(PY) -m scripts.parsing_score held_back --misses || true

answers: spacy       ## the answer points on the blind sub-point corpus (tests/answers/development.yml): share right, misses
	@$(PY) -m scripts.answers_score --explain

answers-held-back: spacy  ## the same on the held-back part (written last): run once, report what it says
	@$(PY) -m scripts.answers_score --held-back --explain

intents-fresh: train  ## the model in service on the fresh blind batch (tests/nlu/fresh_batch.yml): accuracy, macro-F1, misses
	@$(PY) -m scripts.intent_score tests/nlu/fresh_batch.yml

language: spacy     ## language detection on the blind language corpus (tests/language/development.yml): share right, misses
	@$(PY) -m scripts.language_score --misses

language-held-back: spacy  ## the same on the held-back part (written last): run once, report what it says
	@$(PY) -m scripts.language_score --held-back --misses

services: install   ## the other-treatments detector on the blind corpus (tests/services/development.yml): share right, misses
	@$(PY) -m scripts.services_score --misses

conversations: train  ## the blind conversation corpus (tests/conversations/) against the real servers, with its report
	@$(PY) -m pytest tests/test_blind_conversations.py -q -p no:cacheprovider -r fE

conversation-from: install  ## a real conversation as a conversation test to complete: SENDER=<conversation id>
	@$(PY) -m scripts.conversation_from_transcript "$(SENDER)"

evaluate: train     ## score the candidate (held-out split + test stories) and compare it with the model in service
	@$(PY) -m scripts.evaluate

promote: evaluate   ## put the candidate in service if it is not worse (gate), swap it into a running server
	@$(PY) -m scripts.promote

restore: install    ## put the previous model back in service (MODEL=models/model-....tar.gz for another)
	@$(PY) -m scripts.promote --restore $(if $(MODEL),--model $(MODEL))

models: install     ## every promotion and restore, and the model in service
	@$(PY) -m scripts.model_registry history

cross-validate: spacy  ## 5-fold cross-validation of the NLU pipeline (slow), summary beside the metrics
	@$(PY) -m scripts.cross_validate

bench: install      ## load test against the running server (start it with `make run`)
	@$(PY) -m scripts.bench

soak: install       ## 30 min at 50 visitors (REST + socket.io, bookings) against `make run`: errors, memory slope, DB growth
	@$(PY) -m scripts.soak $(SOAK_ARGS)

shell: train        ## talk to the assistant in the terminal (needs the action server: `make run`)
	@ACTIONS_TOKEN=$$(cat var/run/actions-token 2>/dev/null) $(VENV)/bin/rasa shell --endpoints var/run/endpoints.yml \
	  --model "$$($(PY) -m scripts.model_registry serving)"

validate: install
	@$(VENV)/bin/rasa data validate --domain domain.yml --data data

lock:               ## re-pin requirements.txt from requirements.in
	rm -rf /tmp/lock-venv && $$(ls -d $$HOME/.pyenv/versions/3.10.*/bin/python3.10 | head -1) -m venv /tmp/lock-venv \
	  && /tmp/lock-venv/bin/pip install -q -r requirements.in && /tmp/lock-venv/bin/pip check \
	  && { head -2 requirements.txt; /tmp/lock-venv/bin/pip freeze; } > requirements.txt.new && mv requirements.txt.new requirements.txt

clean:
	rm -rf build models results var/*.db

compare: spacy      ## train every candidate pipeline in configs/candidates/ and score it (slow)
	@$(PY) -m scripts.compare_pipelines

sweep: train        ## fallback threshold sweep on the held-out split
	@$(PY) -m scripts.sweep_fallback
