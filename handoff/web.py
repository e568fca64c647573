"""The caseworker side on the web: console pages and the REST API under /api/v1."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

from handoff import api, console

if TYPE_CHECKING:
    from handoff.service import HandoffApp

__all__ = ["routes"]


def routes(app: HandoffApp) -> list[BaseRoute]:
    return [*api.routes(app), *console.routes(app)]
