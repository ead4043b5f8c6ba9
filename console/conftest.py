"""Console test fixtures: accounts, real recorded conversations, generated ones."""
from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Dict, List

import pytest

# Real conversations with the real Rasa server (tests/servers.py), one sender id each.
SCRIPTS: Dict[str, List[str]] = {
    "greeting_only": ["/greet"],
    "faq": ["/greet", "does microneedling hurt?", "how long is the downtime"],
    "fallback": ["blah", "what do you think"],
    "booking": ["I'd like to book a consultation", "Jane Doe", "jane.doe@example.com", "next tuesday at 2pm",
                "skip", "yes"],
    "human": ["can a real person call me?", "Sam Lee", "770-555-0134", "yes"],
}


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("sam", password="sam-staff-password-1")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture(scope="session")
def recorded_conversations(servers) -> Dict[str, str]:
    """Runs SCRIPTS through the real Rasa server once; name -> sender id."""
    senders = {}
    for name, lines in SCRIPTS.items():
        sender = f"console-{name}"
        for line in lines:
            servers.say(sender, line)
        senders[name] = sender
    return senders


@pytest.fixture
def real_events(db, servers, recorded_conversations) -> Dict[str, str]:
    """The rows the real Rasa and action servers wrote for SCRIPTS, copied into the test database."""
    from console.bookings.models import BookingRequest
    from console.conversations.models import Event
    from console.conversations.sync import sync

    path = servers.database_url.split("sqlite:///", 1)[1]
    senders = tuple(recorded_conversations.values())
    marks = ",".join("?" * len(senders))
    with sqlite3.connect(path) as source:
        events = source.execute(f"SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events "
                                f"WHERE sender_id IN ({marks}) ORDER BY id", senders).fetchall()
        requests = source.execute(f"SELECT reference, kind, name, contact, requested_time, requested_time_text, note, "
                                  f"conversation_id, status, created_at, notified FROM booking_requests "
                                  f"WHERE conversation_id IN ({marks})", senders).fetchall()
    Event.objects.bulk_create([Event(sender_id=s, type_name=t, timestamp=ts, intent_name=i, action_name=a, data=d)
                               for s, t, ts, i, a, d in events])
    BookingRequest.objects.bulk_create([
        BookingRequest(reference=r, kind=k, name=n, contact=c, requested_time=rt, requested_time_text=rtt, note=note,
                       conversation_id=cid, status=st,
                       created_at=dt.datetime.fromisoformat(created).replace(tzinfo=dt.timezone.utc), notified=bool(nt))
        for r, k, n, c, rt, rtt, note, cid, st, created, nt in requests])
    sync()
    return recorded_conversations


def add_conversation(sender_id: str, turns, *, start: dt.datetime | None = None, channel: str = "socketio"):
    """Generated Rasa-shaped events for one conversation (console/conversations/event_factory.py)."""
    from console.conversations.event_factory import conversation_events
    from console.conversations.models import Event

    start = start or dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    Event.objects.bulk_create(conversation_events(sender_id, start.timestamp(), turns, channel=channel))
    return sender_id


def add_request(sender_id: str, *, kind: str = "booking", reference: str = "RR-TEST01", name: str = "Jane Doe",
                contact: str = "(770) 555-0134", status: str = "new", created_at: dt.datetime | None = None,
                urgent: bool = False):
    from console.bookings.models import BookingRequest

    return BookingRequest.objects.create(
        reference=reference, kind=kind, name=name, contact=contact, requested_time="2030-01-08T14:00",
        requested_time_text="Tuesday, January 8 at 2pm", note=None, conversation_id=sender_id, status=status,
        created_at=created_at or dt.datetime.now(dt.timezone.utc), notified=False, urgent=urgent)


# ----------------------------------------------------------------------------- reading pages as staff see them

VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    """An element of a rendered page: enough of a DOM to read what a staff member sees."""

    def __init__(self, tag: str, attrs: Dict[str, str], parent: "Node | None" = None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def classes(self) -> List[str]:
        return (self.attrs.get("class") or "").split()

    @property
    def text(self) -> str:
        """The visible text, whitespace collapsed (as a browser shows it)."""
        parts = []

        def walk(node):
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag not in ("script", "style", "datalist"):
                    walk(child)
                    if child.tag == "br":
                        parts.append(" ")
        walk(self)
        return " ".join("".join(parts).split())

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> List["Node"]:
        found = []

        def walk(node):
            for child in node.children:
                if isinstance(child, Node):
                    if ((tag is None or child.tag == tag) and (cls is None or cls in child.classes)
                            and all(child.attrs.get(k) == v for k, v in attrs.items())):
                        found.append(child)
                    walk(child)
        walk(self)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> "Node":
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'}> with class={cls!r} {attrs} on the page"
        return found[0]


def page_of(response) -> Node:
    """The response's HTML as a tree of `Node`s."""
    from html.parser import HTMLParser

    root = Node("#document", {})

    class Builder(HTMLParser):
        current = root

        def handle_starttag(self, tag, attrs):
            node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
            self.current.children.append(node)
            if tag not in VOID_TAGS:
                self.current = node

        def handle_startendtag(self, tag, attrs):
            self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

        def handle_endtag(self, tag):
            node = self.current
            while node is not root and node.tag != tag:  # tolerate an unclosed element
                node = node.parent
            if node is not root:
                self.current = node.parent

        def handle_data(self, data):
            self.current.children.append(data)

    builder = Builder(convert_charrefs=True)
    builder.feed(response.content.decode())
    builder.close()
    return root
