"""Provider webhooks: Telegram updates, Twilio messages and delivery reports.

Each route authenticates the request, turns it into neutral messages, runs the turn (which
commits before we answer) and answers at once; delivery happens later from the outbox, so a
slow provider never makes a webhook slow.
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
from channels.base import BadRequest, Forbidden, Inbound
from core import delivery
from core.http import error, read_body

__all__ = ["handle_all", "routes"]

log = logging.getLogger(__name__)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response />'
_background: set[asyncio.Task[Any]] = set()


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


def routes(app: App) -> list[Route]:
    async def telegram(request: Request) -> Response:
        channel = app.channels.get("telegram")
        if channel is None:
            return error(404, "Telegram is not enabled")
        body = await read_body(request)
        if isinstance(body, Response):
            return body
        try:
            inbounds = channel.parse_webhook(request.headers, body)  # type: ignore[attr-defined]
        except Forbidden:
            return error(403, "wrong or missing secret token")
        except BadRequest as exc:
            return error(400, str(exc))
        await handle_all(app, inbounds)
        for inbound in inbounds:
            query = inbound.meta.get("callback_query_id")
            if query:  # stop the button's spinner; best effort, after the commit
                _later(channel.answer_callback(query))  # type: ignore[attr-defined]
        return Response(status_code=200)

    async def _twilio_form(request: Request) -> dict[str, str] | Response:
        body = await read_body(request)
        if isinstance(body, Response):
            return body
        try:
            from urllib.parse import parse_qsl

            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except (UnicodeDecodeError, ValueError):
            return error(400, "the body is not a form")
        return dict(pairs)

    def _twilio_channel() -> Any:
        return app.channels.get("sms") or app.channels.get("whatsapp")

    def _path(request: Request) -> str:
        query = request.url.query
        return request.url.path + (f"?{query}" if query else "")

    async def _verified(request: Request) -> tuple[Any, dict[str, str]] | Response:
        """The Twilio channel and the form, once the signature over our public URL checks out."""
        channel = _twilio_channel()
        if channel is None:
            return error(404, "Twilio is not enabled")
        params = await _twilio_form(request)
        if isinstance(params, Response):
            return params
        try:
            channel.validate(_path(request), params, request.headers.get("x-twilio-signature"))
        except Forbidden:
            return error(403, "invalid Twilio signature")
        return channel, params

    async def twilio_messages(request: Request) -> Response:
        verified = await _verified(request)
        if isinstance(verified, Response):
            return verified
        channel, params = verified
        try:
            inbounds = channel.parse_inbound(params)
        except BadRequest as exc:
            return error(400, str(exc))
        inbounds = [i for i in inbounds if i.channel in app.channels]
        await handle_all(app, inbounds)
        return Response(EMPTY_TWIML, media_type="text/xml")

    async def twilio_status(request: Request) -> Response:
        verified = await _verified(request)
        if isinstance(verified, Response):
            return verified
        channel, params = verified
        try:
            report = channel.parse_status(params)
        except BadRequest as exc:
            return error(400, str(exc))
        await run_in_threadpool(delivery.apply, app.db, report)
        return Response(status_code=204)

    return [
        Route("/webhooks/telegram", telegram, methods=["POST"]),
        Route("/webhooks/twilio/messages", twilio_messages, methods=["POST"]),
        Route("/webhooks/twilio/status", twilio_status, methods=["POST"]),
    ]
