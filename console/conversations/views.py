from django.conf import settings
from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from console.audit.record import Action, ObjectKind, record
from console.bookings.models import BookingRequest
from console.common.roles import admin_required
from console.conversations.deletion import delete_conversation
from console.conversations.forms import ConversationFilter, NoteForm, TagsForm, requests_of
from console.conversations.models import Conversation, Note, Tag, VisitorMessage
from console.conversations.sync import sync
from console.conversations.transcript import model_names, transcript
from console.inbox.models import Review


def conversation_list(request):
    sync()
    form = ConversationFilter(request.GET or None)
    conversations = form.filter(Conversation.objects.all()).annotate(
        has_booking=Exists(requests_of("booking")), has_callback=Exists(requests_of("callback")))
    # warning signs awaiting review first (emergency, then urgent), then newest first
    page = Paginator(conversations.order_by("-attention", "-started_at", "-pk")
                     .select_related("reviewed_by").prefetch_related("tags"),
                     settings.CONSOLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "conversations/list.html", {
        "form": form, "page": page, "low_confidence": settings.CONSOLE_LOW_CONFIDENCE})


def conversation_detail(request, pk: int):
    sync()
    conversation = get_object_or_404(Conversation.objects.select_related("reviewed_by"), pk=pk)
    record(request, Action.VIEWED, ObjectKind.CONVERSATION, conversation.sender_id, "transcript")
    return render(request, "conversations/detail.html", {
        "conversation": conversation,
        "lines": transcript(conversation.sender_id, model_names()),
        "requests": BookingRequest.objects.filter(conversation_id=conversation.sender_id),
        "notes": conversation.notes.select_related("author"),
        "tags_form": TagsForm(initial={"tags": ", ".join(t.name for t in conversation.tags.all())}),
        "note_form": NoteForm(),
        "all_tags": Tag.objects.all(),
    })


@require_POST
@transaction.atomic  # the change and its audit entry commit together
def set_tags(request, pk: int):
    conversation = get_object_or_404(Conversation, pk=pk)
    form = TagsForm(request.POST)
    if form.is_valid():
        conversation.tags.set([Tag.objects.get_or_create(name=name)[0] for name in form.cleaned_data["tags"]])
        record(request, Action.CHANGED, ObjectKind.CONVERSATION, conversation.sender_id,
               "tags: " + (", ".join(form.cleaned_data["tags"]) or "none"))
        flash.success(request, "Tags saved.")
    else:
        flash.error(request, " ".join(form.errors["tags"]))
    return redirect("conversations:detail", pk=pk)


@require_POST
@transaction.atomic  # the change and its audit entry commit together
def add_note(request, pk: int):
    conversation = get_object_or_404(Conversation, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        Note.objects.create(conversation=conversation, author=request.user, text=form.cleaned_data["text"])
        record(request, Action.CHANGED, ObjectKind.CONVERSATION, conversation.sender_id, "note added")
        flash.success(request, "Note added.")
    else:
        flash.error(request, "A note needs some text (at most 4,000 characters).")
    return redirect(reverse("conversations:detail", args=[pk]) + "#notes")


@require_POST
def review(request, pk: int):
    """Mark the conversation reviewed (who and when), or undo that ("reviewed": "0")."""
    with transaction.atomic():
        conversation = get_object_or_404(Conversation.objects.select_for_update(), pk=pk)
        if request.POST.get("reviewed") == "0":
            conversation.mark_not_reviewed()
            flash.success(request, "Marked not reviewed.")
        else:
            conversation.mark_reviewed(request.user)
            flash.success(request, "Marked reviewed.")
        record(request, Action.CHANGED, ObjectKind.CONVERSATION, conversation.sender_id,
               "marked not reviewed" if request.POST.get("reviewed") == "0" else "marked reviewed")
    return redirect(reverse("conversations:detail", args=[pk]) + "#review")


@require_POST
@transaction.atomic  # the change and its audit entry commit together
def flag_message(request, pk: int):
    """Staff say the bot answered this message wrongly: it goes to the inbox."""
    message = get_object_or_404(VisitorMessage.objects.select_related("conversation"), pk=pk)
    review, _ = Review.objects.get_or_create(message=message)
    review.state = Review.PENDING
    review.flagged_by, review.flagged_at = request.user, timezone.now()
    review.save()
    record(request, Action.CHANGED, ObjectKind.CORRECTION, message.pk,
           f"flagged for correction (conversation {message.conversation.sender_id})")
    flash.success(request, "Sent to the inbox for correction.")
    return redirect(reverse("conversations:detail", args=[message.conversation_id]) + f"#m{message.pk}")


@require_POST
@admin_required
@transaction.atomic  # no deletion without its audit entry
def delete(request, pk: int):
    conversation = get_object_or_404(Conversation, pk=pk)
    references = list(BookingRequest.objects.filter(conversation_id=conversation.sender_id)
                      .values_list("reference", flat=True))
    deleted = delete_conversation(conversation.sender_id)
    record(request, Action.DELETED, ObjectKind.CONVERSATION, conversation.sender_id,
           f"{deleted.events} events and {deleted.requests} requests removed")
    for reference in references:
        record(request, Action.DELETED, ObjectKind.REQUEST, reference, f"with its conversation {conversation.sender_id}")
    flash.success(request, f"Conversation deleted: {deleted.events} events and {deleted.requests} requests removed.")
    return redirect("conversations:list")
