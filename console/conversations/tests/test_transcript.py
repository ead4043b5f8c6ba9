"""The transcript page, tags, notes and flagging a message."""
import html
import re

import pytest
from django.urls import reverse

from console.conftest import add_conversation, page_of
from console.conversations.event_factory import Turn
from console.conversations.models import Conversation, Note, Tag
from console.conversations.sync import sync
from console.inbox.models import Review


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.mark.server
def test_a_real_booking_conversation_reads_in_order_with_intents_buttons_forms_and_actions(staff_client, real_events):
    conversation = Conversation.objects.get(sender_id=real_events["booking"])
    response = staff_client.get(reverse("conversations:detail", args=[conversation.pk]))
    assert response.status_code == 200
    page = text_of(response)
    order = ["I'd like to book a consultation", "book_appointment", "form: booking_form started",
             "What name should they use?", "Jane Doe", "jane.doe@example.com", "next tuesday at 2pm",
             "Shall I send it to the team?", "Yes, send it", "form: form ended", "action action_submit_booking"]
    positions = [page.find(part) for part in order]
    assert -1 not in positions, dict(zip(order, positions))
    assert positions == sorted(positions)
    assert re.search(r"book_appointment [01]\.\d\d", page)  # predicted intent with its confidence
    assert "slot booking_name = \"Jane Doe\"" in page
    assert "RR-" in page  # the stored request is linked


def test_visitor_html_is_shown_as_text(staff_client, db):
    add_conversation("x", [Turn("<img src=x onerror=alert(1)> <b>hi</b>", "out_of_scope")])
    sync()
    response = staff_client.get(reverse("conversations:detail", args=[Conversation.objects.get().pk]))
    assert b"<img src=x" not in response.content and b"&lt;img src=x onerror=alert(1)&gt;" in response.content


def test_unknown_conversation_is_a_404(staff_client, db):
    assert staff_client.get(reverse("conversations:detail", args=[999])).status_code == 404


def test_tags_are_set_normalised_and_filterable(staff_client, db):
    add_conversation("x", [Turn("price?", "ask_price")])
    sync()
    conversation = Conversation.objects.get()
    response = staff_client.post(reverse("conversations:tags", args=[conversation.pk]),
                                 {"tags": " Follow-up,  price   QUESTION ,follow-up,, "})
    assert response.status_code == 302
    assert sorted(t.name for t in conversation.tags.all()) == ["follow-up", "price question"]
    staff_client.post(reverse("conversations:tags", args=[conversation.pk]), {"tags": "price question"})
    assert [t.name for t in conversation.tags.all()] == ["price question"]
    assert Tag.objects.filter(name="follow-up").exists()  # still offered for other conversations


@pytest.mark.parametrize("tags, error", [("x" * 41, "at most 40 characters"),
                                         (",".join(f"t{i}" for i in range(11)), "At most 10 tags")])
def test_bad_tags_are_refused_with_a_reason(staff_client, db, tags, error):
    add_conversation("x", [Turn("price?", "ask_price")])
    sync()
    conversation = Conversation.objects.get()
    response = staff_client.post(reverse("conversations:tags", args=[conversation.pk]), {"tags": tags}, follow=True)
    assert error in response.content.decode() and not conversation.tags.exists()


def test_notes_keep_their_author_and_reject_empty_text(staff_client, staff_user, db):
    add_conversation("x", [Turn("price?", "ask_price")])
    sync()
    conversation = Conversation.objects.get()
    url = reverse("conversations:note", args=[conversation.pk])
    staff_client.post(url, {"text": "  Called back, prefers mornings 🌅 <script>x</script> "})
    response = staff_client.post(url, {"text": "   "}, follow=True)
    assert "A note needs some text" in response.content.decode()
    note = Note.objects.get()
    assert note.author == staff_user and note.text == "Called back, prefers mornings 🌅 <script>x</script>"
    page = staff_client.get(reverse("conversations:detail", args=[conversation.pk])).content.decode()
    assert "prefers mornings 🌅 &lt;script&gt;" in page and "sam," in page


def test_flagging_a_message_sends_it_to_the_inbox(staff_client, staff_user, db):
    add_conversation("x", [Turn("how many sessions do i need", "ask_pain", confidence=0.97)])
    sync()
    message = Conversation.objects.get().messages.get()
    assert staff_client.get(reverse("inbox:list")).content.count(b"how many sessions") == 0
    response = staff_client.post(reverse("conversations:flag", args=[message.pk]))
    assert response.status_code == 302 and response["Location"].endswith(f"#m{message.pk}")
    review = Review.objects.get(message=message)
    assert review.flagged_by == staff_user and review.state == Review.PENDING
    assert b"how many sessions" in staff_client.get(reverse("inbox:list")).content


def test_each_message_shows_the_model_that_understood_it(staff_client, db, tmp_path, settings):
    import json

    from console.conversations.event_factory import MODEL_ID

    settings.CONSOLE_MODELS_DIR = tmp_path
    add_conversation("x", [Turn("does it hurt", "ask_pain")])
    sync()
    url = reverse("conversations:detail", args=[Conversation.objects.get().pk])
    assert f"model {MODEL_ID[:8]}" in staff_client.get(url).content.decode()  # no promotion record: the id
    (tmp_path / "registry.json").write_text(json.dumps([{"model": "model-abc123.tar.gz", "model_id": MODEL_ID}]))
    assert "model model-abc123.tar.gz" in staff_client.get(url).content.decode()


