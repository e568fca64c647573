"""The caseworker side on the web: console pages and the REST API under /api/v1."""

from __future__ import annotations

from starlette.routing import BaseRoute

from handoff import api, console

__all__ = ["routes"]


def routes() -> list[BaseRoute]:
    return [*api.routes(), *console.routes()]
