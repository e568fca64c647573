"""The web application: health, metrics, web chat, webhooks and the console, on Starlette.

Routes only translate HTTP into calls on the application; the lifespan runs the outbox
sender in-process unless ``INTAKE_INLINE_WORKER=0``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot import page, retention, webchat, webhooks
from bot.app import App
from channels.base import ChannelError, Inbound
from handoff import web as handoff_web

__all__ = ["close_channels", "create_app", "start_channels"]

log = logging.getLogger(__name__)


async def start_channels(app: App) -> None:
    """Open each channel's connections on this event loop (Twilio's client is tied to it)."""
    for name, channel in app.channels.items():
        start = getattr(channel, "start", None)
        if start is not None:
            try:
                await start()
            except ChannelError as exc:
                # A provider that is down at start-up must not keep the web chat and the
                # other channels down: sends retry from the outbox once it is back.
                log.warning("channel %s did not start: %s", name, type(exc).__name__)


async def close_channels(app: App) -> None:
    for channel in app.channels.values():
        close = getattr(channel, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):
                await close()


def create_app(app: App) -> Starlette:
    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        ok = await run_in_threadpool(app.db.ping)
        return JSONResponse({"database": "ok" if ok else "unreachable"}, status_code=200 if ok else 503)

    async def metrics(request: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    routes: list[BaseRoute] = [
        # First: the router tries each route's pattern in turn, and providers' webhooks are
        # most of the traffic, so they should not wait behind every other pattern.
        *webhooks.routes(app),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
        *webchat.routes(app),
        *page.routes(app.settings.operator_name),
        *handoff_web.routes(app),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        await start_channels(app)
        tasks = []
        if app.settings.inline_worker:
            tasks.append(asyncio.create_task(app.sender.run(stop)))
            # Timers: idle claims back to the queue, SLA escalation, team notifications.
            tasks.append(asyncio.create_task(app.handoff.run(stop)))
            tasks.append(asyncio.create_task(retention.run(
                app.db, app.settings.retention_days, stop, hooks=app.pipeline.erase_hooks)))
        telegram = app.channels.get("telegram")
        if telegram is not None:
            if app.settings.public_url:
                url = app.settings.public_url + "/webhooks/telegram"
                try:
                    await telegram.set_webhook(url)  # type: ignore[attr-defined]
                    log.info("Telegram webhook registered")
                except ChannelError as exc:
                    log.warning("Telegram webhook not registered (%s): run `intake telegram "
                                "set-webhook` once Telegram is reachable", type(exc).__name__)
            else:
                log.info("Telegram long polling (no INTAKE_PUBLIC_URL)")

                async def handle(inbounds: list[Inbound]) -> None:
                    await webhooks.handle_all(app, inbounds)

                tasks.append(asyncio.create_task(telegram.poll(handle, stop=stop)))  # type: ignore[attr-defined]
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(task, timeout=10)
            await close_channels(app)
            app.db.dispose()

    from starlette.middleware import Middleware

    from bot.middleware import Guard

    async def database_down(request: Request, exc: Exception) -> JSONResponse:
        # The provider or the page retries: nothing is lost, and no 500 is ever shown.
        log.warning("database unavailable: %s", type(exc).__name__)
        return JSONResponse({"detail": "temporarily unavailable, please retry"}, status_code=503,
                            headers={"Retry-After": "5"})

    return Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(Guard)],
        exception_handlers={OperationalError: database_down, InterfaceError: database_down},
    )
