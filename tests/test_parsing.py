"""actions/booking_details.read_message: one message, every detail (the issue's own examples).
The measured figures are the blind corpus's: `make parsing`."""
import datetime as dt
from pathlib import Path

import pytest

from actions.booking_details import read_message
from actions.clinic_profile import load_profile

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.timezone.utc)  # Wed 10:00 in Roswell
SHIPPED = load_profile(ROOT / "clinic_profile.yml")
FILLED = load_profile(ROOT / "tests" / "fixtures" / "clinic_profile.yml")


def read(text, asked=None, profile=SHIPPED, earlier=None):
    return read_message(text, asked=asked, now=NOW, profile=profile, earlier=earlier)


def test_every_detail_of_a_first_message():
    details = read("can i come in thursday at 10? Maria Diaz 404-555-0122")
    assert details.name == "Maria Diaz"
    assert details.contact == "(404) 555-0122"
    assert details.time.earliest.isoformat() == "2026-11-26T10:00:00-05:00" and not details.time.window


def test_friend_and_monica_are_not_days():
    assert read("i'd like to book a consult, my friend recommended you").time is None
    details = read("Monica Lopez", asked="name")
    assert details.name == "Monica Lopez" and details.time is None


def test_a_range_is_a_window_starting_at_its_start():
    details = read("friday 2-4pm", asked="time", profile=FILLED)
    assert details.time.window and details.time.earliest.isoformat() == "2026-11-27T14:00:00-05:00"
    assert "friday 2-4pm" in details.time.text


@pytest.mark.parametrize("text, earliest", [
    ("this weekend", "2026-11-28"),
    ("most weekdays after half four", "2026-11-25T16:30"),
    ("any afternoon but Wednesday", "2026-11-26"),
    ("asap", "2026-11-25"),
])
def test_windows_are_preferences_with_an_earliest_start(text, earliest):
    details = read(text, asked="time")
    assert details.time.window and details.time.earliest.isoformat().startswith(earliest)


def test_what_cannot_work_is_refused_saying_why():
    closed = read("sunday", asked="time", profile=FILLED).problems[0]
    assert closed.reason == "closed" and "closed on Sundays" in closed.message
    assert read("Monday the 15th", asked="time").problems[0].reason == "mismatch"
    assert read("tues at 7am", asked="time", profile=FILLED).problems[0].reason == "closed"


@pytest.mark.parametrize("text", ["chloé martin", "Siobhán O'Brien", "Mary-Kate Vanderberg", "Đặng Thị Hoa", "Sunday", "April Rose"])
def test_names_are_names_when_asked(text):
    name = read(text, asked="name").name
    assert name.lower() == text.lower() and name[0].isupper()


def test_a_negated_number_is_never_taken():
    assert read("oops wrong number, it's 678-555-0148 not 678-555-0184", asked="contact").phone == "(678) 555-0148"


def test_corrections_start_from_the_earlier_details():
    earlier_time = read("Friday at 9am", asked="time").time.to_slot()
    noon = read("keep the day, make it noon", asked="confirm", earlier={"time": earlier_time}).time
    assert noon.earliest.isoformat() == "2026-11-27T12:00:00-05:00"
    ending = read("my number ends 0191 not 0190", asked="confirm", earlier={"contact": "(678) 555-0190"})
    assert ending.contact == "(678) 555-0191"
    assert read("P-O-W-E-L", asked="confirm", earlier={"name": "Jenna Powell"}).name == "Jenna Powel"


def test_contact_preference_and_note_skip():
    details = read("texts only please, 770-555-0101", asked="contact")
    assert details.contact_how == "text" and details.contact == "(770) 555-0101"
    assert read("no notes", asked="note").no_note
    assert read("yes", asked="note").answer is True and read("yes", asked="note").note is None


def test_existing_appointments_are_recognised():
    assert read("i need to cancel my appointment on friday").existing_appointment
    assert read("am i booked for tuesday?").existing_appointment
    assert not read("can i book for tuesday?").existing_appointment


def test_respellings_keep_the_rest_of_the_name():
    from actions.booking_names import corrected_name
    assert corrected_name("the last name is spelled Nguyen not Nguyan", "Linh Nguyan") == "Linh Nguyen"
    assert read("sorry, it's Katherine with a K, not Catherine", asked="contact",
                earlier={"name": "Catherine Moss"}).name == "Katherine Moss"


def test_a_common_word_after_im_is_not_a_name_but_a_name_is():
    assert read("is it safe for dark skin? I'm Black and worried about pigmentation").name is None
    assert read("Hi I'm Summer, can I book saturday at 11?").name == "Summer"
