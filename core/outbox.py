"""The sender: delivers outbox rows through the channels, after the turn has committed.

Rows are claimed with a lease (``status=sending``, ``lease_until``) in a short transaction
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the write lock on SQLite), sent with no database
lock held, and settled: successes together, in one transaction per pass of the loop (one
write transaction per message was most of the sender's cost under load, bench/webhook.py),
failures one by one. Messages to one conversation go out in order: a row is only
claimed when no older row of its conversation is still waiting. Failures retry with
exponential backoff; a provider's ``retry_after`` is honoured; an unreachable person is marked
stopped and the rest of their queue cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, select, update

import locales
from channels.base import (
    Channel,
    ChannelError,
    Option,
    Outbound,
    PermanentError,
    RateLimited,
    Sent,
    TemporaryError,
    Unreachable,
)
from core import metrics, privacy
from core.db import Database, utcnow
from core.logs import scrub
from core.models import Contact, Conversation, Message, Outbox
from core.outboxsql import OutboxSQL

__all__ = ["Sender"]

log = logging.getLogger(__name__)

# A claimed row is the sender's while its lease runs; a heartbeat renews the leases of every
# delivery under way, so a lease only runs out when its sender died (a SIGKILL, a host lost):
# then any other sender takes the row within about LEASE + EXPIRED_EVERY.
LEASE = timedelta(seconds=2)
HEARTBEAT = 0.5  # seconds between renewals: four chances before a lease runs out
EXPIRED_EVERY = 0.5  # seconds between looks for leases that ran out (an idle sender too)
# When rows are due but a chat's pace holds them, how soon to look again: a person who
# answers as soon as they read must not wait a recheck more for the reply.
PACE_RECHECK = 0.02
# At shutdown, how long deliveries under way may take to finish and be marked sent; shorter
# than the web process's own shutdown wait (bot.web), so the marks are written.
SETTLE_TIMEOUT = 5.0
# Under load every commit and every delivery wakes the sender, and a pass (a write
# transaction) after each of them cost more server time than the turns themselves
# (bench/webhook.py). With passes at most this often, one pass takes what several turns and
# deliveries left; an idle sender's first pass still starts at once.
PASS_GAP = 0.005
_OUTBOX: Table = Outbox.__table__  # type: ignore[assignment]
MAX_BACKOFF = 300.0
GIVE_UP_AFTER = timedelta(days=2)  # a temporary failure this old becomes permanent


@dataclass(frozen=True, slots=True)
class _Job:
    outbox_id: int
    message_id: int
    contact_id: int
    outbound: Outbound
    attempts: int
    created_at_age: timedelta
    delete: tuple[str, ...] | None = None  # a quick exit: provider ids of ours to delete
    # After an erasure: the provider ids of what we sent and what we received, to forget.
    forget: tuple[tuple[str, ...], tuple[str, ...]] | None = None


class Sender:
    """Delivers pending outbox rows for the channels it was given."""

    def __init__(
        self,
        db: Database,
        channels: Mapping[str, Channel],
        *,
        batch: int = 100,
        poll: float = 1.0,
        # Deliveries under way, including those waiting for their chat's turn: Telegram allows
        # about one message a second per chat, so a question's second message waits a second
        # holding its place. At 64, those waits capped a burst of new Telegram conversations
        # at ~64 second messages a second (bench/webhook.py). The providers' calls themselves
        # are bounded by each channel's connections.
        concurrency: int = 512,
        rates: Mapping[str, float] | None = None,
    ) -> None:
        self.db = db
        self.concurrency = concurrency
        self.channels = dict(channels)
        self.batch = batch
        self.poll = poll
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # Delivered, not yet marked sent: (job, provider ids). Their leases keep them from being
        # claimed again until the next pass writes them down.
        self._delivered: list[tuple[_Job, list[str]]] = []
        self._due_known: tuple[datetime, datetime | None] | None = None  # (looked up at, due)
        self._sql: OutboxSQL | None = None
        self._expired_looked_at: datetime | None = None
        # Rows this sender holds a lease on: claimed, not yet settled (the heartbeat's list).
        self._leased: set[int] = set()
        self._sent_at: dict[int, datetime] = {}
        self._settle_wake: asyncio.Event | None = None
        self._paces: dict[str, timedelta] = {}
        for name, channel in self.channels.items():
            pace = getattr(getattr(channel, "capabilities", None), "pace", None)
            if isinstance(pace, timedelta):
                self._paces[name] = pace
        # Messages a second per channel's sender, shared by all processes (0 or absent: none);
        # ``rates`` overrides what the channels say (a Twilio number's own limit, say).
        self._rates: dict[str, float] = {}
        for name, channel in self.channels.items():
            rate = (rates or {}).get(name, getattr(getattr(channel, "capabilities", None), "rate", None))
            if isinstance(rate, int | float) and rate > 0:
                self._rates[name] = float(rate)

    # -- waking ---------------------------------------------------------------------------

    def wake(self) -> None:
        """Ask the sender to look at the outbox now; callable from any thread."""
        # New rows are due at once (their pass claims them), so the next retry's time known
        # to _next_delay still stands: looking it up again after every turn was a tenth of a
        # busy server's work (bench/webhook.py).
        loop, event = self._loop, self._wake
        if loop is not None and event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(event.set)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; wakes on ``wake()`` or every ``poll`` seconds.

        Each message is delivered by its own task, so one slow or paced chat (Telegram allows
        about one message a second per chat) never holds up the others; ``concurrency`` bounds
        how many deliveries are under way.
        """
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._settle_wake = asyncio.Event()
        inflight: set[asyncio.Task[None]] = set()

        def settled(task: asyncio.Task[None]) -> None:
            inflight.discard(task)
            if self._wake is not None:
                self._wake.set()  # the conversation's next message may go now

        done = asyncio.Event()  # the helpers below stop after the last settling
        helpers = [asyncio.create_task(self._heartbeat(done)), asyncio.create_task(self._settler(done))]
        try:
            await self._loop_until(stop, inflight, settled)
        finally:
            if inflight:  # let deliveries under way settle, so nothing is left half-sent
                await asyncio.wait(inflight, timeout=SETTLE_TIMEOUT)
            await self._settle_delivered()
            done.set()
            self._settle_wake.set()
            await asyncio.gather(*helpers, return_exceptions=True)

    async def _heartbeat(self, done: asyncio.Event) -> None:
        """Renew the leases of the deliveries under way, until ``done``."""
        while not done.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), HEARTBEAT)
            held = sorted(self._leased)
            if not held or done.is_set():
                continue
            try:
                await asyncio.to_thread(self._renew, held)
            except Exception:  # the next beat tries again; LEASE allows several misses
                log.exception("renewing %d leases failed", len(held))

    def _renew(self, held: list[int]) -> None:
        with self._writing(None) as raw:
            self._statements().renew(raw, held, utcnow() + LEASE)

    async def _settler(self, done: asyncio.Event) -> None:
        """Mark deliveries sent as soon as the provider accepted them, several per transaction
        when they come together: a crash then repeats only the sends still under way."""
        assert self._settle_wake is not None
        while not done.is_set():
            await self._settle_wake.wait()
            self._settle_wake.clear()
            await self._settle_delivered()

    async def _loop_until(self, stop: asyncio.Event, inflight: set[asyncio.Task[None]],
                          settled: Callable[[asyncio.Task[None]], None]) -> None:
        assert self._wake is not None
        clock = asyncio.get_running_loop().time
        last_pass = -PASS_GAP
        while not stop.is_set():
            gap = last_pass + PASS_GAP - clock()
            if gap > 0:
                await asyncio.sleep(gap)
            last_pass = clock()
            # Cleared before the pass, not after it: a turn that commits during the pass has
            # set it again, and the wait below returns at once instead of after a poll.
            self._wake.clear()
            room = self.concurrency - len(inflight)
            jobs: list[_Job] = []
            delivered, self._delivered = self._delivered, []
            try:
                # One trip to a thread and one transaction: what was delivered is marked sent,
                # then what is due is claimed (the conversation's next message among it).
                jobs = await asyncio.to_thread(self._pass, delivered, room)
                self._leased.difference_update(job.outbox_id for job, _ in delivered)
            except Exception:  # a database hiccup must not kill the sender
                log.exception("outbox pass failed")
                self._delivered[:0] = delivered  # the leases hold meanwhile; next pass
            self._leased.update(job.outbox_id for job in jobs)
            for job in jobs:
                task = asyncio.create_task(self._deliver(job))
                inflight.add(task)
                task.add_done_callback(settled)
            if jobs:
                continue
            waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            delay = await self._next_delay()
            await asyncio.wait(waiters, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
            for w in waiters:
                w.cancel()

    async def _settle_delivered(self) -> None:
        batch, self._delivered = self._delivered, []
        if not batch:
            return
        try:
            await asyncio.to_thread(self._done, batch)
        except Exception:  # kept for the next pass; the leases hold meanwhile
            log.exception("marking %d deliveries sent failed", len(batch))
            self._delivered[:0] = batch
        else:
            self._leased.difference_update(job.outbox_id for job, _ in batch)

    def _pass(self, delivered: list[tuple[_Job, list[str]]], room: int) -> list[_Job]:
        # One transaction: a commit writes a few pages of WAL, and under load a pass runs
        # every few milliseconds.
        if not delivered and room <= 0:
            return []  # nothing to write down and no room to take more
        with self._writing(None) as raw:
            if delivered:
                self._done(delivered, raw)
            return self._claim(room, raw) if room > 0 else []

    @contextmanager
    def _writing(self, raw: Any) -> Iterator[Any]:
        """The given transaction's driver connection, or a new write transaction."""
        if raw is not None:
            yield raw
            return
        with self._statements().transaction() as own:
            yield own

    async def _next_delay(self) -> float:
        """Sleep until the next retry is due, but never longer than the poll interval. The due
        time is looked up at most twice per interval: under load the loop wakes after every
        delivery, and a query each time was a tenth of a busy sender's work."""
        now = utcnow()
        if self._due_known is None or (now - self._due_known[0]).total_seconds() > self.poll / 2:
            self._due_known = (now, await asyncio.to_thread(self._next_due))
        due = self._due_known[1]
        if due is None or due <= now:
            # Nothing due, or only rows this pass could not take: behind a message of their
            # conversation still under way (its end wakes us), held by another process, or
            # waiting for their chat's pace (nothing wakes us then: look again soon).
            held = self._paces or self._rates
            return min(self.poll, PACE_RECHECK if due is not None and held else EXPIRED_EVERY)
        return max(0.0, min(self.poll, EXPIRED_EVERY, (due - utcnow()).total_seconds()))

    def _next_due(self):  # type: ignore[no-untyped-def]
        with self.db.sessions() as s:
            return s.scalar(
                select(func.min(_OUTBOX.c.next_attempt_at)).where(
                    _OUTBOX.c.status == "pending", _OUTBOX.c.channel.in_(self.channels)
                )
            )

    # -- one pass -------------------------------------------------------------------------

    async def drain_once(self) -> int:
        """Claim what is due, send it, settle it; returns how many rows were attempted."""
        jobs = await asyncio.to_thread(self._claim)
        if not jobs:
            return 0
        await asyncio.gather(*(self._deliver(job) for job in jobs))
        await self._settle_delivered()
        return len(jobs)

    def _statements(self) -> OutboxSQL:
        """The pass's statements, built once per set of channels (the claim names them)."""
        key = tuple(self.channels)
        if self._sql is None or self._sql.channels != key:
            self._sql = OutboxSQL(self.db, key, self._paces)
        return self._sql

    def _claim(self, limit: int | None = None, within: Any = None) -> list[_Job]:
        now = utcnow()
        batch = min(self.batch, limit) if limit is not None else self.batch
        sql = self._statements()
        # A lease runs out only when a process died mid-delivery (or a call outlived LEASE), so
        # those rows are looked for once per poll, not on every pass: under load a pass runs
        # every few milliseconds, and the second query was a sixth of the sender's work.
        expired = self._expired_looked_at is None or (
            now - self._expired_looked_at).total_seconds() >= min(self.poll, EXPIRED_EVERY)
        if expired:
            self._expired_looked_at = now
        with self._writing(within) as raw:
            chosen = sql.claim(raw, now, batch, expired=expired)
            if not chosen:
                return []
            chosen = self._within_rates(sql, raw, chosen, now)
            cancelled = {c.id for c in chosen if c.contact_status != "active" and not c.force}
            if cancelled:
                sql.cancel(raw, sorted(cancelled))
            jobs = [
                _Job(
                    outbox_id=c.id,
                    message_id=c.message_id,
                    contact_id=c.contact_id,
                    delete=sql.sent_ids(raw, c.conversation_id) if c.kind == "delete" else None,
                    forget=_to_forget(c.body, sql.sent_ids(raw, c.conversation_id))
                    if c.kind == "forget" else None,
                    outbound=Outbound(
                        channel=c.channel,
                        address=c.address,
                        text=c.body,
                        options=tuple(Option(x["label"], x["value"]) for x in c.options),
                        key=str(c.id),
                        language=c.language,
                        rtl=locales.is_rtl(c.language),
                        meta={"conversation_id": str(c.conversation_id)},
                    ),
                    attempts=c.attempts + 1,
                    created_at_age=now - c.created_at,
                )
                for c in chosen if c.id not in cancelled
            ]
            if jobs:
                sql.lease(raw, [j.outbox_id for j in jobs], now + LEASE)
            return jobs

    def _within_rates(self, sql: OutboxSQL, raw: Any, chosen: list[Any], now: datetime) -> list[Any]:
        """The claimed rows the channels' senders may send now, oldest first; the rest stay
        pending for a later pass (their row locks go with this transaction)."""
        wanted: dict[str, int] = {}
        for row in chosen:
            if row.channel in self._rates:
                wanted[row.channel] = wanted.get(row.channel, 0) + 1
        if not wanted:
            return chosen
        allowed = {name: sql.take(raw, name, self._rates[name], n, now) for name, n in wanted.items()}
        kept = []
        for row in chosen:
            if row.channel in allowed:
                if allowed[row.channel] <= 0:
                    continue
                allowed[row.channel] -= 1
            kept.append(row)
        return kept

    async def _deliver(self, job: _Job) -> None:
        channel = self.channels[job.outbound.channel]
        try:
            if job.delete is not None:
                if job.delete:
                    await channel.delete_messages(job.outbound.address, list(job.delete))
                sent = Sent()
            elif job.forget is not None:
                await channel.forget(job.outbound.address, *job.forget)
                await asyncio.to_thread(self._forgotten, job)
                sent = Sent()
            else:
                sent = await channel.send(job.outbound)
        except RateLimited as exc:
            await asyncio.to_thread(self._retry, job, exc.retry_after, "rate_limited", str(exc))
        except TemporaryError as exc:
            if job.created_at_age > GIVE_UP_AFTER:
                await asyncio.to_thread(self._fail, job, "expired", str(exc))
            else:
                backoff = min(MAX_BACKOFF, 2 ** min(job.attempts, 10)) * random.uniform(0.8, 1.2)
                await asyncio.to_thread(self._retry, job, backoff, "temporary", str(exc))
        except Unreachable as exc:
            await asyncio.to_thread(self._unreachable, job, str(exc))
        except (PermanentError, ChannelError) as exc:
            await asyncio.to_thread(self._fail, job, "permanent", str(exc))
        except Exception as exc:  # an adapter bug: keep the message, try later
            log.exception("channel %s raised unexpectedly", job.outbound.channel)
            await asyncio.to_thread(self._retry, job, 30.0, "bug", type(exc).__name__)
        else:
            # When the provider took it: a chat's pace runs from here, not from the settling.
            self._sent_at[job.outbox_id] = utcnow()
            pace = self._paces.get(job.outbound.channel)
            if pace is not None and self._loop is not None and self._wake is not None:
                # The chat's next message may go one pace from now: look then, not a poll later.
                self._loop.call_later(pace.total_seconds() + 0.005, self._wake.set)
            self._delivered.append((job, list(sent.provider_ids)))
            # On PostgreSQL, at once, beside the claims. SQLite has one writer: there a
            # transaction of its own per settling cost the turns' latency (a p99 of 108 ms
            # against 64 at 500 turns a second, bench/webhook.py), so the next pass, a few
            # milliseconds away, writes it with its claim.
            if self._settle_wake is not None and self._statements().turn.postgres:
                self._settle_wake.set()
            return
        self._leased.discard(job.outbox_id)  # retried, failed or cancelled: settled already

    # -- settling -------------------------------------------------------------------------

    def _done(self, delivered: list[tuple[_Job, list[str]]], within: Any = None) -> None:
        now = utcnow()
        times = [self._sent_at.get(job.outbox_id, now) for job, _ in delivered]
        with self._writing(within) as raw:  # executemany: one statement per table
            self._statements().settle(raw, [(job.outbox_id, job.message_id, ids) for job, ids in delivered],
                                      now, times)
        for job, _ in delivered:
            self._sent_at.pop(job.outbox_id, None)
        for job, _ in delivered:
            metrics.SENT.labels(job.outbound.channel).inc()

    def _retry(self, job: _Job, delay: float, reason: str, detail: str) -> None:
        with self.db.transaction() as s:
            s.execute(
                update(Outbox)
                .where(Outbox.id == job.outbox_id)
                .values(
                    status="pending",
                    lease_until=None,
                    next_attempt_at=utcnow() + timedelta(seconds=delay),
                    last_error=scrub(f"{reason}: {detail}")[:200],
                )
            )
        self._due_known = None  # a retry is now due at its own time
        metrics.RETRIED.labels(job.outbound.channel, reason).inc()
        log.warning("delivery of outbox %s delayed %.1fs (%s)", job.outbox_id, delay, reason)

    def _forgotten(self, job: _Job) -> None:
        with self.db.transaction() as s:
            privacy.forgotten(s, job.contact_id, job.message_id)

    def _fail(self, job: _Job, reason: str, detail: str) -> None:
        if job.forget is not None:  # asked and refused: keep no provider id all the same
            self._forgotten(job)
        with self.db.transaction() as s:
            s.execute(
                update(Outbox)
                .where(Outbox.id == job.outbox_id)
                .values(status="failed", lease_until=None, last_error=scrub(f"{reason}: {detail}")[:200])
            )
            s.execute(update(Message).where(Message.id == job.message_id).values(status="failed"))
        metrics.FAILED.labels(job.outbound.channel, reason).inc()
        log.warning("delivery of outbox %s failed (%s)", job.outbox_id, reason)

    def _unreachable(self, job: _Job, detail: str) -> None:
        """The person blocked us or opted out: stop the conversation, cancel what waits."""
        with self.db.transaction() as s:
            s.execute(update(Contact).where(Contact.id == job.contact_id).values(status="stopped"))
            s.execute(
                update(Conversation)
                .where(Conversation.contact_id == job.contact_id, Conversation.status == "bot")
                .values(status="stopped")
            )
            s.execute(
                update(Outbox)
                .where(Outbox.conversation_id.in_(  # its index: the outbox has none by contact
                    select(Conversation.id).where(Conversation.contact_id == job.contact_id)),
                    Outbox.status.in_(("pending", "sending")))
                .values(status="cancelled", lease_until=None, last_error=scrub(f"unreachable: {detail}")[:200])
            )
            s.execute(update(Message).where(Message.id == job.message_id).values(status="failed"))
        metrics.FAILED.labels(job.outbound.channel, "unreachable").inc()


def _to_forget(body: str, sent_since: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ids a "forget" row names (kept in its encrypted body), and those of what went out
    after the erasure (its confirmation)."""
    try:
        named = json.loads(body or "{}")
    except ValueError:
        named = {}
    sent = tuple(dict.fromkeys((*named.get("sent", ()), *sent_since)))
    return sent, tuple(named.get("received", ()))
