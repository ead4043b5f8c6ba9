from django import forms
from django.conf import settings
from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from console.audit.record import Action, ObjectKind, record
from console.common.forms import valid_fields
from console.common.intents import domain_intents, intent_choices
from console.conversations.models import VisitorMessage
from console.conversations.sync import sync
from console.inbox import export
from console.inbox.models import Review
from console.inbox.queries import REASONS, decided, waiting


class InboxFilter(forms.Form):
    reason = forms.ChoiceField(required=False, choices=REASONS)
    intent = forms.ChoiceField(required=False, choices=())
    done = forms.BooleanField(required=False, label="Show decided")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intent"].choices = intent_choices(blank="any predicted intent")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "confirm"), ("label", "label"), ("dismiss", "dismiss"),
                                          ("reopen", "reopen")])
    intent = forms.ChoiceField(required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intent"].choices = intent_choices(blank="-")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "label" and not data.get("intent"):
            raise forms.ValidationError("Pick the intent the message should have had.")
        return data


def inbox(request):
    sync()
    form = InboxFilter(request.GET or None)
    data = valid_fields(form)
    messages = decided() if data.get("done") else waiting(data.get("reason", ""))
    if data.get("intent"):
        messages = messages.filter(intent=data["intent"])
    order = "-review__decided_at" if data.get("done") else "-sent_at"
    page = Paginator(messages.select_related("conversation", "review").order_by(order, "-pk"),
                     settings.CONSOLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inbox/inbox.html", {
        "form": form, "page": page, "intents": domain_intents(), "waiting_count": waiting().count(),
        "threshold": settings.CONSOLE_LOW_CONFIDENCE})


@require_POST
@transaction.atomic  # the decision and its audit entry commit together
def decide(request, pk: int):
    message = get_object_or_404(VisitorMessage.objects.select_related("conversation"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        flash.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        review, _ = Review.objects.get_or_create(message=message)
        decision = form.cleaned_data["decision"]
        if decision == "reopen":
            review.state, review.intent, review.decided_by, review.decided_at = Review.PENDING, "", None, None
            flash.success(request, "Back in the inbox.")
        else:
            review.state = Review.DISMISSED if decision == "dismiss" else Review.LABELLED
            review.intent = {"confirm": message.intent, "label": form.cleaned_data["intent"]}.get(decision, "")
            review.decided_by, review.decided_at = request.user, timezone.now()
            flash.success(request, f"“{message.text[:60]}” → {review.intent}." if review.intent else "Dismissed.")
        review.save()
        outcome = {"confirm": f"confirmed as {review.intent}", "label": f"labelled as {review.intent}",
                   "dismiss": "dismissed", "reopen": "reopened"}[decision]
        record(request, Action.CHANGED, ObjectKind.CORRECTION, message.pk,
               f"{outcome} (conversation {message.conversation.sender_id})")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "inbox:list"
    return redirect(target)


def download(request):
    """The corrections file as `make corrections` would write it, without touching the server's data/."""
    result = export.build(export.labelled_messages(), settings.CONSOLE_CORRECTIONS_FILE)
    record(request, Action.EXPORTED, ObjectKind.CORRECTION, "",
           f"corrections.yml: {result.total} examples, {result.added} new")
    response = HttpResponse(export.render(result), content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="corrections.yml"'
    response["X-Corrections-Added"] = str(result.added)
    response["X-Corrections-Conflicts"] = str(len(result.conflicts))
    return response
