import datetime as dt

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from console.bookings.models import BookingRequest
from console.common.forms import valid_fields
from console.common.intents import intent_choices
from console.conversations.models import Tag, VisitorMessage


class ConversationFilter(forms.Form):
    """The list's filters. Invalid input (a bad date, a threshold of 7) is reported on the form."""

    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    intent = forms.ChoiceField(required=False, choices=())
    q = forms.CharField(required=False, max_length=200, label="Text",
                        widget=forms.TextInput(attrs={"placeholder": "words the visitor wrote"}))
    tag = forms.ChoiceField(required=False, choices=())
    fallback = forms.BooleanField(required=False, label="Fallback happened")
    low_confidence = forms.BooleanField(required=False, label="Low confidence")
    below = forms.FloatField(required=False, min_value=0, max_value=1, label="below",
                             widget=forms.NumberInput(attrs={"step": "0.05", "style": "width:5em"}))
    booking = forms.BooleanField(required=False, label="Booking request")
    human = forms.BooleanField(required=False, label="Asked for a person")
    warning = forms.ChoiceField(required=False, label="Warning signs", choices=[
        ("", "any conversation"), ("any", "urgent or emergency"), ("emergency", "emergency only"),
        ("unreviewed", "not reviewed yet")])
    show_greetings = forms.BooleanField(required=False, label="Show greeting-only")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intent"].choices = intent_choices(blank="any intent")
        self.fields["tag"].choices = [("", "any tag")] + [(t.name, t.name) for t in Tag.objects.all()]
        self.fields["below"].initial = settings.CONSOLE_LOW_CONFIDENCE

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The start date is after the end date.")
        return data

    def filter(self, conversations):
        data = valid_fields(self)
        if not data.get("show_greetings"):
            conversations = conversations.filter(greeting_only=False)
        if data.get("date_from"):
            conversations = conversations.filter(started_at__gte=start_of(data["date_from"]))
        if data.get("date_to"):
            conversations = conversations.filter(started_at__lt=start_of(data["date_to"] + dt.timedelta(days=1)))
        if data.get("intent"):
            conversations = conversations.filter(Exists(VisitorMessage.objects.filter(
                conversation=OuterRef("pk"), intent=data["intent"])))
        if data.get("q"):
            conversations = conversations.filter(pk__in=VisitorMessage.objects.filter(
                text__icontains=data["q"].strip()).values("conversation_id"))
        if data.get("tag"):
            conversations = conversations.filter(tags__name=data["tag"])
        if data.get("fallback"):
            conversations = conversations.filter(has_fallback=True)
        if data.get("low_confidence"):
            below = data.get("below")
            conversations = conversations.filter(
                min_confidence__lt=settings.CONSOLE_LOW_CONFIDENCE if below is None else below)
        if data.get("booking"):
            conversations = conversations.filter(Exists(requests_of("booking")))
        if data.get("human"):
            conversations = conversations.filter(Q(human_requested=True) | Exists(requests_of("callback")))
        if data.get("warning") == "any":
            conversations = conversations.exclude(warning_level="")
        elif data.get("warning") == "emergency":
            conversations = conversations.filter(warning_level="emergency")
        elif data.get("warning") == "unreviewed":
            conversations = conversations.filter(attention__gt=0)
        return conversations


def start_of(day: dt.date) -> dt.datetime:
    """Midnight at the clinic (TIME_ZONE): a range of whole days as the clinic counts them."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def requests_of(kind: str):
    return BookingRequest.objects.filter(conversation_id=OuterRef("sender_id"), kind=kind)


class TagsForm(forms.Form):
    tags = forms.CharField(required=False, max_length=400,
                           help_text="Comma-separated, e.g. follow-up, price question")

    def clean_tags(self):
        names = []
        for raw in self.cleaned_data["tags"].split(","):
            name = " ".join(raw.strip().lower().split())
            if not name:
                continue
            if len(name) > 40:
                raise forms.ValidationError(f"A tag has at most 40 characters: “{name[:40]}…”.")
            if name not in names:
                names.append(name)
        if len(names) > 10:
            raise forms.ValidationError("At most 10 tags per conversation.")
        return names


class NoteForm(forms.Form):
    text = forms.CharField(max_length=4000, strip=True, widget=forms.Textarea(attrs={"rows": 3}))
