"""The overview's charts as PNG pictures (matplotlib, no pyplot: safe in a threaded server)."""
from __future__ import annotations

import io

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from console.overview.stats import Overview

PRIMARY, SECOND, WARN, GREY = "#7a2850", "#c9799e", "#b85c00", "#6b6b6b"


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def _date_axis(axis) -> None:
    locator = AutoDateLocator(maxticks=8)
    axis.xaxis.set_major_locator(locator)
    axis.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axis.spines[["top", "right"]].set_visible(False)


def activity(data: Overview) -> bytes:
    figure = Figure(figsize=(8, 3.2))
    axis = figure.subplots()
    axis.bar(data.days, data.conversations_per_day, color=PRIMARY, label="conversations")
    axis.plot(data.days, data.messages_per_day, color=SECOND, marker="o", markersize=3, label="visitor messages")
    axis.set_title("Conversations and visitor messages per day", loc="left", fontsize=11)
    axis.legend(frameon=False, loc="upper left")
    _date_axis(axis)
    return _png(figure)


def intents(data: Overview) -> bytes:
    figure = Figure(figsize=(8, 3.6))
    axis = figure.subplots()
    names = [name for name, _ in reversed(data.top_intents)] or ["(no messages)"]
    counts = [n for _, n in reversed(data.top_intents)] or [0]
    axis.barh(names, counts, color=PRIMARY)
    axis.set_title("Top intents (typed messages)", loc="left", fontsize=11)
    axis.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def fallback(data: Overview) -> bytes:
    figure = Figure(figsize=(8, 2.8))
    axis = figure.subplots()
    points = [(d, r * 100) for d, r in zip(data.days, data.fallback_rate_per_day) if r is not None]
    if points:
        axis.plot([d for d, _ in points], [r for _, r in points], color=WARN, marker="o", markersize=3)
    axis.set_ylim(bottom=0)
    axis.set_ylabel("% of messages")
    overall = data.fallback_rate
    title = "Fallback rate per day" + (f" (period: {overall * 100:.1f}%)" if overall is not None else "")
    axis.set_title(title, loc="left", fontsize=11)
    _date_axis(axis)
    return _png(figure)


def requests(data: Overview) -> bytes:
    figure = Figure(figsize=(8, 2.6))
    axis = figure.subplots()
    labels = ["booking requests", "reached a booking", "callback requests"]
    values = [data.bookings_requested, data.bookings_booked, data.callbacks_requested]
    bars = axis.barh(labels[::-1], values[::-1], color=[GREY, PRIMARY, SECOND])
    axis.bar_label(bars, padding=3)
    axis.set_title("Requests in the period", loc="left", fontsize=11)
    axis.spines[["top", "right"]].set_visible(False)
    return _png(figure)


CHARTS = {"activity": activity, "intents": intents, "fallback": fallback, "requests": requests}
