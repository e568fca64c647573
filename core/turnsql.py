"""The statements of an ordinary turn, written for the database driver itself.

A turn is a handful of statements: lock the person, read their conversation, store the
message (which is also the duplicate check), update two rows, queue the replies. Through the
ORM's unit of work each statement cost ~75 µs of Python before the driver saw it, three
quarters of a turn (bench/engine.py profiles it); here a statement costs what the driver
costs. The ORM stays for the rare paths (handoff, erasure, the console): they load the same
rows by id, in the same transaction, after these statements have run.

Both backends share one text per statement: ``?`` placeholders (sqlite3's style) become ``%s``
for psycopg, and ``:name`` ones (for the rarer statements of other modules) ``%(name)s``. The
turn's own statements take their values positionally: a tuple binds in a fraction of the time
a dict of names does, which over a turn's ~50 values was 4% of it (bench/engine.py). Values are stored exactly as the ORM's column types store them
(core.models), so either side reads what the other wrote: timestamps as UTC text on SQLite
and ``timestamptz`` on PostgreSQL, JSON as text or ``json``, personal text as tokens of core.crypto.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from core import jsondoc, wakeup
from core.crypto import Cipher

__all__ = ["ContactRow", "ConversationRow", "OutboundRow", "TurnSQL"]

# Timestamps on SQLite are text in SQLAlchemy's DateTime format ("2026-11-28 08:20:53.000123",
# UTC, always with microseconds): comparisons in SQL stay correct only if every writer uses it.

# Each statement's values, in order, are named beside it.
CONTACT = "SELECT id, status, last_inbound_at FROM contact WHERE channel = ? AND address_hash = ?"  # channel, digest
NEW_CONTACT = (  # channel, digest, address, now
    "INSERT INTO contact (channel, address_hash, address, status, created_at) "
    "VALUES (?, ?, ?, 'active', ?) ON CONFLICT (channel, address_hash) DO NOTHING"
)
CONVERSATION_COLUMNS = "id, contact_id, channel, flow, state, record, expecting, outcome, " \
                       "language, status, source, version, window_started_at, window_count, " \
                       "language_source, updated_at"
LATEST = f"SELECT {CONVERSATION_COLUMNS} FROM conversation WHERE contact_id = ? ORDER BY id DESC LIMIT 1"
# SQLite only: the transaction began IMMEDIATE, so nothing can change between the two reads and
# one statement can do both. (On PostgreSQL the conversation must be read after the contact's
# lock is granted, in a fresh snapshot; a join would return the row as it was before waiting.)
CONTACT_AND_LATEST = (
    "SELECT c.id, c.status, c.last_inbound_at, "
    + ", ".join(f"v.{name.strip()}" for name in CONVERSATION_COLUMNS.split(","))
    + " FROM contact c LEFT JOIN conversation v ON v.id = "
    "(SELECT max(id) FROM conversation WHERE contact_id = c.id) "
    "WHERE c.channel = ? AND c.address_hash = ?"  # channel, digest
)
NEW_CONVERSATION = (  # contact, channel, flow, record, language, source, now, now, window started,
    # count, language source
    "INSERT INTO conversation (contact_id, channel, flow, state, record, language, status, source, "
    "version, created_at, updated_at, window_started_at, window_count, language_source) "
    "VALUES (?, ?, ?, '', ?, ?, 'bot', ?, 0, ?, ?, ?, ?, ?)"
)
# ON CONFLICT DO NOTHING on (channel, provider_id): a provider's retry stores nothing (no row
# counted), which is how the turn learns it is a duplicate; a racing process waits for the
# first one's commit instead of failing.
INBOUND = (  # conversation, channel, kind, body, provider id, turn, now
    "INSERT INTO message (conversation_id, channel, direction, author, kind, body, provider_id, "
    "turn, status, created_at) VALUES (?, ?, 'in', 'person', ?, ?, ?, ?, 'received', ?) "
    "ON CONFLICT DO NOTHING"
)
OUTBOUND = (  # conversation, channel, author, kind, body, turn, now
    "INSERT INTO message (conversation_id, channel, direction, author, kind, body, turn, status, "
    "created_at) VALUES (?, ?, 'out', ?, ?, ?, ?, 'queued', ?)"
)
OUTBOX = (  # message (twice: the row takes its id), conversation, contact, channel, force, options,
    # language, now (twice)
    "INSERT INTO outbox (id, message_id, conversation_id, contact_id, channel, kind, force, options, "
    "language, status, attempts, next_attempt_at, provider_ids, created_at) "
    "VALUES (?, ?, ?, ?, ?, 'message', ?, ?, ?, 'pending', 0, ?, '[]', ?)"
)
SAVE_CONTACT = "UPDATE contact SET status = ?, last_inbound_at = ? WHERE id = ?"
SAVE_CONVERSATION = (
    "UPDATE conversation SET state = ?, record = ?, expecting = ?, outcome = ?, language = ?, "
    "status = ?, version = ?, updated_at = ?, window_started_at = ?, window_count = ?, "
    "language_source = ? WHERE id = ?"
)


# How stale the contact's last-seen time may get before a turn writes it again (core.models).
SEEN_EVERY = timedelta(minutes=1)


@dataclass(slots=True)
class ContactRow:
    """The contact columns a turn reads and writes; ``_stored`` is what the row holds, so that
    a turn that changes nothing of substance leaves the row (and its page) out of the commit."""

    id: int
    status: str
    last_inbound_at: datetime | None
    _stored: tuple[str, datetime | None] = ("", None)

    def seen(self, now: datetime) -> None:
        """The person wrote at ``now``."""
        if self.last_inbound_at is None or now - self.last_inbound_at >= SEEN_EVERY:
            self.last_inbound_at = now


@dataclass(slots=True)
class ConversationRow:
    """The conversation columns a turn reads and writes; ``_record_token`` avoids
    re-encrypting a record the step did not change."""

    id: int
    contact_id: int
    channel: str
    flow: str
    state: str
    record: dict[str, Any]
    expecting: dict[str, Any] | None
    outcome: dict[str, Any] | None
    language: str | None
    status: str
    source: str | None
    version: int
    window_started_at: datetime | None = None
    window_count: int = 0
    language_source: str | None = None
    updated_at: datetime | None = None  # as read: when a closed conversation was closed
    _record_token: str | None = None
    _record_seen: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class OutboundRow:
    """One reply to store and queue."""

    text: str
    kind: str
    options: Sequence[tuple[str, str]]


class HasStatus(Protocol):
    id: int
    status: str


class HasTurn(Protocol):
    id: int
    channel: str
    version: int


class TurnSQL:
    """The turn's statements for one backend ("sqlite" or "postgresql") and cipher."""

    def __init__(self, dialect: str, cipher: Cipher) -> None:
        self.postgres = dialect == "postgresql"
        self.cipher = cipher
        self._last_time: tuple[datetime | None, str] = (None, "")
        convert = self.prepare
        self.contact = convert(CONTACT + (" FOR UPDATE" if self.postgres else ""))
        self.new_contact = convert(NEW_CONTACT)
        self.latest = convert(LATEST)
        self.contact_and_latest = CONTACT_AND_LATEST  # SQLite's only
        self.new_conversation_sql = self.returning(NEW_CONVERSATION)
        self.inbound = convert(INBOUND)
        self.outbound = self.returning(OUTBOUND)
        self.outbox = convert(OUTBOX)
        self.save_contact_sql = convert(SAVE_CONTACT)
        self.save_conversation_sql = convert(SAVE_CONVERSATION)

    @staticmethod
    def _pyformat(sql: str) -> str:
        return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql).replace("?", "%s")

    def prepare(self, sql: str) -> str:
        """A statement written with ``?`` or ``:name`` placeholders, for this backend's driver."""
        return self._pyformat(sql) if self.postgres else sql

    # An INSERT's new id: the cursor's lastrowid on SQLite, where RETURNING made a turn a tenth
    # dearer (bench/engine.py); RETURNING on PostgreSQL, which has no lastrowid.

    def returning(self, insert: str) -> str:
        """``insert`` prepared for this backend so that ``new_id`` can read its row's id."""
        return self.prepare(insert + " RETURNING id" if self.postgres else insert)

    def new_id(self, cursor: Any) -> int:
        return int(cursor.fetchone()[0] if self.postgres else cursor.lastrowid)

    # -- values as the ORM's column types store them ------------------------------------------

    def time(self, value: datetime | None) -> Any:
        if value is None or self.postgres:
            return value
        last = self._last_time  # a turn writes its one timestamp several times: format it once
        if last[0] is value:
            return last[1]
        text = value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        self._last_time = (value, text)
        return text

    def read_time(self, value: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    @staticmethod
    def json(value: Any) -> str | None:
        return None if value is None else jsondoc.dumps(value)

    @staticmethod
    def read_json(value: Any) -> Any:
        return jsondoc.loads(value) if isinstance(value, str) else value

    # -- statements ---------------------------------------------------------------------------

    def open_turn(
        self, raw: Any, channel: str, digest: str, address: str, now: datetime
    ) -> tuple[ContactRow, ConversationRow | None]:
        """Get or create the contact, locked for this transaction, and its latest conversation.

        PostgreSQL locks the row (FOR UPDATE); on SQLite the transaction began IMMEDIATE and
        already holds the database's write lock."""
        params = (channel, digest)
        if not self.postgres:
            row = raw.execute(self.contact_and_latest, params).fetchone()
            if row is not None:
                return self._contact(row), self._conversation(row[3:]) if row[3] is not None else None
        else:
            row = raw.execute(self.contact, params).fetchone()
            if row is not None:
                latest = raw.execute(self.latest, (row[0],)).fetchone()
                return self._contact(row), self._conversation(latest) if latest is not None else None
        raw.execute(self.new_contact, (channel, digest, self.cipher.encrypt(address), self.time(now)))
        # Selected again: a racing first message may have inserted the row instead of us.
        row = raw.execute(self.contact, params).fetchone()
        latest = raw.execute(self.latest, (row[0],)).fetchone()
        return self._contact(row), self._conversation(latest) if latest is not None else None

    def _contact(self, row: Sequence[Any]) -> ContactRow:
        seen = self.read_time(row[2])
        return ContactRow(row[0], row[1], seen, (row[1], seen))

    def _conversation(self, row: Sequence[Any]) -> ConversationRow:
        token = row[5]
        record = self.cipher.decrypt_json(token) if token is not None else {}
        return ConversationRow(
            id=row[0], contact_id=row[1], channel=row[2], flow=row[3], state=row[4] or "",
            record=record or {}, expecting=self.read_json(row[6]), outcome=self.read_json(row[7]),
            language=row[8], status=row[9], source=row[10], version=row[11] or 0,
            window_started_at=self.read_time(row[12]), window_count=row[13] or 0,
            language_source=row[14], updated_at=self.read_time(row[15]),
            _record_token=token, _record_seen=record,
        )

    def new_conversation(
        self, raw: Any, contact_id: int, channel: str, flow: str, source: str | None,
        language: str | None, now: datetime, window: tuple[datetime | None, int] = (None, 0),
        language_source: str | None = None,
    ) -> ConversationRow:
        """``window`` is the flood count so far, carried over from the conversation before."""
        token = self.cipher.encrypt_json({})
        when = self.time(now)
        conv_id = self.new_id(raw.execute(self.new_conversation_sql, (
            contact_id, channel, flow, token, language, source, when, when, self.time(window[0]), window[1],
            language_source,
        )))
        return ConversationRow(conv_id, contact_id, channel, flow, "", {}, None, None, language,
                               "bot", source, 0, window[0], window[1], language_source, now, token, {})

    def insert_inbound(
        self, raw: Any, conv: ConversationRow, kind: str, text: str, provider_id: str | None,
        now: datetime,
    ) -> bool:
        """Store the person's message; False when the provider already delivered it."""
        stored = raw.execute(self.inbound, (
            conv.id, conv.channel, kind, self.cipher.encrypt(text), provider_id, conv.version, self.time(now),
        )).rowcount
        return bool(stored == 1)

    def queue(
        self, raw: Any, contact: HasStatus, conv: HasTurn, replies: Sequence[OutboundRow],
        language: str, now: datetime, author: str = "bot", force: bool = False,
    ) -> list[int]:
        """Store each reply in the transcript and the outbox; their message ids, in order."""
        ids = []
        when = self.time(now)
        for reply in replies:
            message_id = self.new_id(raw.execute(self.outbound, (
                conv.id, conv.channel, author, reply.kind, self.cipher.encrypt(reply.text), conv.version, when,
            )))
            options = self.json([{"label": label, "value": value} for label, value in reply.options])
            raw.execute(self.outbox, (
                message_id, message_id, conv.id, contact.id, conv.channel, force, options, language, when, when,
            ))
            ids.append(message_id)
        if ids and self.postgres:
            # Delivered when the transaction commits: the sender in any process wakes up.
            raw.execute(f"NOTIFY {wakeup.CHANNEL}")
        return ids

    def save(self, raw: Any, contact: ContactRow, conv: ConversationRow, now: datetime) -> None:
        """Write back what the turn changed on the two rows (the contact only if it changed)."""
        stored = (contact.status, contact.last_inbound_at)
        if stored != contact._stored:
            raw.execute(self.save_contact_sql, (contact.status, self.time(contact.last_inbound_at), contact.id))
            contact._stored = stored
        if conv._record_token is None or conv.record != conv._record_seen:
            conv._record_token = self.cipher.encrypt_json(conv.record)
            conv._record_seen = conv.record
        raw.execute(self.save_conversation_sql, (
            conv.state, conv._record_token, self.json(conv.expecting), self.json(conv.outcome), conv.language,
            conv.status, conv.version, self.time(now), self.time(conv.window_started_at), conv.window_count,
            conv.language_source, conv.id,
        ))
