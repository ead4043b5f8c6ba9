"""Fixtures of the live console tests (a non-root conftest may not use `pytest_plugins`)."""
from console.tests.live_console import *  # noqa: F401,F403
