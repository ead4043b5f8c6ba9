"""Booking and callback requests, stored with SQLAlchemy.

SQLite by default (the same file as Rasa's tracker store), any SQLAlchemy URL by
`DATABASE_URL` (tested against PostgreSQL).  Writing is idempotent: the same
request from the same conversation makes one row, however often the
confirmation is delivered.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Dict, List, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from actions import settings

metadata = sa.MetaData()

requests_table = sa.Table(
    "booking_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(16), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),  # "booking", "callback" or "change" (an existing appointment)
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("contact", sa.String(320), nullable=False),
    # The time preference: the earliest start it allows (ISO, clinic time zone, for sorting the
    # queue) and the readable preference, as read back to the visitor.
    sa.Column("requested_time", sa.String(32)),
    sa.Column("requested_time_text", sa.String(200)),
    sa.Column("note", sa.Text),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("status", sa.String(32), nullable=False, default="new", index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("notified", sa.Boolean, nullable=False, default=False),
    # The visitor reported a warning sign in this conversation: staff call back first.
    sa.Column("urgent", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    # How and when the visitor wants to be contacted ("texts only please", "after 5pm").
    sa.Column("contact_preference", sa.String(200)),
)

# Columns added after the first release, by `upgrade` on tables created before them.
_ADDED_COLUMNS = ("urgent", "contact_preference")

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


@dataclass(frozen=True)
class BookingRequest:
    reference: str
    kind: str
    name: str
    contact: str
    requested_time: Optional[str]
    requested_time_text: Optional[str]
    note: Optional[str]
    conversation_id: str
    status: str
    created_at: dt.datetime
    notified: bool
    urgent: bool = False
    contact_preference: Optional[str] = None
    created: bool = False  # True when this call inserted the row


def reference_for(kind: str, conversation_id: str, name: str, contact: str, requested_time: Optional[str]) -> str:
    """Deterministic reference code: a repeated confirmation maps to the same row."""
    digest = hashlib.sha256("|".join([kind, conversation_id, name.lower(), contact.lower(), requested_time or ""]).encode()).digest()
    return "RR-" + "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:6])


_engines: Dict[str, sa.engine.Engine] = {}


def engine(url: Optional[str] = None) -> sa.engine.Engine:
    url = url or settings.database_url()
    if url not in _engines:
        connect_args = {"timeout": 15} if url.startswith("sqlite") else {}
        eng = sa.create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)
        metadata.create_all(eng)
        upgrade(eng)
        _engines[url] = eng
    return _engines[url]


def upgrade(eng: sa.engine.Engine) -> None:
    """Add the columns a table made by an earlier version lacks (this module owns the table)."""
    present = {c["name"] for c in sa.inspect(eng).get_columns("booking_requests")}
    with eng.begin() as conn:
        for name in _ADDED_COLUMNS:
            if name not in present:
                column = requests_table.c[name]
                ddl = sa.schema.CreateColumn(column).compile(dialect=eng.dialect)
                conn.execute(sa.text(f"ALTER TABLE booking_requests ADD COLUMN {ddl}"))


def _row_to_request(row, created: bool = False) -> BookingRequest:
    data = dict(row._mapping)
    data.pop("id", None)
    return BookingRequest(**data, created=created)


def create_request(*, kind: str, name: str, contact: str, conversation_id: str,
                   requested_time: Optional[str] = None, requested_time_text: Optional[str] = None,
                   note: Optional[str] = None, urgent: bool = False, contact_preference: Optional[str] = None, url: Optional[str] = None,
                   now: Optional[dt.datetime] = None) -> BookingRequest:
    """Insert the request, or return the existing one if it was already stored."""
    reference = reference_for(kind, conversation_id, name, contact, requested_time)
    values = dict(
        reference=reference, kind=kind, name=name[:200], contact=contact[:320],
        requested_time=requested_time, requested_time_text=requested_time_text,
        note=(note or None) and note[:2000], conversation_id=conversation_id[:255], status="new",
        created_at=now or dt.datetime.now(dt.timezone.utc), notified=False, urgent=urgent,
        contact_preference=(contact_preference or None) and contact_preference[:200],
    )
    eng = engine(url)
    try:
        with eng.begin() as conn:
            conn.execute(requests_table.insert().values(**values))
        created = True
    except IntegrityError:
        created = False
    with eng.connect() as conn:
        row = conn.execute(sa.select(requests_table).where(requests_table.c.reference == reference)).one()
    return _row_to_request(row, created=created)


def mark_notified(reference: str, url: Optional[str] = None) -> None:
    with engine(url).begin() as conn:
        conn.execute(requests_table.update().where(requests_table.c.reference == reference).values(notified=True))


def requests_for_conversation(conversation_id: str, url: Optional[str] = None) -> List[BookingRequest]:
    with engine(url).connect() as conn:
        rows = conn.execute(sa.select(requests_table)
                            .where(requests_table.c.conversation_id == conversation_id)
                            .order_by(requests_table.c.created_at)).all()
    return [_row_to_request(r) for r in rows]
