"""A process's background work, set up in one place for ``serve`` (in-process) and ``worker``:
the channels' connections, the outbox sender and the timers (claims, SLA, notifications,
retention)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

from bot import retention
from bot.app import App
from channels.base import ChannelError

__all__ = ["close_channels", "jobs", "register_webhooks", "start_channels"]

log = logging.getLogger(__name__)


async def start_channels(app: App) -> None:
    """Open each channel's connections on this event loop (Twilio's client is tied to it)."""
    for name, channel in app.channels.items():
        try:
            await channel.start()
        except ChannelError as exc:
            # A provider that is down at start-up must not keep the web chat and the other
            # channels down: sends retry from the outbox once it is back.
            log.warning("channel %s did not start: %s", name, type(exc).__name__)


async def register_webhooks(app: App) -> None:
    """Tell the providers that take it by API where our webhooks are, before serving."""
    if not app.settings.public_url:
        return
    for name, channel in app.channels.items():
        try:
            said = await channel.register(app.settings.public_url)
        except ChannelError as exc:
            log.warning("channel %s: webhook not registered (%s); run `intake webhooks set` once "
                        "the provider is reachable", name, type(exc).__name__)
            continue
        if said:
            log.info("channel %s: webhook registered", name)


async def close_channels(app: App) -> None:
    for channel in app.channels.values():
        with contextlib.suppress(Exception):
            await channel.close()


def jobs(app: App, stop: asyncio.Event) -> list[Coroutine[Any, Any, None]]:
    """The loops that deliver and keep time, each running until ``stop`` is set."""
    return [
        app.sender.run(stop),
        # Idle claims back to the queue, SLA escalation, team notifications.
        app.handoff.run(stop),
        # Referrals to partners, by e-mail or webhook.
        app.handoff.referrals.courier.run(stop),
        retention.run(app.db, app.settings.retention_days, stop, hooks=app.pipeline.erase_hooks),
    ]
