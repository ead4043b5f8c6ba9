"""The retraining loop: a staff correction becomes training data that changes the model, the
promotion gate, a model swap on the running server, and restoring an earlier model.

Models here are trained with a small, fast config (tests/fixtures/config-small.yml, ~20 s each)
into temporary folders; the project's models/ and data/ are never touched.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import requests

from scripts import promote as promotion
from scripts.model_files import current_model
from scripts.model_registry import Registry, model_id
from scripts.nlu_scoring import predict
from scripts.train import train
from tests.helpers import ROOT
from tests.servers import API_TOKEN

SMALL_CONFIG = ROOT / "tests" / "fixtures" / "config-small.yml"
SLANG = "wots the dosh for needlin"  # slang for "what does microneedling cost": the small model doesn't know it


def copy_data(target: Path) -> Path:
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("nlu_corrections.yml"))
    return target


def intent_of(model: Path, text: str) -> str:
    prediction = predict(model, [(text, "?")])[0][0]
    return "nlu_fallback" if prediction.fell_back else prediction.intent


@pytest.fixture(scope="session")
def small_model(tmp_path_factory) -> Path:
    """The small config trained on the project's data as it is."""
    work = tmp_path_factory.mktemp("small")
    return train(SMALL_CONFIG, copy_data(work / "data"), work / "models")


@pytest.fixture(scope="session")
def damaged_model(tmp_path_factory) -> Path:
    """The small config trained on damaged data: every "does it hurt" example labelled as a price question."""
    work = tmp_path_factory.mktemp("damaged")
    data = copy_data(work / "data")
    faq = data / "nlu.yml"
    faq.write_text(faq.read_text().replace("- intent: ask_pain\n", "- intent: ask_price\n"))
    return train(SMALL_CONFIG, data, work / "models")


def test_a_correction_from_the_console_changes_the_models_answer(db, small_model, tmp_path):
    from console.conftest import add_conversation
    from console.conversations.event_factory import Turn
    from console.conversations.models import VisitorMessage
    from console.conversations.sync import sync
    from console.inbox.export import export
    from console.inbox.models import Review

    before = intent_of(small_model, SLANG)
    assert before != "ask_price"
    # a visitor wrote it, the bot fell back, a staff member labelled it in the inbox
    add_conversation("slang", [Turn(SLANG, "thank", confidence=0.14, fallback=True)])
    sync()
    Review.objects.create(message=VisitorMessage.objects.get(text=SLANG), state=Review.LABELLED, intent="ask_price")
    data = copy_data(tmp_path / "data")
    result = export(data / "nlu_corrections.yml")
    assert result.added == 1
    retrained = train(SMALL_CONFIG, data, tmp_path / "models")
    assert retrained.name != small_model.name  # the correction changed the fingerprint: a new candidate
    assert intent_of(retrained, SLANG) == "ask_price"
    # and the same inputs give the same model: nothing to retrain
    assert train(SMALL_CONFIG, data, tmp_path / "models") == retrained


@pytest.mark.server
def test_the_gate_refuses_a_damaged_candidate_and_accepts_a_good_one(small_model, damaged_model, tmp_path, capsys):
    models = tmp_path / "models"
    models.mkdir()
    in_service, damaged, good = (shutil.copy(m, models / m.name) for m in (small_model, damaged_model, current_model()))
    in_service, damaged, good = Path(in_service), Path(damaged), Path(good)
    registry = Registry(models)
    registry.record(in_service, "initial")
    offline = "http://127.0.0.1:9"  # no Rasa server there: the swap is skipped, said so

    assert promotion.promote(damaged, url=offline) == 1
    out = capsys.readouterr().out
    assert "REFUSED" in out and "worse: ask_pain" in out
    assert "the warning-sign screen is below its floors: emergency recall 0.000" in out  # its config has no screen
    assert registry.in_service() == in_service  # nothing changed

    assert promotion.promote(good, url=offline) == 0
    out = capsys.readouterr().out
    assert "PROMOTED" in out and "No Rasa server" in out
    assert registry.in_service() == good
    entry = registry.history()[-1]
    assert entry["kind"] == "promote" and entry["model_id"] == model_id(good)
    assert entry["data_fingerprint"] in good.name and entry["stories_failed"] == 0
    metrics = json.loads((models / (good.name[:-7] + ".eval") / "metrics.json").read_text())
    assert metrics["macro_f1"] == entry["macro_f1"] and (models / (good.name[:-7] + ".eval") / "intent_confusion_matrix.png").exists()

    assert promotion.restore(models=models, url=offline) == 0
    assert registry.in_service() == in_service and registry.history()[-1]["kind"] == "restore"


