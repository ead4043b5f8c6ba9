"""The tables the console reads but does not own: Rasa's `events` (tracker store) and the
action server's `booking_requests`.

Their schema is defined where they are written (Rasa's SQLTrackerStore and
actions/booking_store.py), in SQLAlchemy. The console's migrations create them from those
very definitions when they are missing (a fresh database, or the console started before
the first conversation), so the Rasa server later finds them as it would have made them.
"""
from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateColumn, CreateIndex, CreateTable

DIALECTS = {"sqlite": sqlite.dialect, "postgresql": postgresql.dialect}


def ensure_table(schema_editor, table: Table) -> None:
    connection = schema_editor.connection
    if table.name in connection.introspection.table_names():
        return
    try:
        dialect = DIALECTS[connection.vendor]()
    except KeyError:
        raise RuntimeError(f"the console supports SQLite and PostgreSQL, not {connection.vendor}") from None
    schema_editor.execute(str(CreateTable(table).compile(dialect=dialect)))
    for index in table.indexes:
        schema_editor.execute(str(CreateIndex(index).compile(dialect=dialect)))


def add_missing_columns(schema_editor, table: Table) -> None:
    """Columns the owner's definition has and an existing table lacks (made by an earlier
    release), added as the owner adds them (actions/booking_store.py `upgrade`)."""
    connection = schema_editor.connection
    if table.name not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        present = {c.name for c in connection.introspection.get_table_description(cursor, table.name)}
    dialect = DIALECTS[connection.vendor]()
    for column in table.columns:
        if column.name not in present:
            ddl = CreateColumn(column).compile(dialect=dialect)
            schema_editor.execute(f"ALTER TABLE {table.name} ADD COLUMN {ddl}")


def rasa_events_table() -> Table:
    from rasa.core.tracker_store import SQLTrackerStore  # heavy import: migrations only

    return SQLTrackerStore.SQLEvent.__table__


def booking_requests_table() -> Table:
    from actions.booking_store import requests_table

    return requests_table


def create_if_missing(table_factory):
    """A migration step creating the shared table when it is missing (nothing to undo: it isn't ours)."""
    def create(apps, schema_editor):
        ensure_table(schema_editor, table_factory())
    return create


def add_columns_if_missing(table_factory):
    """A migration step adding the owner's new columns to a shared table made before them."""
    def add(apps, schema_editor):
        add_missing_columns(schema_editor, table_factory())
    return add
