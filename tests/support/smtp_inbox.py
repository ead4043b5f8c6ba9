"""A real local SMTP server (aiosmtpd) that keeps every message it receives, for the tests that
check what the staff are sent."""
from __future__ import annotations

import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Callable, List, Optional

from aiosmtpd.controller import Controller

from scripts.local_servers import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: List[EmailMessage] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def start(self) -> "Inbox":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def env(self) -> dict:
        """The environment that points the action server at this inbox."""
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.port), "SMTP_STARTTLS": "0",
                "SMTP_FROM": "assistant@clinic.test"}

    def matching(self, predicate: Callable[[EmailMessage], bool]) -> List[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if predicate(m)]

    def wait_for(self, predicate: Callable[[EmailMessage], bool], timeout: float = 5) -> List[EmailMessage]:
        deadline = time.monotonic() + timeout
        while True:
            found = self.matching(predicate)
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.1)


def body_of(message: EmailMessage) -> str:
    part: Optional[EmailMessage] = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""