def test_the_visitor_message_that_carried_warning_signs_shows_their_level_and_signs(staff_client, db):
    add_conversation("x", [Turn("how long is the redness", "ask_downtime"),
                           Turn("it's oozing pus and I feel feverish", "out_of_scope", warning="urgent",
                                signs=["pus", "fever"]),
                           Turn("now my lips swell and I can't breathe", "out_of_scope", warning="emergency",
                                signs=["trouble breathing"])])
    sync()
    page = page_of(staff_client.get(reverse("conversations:detail", args=[Conversation.objects.get().pk])))
    shown = [(li.find("span", cls="bubble").text, [w.text for w in li.find_all("span", cls="warning")])
             for li in page.find("ol", id="transcript").find_all("li", cls="user")]
    assert shown == [
        ("how long is the redness", []),
        ("it's oozing pus and I feel feverish", ["Urgent warning signs: pus, fever"]),
        ("now my lips swell and I can't breathe", ["Emergency warning sign: trouble breathing"]),
    ]
    assert [" ".join(w.classes) for w in page.find("ol", id="transcript").find_all("span", cls="warning")] == [
        "warning urgent", "warning emergency"]
    assert page.find("p", id="warning-summary").text == (
        "Emergency warning signs reported: pus, fever, trouble breathing · not reviewed yet")


def test_no_warning_sign_no_warning_on_the_transcript(staff_client, db):
    add_conversation("x", [Turn("does it hurt", "ask_pain")])
    sync()
    page = page_of(staff_client.get(reverse("conversations:detail", args=[Conversation.objects.get().pk])))
    assert page.find_all(cls="warning") == [] and page.find_all(id="warning-summary") == []
    assert page.find("p", id="review-state").text == "Not reviewed yet."


def test_marking_a_conversation_reviewed_records_who_and_when_and_can_be_undone(staff_client, staff_user, db):
    from django.utils import timezone

    add_conversation("x", [Turn("fever after the treatment", "out_of_scope", warning="urgent", signs=["fever"])])
    sync()
    conversation = Conversation.objects.get()
    url = reverse("conversations:detail", args=[conversation.pk])
    review = page_of(staff_client.get(url)).find("div", id="review")
    assert review.find("p", id="review-state").text == "Not reviewed yet."
    assert review.find("button").text == "Mark reviewed"
    response = staff_client.post(reverse("conversations:review", args=[conversation.pk]), {"reviewed": "1"},
                                 follow=True)
    assert response.redirect_chain[-1][0] == url + "#review"
    conversation.refresh_from_db()
    assert conversation.reviewed_by == staff_user and not conversation.awaiting_review
    assert abs((timezone.now() - conversation.reviewed_at).total_seconds()) < 60
    page = page_of(response)
    when = timezone.localtime(conversation.reviewed_at).strftime("%b %-d, %Y %H:%M")
    assert page.find("ul", cls="flash").text == "Marked reviewed."
    assert page.find("p", id="review-state").text == f"Reviewed by sam, {when}."
    assert page.find("div", id="review").find("button").text == "Mark not reviewed"
    assert page.find("p", id="warning-summary").text == "Urgent warning sign reported: fever"
    # a new warning sign after the review: the page says so and offers to review again
    add_conversation("x", [Turn("the fever is worse", "out_of_scope", warning="urgent", signs=["fever"])])
    page = page_of(staff_client.get(url))
    assert page.find("div", id="review").find("p", cls="error").text == "A warning sign came after this review."
    assert page.find("div", id="review").find("button").text == "Mark reviewed"
    staff_client.post(reverse("conversations:review", args=[conversation.pk]), {"reviewed": "0"})
    conversation.refresh_from_db()
    assert (conversation.reviewed_at, conversation.reviewed_by, conversation.attention) == (None, None, 1)


def test_reviewing_needs_a_post(staff_client, db):
    add_conversation("x", [Turn("fever", "out_of_scope", warning="urgent", signs=["fever"])])
    sync()
    conversation = Conversation.objects.get()
    assert staff_client.get(reverse("conversations:review", args=[conversation.pk])).status_code == 405
    assert staff_client.post(reverse("conversations:review", args=[999])).status_code == 404
    conversation.refresh_from_db()
    assert conversation.reviewed_at is None


def test_a_two_question_message_shows_both_topics_answered(staff_client, db):
    add_conversation("x", [Turn("is it painful, and how long am I red after?", "ask_pain",
                                answers=[{"intent": "ask_pain", "point": None},
                                         {"intent": "ask_downtime", "point": "redness"}]),
                           Turn("thanks", "thank")])
    sync()
    page = page_of(staff_client.get(reverse("conversations:detail", args=[Conversation.objects.get().pk])))
    shown = [[a.text for a in li.find_all("span", cls="answered")]
             for li in page.find("ol", id="transcript").find_all("li", cls="user")]
    assert shown == [["answered ask_pain, ask_downtime/redness"], []]
