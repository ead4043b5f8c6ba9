"""The action server's entry point (`python -m actions.server`): rasa_sdk's app, private.

`rasa run actions` listens on every interface and runs any action for anyone who reaches the port,
so a forged tracker could write booking requests and e-mail the staff. This entry point binds to
loopback (`ACTIONS_HOST` to change) and refuses every call without the shared secret
(`ACTIONS_TOKEN`) that the Rasa server sends as `Authorization: Bearer …` (endpoints.yml). Only
`/health` stays open: it tells nothing but "up".

It also runs the staff e-mail outbox's retries (actions/staff_outbox.py) in the background.
"""
from __future__ import annotations

import argparse
import asyncio
import hmac
import logging
import os
import sys

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from rasa_sdk.plugin import plugin_manager
from sanic import response

from actions import settings, staff_outbox

logger = logging.getLogger(__name__)

OPEN_PATHS = ("/health",)


def private_app(token: str):
    app = create_app("actions", cors_origins=None)
    expected = f"Bearer {token}".encode()

    @app.on_request
    async def require_secret(request):
        if request.path in OPEN_PATHS:
            return None
        given = (request.headers.get("Authorization") or "").encode()
        if not hmac.compare_digest(given, expected):
            logger.warning("refused %s %s from %s: no valid action-server token", request.method, request.path, request.ip)
            return response.json({"error": "unauthorized"}, status=401)
        return None

    @app.listener("after_server_start")
    async def start_outbox(app, _loop):
        app.ctx.outbox = asyncio.ensure_future(staff_outbox.retry_forever())

    @app.listener("before_server_stop")
    async def stop_outbox(app, _loop):
        app.ctx.outbox.cancel()  # a notice not sent yet stays in the outbox for the next start

    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    return app


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTIONS_PORT", "5055")))
    args = parser.parse_args(argv)
    token = settings.actions_token()
    if not token:
        sys.exit("ACTIONS_TOKEN is not set: the action server refuses to run open to anyone "
                 "(`make run` generates one in var/run/actions-token).")
    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    host = settings.actions_host()
    logger.info("action server on http://%s:%s (token required)", host, args.port)
    private_app(token).run(host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
