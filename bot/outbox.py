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
import logging
import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Select,
    Table,
    Update,
    bindparam,
    false,
    func,
    or_,
    select,
    update,
)

import locales
from bot import metrics
from bot.db import Database, utcnow
from bot.logs import scrub
from bot.models import Contact, Conversation, Message, Outbox
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

__all__ = ["Sender"]

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
# At shutdown, how long deliveries under way may take to finish and be marked sent; shorter
# than the web process's own shutdown wait (bot.web), so the marks are written.
SETTLE_TIMEOUT = 5.0
# Under load every commit and every delivery wakes the sender, and a pass after each of them
# (a write transaction, through SQLAlchemy) cost more server time than the turns themselves
# (bench/webhook.py). Passes at most this often let a pass take what a few of them left; an
# idle sender's first pass still starts at once.
PASS_GAP = 0.005
_OUTBOX: Table = Outbox.__table__  # type: ignore[assignment]
_MESSAGE: Table = Message.__table__  # type: ignore[assignment]
_CONTACT: Table = Contact.__table__  # type: ignore[assignment]
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


# Settling, built once like the claim's statements. Only rows still out for delivery: one
# cancelled meanwhile (an erasure, a quick exit) stays cancelled.
_MARK_SENT = (
    update(_OUTBOX).where(_OUTBOX.c.id == bindparam("oid"), _OUTBOX.c.status == "sending")
    .values(status="sent", sent_at=bindparam("now", type_=_OUTBOX.c.sent_at.type), lease_until=None,
            provider_ids=bindparam("pids", type_=_OUTBOX.c.provider_ids.type), address=None)
)
# The first provider id lets delivery reports find the message; an erased message keeps
# nothing that points at the provider's copy.
_MARK_MESSAGE_SENT = (
    update(_MESSAGE).where(_MESSAGE.c.id == bindparam("mid"), _MESSAGE.c.kind != "erased")
    .values(status="sent", delivery_ref=bindparam("ref"))
)


def of_channels(outbox: Any, channels: tuple[str, ...]) -> Any:
    """``channel IN (...)`` as plain comparisons: SQLAlchemy renders an IN over a list anew
    on every run (a regular expression over the SQL), which was a tenth of a claim's cost."""
    return or_(*(outbox.c.channel == name for name in channels)) if channels else false()


