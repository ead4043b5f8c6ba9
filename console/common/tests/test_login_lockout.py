"""Password guessing: five wrong passwords lock that username at that address for 15 minutes."""
import datetime as dt
import os
import subprocess
import sys

from axes.models import AccessAttempt
from django.urls import reverse

from actions.settings import ROOT
from console.conftest import page_of

PASSWORD = "sam-staff-password-1"


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in(client) -> bool:
    return client.get(reverse("conversations:list")).status_code == 200


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, staff_user):
    for _ in range(5):
        log_in(client, "sam", "wrong")
    response = log_in(client, "sam", PASSWORD)
    assert response.status_code == 429
    page = page_of(response)
    assert page.find("h1").text == "Account locked for 15 minutes"
    assert "ask an admin" in page.find("main").text
    assert not logged_in(client)


def test_four_wrong_passwords_do_not_lock(client, staff_user):
    for _ in range(4):
        assert log_in(client, "sam", "wrong").status_code == 200
    assert log_in(client, "sam", PASSWORD).status_code == 302
    assert logged_in(client)


def test_another_account_at_the_same_address_still_logs_in(client, staff_user, django_user_model):
    django_user_model.objects.create_user("kim", password="kim-staff-password-1")
    for _ in range(5):
        log_in(client, "sam", "wrong")
    assert log_in(client, "kim", "kim-staff-password-1").status_code == 302
    assert logged_in(client)


def test_the_lock_ends_after_the_cool_off(client, staff_user):
    for _ in range(5):
        log_in(client, "sam", "wrong")
    assert log_in(client, "sam", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=16))
    assert log_in(client, "sam", PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_limit_and_the_lock_time_come_from_the_environment(tmp_path):
    env = {**os.environ, "CONSOLE_LOGIN_FAILURES": "3", "CONSOLE_LOCKOUT_MINUTES": "40", "PYTHONPATH": str(ROOT),
           "DJANGO_SETTINGS_MODULE": "console.site.settings", "VAR_DIR": str(tmp_path)}
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; "
                               "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds())"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert shown == ["3", "2400.0"]
