"""The shared tables the console creates, or brings up to date, from their owners' definitions."""
import pytest
import sqlalchemy as sa
from django.db import connection

from console.common.tracker_tables import add_missing_columns, booking_requests_table, ensure_table

NAME = "console_test_old_requests"


@pytest.fixture
def old_table(transactional_db):
    """A `booking_requests` as a release before `urgent` made it, with a request in it."""
    current = booking_requests_table()
    old = sa.Table(NAME, sa.MetaData(), *[sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
                                          for c in current.columns if c.name != "urgent"])
    with connection.schema_editor() as editor:
        ensure_table(editor, old)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {NAME} (reference, kind, name, contact, conversation_id, status, created_at, "
                       f"notified) VALUES ('RR-OLD001', 'callback', 'Jo', '770-555-0100', 'v', 'new', "
                       f"'2026-01-05 10:00:00', FALSE)")
    yield current.to_metadata(sa.MetaData(), name=NAME)
    with connection.schema_editor() as editor:
        editor.execute(f"DROP TABLE {NAME}")


def columns():
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, NAME)]


def test_the_new_column_is_added_to_a_table_made_before_it_and_old_rows_are_not_urgent(old_table):
    assert "urgent" not in columns()
    with connection.schema_editor() as editor:
        add_missing_columns(editor, old_table)
        add_missing_columns(editor, old_table)  # twice: nothing left to add
    assert columns()[-1] == "urgent"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT reference, urgent FROM {NAME}")
        assert [(reference, bool(urgent)) for reference, urgent in cursor.fetchall()] == [("RR-OLD001", False)]


def test_the_console_migrations_made_the_shared_table_with_the_column(db):
    from console.bookings.models import BookingRequest

    with connection.cursor() as cursor:
        present = [c.name for c in connection.introspection.get_table_description(cursor, "booking_requests")]
    assert "urgent" in present
    assert {f.column for f in BookingRequest._meta.fields} <= set(present)
