"""The staff e-mail outbox: every notice is written to `staff_outbox` before it is sent, so an SMTP
server that is down loses nothing. A notice that fails is retried with back-off (30 s, 1 min, 2 min …
capped at an hour) by the action server's background task until it goes out; a booking request's
`notified` flag turns true only then, which is what the console's "e-mail not sent" badge reads.

The action server owns this table. Several action-server workers may retry at once: a worker claims
a due row by moving its next attempt forward in one UPDATE, so a notice is sent once.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import smtplib
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Optional

import sqlalchemy as sa

from actions import booking_store

logger = logging.getLogger(__name__)

outbox_table = sa.Table(
    "staff_outbox",
    booking_store.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("message", sa.Text, nullable=False),  # the whole e-mail, headers included
    sa.Column("reference", sa.String(16), index=True),  # the booking request it announces, if any
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("sent_at", sa.DateTime(timezone=True), index=True),
    sa.Column("last_error", sa.String(500)),
)

CLAIM_SECONDS = 120  # a claimed row is left alone this long by other workers (an SMTP send times out at 10 s)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the n-th failed attempt."""
    base = float(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "30"))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def smtp_send(message: EmailMessage) -> None:
    """Send over the configured SMTP server (SMTP_HOST, SMTP_PORT …); raises when it fails."""
    host = os.environ.get("SMTP_HOST", "").strip()
    port = int(os.environ.get("SMTP_PORT", "587"))
    starttls = os.environ.get("SMTP_STARTTLS", "0" if port in (25, 1025) else "1") not in ("0", "false", "no")
    with smtplib.SMTP(host, port, timeout=10) as smtp:
        if starttls:
            smtp.starttls()
        user: Optional[str] = os.environ.get("SMTP_USERNAME")
        if user:
            smtp.login(user, os.environ.get("SMTP_PASSWORD", ""))
        smtp.send_message(message)


def send(message: EmailMessage, reference: Optional[str] = None, url: Optional[str] = None) -> bool:
    """Write the notice to the outbox and try it at once; True when it went out now."""
    now = _now()
    with booking_store.engine(url).begin() as conn:
        row_id = conn.execute(outbox_table.insert().values(
            subject=str(message["Subject"])[:300], message=message.as_string(), reference=reference,
            created_at=now, attempts=0, next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS),
        )).inserted_primary_key[0]
    return _attempt(row_id, message, reference, 0, url)


def _attempt(row_id: int, message: EmailMessage, reference: Optional[str], attempts: int, url: Optional[str]) -> bool:
    try:
        smtp_send(message)
    except (OSError, smtplib.SMTPException) as exc:
        attempts += 1
        wait = backoff(attempts)
        logger.error("could not email staff (%s), attempt %d; retrying in %d s: %s",
                     message["Subject"], attempts, wait.total_seconds(), exc)
        with booking_store.engine(url).begin() as conn:
            conn.execute(outbox_table.update().where(outbox_table.c.id == row_id).values(
                attempts=attempts, next_attempt_at=_now() + wait, last_error=str(exc)[:500]))
        return False
    with booking_store.engine(url).begin() as conn:
        conn.execute(outbox_table.update().where(outbox_table.c.id == row_id).values(
            attempts=attempts + 1, sent_at=_now(), last_error=None))
    if reference:
        booking_store.mark_notified(reference, url)
    logger.info("emailed staff: %s", message["Subject"])
    return True


def retry_due(url: Optional[str] = None) -> int:
    """Try every unsent notice whose next attempt is due; the number sent."""
    now = _now()
    eng = booking_store.engine(url)
    with eng.connect() as conn:
        due = conn.execute(sa.select(outbox_table).where(outbox_table.c.sent_at.is_(None),
                                                          outbox_table.c.next_attempt_at <= now)
                           .order_by(outbox_table.c.next_attempt_at).limit(50)).all()
    sent = 0
    for row in due:
        with eng.begin() as conn:
            claimed = conn.execute(outbox_table.update().where(
                outbox_table.c.id == row.id, outbox_table.c.sent_at.is_(None),
                outbox_table.c.next_attempt_at == row.next_attempt_at,
            ).values(next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))).rowcount
        if claimed:
            message = message_from_string(row.message, policy=policy.default)
            sent += _attempt(row.id, message, row.reference, row.attempts, url)
    return sent


def unsent(url: Optional[str] = None) -> list:
    with booking_store.engine(url).connect() as conn:
        return conn.execute(sa.select(outbox_table).where(outbox_table.c.sent_at.is_(None))).all()


async def retry_forever() -> None:
    """The action server's background task: retry due notices every OUTBOX_POLL_SECONDS (10)."""
    interval = float(os.environ.get("OUTBOX_POLL_SECONDS", "10"))
    if not os.environ.get("SMTP_HOST", "").strip():
        return  # e-mail is off: nothing is ever queued
    while True:
        await asyncio.sleep(interval)
        try:
            await asyncio.to_thread(retry_due)
        except Exception:  # the database may be away for a while: try again next round
            logger.exception("staff outbox retry failed")
