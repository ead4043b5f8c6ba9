from django import forms

from console.common.forms import valid_fields

from console.bookings.models import STATUSES


class QueueFilter(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "any status"), ("open", "open (new or contacted)")] + STATUSES)
    kind = forms.ChoiceField(required=False, choices=[("", "bookings and callbacks"), ("booking", "bookings"),
                                                      ("callback", "callbacks")])

    def filter(self, requests):
        data = valid_fields(self)
        if data.get("status") == "open":
            requests = requests.filter(status__in=("new", "contacted"))
        elif data.get("status"):
            requests = requests.filter(status=data["status"])
        if data.get("kind"):
            requests = requests.filter(kind=data["kind"])
        return requests


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=STATUSES)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
