"""The web application: health, metrics, web chat, webhooks and the console, on Starlette.

Routes only translate HTTP into calls on the application; the lifespan runs the outbox
sender in-process unless ``INTAKE_INLINE_WORKER=0``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot import webchat
from bot.app import App
from handoff import web as handoff_web

__all__ = ["create_app"]


def create_app(app: App) -> Starlette:
    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        ok = await run_in_threadpool(app.db.ping)
        return JSONResponse({"database": "ok" if ok else "unreachable"}, status_code=200 if ok else 503)

    async def metrics(request: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
        *webchat.routes(app),
        *handoff_web.routes(app),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        tasks = []
        if app.settings.inline_worker:
            tasks.append(asyncio.create_task(app.sender.run(stop)))
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait_for(task, timeout=10)
            app.db.dispose()

    return Starlette(routes=routes, lifespan=lifespan)
