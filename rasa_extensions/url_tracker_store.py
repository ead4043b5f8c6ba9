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
then opens a new one). Any other error of the store (a text the database can't encode) is reported
the same way rather than forking the conversation.
"""
from __future__ import annotations

import contextlib
import logging
from typing import Any, Awaitable, Callable, Generator, Optional, TypeVar

import rasa.shared.utils.cli

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

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

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """Rasa's, except that only a missing PostgreSQL schema stops the server: Rasa's turns every
        ValueError in a session (a text the database can't encode, say) into an exit of the process."""
        session = self.sessionmaker()
        try:
            try:
                ensure_schema_exists(session)
            except ValueError as error:
                rasa.shared.utils.cli.print_error_and_exit(f"Requested PostgreSQL schema '{error}' was not found "
                                                           "in the database. Exiting application.")
            yield session
        finally:
            session.close()

    async def _guarded(self, call: Callable[[], Awaitable[T]]) -> T:
        for attempt in (1, 2):
            try:
                return await call()
            except (SQLAlchemyError, ValueError) as error:
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
