"""The web origins allowed to call the Rasa server from a browser (`rasa run --cors`), one line,
space-separated: the widget demo's own origin, the clinic's website from the profile, and any
listed in RASA_CORS_ORIGINS (space- or comma-separated). Never "*": any page could then drive the
assistant's REST channel in a visitor's name."""
from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from actions.clinic_profile import load_profile


def origin(url: str) -> str:
    parts = urlsplit(url if "://" in url else f"https://{url}")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def allowed_origins() -> list:
    widget_port = os.environ.get("WIDGET_PORT", "8080")
    found = [f"http://localhost:{widget_port}", f"http://127.0.0.1:{widget_port}"]
    website = load_profile().website
    if website:
        found.append(origin(website))
    found += [origin(o) for o in re.split(r"[\s,]+", os.environ.get("RASA_CORS_ORIGINS", "")) if o]
    return [o for i, o in enumerate(found) if o and o not in found[:i]]


if __name__ == "__main__":
    print(" ".join(allowed_origins()))
