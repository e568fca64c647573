"""Team notifications: new urgent cases and SLA breaches, to the team's Telegram chat.

Durable, like the outbox: a ``handoff_notification`` row is written in the same transaction
that opened (or escalated) the case, and the worker's tick delivers pending rows with the Bot
API's ``sendMessage``, retrying with backoff. A crash between commit and delivery loses nothing.
The text carries no personal data (a phone on a team chat may be read by anyone): only the case
number, channel, language and a console link.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import Database, utcnow
from core.secret import reveal
from handoff.models import Case, Notification

if TYPE_CHECKING:
    from handoff.config import HandoffSettings

__all__ = ["Notifier"]

log = logging.getLogger(__name__)
GIVE_UP = 8  # attempts; about 40 minutes of backoff


@dataclass(frozen=True)
class _Job:
    id: int
    kind: str
    case_id: int | None
    channel: str
    language: str
    attempts: int


class Notifier:
    """Queues and delivers team notifications; does nothing when no chat is configured."""

    def __init__(self, settings: HandoffSettings | None) -> None:
        self.chat = getattr(settings, "notify_telegram_chat", None) if settings else None
        self.token = reveal(settings.telegram_bot_token) if settings else None
        self.base = (settings.telegram_api_base_url if settings else "") or "https://api.telegram.org/bot"
        self.public_url = (settings.public_url if settings else None) or "http://127.0.0.1:8000"

    @property
    def enabled(self) -> bool:
        return bool(self.chat and self.token)

    def enqueue(self, session: Session, kind: str, case_id: int) -> None:
        if self.enabled:
            session.add(Notification(kind=kind, case_id=case_id, status="pending", attempts=0))

    def _claim(self, db: Database, now: datetime) -> list[_Job]:
        with db.transaction() as s:
            rows = s.scalars(
                select(Notification)
                .where(Notification.status == "pending", Notification.next_attempt_at <= now)
                .order_by(Notification.id)
                .limit(20)
                .with_for_update(skip_locked=True)
            ).all()
            jobs = []
            for row in rows:
                case = s.get(Case, row.case_id) if row.case_id else None
                row.attempts += 1
                # Leased for a minute: another worker will not send it twice meanwhile.
                row.next_attempt_at = now + timedelta(minutes=1)
                jobs.append(
                    _Job(row.id, row.kind, row.case_id, case.channel if case else "?",
                         case.language if case else "?", row.attempts)
                )
            return jobs

    def text(self, job: _Job) -> str:
        link = f"{self.public_url}/console/cases/{job.case_id}"
        if job.kind == "sla_breach":
            return f"SLA breached: case #{job.case_id} ({job.channel}, {job.language}) has no answer yet. {link}"
        return f"New urgent case #{job.case_id} ({job.channel}, {job.language}). {link}"

    async def deliver(self, db: Database, client: httpx.AsyncClient | None = None) -> int:
        """Send what is due; returns how many were sent."""
        if not self.enabled:
            return 0
        import asyncio

        jobs = await asyncio.to_thread(self._claim, db, utcnow())
        if not jobs:
            return 0
        own = client is None
        http = client or httpx.AsyncClient(timeout=10)
        sent = 0
        try:
            for job in jobs:
                error: str | None = None
                try:
                    response = await http.post(
                        f"{self.base}{self.token}/sendMessage",
                        json={"chat_id": self.chat, "text": self.text(job), "disable_web_page_preview": True},
                    )
                    if response.status_code != 200:
                        error = f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    error = type(exc).__name__
                await asyncio.to_thread(self._settle, db, job, error)
                sent += error is None
        finally:
            if own:
                await http.aclose()
        return sent

    def _settle(self, db: Database, job: _Job, error: str | None) -> None:
        with db.transaction() as s:
            row = s.get(Notification, job.id)
            if row is None:
                return
            if error is None:
                row.status, row.sent_at = "sent", utcnow()
            elif job.attempts >= GIVE_UP:
                row.status, row.last_error = "failed", error[:200]
            else:
                row.last_error = error[:200]
                row.next_attempt_at = utcnow() + timedelta(seconds=10 * 2**job.attempts)
                log.warning("team notification %s failed (%s); will retry", job.id, error)
