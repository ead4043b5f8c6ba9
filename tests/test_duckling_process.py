"""Duckling runs in a child process that is replaced before its leak grows (actions/duckling_process.py)."""
import datetime as dt
import os
import signal

import pytest

from actions import duckling_process
from scripts.processes import rss_mb

# Tuesday 1 December 2026, 10:00 in Roswell
NOW = int(dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.timezone.utc).timestamp())
TZ = "America/New_York"


def _first_value(text):
    found = duckling_process.parse(text, NOW, TZ)
    assert found, f"no time found in {text!r}"
    return found[0]["value"]


def test_a_time_is_read_in_the_clinics_zone():
    value = _first_value("thursday at 10")
    assert value["value"].startswith("2026-12-03T10:00:00") and value["value"].endswith("-05:00")


def test_an_interval_keeps_both_ends():
    value = _first_value("friday 2-4pm")
    assert value["type"] == "interval"
    assert value["from"]["value"].startswith("2026-12-04T14:00")
    assert value["to"]["value"].startswith("2026-12-04T17:00")  # Duckling's end is exclusive by an hour


def test_no_time_is_an_empty_list():
    assert duckling_process.parse("my name is ann and my phone is 404-555-0122", NOW, TZ) == []


def test_unicode_and_newlines_survive_the_pipe():
    assert duckling_process.parse("Chloé\nwould like mañana… 🙂 tomorrow at 3pm", NOW, TZ)[0]["body"] == "tomorrow at 3pm"


def test_the_child_is_replaced_after_its_quota(monkeypatch):
    monkeypatch.setattr(duckling_process, "RECYCLE_AFTER", 3)
    duckling_process.parse("tomorrow", NOW, TZ)
    pids = set()
    for _ in range(7):
        duckling_process.parse("tomorrow", NOW, TZ)
        pids.add(duckling_process.child_pid())
    assert len(pids) >= 2


def test_a_killed_child_is_restarted_and_the_parse_answered():
    duckling_process.parse("tomorrow", NOW, TZ)
    first = duckling_process.child_pid()
    os.kill(first, signal.SIGKILL)
    os.waitpid(first, 0)
    assert _first_value("monday at noon")["value"].startswith("2026-12-07T12:00")
    assert duckling_process.child_pid() != first


def test_memory_stays_bounded_over_many_parses(monkeypatch):
    """In-process, each parse of a range leaks about 0.7 KB (8 MB over these 11,000); here the child is
    replaced every 2,000, so later children stay within a leak's quota of the first, warmed-up one
    (without the replacement the peak is about 7 MB above it)."""
    monkeypatch.setattr(duckling_process, "RECYCLE_AFTER", 2000)
    duckling_process.stop_child()
    for _ in range(1000):  # the first child, warmed up (its pages of the binding read in)
        duckling_process.parse("friday 2-4pm", NOW, TZ)
    warm = rss_mb(duckling_process.child_pid())
    peak = warm
    for i in range(11000):
        duckling_process.parse("friday 2-4pm", NOW, TZ)
        if i % 250 == 0:
            peak = max(peak, rss_mb(duckling_process.child_pid()))
    assert peak - warm < 4.5, f"child RSS grew from {warm:.1f} to {peak:.1f} MB"
