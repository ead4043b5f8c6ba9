"""Rasa's socket.io channel with input checks and conversation history.

Registered in credentials.yml as `rasa_extensions.guarded_socketio.GuardedSocketIOInput`
with the same keys as the stock `socketio` channel (event names, session_persistence, ...),
and it keeps the name `socketio`, so messages, responses and other socket.io clients of the
channel (e.g. botfront's rasa-webchat 1.x: session_request / session_confirm /
user_uttered / bot_uttered) work as before. Two things are added:

1. A bad user message (not an object, message missing / null / not a string / empty or
   whitespace, longer than the REST channel allows, no session_id while session
   persistence is on, metadata that is not an object) is answered with an `error` event to that socket only,
   `{"code": 400, "message": "..."}`, instead of a traceback or a silent drop. A message
   Rasa fails to process gets `{"code": 503, ...}`.
2. With session persistence on, a `session_request` that names an existing session_id is answered as before
   (`session_confirm`), then with a `history` event: the earlier messages of that
   conversation, read from Rasa's tracker store (the server's record, not the browser's),
   as a list of `{"sender": "user"|"bot", "text": ..., "buttons": [{"title", "payload"}]?,
   "image": url?}` in order. A button click is shown by its title, and payloads the widget
   sent on its own (the "/greet" that opens a conversation) are left out.

How the channel reaches the tracker store: Rasa builds the channel's blueprint before the
agent exists and hands it only `on_new_message`. The agent lives on the Sanic app
(`app.ctx.agent`, set by Rasa when the model is loaded, replaced when a new model is loaded),
so the blueprint registers a `before_server_start` listener that keeps a reference to the
app, and the history handler looks up `app.ctx.agent.tracker_store` when it runs.

The stock handlers are reused, not copied: `blueprint()` builds the stock blueprint and then
wraps its `session_request` and user-message handlers.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from socketio import packet as socketio_packet
from sanic import Blueprint, Sanic

from rasa_extensions.channel_input import clean_metadata, clean_text, id_problem, text_problem
from rasa_extensions.store_trouble import ConversationStoreUnavailable, trouble_replies

logger = logging.getLogger(__name__)

ERROR_EVENT = "error"
# A socket.io packet's header: type, binary attachments, namespace, call id (the JSON after it may be unreadable).
PACKET_HEADER = re.compile(r"^\d(?:\d+-)?(?:(/[^,]*),)?(\d+)?")
HISTORY_EVENT = "history"
MAX_HISTORY_MESSAGES = 200


def message_problem(data: Any, needs_session_id: bool, metadata_key: str = "metadata") -> Optional[str]:
    """Why a user-message event can't be processed, or None when it can (rasa_extensions/channel_input.py)."""
    if not isinstance(data, dict):
        return "the message must be an object like {\"message\": \"hi\", \"session_id\": \"...\"}"
    problem = text_problem(data.get("message"))
    if problem:
        return problem
    if needs_session_id:
        if data.get("session_id") is None:
            return "'session_id' is missing: send a session_request first and use the id it confirms"
        problem = id_problem(data.get("session_id"), "session_id")
        if problem:
            return problem
    return clean_metadata(data.get(metadata_key))[1]


def session_id_problem(data: Any) -> Optional[str]:
    if data is None or not isinstance(data, dict):
        return None  # the stock handler starts a new session
    session_id = data.get("session_id")
    if session_id is None:
        return None
    return id_problem(session_id, "session_id")


def history_from_events(events: List[Dict[str, Any]], limit: int = MAX_HISTORY_MESSAGES) -> List[Dict[str, Any]]:
    """What the visitor saw, from a tracker's events (as dicts), split like the channel sends it."""
    messages: List[Dict[str, Any]] = []
    offered: Dict[str, str] = {}  # payload -> title of the buttons last shown
    for event in events:
        kind = event.get("event")
        if kind == "restart":
            messages, offered = [], {}
        elif kind == "user":
            text = event.get("text") or ""
            if text.startswith("/"):
                if text not in offered:
                    continue  # sent by the widget itself, e.g. the opening "/greet"
                text = offered[text]
            if text.strip():
                messages.append({"sender": "user", "text": text})
        elif kind == "bot":
            data = event.get("data") or {}
            text = (event.get("text") or "").strip()
            buttons = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                       for b in (data.get("buttons") or data.get("quick_replies") or []) if isinstance(b, dict)]
            if buttons:
                offered = {b["payload"]: b["title"] for b in buttons}
            parts = [part for part in text.split("\n\n") if part.strip()] if text else []
            for part in parts:
                messages.append({"sender": "bot", "text": part})
            if buttons:
                if not parts:
                    messages.append({"sender": "bot", "text": ""})
                messages[-1]["buttons"] = buttons
            image = data.get("image")
            if isinstance(image, str) and image:
                messages.append({"sender": "bot", "text": "", "image": image})
    return messages[-limit:]


