"""The caseworker side on the web: console pages and the REST API under /api/v1."""

from __future__ import annotations

from starlette.routing import BaseRoute

from handoff import api, console
from handoff.referrals import api as referral_api
from handoff.referrals import console as referral_console

__all__ = ["routes"]


def routes() -> list[BaseRoute]:
    return [*api.routes(), *referral_api.routes(), *referral_console.routes(), *console.routes()]
