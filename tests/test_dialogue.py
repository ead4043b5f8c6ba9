"""Training data validation and the end-to-end test stories (tests/test_stories.yml).

The stories test policy predictions (and, with --e2e, the intent of each message) only:
`rasa test core` replays each story's own slot events and never calls a custom action, even
with an action server running. Behaviour is tested by tests/test_blind_conversations.py."""
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.model_files import current_model, nlu_data
from tests.helpers import ROOT

RASA = str(Path(sys.executable).parent / "rasa")


def test_training_data_and_domain_validate():
    result = subprocess.run([RASA, "data", "validate", "--domain", "domain.yml", "--data", "data"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_every_contract_intent_has_enough_varied_examples():
    data = nlu_data()
    counts = {}
    for example in data.intent_examples:
        counts[example.get("intent")] = counts.get(example.get("intent"), 0) + 1
    contract = ["greet", "goodbye", "affirm", "deny", "thank", "bot_challenge", "ask_what_is_microneedling",
                "ask_collagen", "ask_texture_scars", "ask_hyperpigmentation", "ask_product_absorption",
                "ask_downtime", "ask_pain", "ask_sessions_results", "ask_suitability", "ask_price",
                "ask_location_hours", "book_appointment", "request_human", "stop", "out_of_scope"]
    assert {i: counts.get(i, 0) for i in contract if counts.get(i, 0) < 60} == {}


def test_heldout_split_is_separate_and_big_enough():
    from rasa.shared.nlu.training_data.loading import load_data
    train = {m.get("text").lower().strip() for m in nlu_data().intent_examples}
    heldout = [m.get("text").lower().strip() for m in load_data(str(ROOT / "tests" / "nlu" / "heldout.yml")).intent_examples]
    assert not train & set(heldout), "held-out examples leaked into training data"
    assert len(heldout) / (len(heldout) + len(train)) >= 0.2


@pytest.mark.server
def test_story_predictions(action_server, tmp_path):
    stories = ROOT / "tests" / "test_stories.yml"
    result = subprocess.run(
        [RASA, "test", "core", "--model", str(current_model()), "--stories", str(stories),
         "--endpoints", str(action_server["endpoints"]), "--out", str(tmp_path), "--fail-on-prediction-errors",
         "--e2e"],  # --e2e: also check the intent predicted for each story message
        cwd=ROOT, env=action_server["env"], capture_output=True, text=True)
    failed = (tmp_path / "failed_test_stories.yml")
    details = failed.read_text()[:4000] if failed.exists() else ""
    assert result.returncode == 0, details + result.stdout[-2000:] + result.stderr[-3000:]
    import yaml
    assert len(yaml.safe_load(stories.read_text())["stories"]) >= 25
