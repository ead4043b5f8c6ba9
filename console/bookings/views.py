import csv
import os

from django.conf import settings
from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from console.audit.record import Action, ObjectKind, record
from console.bookings.forms import QueueFilter, StatusForm
from console.bookings.models import OPEN_STATUSES, BookingRequest, StatusChange
from console.common.forms import valid_fields
from console.conversations.models import Conversation
from console.conversations.sync import sync


def _conversation_ids(sender_ids) -> dict:
    return dict(Conversation.objects.filter(sender_id__in=set(sender_ids)).values_list("sender_id", "pk"))


def queue_order(requests):
    """Open urgent requests (a warning sign was reported) first, then newest first."""
    return requests.annotate(urgent_open=Case(
        When(Q(urgent=True, status__in=OPEN_STATUSES), then=Value(1)), default=Value(0), output_field=IntegerField(),
    )).order_by("-urgent_open", "-created_at", "-id")


def queue(request):
    sync()
    form = QueueFilter(request.GET or None)
    page = Paginator(queue_order(form.filter(BookingRequest.objects.all())),
                     settings.CONSOLE_PAGE_SIZE).get_page(request.GET.get("page"))
    links = _conversation_ids(r.conversation_id for r in page)
    for item in page:
        item.conversation_pk = links.get(item.conversation_id)
    # With e-mail set up, a request whose staff notice has not gone out yet (the outbox retries it) is marked.
    email_on = bool(os.environ.get("SMTP_HOST", "").strip())
    return render(request, "bookings/queue.html", {"form": form, "page": page, "email_on": email_on,
                                                   "not_sent": requests_not_sent()})


def requests_not_sent(limit: int = 50) -> list:
    """Conversations where the assistant could not send a request (the action server was down) and none
    came in from them afterwards: the details are in the transcript, for staff to follow up."""
    told = Conversation.objects.filter(request_not_sent_at__isnull=False).order_by("-request_not_sent_at")[:limit]
    return [c for c in told if not BookingRequest.objects.filter(
        conversation_id=c.sender_id, created_at__gte=c.request_not_sent_at).exists()]


def detail(request, pk: int):
    item = get_object_or_404(BookingRequest, pk=pk)
    if request.method == "POST":
        form = StatusForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                item = BookingRequest.objects.select_for_update().get(pk=pk)
                StatusChange.objects.create(request=item, old_status=item.status, new_status=form.cleaned_data["status"],
                                            note=form.cleaned_data["note"], changed_by=request.user)
                record(request, Action.CHANGED, ObjectKind.REQUEST, item.reference,
                       f"status {item.status} → {form.cleaned_data['status']}")
                item.status = form.cleaned_data["status"]
                item.save(update_fields=["status"])
            flash.success(request, f"{item.reference} is now “{item.status_label}”.")
            return redirect("bookings:detail", pk=pk)
    else:
        form = StatusForm(initial={"status": item.status})
    # the full name and contact are on this page
    record(request, Action.VIEWED, ObjectKind.REQUEST, item.reference, "request details")
    conversation = Conversation.objects.filter(sender_id=item.conversation_id).first()
    item.conversation_pk = conversation.pk if conversation else None
    return render(request, "bookings/detail.html", {
        "conversation": conversation,
        "item": item, "form": form, "changes": item.changes.select_related("changed_by")})


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """A spreadsheet would run a cell starting with = + - @ as a formula: defuse it."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(request):
    form = QueueFilter(request.GET or None)
    requests = form.filter(BookingRequest.objects.order_by("created_at", "id"))
    filters = ", ".join(f"{name}: {value}" for name, value in valid_fields(form).items() if value) or "no filter"
    record(request, Action.EXPORTED, ObjectKind.REQUEST, "", f"CSV of {requests.count()} requests ({filters})")
    writer = csv.writer(_Echo())
    header = ["reference", "kind", "status", "name", "contact", "requested_time", "requested_time_text", "note",
              "contact_preference", "created_at", "conversation_id", "urgent"]

    def rows():
        yield writer.writerow(header)
        for item in requests.iterator():
            yield writer.writerow([_cell(x) for x in (
                item.reference, item.kind, item.status, item.name, item.contact, item.requested_time,
                item.requested_time_text, item.note, item.contact_preference, timezone.localtime(item.created_at).isoformat(),
                item.conversation_id, "yes" if item.urgent else "no")])

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="requests-{stamp}.csv"'
    return response
