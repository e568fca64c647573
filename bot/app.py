"""Assembly: settings -> database, renderer, language policy, pipeline, channels, sender."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import locales
from bot.db import Database
from bot.language import LanguagePolicy
from bot.pipeline import Pipeline
from bot.outbox import Sender
from bot.render import Renderer
from bot.settings import Settings
from channels.base import Channel
from channels.webchat import WebChatChannel
from handoff.service import Handoff

__all__ = ["App", "build"]


@dataclass
class App:
    """Everything a process needs, wired once."""

    settings: Settings
    db: Database
    pipeline: Pipeline
    sender: Sender
    handoff: Handoff
    channels: dict[str, Channel] = field(default_factory=dict)


def build(settings: Settings, channels: Mapping[str, Channel] | None = None) -> App:
    """Wire the application; ``channels`` replaces the ones the settings would enable."""
    db = Database(settings.database_url, settings.encryption_keys)
    renderer = Renderer(
        locales.translator, country_name=locales.country_name, number=locales.format_number
    )
    registry: dict[str, Channel] = (
        dict(channels) if channels is not None else {"webchat": WebChatChannel()}
    )
    sender = Sender(db, registry, poll=settings.outbox_poll_seconds)
    pipeline = Pipeline(
        db,
        renderer,
        LanguagePolicy(),
        flow=settings.default_flow or None,
        on_commit=sender.wake,
    )
    handoff = Handoff()
    pipeline.hooks.update(handoff.hooks())  # type: ignore[arg-type]
    return App(
        settings=settings, db=db, pipeline=pipeline, sender=sender, handoff=handoff, channels=registry
    )
