"""The sender's hot statements, written for the database driver: claim, lease, settle.

Under load the sender runs a pass every few milliseconds: mark what was delivered as sent,
claim what is due, lease it. Through SQLAlchemy Core each statement cost more Python than the
driver's work (compiling, parameter processing, result types): the passes took a seventh of
a busy webhook server's time, more than the turns' own SQL (bench/webhook.py). Here, as for
the turn (core.turnsql, whose value encodings these share), a statement costs what the driver
costs. Rare paths (retries, failures, the unreachable) stay on the ORM in core.outbox.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.db import Database
from core.turnsql import TurnSQL

__all__ = ["Claimed", "OutboxSQL"]

# Only the oldest undelivered row of each conversation may go: order is kept, and one waiting
# on a retry does not hold the others up. Each query walks an index of what is due (never the
# whole outbox, which keeps every row ever sent); the older-row check probes the conversation's
# own rows; one joined read brings the address and the text.
ROWS = (
    "SELECT o.id, o.message_id, o.conversation_id, o.contact_id, o.channel, o.kind, o.force, "
    "o.address, o.options, o.language, o.attempts, o.created_at, c.status, c.address, m.body "
    "FROM outbox o JOIN contact c ON c.id = o.contact_id JOIN message m ON m.id = o.message_id "
    "WHERE o.channel IN ({channels}) AND NOT EXISTS (SELECT 1 FROM outbox older "
    "WHERE older.conversation_id = o.conversation_id AND older.id < o.id "
    "AND older.status IN ('pending', 'sending')) "
)
# A paced channel's chat gets its next message only ``pace`` after its last one went: every
# sender process reads the same rows, so two workers keep the pace together.
PACED = ("AND NOT EXISTS (SELECT 1 FROM outbox prev WHERE prev.conversation_id = o.conversation_id "
         "AND prev.status = 'sent' AND prev.sent_at > CASE o.channel {cases} ELSE :never END) ")
DUE = "AND o.status = 'pending' AND o.next_attempt_at <= :now ORDER BY o.next_attempt_at, o.id LIMIT :batch"
EXPIRED = "AND o.status = 'sending' AND o.lease_until < :now LIMIT :batch"
LEASE = "UPDATE outbox SET status = 'sending', lease_until = :until, attempts = attempts + 1 WHERE id = :oid"
# The heartbeat: a delivery still under way keeps its row; a dead sender's rows run out soon.
RENEW = "UPDATE outbox SET lease_until = :until WHERE id = :oid AND status = 'sending'"
CANCEL = "UPDATE outbox SET status = 'cancelled' WHERE id = :oid"
# Settling: only rows still out for delivery (one cancelled meanwhile, by an erasure or a quick
# exit, stays cancelled). The kept address is dropped once delivered.
# A row cancelled while it was with the provider (an erasure, a quick exit) stays cancelled
# but keeps the provider's ids, so that what went out can still be deleted there.
MARK_SENT = (
    "UPDATE outbox SET status = CASE WHEN status = 'sending' THEN 'sent' ELSE status END, "
    "sent_at = :now, lease_until = NULL, provider_ids = :pids, address = NULL "
    "WHERE id = :oid AND status IN ('sending', 'cancelled')"
)
# The first provider id lets delivery reports find the message; an erased message keeps
# nothing that points at the provider's copy.
MARK_MESSAGE_SENT = "UPDATE message SET status = 'sent', delivery_ref = :ref WHERE id = :mid AND kind != 'erased'"
# The token bucket of a channel's sender (core.models.SendRate), read under its row lock.
RATE_ROW = "SELECT tokens, updated_at FROM send_rate WHERE channel = :ch"
RATE_NEW = "INSERT INTO send_rate (channel, tokens, updated_at) VALUES (:ch, :tokens, :now) ON CONFLICT (channel) DO NOTHING"
RATE_SET = "UPDATE send_rate SET tokens = :tokens, updated_at = :now WHERE channel = :ch"
SENT_IDS = "SELECT provider_ids FROM outbox WHERE conversation_id = :conv AND status IN ('sent', 'cancelled')"


@dataclass(frozen=True, slots=True)
class Claimed:
    """A claimed outbox row with what delivering it needs, decoded."""

    id: int
    message_id: int
    conversation_id: int
    contact_id: int
    channel: str
    kind: str
    force: bool
    address: str  # the one kept for a confirmation after erasure, else the contact's ("": none)
    options: list[dict[str, str]]
    language: str
    attempts: int
    created_at: datetime
    contact_status: str
    body: str


class OutboxSQL:
    """The statements for one backend and one set of channels (the claim names them)."""

    def __init__(self, db: Database, channels: Sequence[str],
                 paces: Mapping[str, timedelta] | None = None) -> None:
        self.db = db
        self.turn = TurnSQL(db.dialect, db.cipher)  # its placeholders and value encodings
        self.channels = tuple(channels)
        self._channel_params = {f"ch{i}": name for i, name in enumerate(self.channels)}
        self.paces = {name: pace for name, pace in (paces or {}).items() if name in self.channels}
        names = ", ".join(f":ch{i}" for i in range(len(self.channels))) or "NULL"
        lock = " FOR UPDATE OF o SKIP LOCKED" if self.turn.postgres else ""
        prepare = self.turn.prepare
        rows = ROWS.format(channels=names)
        if self.paces:
            index = {name: i for i, name in enumerate(self.channels)}
            rows += PACED.format(cases=" ".join(f"WHEN :ch{index[n]} THEN :cut{index[n]}" for n in self.paces))
        self.due = prepare(rows + DUE + lock)
        self.expired = prepare(ROWS.format(channels=names) + EXPIRED + lock)
        self.lease_sql, self.cancel_sql, self.renew_sql = prepare(LEASE), prepare(CANCEL), prepare(RENEW)
        self.mark_sent, self.mark_message_sent = prepare(MARK_SENT), prepare(MARK_MESSAGE_SENT)
        self.sent_ids_sql = prepare(SENT_IDS)
        self.rate_row = prepare(RATE_ROW + (" FOR UPDATE" if self.turn.postgres else ""))
        self.rate_new, self.rate_set = prepare(RATE_NEW), prepare(RATE_SET)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """A write transaction on the driver connection: on SQLite the one turns use, under
        the same write lock, begun IMMEDIATE; committed on success, rolled back on error."""
        with self.db.turn_connection() as pooled:
            raw = pooled.driver_connection
            assert raw is not None  # only an invalidated connection has none
            if not self.turn.postgres:  # psycopg begins on the first statement
                raw.execute("BEGIN IMMEDIATE")
            try:
                yield raw
            except BaseException:
                raw.rollback()
                raise
            raw.commit()

    def claim(self, raw: Any, now: datetime, batch: int, *, expired: bool) -> list[Claimed]:
        """Up to ``batch`` rows that may go now, oldest first; leases that ran out too when
        ``expired``. Not yet leased: see ``lease``."""
        params: dict[str, Any] = {**self._channel_params, "now": self.turn.time(now), "batch": batch}
        if self.paces:
            params["never"] = self.turn.time(now + timedelta(days=3650))
            for i, name in enumerate(self.channels):
                if name in self.paces:
                    params[f"cut{i}"] = self.turn.time(now - self.paces[name])
        found: dict[int, Sequence[Any]] = {}
        for query in (self.expired, self.due) if expired else (self.due,):
            for row in raw.execute(query, params):
                found[row[0]] = row
        return [self._decode(found[i]) for i in sorted(found)[:batch]]

    def _decode(self, row: Sequence[Any]) -> Claimed:
        decrypt = self.turn.cipher.decrypt
        kept, own = row[7], row[13]
        address = decrypt(kept) if kept is not None else ""
        if not address and own is not None:  # the contact's own, decrypted only when needed
            address = decrypt(own)
        created = self.turn.read_time(row[11])
        assert created is not None  # NOT NULL in the schema
        return Claimed(
            id=row[0], message_id=row[1], conversation_id=row[2], contact_id=row[3], channel=row[4],
            kind=row[5], force=bool(row[6]), address=address,
            options=self.turn.read_json(row[8]) or [], language=row[9], attempts=row[10],
            created_at=created, contact_status=row[12], body=decrypt(row[14]) if row[14] is not None else "",
        )

    def lease(self, raw: Any, ids: Sequence[int], until: datetime) -> None:
        when = self.turn.time(until)
        raw.cursor().executemany(self.lease_sql, [{"oid": oid, "until": when} for oid in ids])

    def take(self, raw: Any, channel: str, rate: float, wanted: int, now: datetime) -> int:
        """How many of ``wanted`` messages the channel's sender may send now, at ``rate`` a
        second with a burst of one second's worth; the bucket's row stays locked until the
        claim commits, so concurrent claims share it."""
        when = self.turn.time(now)
        raw.execute(self.rate_new, {"ch": channel, "tokens": rate, "now": when})
        tokens, updated = raw.execute(self.rate_row, {"ch": channel}).fetchone()
        since = self.turn.read_time(updated)
        elapsed = max(0.0, (now - since).total_seconds()) if since is not None else 0.0
        tokens = min(rate, float(tokens) + rate * elapsed)
        taken = min(wanted, int(tokens))
        raw.execute(self.rate_set, {"ch": channel, "tokens": tokens - taken, "now": when})
        return taken

    def renew(self, raw: Any, ids: Sequence[int], until: datetime) -> None:
        when = self.turn.time(until)
        raw.cursor().executemany(self.renew_sql, [{"oid": oid, "until": when} for oid in ids])

    def cancel(self, raw: Any, ids: Sequence[int]) -> None:
        raw.cursor().executemany(self.cancel_sql, [{"oid": oid} for oid in ids])

    def sent_ids(self, raw: Any, conversation_id: int) -> tuple[str, ...]:
        """Every provider message id we sent in this conversation (for a quick exit)."""
        ids: list[str] = []
        for (provider_ids,) in raw.execute(self.sent_ids_sql, {"conv": conversation_id}):
            ids.extend(self.turn.read_json(provider_ids) or [])
        return tuple(ids)

    def settle(self, raw: Any, delivered: Sequence[tuple[int, int, list[str]]], now: datetime,
               times: Sequence[datetime] | None = None) -> None:
        """Mark delivered rows sent: (outbox id, message id, provider ids) each; ``times`` says
        when each went (the chat's pace runs from then), else ``now``."""
        at = [self.turn.time(t) for t in times] if times else [self.turn.time(now)] * len(delivered)
        cursor = raw.cursor()
        cursor.executemany(self.mark_sent, [
            {"oid": oid, "pids": self.turn.json(pids), "now": when}
            for (oid, _, pids), when in zip(delivered, at, strict=True)])
        cursor.executemany(self.mark_message_sent, [
            {"mid": mid, "ref": pids[0][:64] if pids else None} for _, mid, pids in delivered])
