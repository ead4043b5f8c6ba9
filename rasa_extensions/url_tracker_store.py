"""Rasa's SQL tracker store, configured by one URL (`DATABASE_URL`).

Rasa's own `type: SQL` takes dialect/host/db/... as separate keys and needs every
environment variable it names to be set; this subclass reads the same URL as the
booking store (actions/settings.py), so the default install needs no settings at
all (a SQLite file in var/) and Postgres is one variable away.
"""
from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url

from actions.settings import database_url


class UrlSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Optional[Domain] = None, host: Optional[str] = None,
                 event_broker: Optional[EventBroker] = None, **kwargs: Any) -> None:
        url = make_url(database_url())
        super().__init__(
            domain=domain, dialect=url.drivername, host=url.host, port=url.port, db=url.database,
            username=url.username, password=url.password, event_broker=event_broker,
            query=dict(url.query) or None,
        )
