"""The console's summary of Rasa's events: from a real Rasa server's conversations and generated ones."""
import json

import pytest

from console.conftest import add_conversation
from console.conversations.event_factory import Turn
from console.conversations.models import Conversation, Event, SyncState, VisitorMessage
from console.conversations.sync import sync


@pytest.mark.server
def test_real_conversations_are_summarised(real_events):
    by_name = {name: Conversation.objects.get(sender_id=sender) for name, sender in real_events.items()}
    assert by_name["greeting_only"].greeting_only and by_name["greeting_only"].visitor_messages == 0
    faq = by_name["faq"]
    assert not faq.greeting_only and faq.visitor_messages == 2 and faq.first_question == "does microneedling hurt?"
    assert faq.channel == "rest"
    pain = faq.messages.get(text="does microneedling hurt?")
    assert pain.intent == "ask_pain" and 0.4 < pain.confidence <= 1 and pain.model_id
    assert by_name["booking"].booking_started and not by_name["booking"].human_requested
    assert by_name["human"].human_requested
    # inside the booking form, the name and email are answers to the form's questions
    assert by_name["booking"].messages.get(text="Jane Doe").in_form


@pytest.mark.server
def test_fallbacks_are_the_messages_the_bot_fell_back_on(real_events):
    rasa_fallbacks = {json.loads(e.data)["text"] for e in Event.objects.filter(
        type_name="user", intent_name="nlu_fallback", sender_id=real_events["fallback"])}
    assert rasa_fallbacks, "the script should contain at least one message below the fallback threshold"
    assert set(VisitorMessage.objects.filter(is_fallback=True).values_list("text", flat=True)) == rasa_fallbacks
    for message in VisitorMessage.objects.filter(is_fallback=True):
        assert message.intent != "nlu_fallback"  # the model's best real guess, for staff to confirm or correct
        assert message.conversation.has_fallback
    # "skip" inside the booking form scores low, but the form takes it: no fallback
    assert not Conversation.objects.get(sender_id=real_events["booking"]).has_fallback


def test_a_low_score_inside_a_form_is_a_fallback_only_when_the_bot_fell_back(db):
    add_conversation("v", [Turn("book", "book_appointment", form="booking_form"),
                           Turn("skip", "deny", confidence=0.2, fallback=True, action="booking_form"),
                           Turn("hmm what", "deny", confidence=0.2, fallback=True)])  # -> action_clarify
    sync(batch_size=8)  # the clarify action lands in a later batch than its message
    messages = {m.text: m for m in VisitorMessage.objects.all()}
    assert not messages["skip"].is_fallback and messages["hmm what"].is_fallback
    assert Conversation.objects.get().has_fallback


def test_sync_is_incremental_and_idempotent(db):
    add_conversation("v1", [Turn("hi", "greet"), Turn("does it hurt", "ask_pain")])
    assert sync() == Event.objects.count()
    assert sync() == 0
    conversation = Conversation.objects.get(sender_id="v1")
    assert conversation.visitor_messages == 2 and conversation.min_confidence == pytest.approx(0.95)
    # the same visitor comes back: the conversation grows, nothing is counted twice
    add_conversation("v1", [Turn("what about downtime", "ask_downtime", confidence=0.3)])
    sync()
    conversation.refresh_from_db()
    assert conversation.visitor_messages == 3 and conversation.min_confidence == pytest.approx(0.3)
    assert VisitorMessage.objects.count() == 3
    assert SyncState.objects.get().last_event_id == Event.objects.order_by("-id").first().id


def test_sync_reads_in_batches(db):
    for i in range(30):
        add_conversation(f"v{i}", [Turn("does it hurt", "ask_pain")])
    assert sync(batch_size=7) == Event.objects.count()
    assert Conversation.objects.count() == 30 and VisitorMessage.objects.count() == 30


def test_greeting_only_and_buttons(db):
    add_conversation("opened-widget", [Turn("/greet", "greet", confidence=1.0)])
    add_conversation("said-hi", [Turn("hello there", "greet")])
    add_conversation("clicked", [Turn("/greet", "greet", 1.0), Turn("/ask_price", "ask_price", 1.0)])
    sync()
    opened, said_hi, clicked = (Conversation.objects.get(sender_id=s) for s in ("opened-widget", "said-hi", "clicked"))
    assert opened.greeting_only and opened.visitor_messages == 0
    assert said_hi.greeting_only and said_hi.visitor_messages == 1
    assert not clicked.greeting_only and clicked.visitor_messages == 1
    assert clicked.messages.get(text="/ask_price").is_button
    assert clicked.min_confidence is None  # button clicks say nothing about the model
    assert clicked.first_question == ""


def test_malformed_event_data_does_not_stop_the_sync(db):
    Event.objects.create(sender_id="broken", type_name="user", timestamp=1.7e9, data="{not json")
    add_conversation("fine", [Turn("does it hurt", "ask_pain")])
    sync()
    assert Conversation.objects.filter(sender_id__in=["broken", "fine"]).count() == 2
    assert VisitorMessage.objects.get(conversation__sender_id="broken").text == ""