class GuardedSocketIOInput(SocketIOInput):
    app: Optional[Sanic] = None  # the Sanic app, kept when the server starts (see the module doc)

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        namespace = self.namespace or "/"
        handlers = sio.handlers[namespace]
        stock_session_request = handlers["session_request"]
        stock_handle_message = handlers[self.user_message_evt]

        @socketio_webhook.listener("before_server_start")
        async def keep_app(app: Sanic, _loop: Any) -> None:
            self.app = app

        async def refuse(sid: Text, code: int, reason: str) -> None:
            await sio.emit(ERROR_EVENT, {"code": code, "message": reason}, room=sid, namespace=self.namespace)

        async def session_request(sid: Text, data: Any = None, *extra: Any) -> None:
            problem = session_id_problem(data)
            if problem:
                await refuse(sid, 400, problem)
                return
            existing = data.get("session_id") if isinstance(data, dict) else None
            await stock_session_request(sid, data if isinstance(data, dict) else None)
            if existing and self.session_persistence:  # without it, a conversation is one socket
                await sio.emit(HISTORY_EVENT, await self.history(existing), room=sid, namespace=self.namespace)

        async def handle_message(sid: Text, data: Any = None, *extra: Any) -> None:
            problem = "a user message is one object" if extra else \
                message_problem(data, self.session_persistence, self.metadata_key)
            if problem:
                logger.debug("refused a socket.io message from %s: %s", sid, problem)
                await refuse(sid, 400, problem)
                return
            data = {**data, "message": clean_text(data["message"])}
            if self.metadata_key in data:
                data[self.metadata_key] = clean_metadata(data[self.metadata_key])[0] or {}
            try:
                await stock_handle_message(sid, data)
            except ConversationStoreUnavailable:  # said, not silence; the message is not processed
                for text in await trouble_replies(self.app.ctx.agent, data["message"]):
                    await sio.emit(self.bot_message_evt, {"text": text}, room=sid, namespace=self.namespace)
            except Exception:  # logged; the visitor gets a clear, retryable answer
                logger.exception("could not process a socket.io message from %s", sid)
                await refuse(sid, 503, "the assistant could not process the message; please try again")

        stock_read_packet = sio._handle_eio_message

        async def read_packet(eio_sid: Text, data: Any) -> None:
            """python-socketio's packet reader, which must not stay stuck on a packet it can't read: a binary
            message nested ~1,000 deep raises RecursionError while its attachments are put back, the half-read
            packet is kept, and every later message of that visitor is taken as one of its attachments."""
            pending = sio._binary_packet.get(eio_sid)
            try:
                await stock_read_packet(eio_sid, data)
            except (RecursionError, ValueError) as error:
                sio._binary_packet.pop(eio_sid, None)
                logger.warning("refused a socket.io packet that could not be read: %r", error)
                header = PACKET_HEADER.match(data) if isinstance(data, str) else None
                namespace = (pending.namespace if pending is not None else header and header.group(1)) or "/"
                call_id = pending.id if pending is not None else header and header.group(2)
                if call_id is not None:  # the client waits for this call's answer
                    await sio._send_packet(eio_sid, sio.packet_class(
                        socketio_packet.ACK, namespace=namespace, data=[], id=int(call_id)))
                sid = sio.manager.sid_from_eio_sid(eio_sid, namespace)
                if sid:
                    await refuse(sid, 400, "the message could not be read")

        sio.eio.on("message", read_packet)
        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return socketio_webhook

    async def history(self, session_id: Text) -> List[Dict[str, Any]]:
        agent = getattr(self.app.ctx, "agent", None) if self.app else None
        if agent is None or agent.tracker_store is None:
            return []
        try:
            tracker = await agent.tracker_store.retrieve_full_tracker(session_id)
        except (Exception, ConversationStoreUnavailable):  # history is a courtesy: the conversation goes on
            logger.exception("could not read the history of %s", session_id)
            return []
        if tracker is None:
            return []
        return history_from_events([event.as_dict() for event in tracker.events])