@pytest.mark.server
def test_a_conversation_in_progress_continues_across_a_model_swap_and_a_restore(servers, small_model, tmp_path):
    original = current_model()
    sender = "swap-visitor"
    assert "name" in " ".join(r.get("text", "") for r in servers.say(sender, "I'd like to book a consultation"))
    servers.say(sender, "Jane Doe")
    models = tmp_path / "models"
    models.mkdir()
    registry = Registry(models)
    registry.record(Path(shutil.copy(original, models / original.name)), "initial")
    swapped = Path(shutil.copy(small_model, models / small_model.name))
    registry.record(swapped, "promote")
    try:
        assert "now serves" in promotion.swap(swapped, servers.rasa_url, API_TOKEN)
        status = requests.get(f"{servers.rasa_url}/status", params={"token": API_TOKEN}, timeout=10).json()
        assert Path(status["model_file"]).name == swapped.name
        # the booking form goes on where it was: the next question is the day and time
        reply = " ".join(r.get("text", "") for r in servers.say(sender, "jane.doe@example.com"))
        assert "day and time" in reply, reply
        tracker = requests.get(f"{servers.rasa_url}/conversations/{sender}/tracker",
                               params={"token": API_TOKEN}, timeout=10).json()
        answered_by = [e["metadata"].get("model_id") for e in tracker["events"] if e["event"] == "user"]
        assert answered_by[0] == model_id(original) and answered_by[-1] == model_id(swapped)
        assert tracker["slots"]["booking_name"] == "Jane Doe"
        # one command puts the previous model back, on the running server too
        assert promotion.restore(models=models, url=servers.rasa_url, token=API_TOKEN) == 0
        status = requests.get(f"{servers.rasa_url}/status", params={"token": API_TOKEN}, timeout=10).json()
        assert Path(status["model_file"]).name == original.name
    finally:
        promotion.swap(original, servers.rasa_url, API_TOKEN)  # other tests expect the project's model


def metrics(macro_f1: float, failed=(), **per_intent) -> dict:
    return {"macro_f1": macro_f1, "stories_total": 43, "stories_failed": len(failed), "failed_stories": list(failed),
            "per_intent": {name: {"f1": f1} for name, f1 in per_intent.items()}}


@pytest.mark.parametrize("candidate, accepted", [
    (metrics(0.946, ask_pain=0.95, ask_price=0.97), True),    # the same
    (metrics(0.942, ask_pain=0.94, ask_price=0.97), True),    # within the tolerance (0.005)
    (metrics(0.940, ask_pain=0.93, ask_price=0.97), False),   # below it
    (metrics(0.990, ["booking, phone first"], ask_pain=0.99, ask_price=0.99), False),  # better, but a story fails
])
def test_gate_rules(candidate, accepted):
    service = metrics(0.946, ask_pain=0.95, ask_price=0.97)
    decision = promotion.gate(candidate, service)
    assert decision.accepted is accepted
    if candidate["per_intent"]["ask_pain"]["f1"] < 0.95:
        assert decision.worse_intents[0][0] == "ask_pain"


def test_first_promotion_has_nothing_to_compare_with():
    assert promotion.gate(metrics(0.5, ask_pain=0.5), None).accepted


def test_registry_serves_the_first_model_then_what_was_promoted_and_restores_the_one_before(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    first, second = (Path(shutil.copy(current_model(), models / name)) for name in ("model-aaa.tar.gz", "model-bbb.tar.gz"))
    registry = Registry(models)
    assert registry.in_service() is None and registry.previous() is None
    registry.record(first, "initial")
    registry.record(second, "promote")
    assert registry.in_service() == second and registry.previous() == first
    assert [e["kind"] for e in registry.history()] == ["initial", "promote"]
    assert registry.history()[0]["data_fingerprint"] == "aaa"
    assert promotion.restore(models=models, url="http://127.0.0.1:9") == 0
    assert registry.in_service() == first and registry.previous() == second