@dataclass(frozen=True, slots=True)
class _Claiming:
    """The statements that claim due rows for a set of channels (see Sender._claim)."""

    channels: tuple[str, ...]
    due: Select[Any]
    expired: Select[Any]
    lease: Update
    cancel: Update

    @classmethod
    def build(cls, channels: tuple[str, ...]) -> _Claiming:
        o, c, m = _OUTBOX, _CONTACT, _MESSAGE
        # Only the oldest undelivered row of each conversation may go: order is kept and a
        # conversation waiting on a retry does not block the others. Each query walks an index
        # of what is due (never the whole outbox, which keeps every row ever sent), the older-
        # row check probes the conversation's own rows, and one joined read brings the address
        # and the text: Core rows, no ORM objects.
        older = o.alias("older")
        waiting_behind = (
            select(older.c.id)
            .where(older.c.conversation_id == o.c.conversation_id, older.c.id < o.c.id,
                   older.c.status.in_(("pending", "sending")))
            .exists()
        )
        rows = (
            select(o.c.id, o.c.message_id, o.c.conversation_id, o.c.contact_id, o.c.channel,
                   o.c.kind, o.c.force, o.c.address, o.c.options, o.c.language, o.c.attempts,
                   o.c.created_at, c.c.status.label("contact_status"),
                   c.c.address.label("contact_address"), m.c.body)
            .select_from(o.join(c, c.c.id == o.c.contact_id).join(m, m.c.id == o.c.message_id))
            .where(of_channels(o, channels), ~waiting_behind)
            .limit(bindparam("batch"))
            .with_for_update(of=o, skip_locked=True)
        )
        oid: BindParameter[Any] = bindparam("oid")
        return cls(
            channels=channels,
            due=rows.where(o.c.status == "pending", o.c.next_attempt_at <= bindparam("now"))
                    .order_by(o.c.next_attempt_at, o.c.id),
            expired=rows.where(o.c.status == "sending", o.c.lease_until < bindparam("now")),
            # By id, run as executemany: an IN over a list is compiled again on every run.
            lease=update(o).where(o.c.id == oid).values(
                status="sending", lease_until=bindparam("until", type_=o.c.lease_until.type),
                attempts=o.c.attempts + 1),
            cancel=update(o).where(o.c.id == oid).values(status="cancelled"),
        )


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
        self._claiming: _Claiming | None = None
        self._expired_looked_at: datetime | None = None

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
        inflight: set[asyncio.Task[None]] = set()

        def settled(task: asyncio.Task[None]) -> None:
            inflight.discard(task)
            if self._wake is not None:
                self._wake.set()  # the conversation's next message may go now

        try:
            await self._loop_until(stop, inflight, settled)
        finally:
            if inflight:  # let deliveries under way settle, so nothing is left half-sent
                await asyncio.wait(inflight, timeout=SETTLE_TIMEOUT)
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
            except Exception:  # a database hiccup must not kill the sender
                log.exception("outbox pass failed")
                self._delivered[:0] = delivered  # the leases hold meanwhile; next pass
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

    def _pass(self, delivered: list[tuple[_Job, list[str]]], room: int) -> list[_Job]:
        # One transaction: a commit writes a few pages of WAL, and under load a pass runs
        # after nearly every delivery.
        if not delivered and room <= 0:
            return []  # nothing to write down and no room to take more
        with self._writing(None) as conn:
            if delivered:
                self._done(delivered, conn)
            return self._claim(room, conn) if room > 0 else []

    @contextmanager
    def _writing(self, conn: Connection | None) -> Iterator[Connection]:
        """The given transaction's connection, or a new write transaction."""
        if conn is not None:
            yield conn
            return
        with self.db.write_lock, self.db.engine.begin() as own:
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
            # conversation still under way (its end wakes us) or held by another process.
            return self.poll
        return max(0.0, min(self.poll, (due - utcnow()).total_seconds()))

    def _next_due(self):  # type: ignore[no-untyped-def]
        with self.db.sessions() as s:
            return s.scalar(
                select(func.min(_OUTBOX.c.next_attempt_at)).where(
                    _OUTBOX.c.status == "pending", of_channels(_OUTBOX, tuple(self.channels))
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

    def _statements(self) -> _Claiming:
        """The claim's statements, built once per set of channels: the sender claims after
        nearly every delivery, and building them (an alias, two selects, the updates) cost
        more than running them (bench/webhook.py)."""
        key = tuple(self.channels)
        if self._claiming is None or self._claiming.channels != key:
            self._claiming = _Claiming.build(key)
        return self._claiming

    def _claim(self, limit: int | None = None, within: Connection | None = None) -> list[_Job]:
        now = utcnow()
        batch = min(self.batch, limit) if limit is not None else self.batch
        sql = self._statements()
        params = {"now": now, "batch": batch}
        # A lease runs out only when a process died mid-delivery (or a call outlived LEASE), so
        # those rows are looked for once per poll, not on every pass: under load a pass follows
        # nearly every delivery, and the second query was a sixth of the sender's work.
        queries: tuple[Select[Any], ...] = (sql.due,)
        if self._expired_looked_at is None or (now - self._expired_looked_at).total_seconds() >= self.poll:
            queries, self._expired_looked_at = (sql.expired, sql.due), now
        with self._writing(within) as conn:
            found = {row.id: row for query in queries for row in conn.execute(query, params)}
            chosen = [found[i] for i in sorted(found)][:batch]
            if not chosen:
                return []
            cancelled = [r.id for r in chosen if r.contact_status != "active" and not r.force]
            if cancelled:
                conn.execute(sql.cancel, [{"oid": oid} for oid in cancelled])
            jobs = []
            for row in chosen:
                if row.id in cancelled:
                    continue
                jobs.append(_Job(
                    outbox_id=row.id,
                    message_id=row.message_id,
                    contact_id=row.contact_id,
                    delete=self._sent_ids(conn, row.conversation_id) if row.kind == "delete" else None,
                    outbound=Outbound(
                        channel=row.channel,
                        address=row.address or row.contact_address,
                        text=row.body,
                        options=tuple(Option(x["label"], x["value"]) for x in row.options or ()),
                        key=str(row.id),
                        language=row.language,
                        rtl=locales.is_rtl(row.language),
                        meta={"conversation_id": str(row.conversation_id)},
                    ),
                    attempts=row.attempts + 1,
                    created_at_age=now - row.created_at,
                ))
            if jobs:
                until = now + LEASE
                conn.execute(sql.lease, [{"oid": j.outbox_id, "until": until} for j in jobs])
            return jobs

    @staticmethod
    def _sent_ids(conn: Any, conversation_id: int) -> tuple[str, ...]:
        """Every provider message id we sent in this conversation (for a quick exit)."""
        ids: list[str] = []
        for (provider_ids,) in conn.execute(
            select(_OUTBOX.c.provider_ids).where(
                _OUTBOX.c.conversation_id == conversation_id, _OUTBOX.c.status == "sent")
        ):
            ids.extend(provider_ids or [])
        return tuple(ids)

    async def _deliver(self, job: _Job) -> None:
        channel = self.channels[job.outbound.channel]
        try:
            if job.delete is not None:
                delete = getattr(channel, "delete_messages", None)
                if delete is not None and job.delete:
                    await delete(job.outbound.address, list(job.delete))
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
            self._delivered.append((job, list(sent.provider_ids)))

    # -- settling -------------------------------------------------------------------------

    def _done(self, delivered: list[tuple[_Job, list[str]]], within: Connection | None = None) -> None:
        now = utcnow()
        with self._writing(within) as conn:  # Core executemany: one statement per table
            conn.execute(_MARK_SENT, [{"oid": job.outbox_id, "pids": ids, "now": now} for job, ids in delivered])
            conn.execute(_MARK_MESSAGE_SENT, [{"mid": job.message_id, "ref": ids[0][:64] if ids else None}
                                              for job, ids in delivered])
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

    def _fail(self, job: _Job, reason: str, detail: str) -> None:
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
                .where(Outbox.contact_id == job.contact_id, Outbox.status.in_(("pending", "sending")))
                .values(status="cancelled", lease_until=None, last_error=scrub(f"unreachable: {detail}")[:200])
            )
            s.execute(update(Message).where(Message.id == job.message_id).values(status="failed"))
        metrics.FAILED.labels(job.outbound.channel, "unreachable").inc()
