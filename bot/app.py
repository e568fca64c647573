"""Assembly: settings -> database, renderer, language policy, pipeline, channels, sender."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import locales
from bot.settings import Settings
from channels.base import Channel
from channels.webchat import WebChatChannel
from core.db import Database
from core.language import LanguagePolicy
from core.outbox import Sender
from core.pipeline import Pipeline
from core.render import Renderer
from core.secret import reveal
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


def provider_channels(settings: Settings) -> dict[str, Channel]:
    """The channels the settings enable, by name; the web chat is always there."""
    registry: dict[str, Channel] = {"webchat": WebChatChannel()}
    if settings.telegram_enabled:
        from channels.telegram import TelegramChannel

        registry["telegram"] = TelegramChannel(
            reveal(settings.telegram_bot_token) or "",
            webhook_secret=reveal(settings.telegram_webhook_secret),
            api_base_url=settings.telegram_api_base_url,
        )
    if settings.twilio_enabled:
        from channels.twilio import SmsChannel, WhatsAppChannel

        common = {
            "public_url": settings.public_url,
            "from_number": settings.twilio_from_number,
            "messaging_service_sid": settings.twilio_messaging_service_sid,
            "whatsapp_from": settings.twilio_whatsapp_from,
            "api_base_url": settings.twilio_api_base_url,
            "status_callback_url": (
                settings.public_url + "/webhooks/twilio/status" if settings.public_url else None
            ),
        }
        sid, token = settings.twilio_account_sid or "", reveal(settings.twilio_auth_token) or ""
        if settings.twilio_from_number or settings.twilio_messaging_service_sid:
            registry["sms"] = SmsChannel(sid, token, **common)  # type: ignore[arg-type]
        if settings.twilio_whatsapp_from:
            registry["whatsapp"] = WhatsAppChannel(sid, token, **common)  # type: ignore[arg-type]
    return registry


def build(settings: Settings, channels: Mapping[str, Channel] | None = None) -> App:
    """Wire the application; ``channels`` replaces the ones the settings would enable."""
    db = Database(settings.database_url, settings.keys)
    renderer = Renderer(
        locales.translator, country_name=locales.country_name, number=locales.format_number
    )
    registry = dict(channels) if channels is not None else provider_channels(settings)
    sender = Sender(db, registry, poll=settings.outbox_poll_seconds)
    pipeline = Pipeline(
        db,
        renderer,
        LanguagePolicy(),
        flow=settings.default_flow or None,
        on_commit=sender.wake,
        deletable=frozenset(n for n, c in registry.items() if c.capabilities.can_delete),
        flood_limit=settings.flood_per_minute,
        operator=settings.operator_name,
    )
    handoff = Handoff(db, pipeline, settings)
    handoff.plug_in()
    return App(
        settings=settings, db=db, pipeline=pipeline, sender=sender, handoff=handoff, channels=registry
    )
