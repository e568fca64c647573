"""The courier: delivers queued referrals (and withdrawal notices) to partners by e-mail or
webhook, after the transaction that queued them has committed.

Like the message outbox: rows are claimed with a lease in a short transaction (``FOR UPDATE
SKIP LOCKED`` on PostgreSQL, the write lock on SQLite), delivered with no lock held, and
settled. A lease outlasts any delivery's timeout, so a live courier never sees its row taken
by another; only a courier that died mid-delivery leaves a row to be sent again, and then the
partner receives the same reference (and Message-ID / Idempotency-Key) and can tell. Failures
retry with backoff; a refusal that will not change (an address the server rejects, a 4xx)
fails at once and the case shows it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import TYPE_CHECKING, Any

import aiosmtplib
import httpx
from sqlalchemy import or_, select

from core.db import Database, utcnow
from core.secret import reveal
from handoff.queue import audit
from handoff.referrals import service, sheet
from handoff.referrals.models import Referral
from handoff.referrals.partners import Directory, Partner

if TYPE_CHECKING:
    from core.pipeline import Pipeline
    from handoff.config import HandoffSettings

__all__ = ["Courier", "PermanentFailure"]

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)  # longer than a delivery may take (SMTP_TIMEOUT, HTTP_TIMEOUT)
SMTP_TIMEOUT = 30.0
HTTP_TIMEOUT = 15.0
FIRST_RETRY = 10.0  # seconds; doubling up to LONGEST_RETRY
LONGEST_RETRY = 1800.0
GIVE_UP = 12  # attempts: about five hours of trying
BATCH = 10


class PermanentFailure(Exception):
    """The partner's side refused in a way a retry will not change."""


@dataclass(frozen=True)
class _Job:
    id: int
    kind: str  # referral | withdrawal
    reference: str
    partner: Partner
    letter: sheet.Letter | None
    attempts: int


