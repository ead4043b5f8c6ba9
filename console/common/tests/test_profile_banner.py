"""A clinic_profile.yml that does not load is shown to staff on every page, with what to fix."""
import os

import pytest
from django.urls import reverse

from console.conftest import page_of

BANNER_START = "The clinic profile has an error and the assistant is using the last version that loaded: "
PAGES = ["conversations:list", "bookings:queue", "inbox:list", "overview:page"]
GOOD = "name: Test Clinic\nhours:\n  monday: 09:00-17:00\n"


@pytest.fixture
def profile(tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))  # where the loader keeps the last good copy
    path = tmp_path / "clinic_profile.yml"
    monkeypatch.setenv("CLINIC_PROFILE", str(path))
    return path


def banner(response):
    found = page_of(response).find_all(cls="profile-error")
    return found[0].text if found else None


@pytest.mark.parametrize("text, message", [
    ("hours:\n  monday: 9 to 5\n", "line 2: hours.monday: '9 to 5' is not 'HH:MM-HH:MM' or 'closed'"),
    # tuesday indented one space less than monday
    ("name: Test Clinic\nhours:\n  monday: 09:00-17:00\n tuesday: 09:00-17:00\n", "line 4: expected <block end>"),
])
def test_a_broken_profile_puts_a_banner_on_every_page(staff_client, profile, text, message):
    profile.write_text(text)
    for name in PAGES:
        shown = banner(staff_client.get(reverse(name)))
        assert shown and shown.startswith(BANNER_START), name
        assert message in shown and shown.endswith("Fix clinic_profile.yml."), shown


def test_a_good_profile_shows_no_banner(staff_client, profile):
    profile.write_text(GOOD)
    for name in PAGES:
        response = staff_client.get(reverse(name))
        assert banner(response) is None and "Test Clinic" in page_of(response).find("header").text


def test_the_banner_goes_once_the_file_is_fixed(staff_client, profile):
    profile.write_text("hours:\n  monday: 9 to 5\n")
    assert banner(staff_client.get(reverse("conversations:list")))
    profile.write_text(GOOD)
    os.utime(profile, (profile.stat().st_atime, profile.stat().st_mtime + 5))  # a new mtime, however coarse the clock
    assert banner(staff_client.get(reverse("conversations:list"))) is None


def test_visitors_on_the_login_page_are_not_told(client, profile):
    profile.write_text("hours:\n  monday: 9 to 5\n")
    assert banner(client.get(reverse("login"))) is None
