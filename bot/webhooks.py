"""Provider webhooks, one endpoint for every channel: the channel that owns the path verifies
and parses the request, the turns run (each commits before we answer), and the provider gets
the answer it expects at once; delivery happens later from the outbox, so a slow provider
never makes a webhook slow.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.app import App
from channels import registry
from channels.base import BadRequest, Channel, Forbidden, Inbound, WebhookCall
from core import delivery
from core.http import error, read_body

__all__ = ["ROUTES", "handle_all"]

log = logging.getLogger(__name__)
_background: set[asyncio.Task[Any]] = set()

# Each webhook path and the channels that receive on it (SMS and WhatsApp share Twilio's).
OWNERS: dict[str, tuple[str, ...]] = {}
for _kind in registry.KINDS:
    for _path in _kind.webhooks:
        OWNERS[_path] = (*OWNERS.get(_path, ()), _kind.name)


async def handle_all(app: App, inbounds: list[Inbound]) -> None:
    """Run the turns of one webhook request, in order."""
    for inbound in inbounds:
        if inbound.meta.get("event") == "blocked":
            await run_in_threadpool(app.pipeline.block, inbound.channel, inbound.address)
            continue
        await run_in_threadpool(app.pipeline.handle, inbound)


def _later(coro: Any) -> None:
    task = asyncio.ensure_future(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)


def _owner(app: App, path: str) -> Channel | None:
    return next((app.channels[n] for n in OWNERS.get(path, ()) if n in app.channels), None)


async def receive(request: Request) -> Response:
    app: App = request.app.state.app
    route: str = request.scope["route"].path  # the webhook path matched, whatever the root path
    channel = _owner(app, route)
    if channel is None:
        titles = " or ".join(registry.capabilities(n).title for n in OWNERS.get(route, ()))
        return error(404, f"{titles or 'this channel'} is not enabled")
    body = await read_body(request)
    if isinstance(body, Response):
        return body
    url = request.url  # the path as the provider signed it, a proxy's root path included
    call = WebhookCall(route, url.path + (f"?{url.query}" if url.query else ""), request.headers, body)
    try:
        got = channel.receive(call)
    except Forbidden as exc:
        return error(403, str(exc))
    except BadRequest as exc:
        return error(400, str(exc))
    # A provider may carry messages of a sibling channel this deployment has not enabled.
    inbounds = [i for i in got.inbounds if i.channel in app.channels]
    await handle_all(app, inbounds)
    for report in got.deliveries:
        await run_in_threadpool(delivery.apply, app.db, report)
    if got.after is not None:  # e.g. stop a pressed button's spinner, now the turns committed
        _later(got.after())
    return Response(got.body or None, status_code=got.status, media_type=got.media_type)


ROUTES = [Route(path, receive, methods=["POST"]) for path in OWNERS]
