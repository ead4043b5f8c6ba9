"""Overview figures for a period, and the charts as pictures."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from console.conftest import add_conversation, add_request
from console.conversations.event_factory import Turn
from console.conversations.sync import sync
from console.overview.stats import overview

PNG = b"\x89PNG\r\n\x1a\n"


def at(days_ago: int, hour: int = 12) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def activity(db):
    add_conversation("a", [Turn("does it hurt", "ask_pain"), Turn("blah", "out_of_scope", fallback=True)], start=at(2))
    add_conversation("b", [Turn("how much", "ask_price"), Turn("/book_appointment", "book_appointment", 1.0)], start=at(2, 15))
    add_conversation("c", [Turn("does it hurt much", "ask_pain")], start=at(1))
    add_conversation("hello", [Turn("/greet", "greet", 1.0)], start=at(1))
    add_conversation("old", [Turn("price?", "ask_price")], start=at(60))
    sync()
    add_request("b", reference="RR-B00001", status="booked", created_at=at(2, 16))
    add_request("c", reference="RR-C00001", status="contacted", created_at=at(1, 13))
    add_request("a", reference="RR-A00001", kind="callback", created_at=at(2, 13))
    add_request("old", reference="RR-OLD001", status="booked", created_at=at(60, 13))


def test_figures_for_the_period(activity):
    today = timezone.localdate()
    data = overview(today - dt.timedelta(days=6), today)
    assert len(data.days) == 7
    assert data.conversations == 3  # greeting-only not counted, the 60-day-old one outside the period
    assert data.conversations_per_day[-3:] == [2, 1, 0]
    assert data.messages == 4  # typed only: button clicks and the widget's greeting are not
    assert data.messages_per_day[-3:] == [3, 1, 0]
    assert data.fallback_messages == 1 and data.fallback_rate == pytest.approx(0.25)
    assert data.fallback_rate_per_day[-3:] == [pytest.approx(1 / 3), 0.0, None]
    assert data.top_intents[0] == ("ask_pain", 2)
    assert (data.bookings_requested, data.bookings_booked, data.callbacks_requested) == (2, 1, 1)


def test_page_shows_the_figures_and_chart_pictures(staff_client, activity):
    response = staff_client.get(reverse("overview:page"))
    html = response.content.decode()
    assert response.status_code == 200 and "25%" in html
    for name in ("activity", "intents", "fallback", "requests"):
        assert f'/overview/charts/{name}.png?date_from=' in html
        chart = staff_client.get(reverse("overview:chart", args=[name]))
        assert chart["Content-Type"] == "image/png" and chart.content.startswith(PNG) and len(chart.content) > 5000


def test_charts_change_with_the_period(staff_client, activity):
    today = timezone.localdate().isoformat()
    recent = staff_client.get(reverse("overview:chart", args=["intents"]), {"date_from": today, "date_to": today})
    month = staff_client.get(reverse("overview:chart", args=["intents"]))
    assert recent.content != month.content


@pytest.mark.parametrize("params", [{"date_from": "nonsense"}, {"date_from": "2026-05-01", "date_to": "2020-01-01"},
                                    {"date_from": "1900-01-01"}])
def test_odd_periods_still_give_a_page(staff_client, activity, params):
    assert staff_client.get(reverse("overview:page"), params).status_code == 200
    assert staff_client.get(reverse("overview:chart", args=["activity"]), params).status_code == 200


def test_unknown_chart_is_404(staff_client, db):
    assert staff_client.get(reverse("overview:chart", args=["nope"])).status_code == 404
