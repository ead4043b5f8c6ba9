"""`make bench-console`: how fast the staff console serves its pages on a busy clinic's data.

What it does, in a FRESH database (a temporary SQLite file, or a throw-away PostgreSQL
database with --database-url; the project's own database is never touched):

1. migrates (which also creates Rasa's `events` and the action server's `booking_requests`);
2. generates N conversations (default 10,000, about 200,000 Rasa events) spread over the last
   90 days with `console.conversations.event_factory`: greetings only, FAQ questions, button
   clicks, fallbacks, unsure answers, booking and callback forms, phone numbers and emails, and
   booking requests for about 5% of them. A fixed seed makes every run the same data;
3. times the first `sync()` (Rasa's events -> the console's summary tables), a one-off;
4. times the pages staff use through the whole Django stack (middleware, login, the sync check
   every page makes, the queries, the templates): the conversation list and its filters, a
   late page, transcripts, the inbox, the request queue and the overview. Each URL gets one
   warm-up request (its queries are counted) and then --repeat timed ones: p50 / p95 / max.

Why django.test.Client rather than HTTP against `make run`: it runs the same code a real
request runs, minus sockets and the WSGI server, so the figures are the server's own time with
no network noise and no second process to start; what they leave out (a few ms of HTTP) is
the same for every page. The goal: p95 under 300 ms for every list, filtered list and transcript
(the overview is reported, not held to it). A page answering anything but 200 fails the run
(exit status 1). With --explain, pages over the goal get their slowest queries and plans.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import secrets
import shutil
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple
from urllib.parse import urlsplit, urlunsplit

LIMIT_MS = 300.0
SEED = 20261126
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"

# ----------------------------------------------------------------------------- options


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench_console",
        description="Console page speed on generated data in a fresh, throw-away database.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--database-url", metavar="URL",
                        help="a PostgreSQL server, e.g. " + PG_DEFAULT + ": the database it names is only used "
                             "to CREATE and DROP a fresh bench_console_<random> database, where the benchmark "
                             "runs. Default: a temporary SQLite file")
    parser.add_argument("--conversations", type=int, default=10000, help="conversations to generate")
    parser.add_argument("--days", type=int, default=90, help="spread the conversations over this many past days")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per URL (after one warm-up)")
    parser.add_argument("--transcripts", type=int, default=5,
                        help="random transcripts to time (plus the longest conversation)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed of the generated data")
    parser.add_argument("--explain", action="store_true",
                        help="for pages whose p95 misses the goal: print their slowest queries and query plans")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (its URL is printed)")
    args = parser.parse_args(argv)
    if args.database_url and not args.database_url.startswith("postgres"):
        parser.error("--database-url takes a postgresql:// URL (SQLite is the default)")
    if args.conversations < 1 or args.repeat < 1 or args.days < 1:
        parser.error("--conversations, --repeat and --days must be positive")
    return args


# ----------------------------------------------------------------------------- the database


@dataclass
class Database:
    url: str
    describe: str
    cleanup: Callable[[], None]


def sqlite_database(keep: bool) -> Database:
    folder = tempfile.mkdtemp(prefix="bench_console_")
    path = os.path.join(folder, "bench.db")

    def cleanup():
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)

    return Database(f"sqlite:///{path}", f"SQLite {path}", cleanup)


def postgres_database(server_url: str, keep: bool) -> Database:
    """CREATE DATABASE bench_console_<random> through the server URL's own database; DROP it at the end."""
    import sqlalchemy as sa

    name = f"bench_console_{secrets.token_hex(4)}"
    parts = urlsplit(server_url.replace("postgresql+psycopg2://", "postgresql://"))
    admin = sa.create_engine(urlunsplit(parts), isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def cleanup():
        if not keep:
            from django.db import connections

            connections.close_all()
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    url = urlunsplit(parts._replace(path="/" + name))
    return Database(url, f"PostgreSQL {parts.hostname}:{parts.port or 5432}/{name}", cleanup)


def configure_django(database_url: str) -> None:
    """Settings read DATABASE_URL when imported: the environment must be right before django.setup()."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "console.site.settings"
    os.environ["CONSOLE_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    import django

    django.setup()


def database_size() -> int:
    from django.db import connection

    if connection.vendor == "sqlite":
        path = connection.settings_dict["NAME"]
        return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


# ----------------------------------------------------------------------------- generated conversations

QUESTIONS = {
    "ask_what_is_microneedling": ["what is microneedling exactly?", "how does microneedling work",
                                  "what's collagen induction therapy", "can you explain microneedling to me"],
    "ask_collagen": ["does it really boost collagen?", "how does it help collagen", "collagen production?"],
    "ask_texture_scars": ["will it help my acne scars", "does it work on old scars?", "can it fix rough skin texture"],
    "ask_hyperpigmentation": ["does it help dark spots", "I have melasma, would this help?",
                              "what about hyperpigmentation on my cheeks"],
    "ask_product_absorption": ["do serums absorb better after?", "what do you put on the skin after needling"],
    "ask_downtime": ["how long is the downtime", "can I go to work the next day?", "how red will I be after"],
    "ask_pain": ["does microneedling hurt?", "will it hurt a lot", "is it painful", "does it hurt more than a facial",
                 "my friend said it hurts, is that true"],
    "ask_sessions_results": ["how many sessions would I need", "when will I see results", "how long do results last"],
    "ask_suitability": ["is it safe for dark skin?", "can I do it while pregnant", "I'm on accutane, can I have it",
                        "is it ok for rosacea"],
    "ask_price": ["how much does it cost", "what's the price per session", "do you have package deals?",
                  "price for 3 sessions?"],
    "ask_location_hours": ["where are you located", "are you open on saturday", "what are your hours",
                           "is there parking near the clinic"],
    "bot_challenge": ["am I talking to a bot?", "are you a real person"],
    "out_of_scope": ["do you do botox", "what's the weather like", "can you recommend a dermatologist for my son",
                     "do you sell gift cards"],
    "affirm": ["yes", "yes please", "sure"],
    "deny": ["no", "no thanks", "not really"],
    "thank": ["thanks!", "thank you so much", "great, thanks"],
    "goodbye": ["bye", "ok bye", "have a nice day"],
    "greet": ["hi", "hello there", "good morning"],
    "stop": ["never mind", "stop", "cancel that"],
    "book_appointment": ["I'd like to book a consultation", "can I book an appointment", "book me in please"],
    "request_human": ["can a real person call me?", "I want to talk to someone", "please have someone call me"],
    "inform": ["Jordan", "tuesday", "after 5pm"],
}
FAQ_INTENTS = [i for i in QUESTIONS if i.startswith("ask_")]
FLOW_INTENTS = {"greet", "inform", "book_appointment", "request_human", "stop"}
NAMES = ["Jane Doe", "Sam Lee", "Maria Garcia", "Aisha Khan", "Tom O'Brien", "Li Wei", "Priya Patel", "Chris Jones"]
TIMES = ["next tuesday at 2pm", "friday morning", "tomorrow at 10", "any weekday after 5", "saturday 11am"]
BUTTONS = [{"title": "Prices", "payload": "/ask_price"}, {"title": "Book", "payload": "/book_appointment"}]


def phone(rng: random.Random) -> str:
    return rng.choice(["{}-555-{:04d}", "({}) 555-{:04d}", "+1 {} 555 {:04d}"]).format(
        rng.choice([404, 470, 678, 770]), rng.randint(100, 9999))


def email(rng: random.Random, name: str) -> str:
    return f"{name.split()[0].lower()}.{rng.randint(1, 99)}@{rng.choice(['example.com', 'mail.example.org'])}"


@dataclass
class Plan:
    sender_id: str
    start: float
    seconds_between: float
    turns: list
    channel: str = "socketio"
    request: Optional[Tuple[str, str, str, Optional[str]]] = None  # kind, name, contact, time text

    @property
    def end(self) -> float:
        return self.start + self.seconds_between * len(self.turns)


class ConversationMaker:
    """Plans one realistic conversation at a time from a seeded random generator."""

    def __init__(self, rng: random.Random, intents: List[str], now: float, days: int):
        from console.conversations.event_factory import Turn

        self.rng, self.Turn, self.now, self.days = rng, Turn, now, days
        self.faq = [i for i in intents if i.startswith("ask_")] or FAQ_INTENTS
        # the rest of the domain, except the intents that only make sense where the flows below put them
        self.others = [i for i in intents if not i.startswith("ask_") and i not in FLOW_INTENTS] or self.faq

    def plan(self) -> Plan:
        rng = self.rng
        plan = Plan(sender_id="%032x" % rng.getrandbits(128),
                    start=self.now - rng.uniform(600, self.days * 86400 - 600),
                    seconds_between=rng.uniform(6, 45), turns=[],
                    channel="socketio" if rng.random() < 0.9 else "rest")
        if plan.channel == "socketio":
            plan.turns.append(self.Turn("/greet", "greet", confidence=1.0, buttons=BUTTONS))
        if rng.random() < 0.2:  # the widget opened, nobody typed
            if not plan.turns:
                plan.turns.append(self.Turn("hi", "greet", confidence=0.99))
            return plan
        if rng.random() < 0.15:
            plan.turns.append(self.typed("greet"))
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
            plan.turns.append(self.question())
        roll = rng.random()
        if roll < 0.075:
            self.booking_form(plan)
        elif roll < 0.105:
            self.callback_form(plan)
        if rng.random() < 0.3:
            plan.turns.append(self.typed(rng.choice(["thank", "goodbye"])))
        return plan

    def question(self):
        rng = self.rng
        intent = rng.choice(self.faq) if rng.random() < 0.85 else rng.choice(self.others)
        roll = rng.random()
        if roll < 0.1:  # a quick-reply button
            return self.Turn(f"/{intent}", intent, confidence=1.0)
        if roll < 0.18:  # the NLU fallback fired: the bot asked to rephrase
            return self.Turn(self.text(intent), intent, confidence=round(rng.uniform(0.15, 0.39), 3), fallback=True,
                             reply="Sorry, I didn't get that. Could you rephrase?")
        if roll < 0.3:  # answered, but unsure
            return self.Turn(self.text(intent), intent, confidence=round(rng.uniform(0.4, 0.6), 3))
        return self.Turn(self.text(intent), intent, confidence=round(rng.uniform(0.7, 0.995), 3),
                         action=f"utter_{intent}" if intent.startswith("ask_") else "action_answer")

    def text(self, intent: str) -> str:
        rng = self.rng
        text = rng.choice(QUESTIONS.get(intent) or [intent.replace("_", " ")])
        if rng.random() < 0.04:
            text += f", you can reach me at {phone(rng) if rng.random() < 0.5 else email(rng, rng.choice(NAMES))}"
        return text[0].upper() + text[1:] if rng.random() < 0.5 else text

    def typed(self, intent: str, form: Optional[str] = None, action: str = "action_answer", low: bool = False):
        confidence = round(self.rng.uniform(0.3, 0.7) if low else self.rng.uniform(0.8, 0.99), 3)
        return self.Turn(self.text(intent), intent, confidence=confidence, form=form, action=action)

    def answer(self, text: str, form: str):
        """A bare answer to a form's question: scored low, read by the form itself."""
        return self.Turn(text, "inform", confidence=round(self.rng.uniform(0.3, 0.9), 3), action=form)

    def booking_form(self, plan: Plan) -> None:
        rng, Turn = self.rng, self.Turn
        name, time_text = rng.choice(NAMES), rng.choice(TIMES)
        contact = phone(rng) if rng.random() < 0.6 else email(rng, name)
        plan.turns.append(self.typed("book_appointment", form="booking_form", action="booking_form"))
        plan.turns += [self.answer(name, "booking_form"), self.answer(contact, "booking_form")]
        if rng.random() < 0.2:  # a question in the middle of the form
            plan.turns.append(self.Turn(self.text("ask_pain"), "ask_pain", confidence=0.9, action="booking_form"))
        plan.turns.append(self.answer(time_text, "booking_form"))
        if rng.random() < 0.65:
            plan.turns.append(Turn("yes", "affirm", confidence=0.98, form="-", action="action_submit_booking"))
            plan.request = ("booking", name, contact, time_text)
        else:
            plan.turns.append(self.typed("stop", form="-", action="action_deactivate_loop"))

    def callback_form(self, plan: Plan) -> None:
        rng, Turn = self.rng, self.Turn
        name = rng.choice(NAMES)
        contact = phone(rng)
        plan.turns.append(self.typed("request_human", form="callback_form", action="callback_form"))
        plan.turns += [self.answer(name, "callback_form"), self.answer(contact, "callback_form")]
        if rng.random() < 0.8:
            plan.turns.append(Turn("yes", "affirm", confidence=0.97, form="-", action="action_submit_callback"))
            plan.request = ("callback", name, contact, None)
        else:
            plan.turns.append(self.typed("deny", form="-", action="action_deactivate_loop"))


def booking_request(plan: Plan, rng: random.Random):
    from actions.booking_store import reference_for
    from console.bookings.models import BookingRequest

    kind, name, contact, time_text = plan.request
    reference = reference_for(kind, plan.sender_id, name, contact, time_text)  # as the action server makes it
    created = dt.datetime.fromtimestamp(plan.end, tz=dt.timezone.utc)
    requested = (created + dt.timedelta(days=rng.randint(1, 10))).date().isoformat() if time_text else None
    status = rng.choices(["new", "contacted", "booked", "declined", "no_answer"], [30, 20, 30, 10, 10])[0]
    return BookingRequest(reference=reference, kind=kind, name=name, contact=contact, requested_time=requested,
                          requested_time_text=time_text, note=None, conversation_id=plan.sender_id, status=status,
                          created_at=created, notified=rng.random() < 0.9)


def generate(conversations: int, days: int, seed: int) -> Tuple[int, int]:
    """Inserts the events (in time order, as Rasa appends them) and the requests; returns their counts."""
    from console.bookings.models import BookingRequest
    from console.common.intents import domain_intents
    from console.conversations.event_factory import conversation_events
    from console.conversations.models import Event

    rng = random.Random(seed)
    maker = ConversationMaker(rng, domain_intents(), time.time(), days)
    plans = sorted((maker.plan() for _ in range(conversations)), key=lambda p: p.start)
    events, buffer, requests = 0, [], []
    for plan in plans:
        buffer.extend(conversation_events(plan.sender_id, plan.start, plan.turns, channel=plan.channel,
                                          seconds_between=plan.seconds_between))
        if plan.request:
            requests.append(booking_request(plan, rng))
        if len(buffer) >= 20000:
            events += flush(Event, buffer)
    events += flush(Event, buffer)
    BookingRequest.objects.bulk_create(requests, batch_size=5000)
    return events, len(requests)


def flush(Event, buffer: list) -> int:
    Event.objects.bulk_create(buffer, batch_size=5000)
    count = len(buffer)
    buffer.clear()
    return count


# ----------------------------------------------------------------------------- timing pages


@dataclass
class Result:
    label: str
    url: str
    held: bool  # held to the p95 goal
    status: int = 0
    times_ms: List[float] = field(default_factory=list)
    queries: int = 0
    db_ms: float = 0.0  # the warm-up's time in the database (Django's own query timing)
    rows: Optional[int] = None  # matching conversations / messages / requests, when the page has a paginator
    slowest: List[dict] = field(default_factory=list)

    def pct(self, q: float) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def fast(self) -> bool:
        return self.pct(0.95) < LIMIT_MS


def staff_client():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # 'testserver' becomes an allowed host
    # after migrate (Rasa's imports set their own filters): the overview's matplotlib, pyparsing deprecations
    warnings.filterwarnings("ignore", module="matplotlib")
    user = get_user_model().objects.create_user("bench-staff", password=None, is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def time_url(client, label: str, url: str, repeat: int, held: bool = True) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Result(label, url, held)
    with CaptureQueriesContext(connection) as captured:  # the warm-up: also counts the queries
        response = client.get(url)
    result.status, result.queries = response.status_code, len(captured)
    result.db_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    result.slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
    page = response.context.get("page") if response.context is not None else None
    if page is not None and hasattr(page, "paginator"):
        result.rows = page.paginator.count
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        result.times_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            result.status = response.status_code
    return result


def page_urls(transcripts: int, seed: int) -> List[Tuple[str, str, bool]]:
    """(label, url, held to the goal) for every page timed."""
    from django.db.models import Count
    from django.utils import timezone

    from console.conversations.models import Conversation

    today = timezone.localdate()
    month_ago = today - dt.timedelta(days=30)
    urls = [
        ("list", "/conversations/", True),
        ("list: fallback", "/conversations/?fallback=on", True),
        ("list: low confidence < 0.5", "/conversations/?low_confidence=on&below=0.5", True),
        ("list: intent ask_price", "/conversations/?intent=ask_price", True),
        ("list: text 'hurt'", "/conversations/?q=hurt", True),
        ("list: booking request", "/conversations/?booking=on", True),
        ("list: asked for a person", "/conversations/?human=on", True),
        ("list: last 30 days", f"/conversations/?date_from={month_ago}&date_to={today}", True),
        ("list: combined", f"/conversations/?date_from={month_ago}&date_to={today}&intent=ask_pain&q=hurt"
                           f"&low_confidence=on&below=0.7&show_greetings=on", True),
        ("list: page 50", "/conversations/?page=50", True),
        ("list: greetings shown, p. 50", "/conversations/?show_greetings=on&page=50", True),
    ]
    rng = random.Random(seed + 1)
    pks = list(Conversation.objects.filter(greeting_only=False).values_list("pk", flat=True))
    for pk in rng.sample(pks, min(transcripts, len(pks))):
        urls.append((f"transcript #{pk}", f"/conversations/{pk}/", True))
    longest = Conversation.objects.annotate(n=Count("messages")).order_by("-n", "pk").first()
    if longest is not None:
        urls.append((f"transcript #{longest.pk} (longest)", f"/conversations/{longest.pk}/", True))
    urls += [
        ("inbox", "/inbox/", True),
        ("inbox: fallbacks", "/inbox/?reason=fallback", True),
        ("request queue", "/requests/", True),
        ("request queue: open", "/requests/?status=open", True),
        ("overview (30 days)", "/overview/", False),
        ("overview (90 days)", f"/overview/?date_from={today - dt.timedelta(days=89)}&date_to={today}", False),
    ]
    return urls


# ----------------------------------------------------------------------------- report


def print_table(results: List[Result]) -> None:
    width = max(len(r.label) for r in results)
    print(f"{'page':<{width}}  status  rows   queries  db ms*  p50 ms  p95 ms  max ms  goal")
    for r in results:
        goal = ("ok" if r.fast else "SLOW") if r.held else "(not held)"
        rows = "" if r.rows is None else str(r.rows)
        print(f"{r.label:<{width}}  {r.status:>6}  {rows:>5}  {r.queries:>7}  {r.db_ms:>6.0f}  {r.pct(0.5):>6.1f}  "
              f"{r.pct(0.95):>6.1f}  {max(r.times_ms):>6.1f}  {goal}")
    print("* db ms: time in the database during the warm-up request (ms resolution); the rest is Python")


def print_explain(results: List[Result]) -> None:
    from django.db import connection

    for r in results:
        if not r.held or r.fast:
            continue
        print(f"\n--- {r.label}: {r.url} (p95 {r.pct(0.95):.0f} ms); its slowest queries in the warm-up:")
        for query in r.slowest:
            print(f"[{float(query['time']) * 1000:.1f} ms] {query['sql']}")
            prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
            try:
                with connection.cursor() as cursor:
                    cursor.execute(prefix + query["sql"])
                    for row in cursor.fetchall():
                        print("    " + " | ".join(str(c) for c in row))
            except Exception as error:  # a query that cannot be re-run as logged: show why, go on
                print(f"    (no plan: {error})")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# ----------------------------------------------------------------------------- main


def run(args: argparse.Namespace, database: Database) -> int:
    configure_django(database.url)
    from django.core.management import call_command

    from console.conversations.sync import sync

    print(f"database: {database.describe}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    events, requests = generate(args.conversations, args.days, args.seed)
    print(f"generated: {args.conversations:,} conversations, {events:,} events "
          f"({events / args.conversations:.1f} per conversation), {requests:,} booking/callback requests "
          f"over {args.days} days in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    read = sync()
    print(f"first sync: {read:,} events in {time.perf_counter() - started:.1f} s (one-off)")
    analyze()
    print_summary()

    client = staff_client()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\ntiming {args.repeat} requests per page after one warm-up (django.test.Client, whole stack; "
          f"{os.cpu_count()} CPUs, load average {load}: other work on the machine shows in p95 and max):\n")
    results = [time_url(client, label, url, args.repeat, held) for label, url, held in page_urls(args.transcripts, args.seed)]
    print_table(results)
    if args.explain:
        print_explain(results)

    print(f"\npeak RSS: {peak_rss_mb():.0f} MB; database size: {database_size() / 2**20:.1f} MB")
    failed = [r for r in results if not r.ok]
    slow = [r for r in results if r.held and not r.fast]
    if failed:
        print("FAILED: " + ", ".join(f"{r.url} -> {r.status}" for r in failed))
    verdict = "every" if not slow else f"NOT every ({len(slow)} over: {', '.join(r.label for r in slow)})"
    print(f"RESULT: {verdict} list / filtered list / transcript / inbox / queue p95 is under {LIMIT_MS:.0f} ms")
    return 1 if failed else 0


def analyze() -> None:
    """PostgreSQL plans from table statistics, which autovacuum gathers some time after a bulk load:
    gather them now so the pages are timed as they run day to day, not in the minute after the load.
    (SQLite gathers none unless asked, and nobody asks in production: it is timed as it is.)"""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print("ANALYZE: table statistics gathered (autovacuum would, soon after a load this size)")


def print_summary() -> None:
    from console.conversations.models import Conversation, VisitorMessage

    conversations = Conversation.objects
    print(f"summary: {conversations.count():,} conversations ({conversations.filter(greeting_only=True).count():,} "
          f"greeting-only, {conversations.filter(has_fallback=True).count():,} with a fallback, "
          f"{conversations.filter(booking_started=True).count():,} booking forms, "
          f"{conversations.filter(human_requested=True).count():,} asked for a person), "
          f"{VisitorMessage.objects.count():,} visitor messages")


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    database = postgres_database(args.database_url, args.keep) if args.database_url else sqlite_database(args.keep)
    try:
        return run(args, database)
    finally:
        database.cleanup()
        if args.keep:
            print(f"kept: DATABASE_URL={database.url}")


if __name__ == "__main__":
    sys.exit(main())