def test_on_postgresql_the_newest_events_wait_until_every_earlier_one_is_committed(db, settings):
    """Rasa transactions can commit out of id order there; the sync leaves the newest seconds for later."""
    import datetime as dt

    settings.CONSOLE_SYNC_SETTLE_SECONDS = 30
    now = dt.datetime.now(dt.timezone.utc)
    add_conversation("settled", [Turn("does it hurt", "ask_pain")], start=now - dt.timedelta(minutes=5))
    add_conversation("just-now", [Turn("how much", "ask_price")], start=now - dt.timedelta(seconds=25))
    add_conversation("settled-later-id", [Turn("downtime?", "ask_downtime")], start=now - dt.timedelta(minutes=5))
    sync(batch_size=3)
    # stops at the first unsettled event, even though a later id is old enough: order is kept
    assert set(Conversation.objects.values_list("sender_id", flat=True)) == {"settled"}
    settings.CONSOLE_SYNC_SETTLE_SECONDS = 0
    sync()
    assert VisitorMessage.objects.count() == 3


def test_warning_signs_are_read_per_message_and_the_conversation_keeps_the_highest(db):
    add_conversation("v", [Turn("hi", "greet"),
                           Turn("there is pus and it's hot", "out_of_scope", warning="urgent", signs=["pus", "heat"]),
                           Turn("how long does redness last", "ask_downtime"),
                           Turn("now my throat feels tight", "out_of_scope", warning="emergency",
                                signs=["throat tightness"]),
                           Turn("and more pus", "out_of_scope", warning="urgent", signs=["pus"])])
    sync(batch_size=9)  # the messages arrive in different batches
    messages = [(m.text, m.warning_level, m.warning_signs) for m in VisitorMessage.objects.order_by("event_id")]
    assert messages == [
        ("hi", "", []),
        ("there is pus and it's hot", "urgent", ["pus", "heat"]),
        ("how long does redness last", "", []),
        ("now my throat feels tight", "emergency", ["throat tightness"]),
        ("and more pus", "urgent", ["pus"]),
    ]
    conversation = Conversation.objects.get()
    assert conversation.warning_level == "emergency"  # a later, milder sign does not lower it
    assert conversation.warning_signs == ["pus", "heat", "throat tightness"]
    assert conversation.awaiting_review and conversation.attention == 2


def test_no_warning_key_a_null_level_and_odd_verdicts(db):
    def user_event(sender_id, warning):
        parse = {"intent": {"name": "ask_pain", "confidence": 0.9}, "entities": [], "text": "x",
                 "intent_ranking": [{"name": "ask_pain", "confidence": 0.9}]}
        if warning is not ...:
            parse["warning"] = warning
        Event.objects.create(sender_id=sender_id, type_name="user", timestamp=1.7e9,
                             data=json.dumps({"event": "user", "text": "x", "parse_data": parse}))

    user_event("absent", ...)
    user_event("null-level", {"level": None, "signs": []})
    user_event("not-a-dict", "emergency")
    user_event("unknown-level", {"level": "Severe", "signs": ["  chest   pain ", "chest pain", None, 7]})
    user_event("no-signs", {"level": "EMERGENCY"})
    sync()
    verdicts = {c.sender_id: (c.warning_level, c.warning_signs, c.attention) for c in Conversation.objects.all()}
    assert verdicts == {
        "absent": ("", [], 0),
        "null-level": ("", [], 0),
        "not-a-dict": ("", [], 0),
        # a level the console does not know is still a warning sign: shown as urgent, never dropped
        "unknown-level": ("urgent", ["chest pain", "7"], 1),
        "no-signs": ("emergency", [], 2),
    }


def test_reviewing_is_kept_until_a_new_warning_sign_arrives(db, django_user_model):
    reviewer = django_user_model.objects.create_user("rita", password="rita-staff-password-1")
    add_conversation("v", [Turn("fever since yesterday", "out_of_scope", warning="urgent", signs=["fever"])])
    sync()
    conversation = Conversation.objects.get()
    conversation.mark_reviewed(reviewer)
    add_conversation("v", [Turn("thanks, how much is it", "ask_price")])
    sync()
    conversation.refresh_from_db()
    assert (conversation.attention, conversation.reviewed_by, conversation.warning_level) == (0, reviewer, "urgent")
    add_conversation("v", [Turn("the fever is worse", "out_of_scope", warning="urgent", signs=["fever"])])
    sync()
    conversation.refresh_from_db()
    assert conversation.attention == 1 and conversation.reviewed_by == reviewer  # who reviewed stays on record
    conversation.mark_reviewed(reviewer)
    conversation.mark_not_reviewed()
    conversation.refresh_from_db()
    assert (conversation.attention, conversation.reviewed_at, conversation.reviewed_by) == (1, None, None)


def test_the_upgrade_reads_warning_signs_of_messages_summarised_before_it(db):
    """Migration 0002: messages the previous release summarised (without a warning level) get theirs."""
    import importlib

    from django.apps import apps

    add_conversation("before", [Turn("hello", "greet"),
                                Turn("hi, I can't breathe", "greet", warning="emergency", signs=["trouble breathing"])])
    add_conversation("calm", [Turn("does it hurt", "ask_pain")])
    sync()
    # as the previous release left them
    VisitorMessage.objects.update(warning_level="", warning_signs=[])
    Conversation.objects.update(warning_level="", warning_signs=[], attention=0)
    Conversation.objects.filter(sender_id="before").update(greeting_only=True)
    migration = importlib.import_module("console.conversations.migrations.0002_warning_signs_and_review")
    migration.read_warnings_already_synced(apps, None)
    before, calm = Conversation.objects.get(sender_id="before"), Conversation.objects.get(sender_id="calm")
    assert (before.warning_level, before.warning_signs, before.attention, before.greeting_only) == (
        "emergency", ["trouble breathing"], 2, False)
    assert before.messages.get(text="hi, I can't breathe").warning_level == "emergency"
    assert (calm.warning_level, calm.attention) == ("", 0)