class Courier:
    """Delivers referrals; ``run`` is one of the worker's loops."""

    def __init__(self, db: Database, pipeline: Pipeline, directory: Directory,
                 settings: HandoffSettings | None, clock: Callable[[], datetime] = utcnow,
                 on_told: Callable[[], None] | None = None) -> None:
        self.db, self.pipeline, self.directory, self.clock = db, pipeline, directory, clock
        self.settings = settings
        self.operator = (getattr(settings, "operator_name", "") or "").strip() or "Intake"
        self.on_told = on_told  # the person was told: wake the message sender

    @property
    def can_mail(self) -> bool:
        return bool(getattr(self.settings, "smtp_host", None) and getattr(self.settings, "smtp_from", None))

    # -- claim and settle (worker threads, one transaction each) ------------------------------

    def _due(self, now: datetime) -> Any:
        return or_(
            (Referral.delivery_status == "pending") & (Referral.next_attempt_at <= now),
            (Referral.delivery_status == "sending") & (Referral.lease_until < now),
        )

    def _anything_due(self, now: datetime) -> bool:
        """A read without the write lock: an idle courier costs no write transaction."""
        with self.db.engine.connect() as conn:
            return conn.execute(select(Referral.id).where(self._due(now)).limit(1)).first() is not None

    def _claim(self, now: datetime) -> list[_Job]:
        if not self._anything_due(now):
            return []
        jobs = []
        with self.db.transaction() as s:
            rows = s.scalars(select(Referral).where(self._due(now)).order_by(Referral.id).limit(BATCH)
                             .with_for_update(skip_locked=True)).all()
            for row in rows:
                partner = self.directory.get(row.partner)
                if partner is None or partner.delivery == "paper":
                    row.delivery_status, row.last_error = "failed", "the partner no longer takes this delivery"
                    continue
                row.delivery_status, row.lease_until = "sending", now + LEASE
                row.attempts += 1
                # A withdrawn referral whose fate is unknown (its courier died) gets the
                # notice, never the referral again.
                kind = "withdrawal" if row.notice_due else "referral"
                jobs.append(_Job(row.id, kind, row.reference, partner, service.letter(s, row, partner, self.operator)
                                 if kind == "referral" else None, row.attempts))
        return jobs

    def _settle(self, job: _Job, error: str | None, permanent: bool) -> bool:
        """Record the outcome; True when the person was told (a message queued)."""
        now = self.clock()
        told = False
        with self.db.transaction() as s:
            row = s.scalars(select(Referral).where(Referral.id == job.id).with_for_update()).first()
            if row is None:
                return False
            row.lease_until = None
            if error is None:
                row.last_error = None
                if job.kind == "withdrawal":
                    row.notice_due = False
                    row.delivery_status = "sent"
                    audit(s, None, "referral_notice_sent", row.case_id, referral=row.id, partner=row.partner)
                    return False
                if row.status == "prepared":
                    row.status, row.sent_at = "sent", now
                    audit(s, None, "referral_sent", row.case_id, referral=row.id, partner=row.partner)
                    service.tell_person(s, self.pipeline, row, self.directory)
                    told = row.notify_person
                elif row.status == "withdrawn" and row.sent_at is None:
                    row.sent_at = now  # withdrawn while it was on its way: the notice follows
                row.delivery_status = "pending" if row.notice_due else "sent"
                row.next_attempt_at = now
                return told
            row.last_error = error[:200]
            if job.kind == "referral" and row.status == "withdrawn":
                row.delivery_status, row.notice_due = "cancelled", False  # it never arrived
                return False
            if permanent or job.attempts >= GIVE_UP:
                row.delivery_status = "failed"
                audit(s, None, "referral_failed", row.case_id, referral=row.id, partner=row.partner)
                log.warning("referral %s to %s failed: %s", row.id, row.partner, error)
            else:
                row.delivery_status = "pending"
                wait = min(FIRST_RETRY * 2 ** (job.attempts - 1), LONGEST_RETRY)
                row.next_attempt_at = now + timedelta(seconds=wait)
                log.info("referral %s to %s will be retried in %.0f s: %s", row.id, row.partner, wait, error)
        return told

    # -- delivery ---------------------------------------------------------------------------

    async def deliver(self, now: datetime | None = None) -> int:
        """Deliver what is due; returns how many went."""
        jobs = await asyncio.to_thread(self._claim, now or self.clock())
        done = 0
        for job in jobs:
            error, permanent = None, False
            try:
                if job.partner.delivery == "email":
                    await self._mail(job)
                else:
                    await self._post(job)
            except PermanentFailure as exc:
                error, permanent = str(exc) or type(exc).__name__, True
            except (aiosmtplib.SMTPException, httpx.HTTPError, OSError, TimeoutError) as exc:
                error = f"{type(exc).__name__}: {exc}"[:200]
            told = await asyncio.to_thread(self._settle, job, error, permanent)
            done += error is None
            if told and self.on_told is not None:
                self.on_told()
        return done

    def _message(self, job: _Job) -> EmailMessage:
        settings = self.settings
        sender = str(getattr(settings, "smtp_from", "") or "")
        msg = EmailMessage()
        msg["From"], msg["To"] = sender, job.partner.email or ""
        domain = sender.rpartition("@")[2] or "localhost"
        # The same reference always makes the same Message-ID: a repeat is recognisable.
        msg["Message-ID"] = f"<{job.reference}.{job.kind}@{domain}>" if domain else make_msgid()
        if job.letter is not None:
            msg["Subject"] = f"Encaminhamento {job.reference}"
            msg.set_content(sheet.text(job.letter))
            msg.add_attachment(sheet.pdf(job.letter), maintype="application", subtype="pdf",
                               filename=f"{job.reference}.pdf")
        else:
            msg["Subject"] = f"Encaminhamento {job.reference}: consentimento retirado"
            msg.set_content(sheet.withdrawal_text(job.reference, job.partner.name, self.operator))
        return msg

    async def _mail(self, job: _Job) -> None:
        settings = self.settings
        if not self.can_mail or settings is None:
            raise PermanentFailure("no mail server is configured (INTAKE_SMTP_HOST, INTAKE_SMTP_FROM)")
        security = settings.smtp_security
        try:
            await aiosmtplib.send(
                self._message(job), hostname=settings.smtp_host, port=settings.smtp_port,
                username=settings.smtp_user or None, password=reveal(settings.smtp_password) or None,
                use_tls=security == "tls", start_tls=security == "starttls", timeout=SMTP_TIMEOUT)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise PermanentFailure(f"the mail server refused the partner's address: {exc}") from exc
        except aiosmtplib.SMTPResponseException as exc:
            if 500 <= exc.code < 600:
                raise PermanentFailure(f"the mail server refused: {exc.code} {exc.message}") from exc
            raise

    def _payload(self, job: _Job) -> dict[str, Any]:
        if job.letter is not None:
            return job.letter.payload()
        return {"type": "withdrawal", "reference": job.reference,
                "detail": "the person withdrew their consent: please delete the data received with this reference"}

    async def _post(self, job: _Job) -> None:
        url, secret = job.partner.webhook, job.partner.secret()
        if not url or not secret:
            raise PermanentFailure(f"the webhook or its secret ({job.partner.secret_env}) is not configured")
        body = json.dumps(self._payload(job), ensure_ascii=False, sort_keys=True).encode()
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as http:
            response = await http.post(url, content=body, headers={
                "Content-Type": "application/json", "X-Intake-Signature": f"sha256={signature}",
                "Idempotency-Key": f"{job.reference}:{job.kind}"})
        if response.status_code < 300:
            return
        if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
            raise PermanentFailure(f"the partner's webhook answered {response.status_code}")
        raise httpx.HTTPStatusError(f"HTTP {response.status_code}", request=response.request, response=response)

    async def run(self, stop: asyncio.Event, every: float = 1.0) -> None:
        """Deliver until ``stop``; an idle look costs one indexed read."""
        while not stop.is_set():
            try:
                await self.deliver()
            except Exception:  # the loop must outlive one bad pass; the row keeps its state
                log.exception("referral courier pass failed")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
