"""Rasa's REST channel with input checks, registered as `rest` in credentials.yml.

The stock channel answers a body that is not a JSON object with a 500, files
messages without a sender under one shared "default" conversation (visitors
would see each other's context), and replies `[]` to an empty message.  Here
each of those gets a 400 with a JSON reason, as does input outside the limits of
rasa_extensions/channel_input.py (shared with the socket.io channel).  With the
conversation store away, the reply is a 503 whose body is still a list of bot
messages (the trouble message, rasa_extensions/store_trouble.py).
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_extensions.channel_input import clean_metadata, clean_text, id_problem, read_json, text_problem
from rasa_extensions.store_trouble import ConversationStoreUnavailable, trouble_replies

logger = logging.getLogger(__name__)

def problem_with(body: Any) -> Optional[str]:
    """Why a webhook body can't be processed, or None when it can."""
    if not isinstance(body, dict):
        return "the body must be a JSON object like {\"sender\": \"visitor-id\", \"message\": \"hi\"}"
    return id_problem(body.get("sender"), "sender") or text_problem(body.get("message")) \
        or clean_metadata(body.get("metadata"))[1]


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
                body = read_json(request.body or b"")
            except (ValueError, UnicodeDecodeError):
                return response.json({"error": "the body is not valid JSON"}, status=400)
            reason = problem_with(body)
            if reason:
                return response.json({"error": reason}, status=400)
            collector = CollectingOutputChannel()
            message = UserMessage(clean_text(body["message"]), collector, body["sender"].strip(),
                                  input_channel=self.name(), metadata=clean_metadata(body.get("metadata"))[0])
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
