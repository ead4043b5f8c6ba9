"""Rasa's SQL tracker store, configured by one URL (`DATABASE_URL`), that fails loudly.

Rasa's own `type: SQL` takes dialect/host/db/... as separate keys and needs every
environment variable it names to be set; this subclass reads the same URL as the
booking store (actions/settings.py), so the default install needs no settings at
all (a SQLite file in var/) and Postgres is one variable away.

When the database can't be reached, Rasa's FailSafeTrackerStore (which wraps every tracker
store) would log the error and carry on with a new, in-memory conversation: the visitor's
context is gone and whatever they say meanwhile is never stored (RasaHQ/rasa#3243). Here the
store fails loudly instead: the error escapes the wrapper (`ConversationStoreUnavailable` is a
BaseException, which it does not catch), the channels answer "having trouble, please call …"
(rasa_extensions/store_trouble.py), and nothing is processed until the database is back, when the
conversation goes on from what was stored. A dropped connection is retried once first (the pool
then opens a new one).
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Optional, TypeVar

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from actions.settings import database_url
from rasa_extensions.store_trouble import ConversationStoreUnavailable

logger = logging.getLogger(__name__)
T = TypeVar("T")


class UrlSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Optional[Domain] = None, host: Optional[str] = None,
                 event_broker: Optional[EventBroker] = None, **kwargs: Any) -> None:
        url = make_url(database_url())
        super().__init__(
            domain=domain, dialect=url.drivername, host=url.host, port=url.port, db=url.database,
            username=url.username, password=url.password, event_broker=event_broker,
            query=dict(url.query) or None,
        )

    async def _guarded(self, call: Callable[[], Awaitable[T]]) -> T:
        for attempt in (1, 2):
            try:
                return await call()
            except (OperationalError, DBAPIError) as error:
                if attempt == 1 and getattr(error, "connection_invalidated", False):
                    continue  # a connection the database dropped: the pool has a fresh one now
                logger.error("the conversation store is unavailable: %s", error)
                raise ConversationStoreUnavailable(str(error)) from error
        raise AssertionError("unreachable")

    async def retrieve(self, sender_id):
        return await self._guarded(lambda: super(UrlSQLTrackerStore, self).retrieve(sender_id))

    async def retrieve_full_tracker(self, conversation_id):
        return await self._guarded(lambda: super(UrlSQLTrackerStore, self).retrieve_full_tracker(conversation_id))

    async def save(self, tracker):
        return await self._guarded(lambda: super(UrlSQLTrackerStore, self).save(tracker))

    async def keys(self):
        return await self._guarded(lambda: super(UrlSQLTrackerStore, self).keys())
