"""A real conversation from the tracker store, as a conversation test to complete.

    make conversation-from SENDER=<conversation id>   (the id is on the console's transcript page)

Prints YAML for tests/conversations/: the visitor's messages exactly as typed, and under each the
bot's reply as a comment, for you to replace with `expect:` (what should have happened, in plain
words) and the checks that prove it (see tests/support/conversation_format.py). Reads the events
table of DATABASE_URL (the same database the Rasa server and the console use).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import List

import sqlalchemy as sa
import yaml

from actions.settings import database_url


def visitor_turns(sender: str, url: str) -> List[dict]:
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("select type_name, data from events where sender_id = :sender "
                                        "and type_name in ('user', 'bot') order by id"), {"sender": sender}).all()
    finally:
        engine.dispose()
    turns: List[dict] = []
    for type_name, data in rows:
        event = json.loads(data)
        text = event.get("text") or ""
        if type_name == "user":  # a button click is its payload ("/ask_pain"), which a test can send as is
            turns.append({"visitor": text, "bot": []})
        elif turns and text:
            name = (event.get("metadata") or {}).get("utter_action")
            turns[-1]["bot"].append(f"[{name}] {text}" if name else text)
    return turns


def render(sender: str, turns: List[dict]) -> str:
    lines = ["  - id: transcript-CHANGE-ME", "    category: booking   # one of the categories in the format",
             "    profile: shipped", "    source: transcript", f"    summary: from conversation {sender}", "    turns:"]
    for turn in turns:
        lines.append(f"      - visitor: {json.dumps(turn['visitor'], ensure_ascii=False)}")
        for said in turn["bot"]:
            lines += [f"        # bot said: {line}" for line in said.splitlines() or [""]]
        lines.append("        expect: \"what should have happened\"")
    lines.append("    # request: none   (or the request the staff should have received)")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sender", help="the conversation id (sender id)")
    args = parser.parse_args(argv)
    turns = visitor_turns(args.sender, database_url())
    if not turns:
        print(f"no visitor messages for conversation {args.sender!r} in {database_url()}", file=sys.stderr)
        return 1
    text = render(args.sender, turns)
    yaml.safe_load("conversations:\n" + text)  # what it prints is valid YAML
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
