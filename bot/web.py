"""The web application: health, metrics, web chat, webhooks and the console, on Starlette.

Routes only translate HTTP into calls on the application; the lifespan runs the worker's jobs
in-process unless ``INTAKE_INLINE_WORKER=0``, and each channel's own background work.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import AsyncIterator

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot import page, webchat, webhooks
from bot.app import App
from bot.middleware import Guard
from bot.worker import close_channels, jobs, register_webhooks, start_channels
from channels.base import Inbound
from core.http import client_address, is_local
from core.secret import reveal
from handoff import web as handoff_web

__all__ = ["create_app"]

log = logging.getLogger(__name__)


def _app(request: Request) -> App:
    return request.app.state.app


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    ok = await run_in_threadpool(_app(request).db.ping)
    return JSONResponse({"database": "ok" if ok else "unreachable"}, status_code=200 if ok else 503)


def _may_read_metrics(request: Request) -> bool:
    """With INTAKE_METRICS_TOKEN, its bearer; without, in production only this host (a
    scraper beside the app), in development anyone who reaches the port."""
    settings = _app(request).settings
    token = reveal(settings.metrics_token)
    if token:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
    return not settings.production or is_local(client_address(request))


async def metrics(request: Request) -> Response:
    if not _may_read_metrics(request):
        return JSONResponse({"detail": "metrics need the INTAKE_METRICS_TOKEN bearer token"},
                            status_code=401, headers={"WWW-Authenticate": "Bearer"})
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def database_down(request: Request, exc: Exception) -> JSONResponse:
    # The provider or the page retries: nothing is lost, and no 500 is ever shown.
    log.warning("database unavailable: %s", type(exc).__name__)
    return JSONResponse({"detail": "temporarily unavailable, please retry"}, status_code=503,
                        headers={"Retry-After": "5"})


def routes() -> list[BaseRoute]:
    return [
        # First: the router tries each route's pattern in turn, and providers' webhooks are
        # most of the traffic, so they should not wait behind every other pattern.
        *webhooks.ROUTES,
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
        *webchat.routes(),
        *page.routes(),
        *handoff_web.routes(),
    ]


@contextlib.asynccontextmanager
async def lifespan(web: Starlette) -> AsyncIterator[None]:
    """The process's background work while it serves: the worker's jobs (unless
    ``INTAKE_INLINE_WORKER=0``) and each channel's own (long polling without a public URL)."""
    app: App = web.state.app
    stop = asyncio.Event()
    await start_channels(app)
    await register_webhooks(app)
    tasks = [asyncio.create_task(job) for job in jobs(app, stop)] if app.settings.inline_worker else []

    async def handle(inbounds: list[Inbound]) -> None:
        await webhooks.handle_all(app, inbounds)

    tasks += [asyncio.create_task(channel.run(app.settings.public_url, handle, stop))
              for channel in app.channels.values()]
    try:
        yield
    finally:
        stop.set()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=10)
        await close_channels(app)
        app.db.dispose()


def create_app(app: App) -> Starlette:
    web = Starlette(
        routes=routes(),
        lifespan=lifespan,
        middleware=[Middleware(Guard, production=app.settings.production)],
        exception_handlers={OperationalError: database_down, InterfaceError: database_down},
    )
    # Endpoints are module-level functions that find the wired application here.
    web.state.app = app
    return web
