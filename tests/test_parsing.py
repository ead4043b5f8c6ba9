"""Phone, email, name, day and time parsing (actions/parsing.py)."""
import datetime as dt

import pytest

from actions.clinic_profile import load_profile, parse_profile
from actions.parsing import (Problem, RequestedTime, find_explicit_name, normalise_contact,
                             parse_name_answer, parse_requested_time)
from tests.helpers import FIXTURE_PROFILE, ROOT

# Wednesday 25 November 2026, 10:00 in Roswell (15:00 UTC).
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.timezone.utc)
PROFILE = load_profile(FIXTURE_PROFILE)          # Mon-Fri 9-18 (Wed 9-19), Sat 10-14, Sun closed
NO_HOURS = load_profile(ROOT / "clinic_profile.yml")  # the shipped profile: hours not set


@pytest.mark.parametrize("text, expected", [
    ("770-555-0134", "(770) 555-0134"),
    ("my number is (404) 555 0199", "(404) 555-0199"),
    ("+1 678 555 0123 thanks", "(678) 555-0123"),
    ("6785550123", "(678) 555-0123"),
    ("email me at Sam.K@Gmail.com please", "Sam.K@gmail.com"),
    ("+44 20 7946 0958", "+44 20 7946 0958"),
])
def test_contact_is_normalised(text, expected):
    assert normalise_contact(text) == expected


ASK_FOR_CONTACT = "I need a phone number or an email address so the team can reach you"


@pytest.mark.parametrize("text, says", [
    ("555-12", ASK_FOR_CONTACT), ("12345", ASK_FOR_CONTACT), ("call me maybe", ASK_FOR_CONTACT),
    ("sam@gmail", ASK_FOR_CONTACT),
    ("770-555-01", "doesn’t look like a complete phone number. Could you send it with the area code"),
])
def test_bad_contact_gets_helpful_problem(text, says):
    result = normalise_contact(text)
    assert isinstance(result, Problem), result
    assert says in result.message


@pytest.mark.parametrize("text, expected", [
    ("can I come in next tuesday at 3pm, I'm Sarah 770-555-0134", "Sarah"),
    ("my name is jo smith", "Jo Smith"),
    ("This is Maria Lopez, I want to book", "Maria Lopez"),
    ("I'm pregnant, can I book?", None),
    ("i'm on accutane", None),
    ("I'm interested in microneedling", None),
])
def test_explicit_name(text, expected):
    assert find_explicit_name(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Sarah", "Sarah"), ("it's maria", "Maria"), ("Anne-Marie O'Neil", "Anne-Marie O'Neil"),
    ("José", "José"),
])
def test_name_answer(text, expected):
    assert parse_name_answer(text) == expected


@pytest.mark.parametrize("text", ["what?", "why do you need that?", "12345", "", "no"])
def test_non_names_are_refused(text):
    assert isinstance(parse_name_answer(text), Problem)


@pytest.mark.parametrize("text, expected", [
    ("next wednesday after 5", "2026-12-02T17:00"),
    ("tomorrow at 3pm", "2026-11-26T15:00"),
    ("tuesday at 3", "2026-12-01T15:00"),
    ("friday morning", "2026-11-27T10:00"),
    ("Dec 3 at 10am", "2026-12-03T10:00"),
    ("december 4th 11:30", "2026-12-04T11:30"),
    ("sat noon", "2026-11-28T12:00"),
    ("thursday", "2026-11-26"),            # a day without a time: any time that day
    ("today at 4pm", "2026-11-25T16:00"),
])
def test_requested_times_resolve_in_clinic_time_zone(text, expected):
    result = parse_requested_time(text, NOW, PROFILE)
    assert isinstance(result, RequestedTime), result
    assert result.to_slot() == expected


def test_readback_is_human():
    result = parse_requested_time("next wednesday after 5", NOW, PROFILE)
    assert result.display() == "Wednesday, December 2 at 5pm"


@pytest.mark.parametrize("text, says", [
    pytest.param("yesterday at 3pm", "already passed", marks=pytest.mark.xfail(
        strict=True, reason="issue 11: 'yesterday' is dropped and the visitor is asked which day")),
    ("today at 9am", "already passed"),
    ("today at 10:30am", "too soon"),
    ("sunday at 11am", "closed on Sundays"),
    ("tuesday at 8pm", "open 9am–6pm"),
    ("saturday at 3pm", "open 10am–2pm"),
    ("at 3pm", "Which day"),
    ("whenever works", "couldn’t work out a day"),
    ("april 30 2027", "up to 120 days"),  # beyond max_days_ahead
])
def test_unbookable_times_are_refused_with_a_reason(text, says):
    result = parse_requested_time(text, NOW, PROFILE)
    assert isinstance(result, Problem), result
    assert says in result.message


def test_without_published_hours_any_future_time_is_accepted():
    result = parse_requested_time("sunday at 8pm", NOW, NO_HOURS)
    assert isinstance(result, RequestedTime)
    assert result.to_slot() == "2026-11-29T20:00"


def test_time_zone_is_the_clinics_not_the_servers():
    # 02:30 UTC on the 26th is still the evening of the 25th in Roswell.
    late = dt.datetime(2026, 11, 26, 2, 30, tzinfo=dt.timezone.utc)
    result = parse_requested_time("tomorrow at 10am", late, PROFILE)
    assert result.to_slot() == "2026-11-26T10:00"


def test_profile_errors_name_the_line():
    with pytest.raises(ValueError, match="hours.monday"):
        parse_profile({"hours": {"monday": "9 to 5"}})
    with pytest.raises(ValueError, match="timezone"):
        parse_profile({"timezone": "Mars/Olympus"})


def test_partial_hours_table_means_other_days_closed():
    profile = parse_profile({"hours": {"monday": "09:00-17:00"}})
    assert profile.opening_window(dt.date(2026, 11, 24)) is None  # a Tuesday
    assert profile.opening_window(dt.date(2026, 11, 23)) == (dt.time(9), dt.time(17))  # the Monday given


def test_the_clock_can_start_at_a_fixed_instant(monkeypatch):
    from actions import settings
    monkeypatch.setattr(settings, "_clock_offset", None)
    monkeypatch.setenv("ASSISTANT_CLOCK_START", "2026-11-25T15:00:00Z")
    first = settings.now()
    assert dt.timedelta(0) <= first - NOW < dt.timedelta(seconds=5)
    assert settings.now() >= first, "and it runs on"
    monkeypatch.setattr(settings, "_clock_offset", None)
    monkeypatch.delenv("ASSISTANT_CLOCK_START")
    assert abs(settings.now() - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(seconds=5)
