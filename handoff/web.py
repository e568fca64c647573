"""The caseworker side on the web: console pages and the REST API under /api/v1."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

from handoff import api, console

if TYPE_CHECKING:
    from bot.app import App

__all__ = ["routes"]


def routes(app: App) -> list[BaseRoute]:
    return [*api.routes(app), *console.routes(app)]
