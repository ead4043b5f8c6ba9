"""A malformed clinic profile edit: the last good profile keeps serving, and the error names its line."""
import os

import pytest

from actions import clinic_profile
from actions.clinic_profile import load_profile, profile_problem
from tests.helpers import FIXTURE_PROFILE


@pytest.fixture
def profile_file(tmp_path, monkeypatch):
    """A copy of the filled fixture profile the test may break, in a fresh process's state."""
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setattr(clinic_profile, "_cache", {})
    monkeypatch.setattr(clinic_profile, "_last_good", {})
    path = tmp_path / "clinic_profile.yml"
    path.write_text(FIXTURE_PROFILE.read_text())
    return path


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + 5))  # a later edit, even within the clock's resolution


def test_a_broken_edit_leaves_the_last_good_profile_serving(profile_file, caplog):
    good = load_profile(profile_file)
    assert good.phone and good.has_hours and profile_problem(profile_file) is None
    edit(profile_file, "monday: ", "monday: 9 to 5 #")
    served = load_profile(profile_file)
    assert served.phone == good.phone and served.hours == good.hours
    line = next(n for n, text in enumerate(profile_file.read_text().splitlines(), 1) if "monday:" in text)
    assert profile_problem(profile_file) == (f"clinic_profile.yml line {line}: hours.monday: '9 to 5' is not "
                                             "'HH:MM-HH:MM' or 'closed'")
    assert f"line {line}" in caplog.text and "serving the last version that loaded" in caplog.text


def test_broken_yaml_names_its_line(profile_file):
    load_profile(profile_file)
    edit(profile_file, "hours:", "hours: [")
    problem = profile_problem(profile_file)
    assert problem.startswith("clinic_profile.yml line ") and load_profile(profile_file).phone


def test_after_a_restart_the_last_good_copy_is_served(profile_file, monkeypatch):
    phone = load_profile(profile_file).phone
    edit(profile_file, "hours:", "hours: [")
    monkeypatch.setattr(clinic_profile, "_cache", {})  # a new process: nothing in memory
    monkeypatch.setattr(clinic_profile, "_last_good", {})
    assert load_profile(profile_file).phone == phone
    assert profile_problem(profile_file)


def test_a_file_that_never_loaded_serves_no_facts(profile_file):
    profile_file.write_text("name: R & R Aesthetics\nphone: '(770) 555-0100'\nhours:\n  monday: 9 to 5\n")
    profile = load_profile(profile_file)
    assert profile.phone is None and not profile.has_hours
    assert "line 4: hours.monday" in profile_problem(profile_file)


def test_fixing_the_file_clears_the_problem(profile_file):
    load_profile(profile_file)
    edit(profile_file, "hours:", "hours: [")
    assert profile_problem(profile_file)
    edit(profile_file, "hours: [", "hours:")
    assert profile_problem(profile_file) is None and load_profile(profile_file).has_hours
