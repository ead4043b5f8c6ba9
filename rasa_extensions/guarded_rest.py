"""Rasa's REST channel with input checks, registered as `rest` in credentials.yml.

The stock channel answers a body that is not a JSON object with a 500, files
messages without a sender under one shared "default" conversation (visitors
would see each other's context), and replies `[]` to an empty message.  Here
each of those gets a 400 with a JSON reason; everything else goes to Rasa
unchanged, except NUL characters, which PostgreSQL cannot store.  With the
conversation store away, the reply is a 503 whose body is still a list of bot
messages (the trouble message, rasa_extensions/store_trouble.py).
"""
from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_extensions.store_trouble import ConversationStoreUnavailable, trouble_replies

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 10_000
MAX_SENDER_CHARS = 128


def text_problem(message: Any) -> Optional[str]:
    """Why a visitor's message text can't be processed (shared with the socket.io channel)."""
    if not isinstance(message, str):
        return "'message' must be a string"
    if not message.replace("\x00", "").strip():
        return "'message' is empty"
    if len(message) > MAX_MESSAGE_CHARS:
        return f"'message' is longer than {MAX_MESSAGE_CHARS} characters"
    return None


def problem_with(body: Any) -> Optional[str]:
    """Why a webhook body can't be processed, or None when it can."""
    if not isinstance(body, dict):
        return "the body must be a JSON object like {\"sender\": \"visitor-id\", \"message\": \"hi\"}"
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip():
        return "'sender' must be a non-empty string identifying the conversation"
    if len(sender) > MAX_SENDER_CHARS:
        return f"'sender' is longer than {MAX_SENDER_CHARS} characters"
    return text_problem(message)


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError):
                return response.json({"error": "the body is not valid JSON"}, status=400)
            reason = problem_with(body)
            if reason:
                return response.json({"error": reason}, status=400)
            collector = CollectingOutputChannel()
            message = UserMessage(body["message"].replace("\x00", ""), collector, body["sender"].strip(),
                                  input_channel=self.name(), metadata=self.get_metadata(request))
            try:
                await on_new_message(message)
            except ConversationStoreUnavailable:  # said, not silence; the message is not processed
                said = await trouble_replies(request.app.ctx.agent, message.text)
                return response.json([{"recipient_id": message.sender_id, "text": text} for text in said], status=503)
            except Exception:  # logged; the visitor gets a clear, retryable answer
                logger.exception("could not process a message from %s", message.sender_id)
                return response.json({"error": "the assistant could not process the message; please try again"},
                                     status=503)
            return response.json(collector.messages)

        return webhook
