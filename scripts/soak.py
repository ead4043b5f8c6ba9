"""`make soak`: simulated visitors having whole conversations, bookings included, with the running
assistant (`make run`) for a long time: REST and socket.io mixed, as the widget and other clients
talk. Prints every minute the messages, errors and each process's memory; at the end the memory
slope per process (MB per hour, least squares), the error count and the database growth per message.

    python -m scripts.soak --minutes 30 --visitors 50

Traffic goes only to the local server given by --url. An error is a non-200 reply, an empty reply,
no reply within 60 s, or a booking that does not end with a request reference. Each visitor waits
0.5-2 s between messages, as a person typing quickly would.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import queue
import random
import threading
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional

import aiohttp

from scripts.bench import pct
from scripts.processes import PROGRAMS, pid, rss_mb

NAMES = ["Maria Diaz", "Keisha Banks", "Tom Nguyen", "Ana Souza", "Priya Patel", "Jordan Lee", "Sam Ortiz"]


def conversation(rng: random.Random) -> List[str]:
    """A visitor: a greeting, two or three questions, then (most of the time) a booking request."""
    questions = rng.sample(["does it hurt?", "how long is the downtime?", "how many sessions would I need?",
                            "is it safe for dark skin?", "can I wear makeup after?", "what is microneedling?"], 3)
    said = ["hi", *questions[:rng.choice([2, 3])]]
    if rng.random() < 0.7:
        phone = f"404-555-{rng.randrange(1000, 9999)}"
        said += [f"can i come in thursday at 10? {rng.choice(NAMES)} {phone}. that's all thx", "yes"]
    return said


class Totals:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: List[float] = []
        self.errors: List[str] = []
        self.bookings = 0

    def add(self, latency_ms: float, error: Optional[str] = None) -> None:
        with self.lock:
            self.latencies.append(latency_ms)
            if error:
                self.errors.append(error)


def check(message: str, replies: List[dict]) -> Optional[str]:
    if not replies:
        return f"no reply to {message!r}"
    if message == "yes" and not any("RR-" in (r.get("text") or "") for r in replies):
        return f"booking not sent: {str(replies)[:120]}"
    return None


async def rest_visitor(session: aiohttp.ClientSession, url: str, totals: Totals, stop_at: float, rng: random.Random):
    while time.monotonic() < stop_at:
        sender = f"soak-rest-{uuid.uuid4().hex[:10]}"
        for message in conversation(rng):
            started = time.perf_counter()
            error = None
            try:
                async with session.post(url, json={"sender": sender, "message": message},
                                        timeout=aiohttp.ClientTimeout(total=60)) as response:
                    body = await response.json(content_type=None)
                    error = f"HTTP {response.status}" if response.status != 200 else check(message, body)
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
                error = repr(exc)
            totals.add((time.perf_counter() - started) * 1000, error)
            if message == "yes" and not error:
                totals.bookings += 1
            await asyncio.sleep(rng.uniform(0.5, 2.0))


def socketio_visitor(server: str, totals: Totals, stop_at: float, rng: random.Random) -> None:
    import socketio  # the sync client (websocket-client transport) runs in the project's venv

    while time.monotonic() < stop_at:
        sender = f"soak-sio-{uuid.uuid4().hex[:10]}"
        received: "queue.Queue[dict]" = queue.Queue()
        client = socketio.Client(reconnection=False)
        client.on("bot_uttered", received.put)
        client.on("session_confirm", lambda data=None: received.put({"confirmed": True}))
        try:
            client.connect(server, transports=["websocket"], wait_timeout=10)
            client.emit("session_request", {"session_id": sender})
            received.get(timeout=10)
        except Exception as exc:  # noqa: BLE001 - any failure to connect is an error to count
            totals.add(0.0, f"socket.io connect: {exc!r}")
            time.sleep(1)
            continue
        for message in conversation(rng):
            started = time.perf_counter()
            client.emit("user_uttered", {"message": message, "session_id": sender})
            replies = []
            latency = 60000.0
            try:
                replies.append(received.get(timeout=60))
                latency = (time.perf_counter() - started) * 1000  # to the first reply
                while True:  # the rest of this turn's messages follow within moments
                    replies.append(received.get(timeout=0.5))
            except queue.Empty:
                pass
            error = check(message, replies)
            totals.add(latency, error)
            if message == "yes" and not error:
                with totals.lock:
                    totals.bookings += 1
            time.sleep(rng.uniform(0.5, 2.0))
        client.disconnect()


def database_bytes() -> Optional[int]:
    from actions.settings import database_url
    url = database_url()
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    import sqlalchemy as sa
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()


def slope_mb_per_hour(samples: List[tuple]) -> Optional[float]:
    """Least-squares slope, leaving out the warm-up (the first third, at most 5 minutes): caches and
    lazily loaded tables fill then, which is not a leak."""
    warm = min(300.0, samples[-1][0] / 3) if samples else 0
    points = [(t, mb) for t, mb in samples if mb is not None and t >= warm]
    if len(points) < 2:
        return None
    mean_t = sum(t for t, _ in points) / len(points)
    mean_mb = sum(mb for _, mb in points) / len(points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    return sum((t - mean_t) * (mb - mean_mb) for t, mb in points) / spread * 3600 if spread else None


async def soak(args) -> int:
    rest_url = f"{args.url.rstrip('/')}/webhooks/rest/webhook"
    totals = Totals()
    start = time.monotonic()
    stop_at = start + args.minutes * 60
    socketio_count = round(args.visitors * args.socketio_share)
    seed = random.Random(args.seed)
    threads = [threading.Thread(target=socketio_visitor, args=(args.url, totals, stop_at, random.Random(seed.random())),
                                daemon=True) for _ in range(socketio_count)]
    for thread in threads:
        thread.start()
    memory: Dict[str, List[tuple]] = {name: [] for name in PROGRAMS}
    db_before = database_bytes()
    print(f"soak: {args.visitors} visitors ({socketio_count} over socket.io), {args.minutes} min, {args.url}")
    print(f"{'minute':>6} {'messages':>8} {'errors':>6} " + " ".join(f"{name + ' MB':>11}" for name in PROGRAMS))

    async def sample_memory():
        minute = 0
        while True:
            now = time.monotonic() - start
            for name in PROGRAMS:
                memory[name].append((now, rss_mb(pid(name))))
            print(f"{minute:6d} {len(totals.latencies):8d} {len(totals.errors):6d} " + " ".join(
                f"{memory[n][-1][1]:11.0f}" if memory[n][-1][1] else f"{'?':>11}" for n in PROGRAMS), flush=True)
            minute += 1
            if time.monotonic() + 60 > stop_at + 5:
                return
            await asyncio.sleep(60)

    rest_count = args.visitors - socketio_count
    async with aiohttp.ClientSession() as session:
        sampler = asyncio.create_task(sample_memory())
        await asyncio.gather(*(rest_visitor(session, rest_url, totals, stop_at, random.Random(seed.random()))
                               for _ in range(rest_count)))
        await asyncio.to_thread(lambda: [t.join(120) for t in threads])
        sampler.cancel()
    for name in PROGRAMS:
        memory[name].append((time.monotonic() - start, rss_mb(pid(name))))
    db_after = database_bytes()
    messages = len(totals.latencies)
    print(f"\nmessages {messages} ({messages / (time.monotonic() - start):.1f}/s), bookings sent {totals.bookings}, "
          f"errors {len(totals.errors)}")
    if totals.latencies:
        print(f"latency p50 {pct(totals.latencies, 0.5):.0f} ms, p95 {pct(totals.latencies, 0.95):.0f} ms, "
              f"p99 {pct(totals.latencies, 0.99):.0f} ms")
    for name in PROGRAMS:
        values = [mb for _, mb in memory[name] if mb]
        slope = slope_mb_per_hour(memory[name])
        if values:
            print(f"{name:8} RSS {values[0]:.0f} -> {values[-1]:.0f} MB (max {max(values):.0f}), slope after warm-up "
                  f"{slope:+.1f} MB/hour" if slope is not None else f"{name:8} RSS {values[-1]:.0f} MB")
    if db_before is not None and db_after is not None and messages:
        print(f"database {db_before / 1e6:.1f} -> {db_after / 1e6:.1f} MB: {(db_after - db_before) / messages:.0f} bytes per message")
    for error in totals.errors[:10]:
        print(f"  error: {error}")
    return 1 if totals.errors else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--visitors", type=int, default=50)
    parser.add_argument("--socketio-share", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=13)
    raise SystemExit(asyncio.run(soak(parser.parse_args())))


if __name__ == "__main__":
    main()
