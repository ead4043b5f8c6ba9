"""Corrections -> a Rasa NLU file: de-duplicated, conflicts reported, valid for Rasa."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.settings import ROOT
from console.conftest import add_conversation
from console.conversations.event_factory import Turn
from console.conversations.models import VisitorMessage
from console.conversations.sync import sync
from console.inbox.export import build, read_examples, render
from console.inbox.models import Review

TRAINING = """version: "3.1"
nlu:
- intent: ask_pain
  examples: |
    - does it hurt
    - is it painful
- intent: ask_price
  examples: |
    - how much is it
"""
HELDOUT = """version: "3.1"
nlu:
- intent: ask_downtime
  examples: |
    - how long is the recovery
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "data").mkdir(parents=True)
    (tmp_path / "data" / "nlu.yml").write_text(TRAINING)
    (tmp_path / "data" / "rules.yml").write_text('version: "3.1"\nrules: []\n')
    (tmp_path / "heldout.yml").write_text(HELDOUT)
    return tmp_path


def exported(project, labelled):
    output = project / "data" / "nlu_corrections.yml"
    result = build(labelled, output, data_dir=project / "data", heldout=project / "heldout.yml")
    output.write_text(render(result))
    return result, sorted((intent, text) for text, intent in read_examples(output))


def test_new_examples_are_written_and_known_ones_skipped(project):
    result, examples = exported(project, [
        ("Does  it HURT", "ask_pain"),                     # already training data (case and spaces ignored)
        ("how long is the recovery", "ask_downtime"),      # in the held-out split: never trained on
        ("wat does it cost", "ask_price"),
        ("will my face be red tomorrow", "ask_downtime"),
        ("wat does it cost", "ask_price"),                 # labelled twice the same way: once
    ])
    assert examples == [("ask_downtime", "will my face be red tomorrow"), ("ask_price", "wat does it cost")]
    assert result.added == 2 and result.already_in_training == ["Does it HURT"]
    assert result.in_heldout == ["how long is the recovery"] and result.conflicts == []


def test_conflicts_are_reported_not_written(project):
    result, examples = exported(project, [
        ("is it painful", "ask_price"),        # training data says ask_pain
        ("can i come tuesday", "book_appointment"),
        ("can i come tuesday", "ask_location_hours"),  # two staff decisions disagree
        ("ok thanks", "thank"),
    ])
    assert examples == [("thank", "ok thanks")]
    assert sorted((c.text, tuple(sorted(c.labels))) for c in result.conflicts) == [
        ("can i come tuesday", ("ask_location_hours", "book_appointment")), ("is it painful", ("ask_pain", "ask_price"))]
    assert "is it painful" in result.summary() and "2 conflicts" in result.summary()


def test_the_file_is_cumulative(project):
    exported(project, [("wat does it cost", "ask_price")])
    result, examples = exported(project, [("ok thanks", "thank")])  # earlier reviews purged by retention meanwhile
    assert examples == [("ask_price", "wat does it cost"), ("thank", "ok thanks")]
    assert result.added == 1
    result, _ = exported(project, [("wat does it cost", "ask_pain")])  # a change of mind is a conflict
    assert len(result.conflicts) == 1


def test_contact_details_and_entity_markup_do_not_reach_the_training_data(project):
    _, examples = exported(project, [
        ("call me on 770-555-0134 or jane.doe@gmail.com", "request_human"),
        ("[Jane](name) here\nsecond line", "inform"),
    ])
    assert ("request_human", "call me on 770-555-0100 or name@example.com") in examples
    assert ("inform", "(Jane)(name) here second line") in examples


def test_empty_export_is_still_a_valid_file(project):
    result, examples = exported(project, [])
    assert examples == [] and result.total == 0


def label(text, intent, predicted="out_of_scope", confidence=0.3):
    add_conversation(f"v-{text}", [Turn(text, predicted, confidence=confidence, fallback=True)])
    sync()
    message = VisitorMessage.objects.get(text=text)
    Review.objects.create(message=message, state=Review.LABELLED, intent=intent)


def test_export_command_and_download_give_the_same_file(staff_client, tmp_path, settings):
    settings.CONSOLE_CORRECTIONS_FILE = tmp_path / "corrections.yml"
    label("how many treatments till i see a diffrence", "ask_sessions_results")
    label("blah", "out_of_scope")
    Review.objects.create(message=VisitorMessage.objects.create(
        event_id=10**9, conversation=VisitorMessage.objects.first().conversation, sent_at="2026-01-01T00:00Z",
        text="dismissed one", intent="greet"), state=Review.DISMISSED)
    download = staff_client.get(reverse("inbox:download"))
    assert download["Content-Disposition"] == 'attachment; filename="corrections.yml"'
    assert not settings.CONSOLE_CORRECTIONS_FILE.exists()  # a download never writes the server's data/
    call_command("export_corrections")
    assert settings.CONSOLE_CORRECTIONS_FILE.read_text() == download.content.decode()
    examples = read_examples(settings.CONSOLE_CORRECTIONS_FILE)
    assert ("how many treatments till i see a diffrence", "ask_sessions_results") in examples
    assert ("blah", "out_of_scope") in examples and "dismissed one" not in download.content.decode()


def rasa_validate(data: Path, cwd: Path):
    """Exit code and the set of warning/error lines of `rasa data validate`."""
    result = subprocess.run([str(Path(sys.executable).parent / "rasa"), "data", "validate", "--domain",
                             str(ROOT / "domain.yml"), "--config", str(ROOT / "config.yml"), "--data", str(data)],
                            cwd=cwd, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    lines = {re.split(r" - |UserWarning: ", line, maxsplit=1)[-1].strip() for line in output.splitlines()
             if ("WARNING" in line or "ERROR" in line or "UserWarning" in line) and "urllib3" not in line}
    return result.returncode, lines


def test_rasa_data_validate_accepts_the_training_data_with_the_exported_file(tmp_path, db):
    label("how many treatments till i see a diffrence", "ask_sessions_results")
    label("r u a robot or wat 🤖", "bot_challenge")
    label("¿cuánto cuesta el microneedling?", "ask_price")
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("nlu_corrections.yml"))
    baseline_code, baseline = rasa_validate(data, tmp_path)
    output = data / "nlu_corrections.yml"
    call_command("export_corrections", "--output", str(output))
    assert len(read_examples(output)) == 3
    code, lines = rasa_validate(data, tmp_path)
    assert baseline_code == 0 and code == 0
    assert lines - baseline == set(), "the corrections file added warnings or errors"
