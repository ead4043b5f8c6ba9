"""The Rasa server's socket.io channel (rasa_extensions/guarded_socketio.py), talked to by a
plain python-socketio client the way other widgets (e.g. botfront's rasa-webchat 1.x) do."""
import queue
import uuid

import pytest
import socketio

from rasa_extensions.guarded_socketio import history_from_events, message_problem

class Client:
    """A socket.io client that records every event it receives, in order."""

    def __init__(self, url: str):
        self.events: "queue.Queue[tuple]" = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        for name in ("session_confirm", "bot_uttered", "history", "error"):
            self.sio.on(name, lambda data=None, name=name: self.events.put((name, data)))
        self.sio.connect(url, transports=["websocket"], socketio_path="socket.io", wait_timeout=10)

    def next(self, name: str, timeout: float = 30):
        while True:
            event, data = self.events.get(timeout=timeout)
            if event == name:
                return data

    def replies(self, quiet: float = 1.5) -> list:
        """Bot messages until the bot has been quiet for `quiet` seconds."""
        out = []
        try:
            out.append(self.next("bot_uttered"))
            while True:
                event, data = self.events.get(timeout=quiet)
                if event == "bot_uttered":
                    out.append(data)
        except queue.Empty:
            return out

    def none_pending(self, wait: float = 1.0) -> list:
        try:
            return [self.events.get(timeout=wait)]
        except queue.Empty:
            return []

    def close(self):
        self.sio.disconnect()


@pytest.fixture
def client(guarded_channel):
    servers = guarded_channel
    made = []

    def connect():
        made.append(Client(servers.rasa_url))
        return made[-1]
    yield connect
    for c in made:
        c.close()


@pytest.mark.server
def test_rasa_webchat_style_session_and_message(client):
    c = client()
    c.sio.emit("session_request", {"session_id": None})
    session = c.next("session_confirm")
    assert isinstance(session, str) and len(session) >= 16
    assert c.none_pending() == [], "a new conversation gets no history event"
    c.sio.emit("user_uttered", {"message": "does it hurt?", "customData": {"language": "en"}, "session_id": session})
    replies = c.replies()
    assert any("numbing" in r.get("text", "") for r in replies)
    assert any(r.get("quick_replies") for r in replies)


@pytest.mark.parametrize("data, reason", [
    ({"message": ""}, "empty"), ({"message": "   \n"}, "empty"), ({"message": None}, "must be a string"),
    ({"message": 42}, "must be a string"), ({}, "must be a string"), ("hello", "must be an object"),
    (None, "must be an object"), ({"message": "hi", "metadata": "not json"}, "metadata"),
])
@pytest.mark.server
def test_bad_messages_get_a_400_error_event(client, data, reason):
    c = client()
    c.sio.emit("session_request", {"session_id": None})
    session = c.next("session_confirm")
    if isinstance(data, dict):
        data = {**data, "session_id": session}
    c.sio.emit("user_uttered", data)
    error = c.next("error", timeout=10)
    assert error["code"] == 400 and reason in error["message"]
    c.sio.emit("user_uttered", {"message": "hi", "session_id": session})
    assert c.replies(), "the connection still works after a refused message"


@pytest.mark.server
def test_a_message_without_session_id_gets_an_error_not_silence(client):
    c = client()
    c.sio.emit("session_request", {"session_id": None})
    c.next("session_confirm")
    c.sio.emit("user_uttered", {"message": "hi"})
    error = c.next("error", timeout=10)
    assert error["code"] == 400 and "session_id" in error["message"]


@pytest.mark.server
def test_a_bad_session_id_is_refused(client):
    c = client()
    c.sio.emit("session_request", {"session_id": 12})
    assert c.next("error", timeout=10)["code"] == 400


@pytest.mark.server
def test_history_of_an_existing_session(client):
    first = client()
    session = f"test-{uuid.uuid4().hex}"
    first.sio.emit("session_request", {"session_id": session})
    assert first.next("session_confirm") == session
    assert first.next("history") == [], "an unknown id has an empty history"
    first.sio.emit("user_uttered", {"message": "/greet", "session_id": session})
    first.replies()
    first.sio.emit("user_uttered", {"message": "/ask_pain", "session_id": session})  # the "Does it hurt?" button
    first.replies()
    first.sio.emit("user_uttered", {"message": "how long is the downtime", "session_id": session})
    first.replies()
    first.close()

    again = client()
    again.sio.emit("session_request", {"session_id": session})
    assert again.next("session_confirm") == session
    history = again.next("history")
    senders = [m["sender"] for m in history]
    assert senders[0] == "bot" and "virtual assistant" in history[0]["text"], "the greeting, without /greet"
    assert {"title": "Does it hurt?", "payload": "/ask_pain"} in history[0]["buttons"]
    users = [m["text"] for m in history if m["sender"] == "user"]
    assert users == ["Does it hurt?", "how long is the downtime"], "a button click shows as its title"
    assert any("numbing" in m["text"] for m in history)
    assert history[-1]["sender"] == "bot" and "Downtime is minimal" in history[-1]["text"], "the last answer last"

    # bot messages sent to the same conversation reach every socket in its room
    again.sio.emit("user_uttered", {"message": "thanks!", "session_id": session})
    assert again.replies()


def test_history_from_events_mirrors_the_channel():
    events = [
        {"event": "user", "text": "/greet"},
        {"event": "bot", "text": "Hi!\n\nWhat would you like?", "data": {"buttons": [
            {"title": "Price", "payload": "/ask_price"}]}},
        {"event": "user", "text": "/ask_price"},
        {"event": "bot", "text": "It depends.", "data": {"image": "https://example.com/a.png"}},
        {"event": "user", "text": "<b>hi</b>"},
        {"event": "action", "name": "action_listen"},
    ]
    assert history_from_events(events) == [
        {"sender": "bot", "text": "Hi!"},
        {"sender": "bot", "text": "What would you like?", "buttons": [{"title": "Price", "payload": "/ask_price"}]},
        {"sender": "user", "text": "Price"},
        {"sender": "bot", "text": "It depends."},
        {"sender": "bot", "text": "", "image": "https://example.com/a.png"},
        {"sender": "user", "text": "<b>hi</b>"},
    ]
    assert history_from_events(events + [{"event": "restart"}]) == []
    assert len(history_from_events([{"event": "user", "text": f"m{i}"} for i in range(300)], limit=200)) == 200


def test_message_problem_unit():
    assert message_problem({"message": "hi", "session_id": "s"}, True) is None
    assert message_problem({"message": "hi"}, False) is None
    assert "session_id" in message_problem({"message": "hi", "session_id": "  "}, True)
    assert "longer" in message_problem({"message": "x" * 10_001, "session_id": "s"}, True)
    assert message_problem({"message": "hi", "session_id": "s", "metadata": '{"a": 1}'}, True) is None
