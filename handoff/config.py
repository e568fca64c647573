"""The settings handoff reads, as a protocol: the application's settings (bot/) satisfy it, and
handoff never imports them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from core.secret import Secret

__all__ = ["HandoffSettings"]


class HandoffSettings(Protocol):
    """Office hours and SLAs, the team's Telegram chat, and how the console is served."""

    @property
    def timezone(self) -> str: ...
    @property
    def office_hours(self) -> str: ...
    @property
    def holidays(self) -> Sequence[str]: ...
    @property
    def sla_minutes(self) -> Sequence[tuple[str, int]]: ...
    @property
    def claim_idle_minutes(self) -> int: ...
    @property
    def notify_telegram_chat(self) -> str | None: ...
    @property
    def telegram_bot_token(self) -> Secret | None: ...
    @property
    def telegram_api_base_url(self) -> str: ...
    @property
    def public_url(self) -> str | None: ...
    @property
    def production(self) -> bool: ...
