"""Assembly: settings -> database, renderer, language policy, pipeline, channels, sender."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import locales
from bot.settings import Settings
from channels import registry
from channels.base import Channel
from core.db import Database
from core.language import LanguagePolicy
from core.outbox import Sender
from core.pipeline import Pipeline
from core.ratelimit import Window
from core.render import Renderer
from handoff.service import Handoff

__all__ = ["App", "build"]


@dataclass
class Limits:
    """How fast one client may go, past what the pipeline's own flood reply handles."""

    chat_sessions: Window  # new web chats per client address
    chat_messages: Window  # messages per web chat: twice the pipeline's flood limit, then 429

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(Window(settings.webchat_sessions_per_minute, 60.0),
                   Window(2 * settings.flood_per_minute, 60.0))


@dataclass
class App:
    """Everything a process needs, wired once."""

    settings: Settings
    db: Database
    pipeline: Pipeline
    sender: Sender
    handoff: Handoff
    limits: Limits
    channels: dict[str, Channel] = field(default_factory=dict)


def build(settings: Settings, channels: Mapping[str, Channel] | None = None) -> App:
    """Wire the application; ``channels`` replaces the ones the settings would enable."""
    db = Database(settings.database_url, settings.keys)
    renderer = Renderer(
        locales.translator, country_name=locales.country_name, number=locales.format_number
    )
    enabled = dict(channels) if channels is not None else registry.enabled(settings)
    sender = Sender(db, enabled, poll=settings.outbox_poll_seconds, rates=dict(settings.send_rates))
    pipeline = Pipeline(
        db,
        renderer,
        LanguagePolicy(),
        flow=settings.default_flow or None,
        on_commit=sender.wake,
        flood_limit=settings.flood_per_minute,
        operator=settings.operator_name,
    )
    handoff = Handoff(db, pipeline, settings)
    handoff.plug_in()
    handoff.referrals.courier.on_told = sender.wake  # the person hears a referral went
    return App(
        settings=settings, db=db, pipeline=pipeline, sender=sender, handoff=handoff, channels=enabled,
        limits=Limits.of(settings),
    )
