"""Whole conversations through the real Rasa server, action server and database
(REST channel): what a visitor sees and what the clinic receives."""
import uuid

import pytest

from actions import booking_store

pytestmark = pytest.mark.server


def text_of(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def new_sender() -> str:
    return f"visitor-{uuid.uuid4().hex[:8]}"


def stored_requests(servers, sender):
    rows = booking_store.requests_for_conversation(sender, url=servers.database_url)
    return [(r.kind, r.name, r.contact, r.requested_time, r.note, r.status) for r in rows]


def test_booking_with_every_question_asked(servers):
    sender = new_sender()
    assert "What name" in text_of(servers.say(sender, "I'd like to book an appointment"))
    assert "phone number or email" in text_of(servers.say(sender, "Dana Whitfield"))
    assert "What day and time" in text_of(servers.say(sender, "dana.w@example.com"))
    assert "Anything you'd like the provider to know" in text_of(servers.say(sender, "next wednesday after 5"))
    readback = text_of(servers.say(sender, "mostly acne scars on my cheeks"))
    assert "Dana Whitfield" in readback and "dana.w@example.com" in readback and "at 5pm" in readback
    assert "acne scars" in readback and "Shall I send it" in readback
    assert stored_requests(servers, sender) == [], "nothing is stored before the visitor confirms"
    done = text_of(servers.say(sender, "yes please"))
    assert "RR-" in done and "isn't a confirmed appointment" in done
    rows = stored_requests(servers, sender)
    assert len(rows) == 1
    kind, name, contact, when, note, status = rows[0]
    assert (kind, name, contact, note, status) == ("booking", "Dana Whitfield", "dana.w@example.com",
                                                    "mostly acne scars on my cheeks", "new")
    assert when.endswith("T17:00")


def test_details_in_the_first_message_are_not_asked_again(servers):
    sender = new_sender()
    reply = text_of(servers.say(sender, "can I come in next tuesday at 3pm, I'm Sarah 770-555-0134"))
    assert "Anything you'd like the provider to know" in reply
    assert "What name" not in reply and "phone number" not in reply


def test_faq_and_out_of_scope_inside_the_form_then_resume(servers):
    sender = new_sender()
    servers.say(sender, "book me in please")
    servers.say(sender, "Tom")
    faq = text_of(servers.say(sender, "wait, does it hurt?"))
    assert "numbing cream" in faq and "phone number or email" in faq  # answered, then asked again
    oos = text_of(servers.say(sender, "what's the weather like in atlanta"))
    assert "outside what I can help with" in oos and "phone number or email" in oos


def test_correction_and_confirmation(servers):
    sender = new_sender()
    servers.say(sender, "I want to schedule a consultation, I'm Kim, 404-555-0199, friday at 10am")
    readback = text_of(servers.say(sender, "skip"))
    assert "(404) 555-0199" in readback
    corrected = text_of(servers.say(sender, "wait, the number is 678-555-0123"))
    assert "(678) 555-0123" in corrected and "Shall I send it" in corrected
    servers.say(sender, "yes")
    assert [r[2] for r in stored_requests(servers, sender)] == ["(678) 555-0123"]


def test_never_mind_submits_nothing(servers):
    sender = new_sender()
    servers.say(sender, "can I book for tomorrow at 2pm, I'm Lee 770-555-0111")
    reply = text_of(servers.say(sender, "never mind, cancel that"))
    assert "Nothing was sent" in reply
    assert stored_requests(servers, sender) == []


def test_repeated_invalid_answers_end_in_a_callback_offer(servers):
    sender = new_sender()
    servers.say(sender, "I'd like to book")
    servers.say(sender, "Alex")
    servers.say(sender, "12")
    servers.say(sender, "999")
    reply = text_of(servers.say(sender, "5"))
    assert "having trouble" in reply and "contact you instead" in reply
    assert stored_requests(servers, sender) == []


def test_request_human_creates_a_callback_request(servers):
    sender = new_sender()
    reply = text_of(servers.say(sender, "can a real person call me back?"))
    assert "What name" in reply
    servers.say(sender, "Morgan")
    read_back = text_of(servers.say(sender, "404 555 0100"))
    assert "Morgan" in read_back and "(404) 555-0100" in read_back and "Shall I send it" in read_back
    done = text_of(servers.say(sender, "yes"))
    assert "contact you at (404) 555-0100" in done
    assert stored_requests(servers, sender) == [("callback", "Morgan", "(404) 555-0100", None, None, "new")]


def test_medical_question_gets_general_information_not_clearance(servers):
    text = text_of(servers.say(new_sender(), "I'm on blood thinners, can I still get microneedling?"))
    assert text.startswith("Blood thinners, a bleeding disorder or bruising easily are important to mention")
    assert "Please don't stop or change any medicine" in text and "consultation" in text
    assert "911" not in text


def test_complication_is_sent_to_a_clinician(servers):
    text = text_of(servers.say(new_sender(), "it's been 3 days since my microneedling and there's pus and I have a fever"))
    assert text.startswith("What you're describing isn't part of the usual healing after microneedling")
    assert "contact the provider who treated you, or a doctor, today" in text and "(770) 555-0100" in text


def test_conversation_survives_a_server_restart(servers):
    sender = new_sender()
    servers.say(sender, "I'd like to book")
    servers.say(sender, "Robin")
    servers.stop_rasa()
    servers.start_rasa()
    reply = text_of(servers.say(sender, "robin@example.com"))
    assert "What day and time" in reply  # the form carried on where it was

