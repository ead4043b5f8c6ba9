"""Telling the staff about a new request: email over SMTP when configured, a log line otherwise.

SMTP settings come from the environment (never from a committed file):
SMTP_HOST, SMTP_PORT (default 587), SMTP_USERNAME, SMTP_PASSWORD,
SMTP_STARTTLS (default on unless the port is 25 or 1025), SMTP_FROM.
The recipient is `booking.notify_email` in the clinic profile (or NOTIFY_EMAIL).
Every notice goes through the outbox (actions/staff_outbox.py), which retries one that fails.
"""
from __future__ import annotations

import logging
import os
import smtplib
from email.message import EmailMessage
from typing import Optional

from sqlalchemy.exc import SQLAlchemyError

from actions import staff_outbox
from actions.booking_store import BookingRequest
from actions.clinic_profile import ClinicProfile

logger = logging.getLogger(__name__)


def compose(request: BookingRequest, profile: ClinicProfile, recipient: str, sender: str) -> EmailMessage:
    message = EmailMessage()
    what = {"booking": "Booking request", "change": "Change request (existing appointment)"}.get(
        request.kind, "Callback request")
    if request.urgent:
        what = "Urgent " + what.lower()
    message["Subject"] = f"[{profile.name}] {what} {request.reference} from {request.name}"
    message["From"] = sender
    message["To"] = recipient
    lines = [
        f"{what} {request.reference} (status: {request.status})",
        "",
        f"Name:      {request.name}",
        f"Contact:   {request.contact}",
    ]
    if request.contact_preference:
        lines.append(f"Contact preference: {request.contact_preference}")
    if request.requested_time_text:
        lines.append(f"Requested: {request.requested_time_text}")
    if request.note:
        lines.append(f"Note:      {request.note}")
    lines += ["", f"Conversation: {request.conversation_id}",
              "The visitor was told the team will confirm; nothing is booked until you do."]
    message.set_content("\n".join(lines))
    return message


def _smtp_target(profile: ClinicProfile) -> tuple[str, str]:
    """(SMTP host, staff address); either is "" when not configured."""
    return (os.environ.get("SMTP_HOST", "").strip(),
            profile.notify_email or os.environ.get("NOTIFY_EMAIL", "").strip())


def notify_staff(request: BookingRequest, profile: ClinicProfile) -> bool:
    """Send the notice through the outbox; True when an email went out now (a failed one is retried,
    and the request's `notified` flag turns true when it goes). Never raises: the request is stored."""
    host, recipient = _smtp_target(profile)
    if not host or not recipient:
        logger.info("new %s request %s stored (email notice off: SMTP_HOST or notify_email not set)",
                    request.kind, request.reference)
        return False
    sender = os.environ.get("SMTP_FROM", "").strip() or recipient
    return _send(compose(request, profile, recipient, sender), request.reference)


def _send(message: EmailMessage, reference: Optional[str] = None) -> bool:
    try:
        return staff_outbox.send(message, reference)
    except SQLAlchemyError:  # the outbox is away: send without it, once, rather than not at all
        logger.exception("staff outbox unavailable; sending %s directly", message["Subject"])
        try:
            staff_outbox.smtp_send(message)
            return True
        except (OSError, smtplib.SMTPException) as exc:
            logger.error("could not email staff (%s): %s", message["Subject"], exc)
            return False


def alert_staff(conversation_id: str, level: str, signs: list, profile: ClinicProfile) -> bool:
    """E-mail the staff at once that a visitor reported warning signs. The subject carries no health
    details (it shows in notification previews); the body names the signs and the conversation."""
    host, recipient = _smtp_target(profile)
    if not host or not recipient:
        logger.warning("a visitor reported warning signs in %s (email notice off)", conversation_id)
        return False
    message = EmailMessage()
    message["Subject"] = f"[{profile.name}] A visitor reported warning signs"
    message["From"] = os.environ.get("SMTP_FROM", "").strip() or recipient
    message["To"] = recipient
    message.set_content("\n".join([
        f"A visitor described {'an emergency' if level == 'emergency' else 'warning signs'} in the chat: "
        f"{', '.join(signs)}.",
        "They were told to " + ("call 911." if level == "emergency" else
                                "contact the provider who treated them or a doctor today, and offered an urgent call-back."),
        "",
        f"Conversation: {conversation_id}",
        "The staff console lists it first, marked urgent, until someone reviews it.",
    ]))
    return _send(message)
