"""`make bench`: simulated visitors having whole conversations with the running
server (start it with `make run`), 1, 10 and 50 at once.  Prints messages/s,
latency percentiles, errors and the servers' memory.  Traffic goes only to the
local server given by --url; every run is bounded in messages and time.

Each visitor: greets, asks four FAQ questions, starts a booking, gives a name,
asks a question inside the form, then cancels (so no requests are stored).
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from typing import List, Optional

import aiohttp

from scripts.processes import pid, rss_mb

CONVERSATION = [
    "hi there", "what is microneedling exactly?", "does it hurt?", "how many sessions would I need",
    "how long is the downtime", "I'd like to book", "Jordan", "is it safe for dark skin?", "never mind",
]
FAQ_MESSAGE = "does it hurt?"


def pct(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def visitor(session: aiohttp.ClientSession, url: str, messages: List[str], latencies: List[float], errors: List[str]):
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    for message in messages:
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": message},
                                    timeout=aiohttp.ClientTimeout(total=60)) as response:
                body = await response.json()
                if response.status != 200 or not body:
                    errors.append(f"{response.status}: {str(body)[:80]}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            errors.append(repr(exc))
        latencies.append((time.perf_counter() - started) * 1000)


async def run_level(url: str, visitors: int, messages: List[str], concurrency: Optional[int] = None) -> dict:
    """`visitors` conversations, `concurrency` of them at once (default: all)."""
    latencies: List[float] = []
    errors: List[str] = []
    limit = asyncio.Semaphore(concurrency or visitors)

    async def one(session):
        async with limit:
            await visitor(session, url, messages, latencies, errors)

    async with aiohttp.ClientSession() as session:
        started = time.perf_counter()
        await asyncio.gather(*(one(session) for _ in range(visitors)))
        elapsed = time.perf_counter() - started
    return {"visitors": visitors, "messages": len(latencies), "msg_per_s": len(latencies) / elapsed,
            "p50": pct(latencies, 0.5), "p95": pct(latencies, 0.95), "p99": pct(latencies, 0.99),
            "errors": len(errors), "first_error": errors[0] if errors else ""}


async def main_async(args) -> None:
    url = f"{args.url.rstrip('/')}/webhooks/rest/webhook"
    print(f"Server: {args.url}   conversation: {len(CONVERSATION)} messages per visitor\n")
    # One visitor at a time asking one FAQ question (a new conversation each time):
    # the end-to-end latency of a single message.
    single = await run_level(url, args.single, [FAQ_MESSAGE], concurrency=1)
    print(f"single FAQ message, one visitor at a time, x{single['messages']}: p50 {single['p50']:.1f} ms  "
          f"p95 {single['p95']:.1f} ms  p99 {single['p99']:.1f} ms  errors {single['errors']}\n")
    print(f"{'visitors':>8} {'messages':>8} {'msg/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} "
          f"{'rasa MB':>8} {'actions MB':>10}")
    for level in args.levels:
        result = await run_level(url, level, CONVERSATION)
        rasa_mb, actions_mb = rss_mb(pid("rasa")), rss_mb(pid("actions"))
        print(f"{result['visitors']:8d} {result['messages']:8d} {result['msg_per_s']:7.1f} {result['p50']:7.1f} "
              f"{result['p95']:7.1f} {result['p99']:7.1f} {result['errors']:6d} "
              f"{(f'{rasa_mb:.0f}' if rasa_mb else '?'):>8} {(f'{actions_mb:.0f}' if actions_mb else '?'):>10}")
        if result["errors"]:
            print(f"         first error: {result['first_error']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--single", type=int, default=100, help="single-visitor FAQ messages")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
