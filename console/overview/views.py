import datetime as dt

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from console.common.forms import valid_fields
from console.conversations.sync import sync
from console.overview import charts
from console.overview.stats import overview

MAX_DAYS = 366


class PeriodForm(forms.Form):
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def period(self):
        today = timezone.localdate()
        data = valid_fields(self)
        last = data.get("date_to") or today
        first = data.get("date_from") or last - dt.timedelta(days=29)
        if first > last:
            first, last = last, first
        return max(first, last - dt.timedelta(days=MAX_DAYS - 1)), last


def page(request):
    sync()
    form = PeriodForm(request.GET or None)
    first, last = form.period()
    query = f"date_from={first.isoformat()}&date_to={last.isoformat()}"
    return render(request, "overview/overview.html", {
        "form": form, "first": first, "last": last, "data": overview(first, last), "query": query,
        "charts": list(charts.CHARTS)})


def chart(request, name: str):
    if name not in charts.CHARTS:
        raise Http404("no such chart")
    first, last = PeriodForm(request.GET or None).period()
    response = HttpResponse(charts.CHARTS[name](overview(first, last)), content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response
