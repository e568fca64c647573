"""The turn pipeline: one code path for every channel.

inbound -> lock the person (contact row) -> store the message, dropping a provider's retry ->
dialog step -> outbound rows into the outbox in the same transaction -> commit -> wake the sender.
Nothing here talks to a provider: delivery happens after the commit, outside the lock.

An ordinary turn is a few driver-level statements (core.turnsql) in a transaction begun and
ended on the driver connection; so is the handoff that ends a screening (a RowHook). Only the
rare paths (other hooks, erasure, the quick exit) load ORM objects, in the same transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, RootTransaction, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import PoolProxiedConnection

from channels.base import Inbound
from channels.registry import capabilities
from channels.twilio import sms_segments
from core import logs, metrics, privacy, store
from core.db import Database, utcnow
from core.language import Chosen, ConversationState
from core.models import Contact, Conversation, Message, Outbox
from core.render import Rendered, Renderer
from core.turnsql import ContactRow, ConversationRow, OutboundRow, TurnSQL
from dialogs import DIALOGS, Dialog
from dialogs.base import N_, Context, Given, Step, Text
from dialogs.base import Reply as DialogReply
from dialogs.commands import match_command
from dialogs.danger import is_danger
from dialogs.runner import confirming_erasure
from locales.resolve import family

__all__ = ["Pipeline", "RowHook", "Tallied", "Tally", "Turn", "TurnHook", "TurnRows"]

log = logging.getLogger(__name__)

SAFETY_COMMANDS = frozenset({"stop", "erase", "exit", "withdraw"})

SOURCE_LANGUAGE = "en"
OFFICE_LANGUAGE = "pt"
# After a quick exit on a channel where we can delete our messages, the person's own remain.
DELETE_CHAT = N_("Please also delete this chat.")
SLOW_DOWN = N_("You are sending many messages. Please wait a minute, then write again.")
FLOOD_WINDOW = timedelta(minutes=1)
PROMPT_SEGMENTS = 2  # a question on SMS, menu included (bot.catalogs checks every locale)
# Actions the pipeline itself carries out on ORM objects (the rest are rows or hooks).
ORM_ACTIONS = frozenset({"quick_exit", "erase"})


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply written in this turn, as the web chat API shows it."""

    id: int
    text: str
    options: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class Turn:
    """What one inbound message led to."""

    conversation_id: int | None
    duplicate: bool = False
    replies: list[Reply] = field(default_factory=list)
    expecting: dict[str, Any] | None = None
    language: str | None = None
    status: str = "bot"
    actions: tuple[str, ...] = ()


class LanguagePolicy(Protocol):
    """Decides the conversation's language for this message (see core.language)."""

    def choose(self, conversation: ConversationState, inbound: Inbound, explicit: str | None) -> Chosen:
        """The locale (None when nothing tells it yet: the person then gets the menu)."""
        ...


class TurnHook(Protocol):
    """Called inside the turn's transaction for actions the dialog cannot do itself."""

    def __call__(
        self, session: Session, conversation: Conversation, inbound: Inbound, step: Step | None
    ) -> None: ...


@dataclass(slots=True)
class TurnRows:
    """A turn's rows and connection, for a hook that works without the ORM (see RowHook)."""

    raw: Any
    sql: TurnSQL
    now: datetime
    contact: ContactRow
    conv: ConversationRow
    queue: Callable[[list[Rendered], str], list[Reply]]


class RowHook(Protocol):
    """The same action as a TurnHook, done with the turn's rows and driver-level statements.

    The handoff that ends every screening is one of these: through the ORM it cost several
    ordinary turns. Returns False, having written nothing, when this case needs the ORM hook
    (an open case to update, a team to notify), which then runs instead."""

    def __call__(self, turn: TurnRows, step: Step) -> bool: ...


@dataclass(frozen=True, slots=True)
class Tallied:
    """Something a turn led to that is counted for statistics: a screening's outcome or an
    opt-out, with the codes it carries (the record only for the codes a tally keeps)."""

    event: str  # screening | stop
    channel: str
    language: str | None
    outcome: dict[str, Any] | None = None
    record: dict[str, Any] = field(default_factory=dict)


class Tally(Protocol):
    """Counts a turn's event in the turn's transaction, with driver-level statements on ``raw``
    (see TurnSQL.prepare), so that the count outlives an erasure of the person."""

    def __call__(self, raw: Any, sql: TurnSQL, now: datetime, event: Tallied) -> None: ...


def _answered(before: str, after: str) -> bool:
    """The person answered the question they were in: the flow moved to another one."""
    was, now = before.partition("#")[0], after.partition("#")[0]
    return bool(was) and was != now and ">" not in was and ">" not in now


def _carried(conv: ConversationRow | None) -> str | None:
    """How settled a returning person's language is in their new conversation."""
    if conv is None or not conv.language:
        return None
    return conv.language_source or "text"  # from before sources were kept: it was settled


def _flush_outbox(session: Session) -> None:
    """Outbox rows the session still holds go in before driver-level inserts: those must not
    overtake them (the sender keeps a conversation's outbox in id order)."""
    if any(isinstance(row, Outbox | Message) for row in session.new):
        session.flush()


class _Tx:
    """One turn's transaction, begun on the driver connection for the ordinary statements; an
    ORM session joins it on the same connection only when a rare path (a hook, erasure)
    needs one."""

    __slots__ = ("engine", "now", "pooled", "raw", "session", "sql", "transaction")

    def __init__(self, engine: Engine, pooled: PoolProxiedConnection, sql: TurnSQL) -> None:
        self.engine = engine
        self.pooled = pooled
        raw = pooled.driver_connection  # sqlite3's or psycopg's
        assert raw is not None  # only an invalidated connection has none
        self.raw = raw
        self.sql = sql
        if not sql.postgres:  # psycopg begins on the first statement
            raw.execute("BEGIN IMMEDIATE")  # the write lock, up front (see core.db)
        self.now = utcnow()
        self.session: Session | None = None
        self.transaction: RootTransaction | None = None

    def orm(self, contact: ContactRow, conv: ConversationRow) -> tuple[Session, Contact, Conversation]:
        """Write the rows back, then load them as ORM objects: from here on they are the truth."""
        self.sql.save(self.raw, contact, conv, self.now)
        # Never closed: the pooled connection goes back where it came from (Database.turn_connection).
        conn = Connection(self.engine, connection=self.pooled)
        self.transaction = conn.begin()  # joins the driver's transaction (core.db._sqlite_begin)
        session = self.session = Session(bind=conn, autoflush=True)
        person, conversation = session.get(Contact, contact.id), session.get(Conversation, conv.id)
        assert person is not None and conversation is not None  # written a moment ago
        return session, person, conversation

    def commit(self) -> None:
        if self.session is not None:
            self.session.flush()
            self.session.close()
        if self.transaction is not None:
            self.transaction.commit()
        else:
            self.raw.commit()

    def rollback(self) -> None:
        if self.session is not None:
            self.session.close()
        if self.transaction is not None and self.transaction.is_active:
            self.transaction.rollback()
        else:
            self.raw.rollback()


class Pipeline:
    """Handles inbound messages for every channel, durably and exactly once."""

    def __init__(
        self,
        db: Database,
        renderer: Renderer,
        languages: LanguagePolicy,
        *,
        flow: str | None = None,
        dialogs: dict[str, Dialog] | None = None,
        on_commit: Callable[[], None] | None = None,
        hooks: dict[str, TurnHook] | None = None,
        flood_limit: int = 30,
        operator: str = "",
    ) -> None:
        from dialogs import DEFAULT

        self.db = db
        self.sql = TurnSQL(db.dialect, db.cipher)
        self._driver_error: type[Exception] = db.engine.dialect.loaded_dbapi.Error
        self.renderer = renderer
        self.languages = languages
        self.dialogs = dialogs if dialogs is not None else DIALOGS
        self.flow = flow or DEFAULT
        self.on_commit = on_commit or (lambda: None)
        # Hooks by action name ("handoff", "urgent", "erase", "quick_exit", "inbound_handoff").
        self.hooks: dict[str, TurnHook] = dict(hooks or {})
        self.row_hooks: dict[str, RowHook] = {}  # tried first, for actions of both kinds
        # What other packages hold about a person, erased with them (bot wires these).
        self.erase_hooks: list[privacy.EraseHook] = []
        # What is counted for statistics (screenings, opt-outs), passed in like the hooks.
        self.tallies: list[Tally] = []
        self.flood_limit = flood_limit  # messages per minute from one person before we pause
        # How soon after a caseworker closed a case a person writing again reopens it (with a
        # "reopen" hook); None: never, every return is a new screening.
        self.reopen_within: timedelta | None = None
        self.operator = operator  # who runs the service, named in the greeting and notice
        self._turn_counters: dict[str, Any] = {}

    # -- public ---------------------------------------------------------------------------

    def handle(self, inbound: Inbound) -> Turn:
        """Process one inbound message; safe to call concurrently from threads and processes."""
        started = time.perf_counter()
        try:
            turn = self._transaction(inbound)
        except self._driver_error as exc:
            # The turn's statements go straight to the driver: its errors are wrapped as
            # SQLAlchemy's would be, so "database unavailable" is still a 503, never a 500.
            raise DBAPIError.instance(None, None, exc, self._driver_error) from exc
        logs.CONVERSATION_ID.set(turn.conversation_id)
        if turn.duplicate:
            metrics.DUPLICATES.inc()
            log.info("duplicate %s message dropped", inbound.channel)
        else:
            log.info(
                "turn channel=%s status=%s expecting=%s replies=%d actions=%s",
                inbound.channel, turn.status, (turn.expecting or {}).get("field"),
                len(turn.replies), ",".join(turn.actions) or "-",
            )
            counter = self._turn_counters.get(inbound.channel)
            if counter is None:  # looked up once per channel: labels() costs as much as inc()
                counter = self._turn_counters[inbound.channel] = metrics.TURNS.labels(inbound.channel)
            counter.inc()
            metrics.TURN_SECONDS.observe(time.perf_counter() - started)
            if turn.replies:
                self.on_commit()
        return turn

    def _transaction(self, inbound: Inbound) -> Turn:
        with self.db.turn_connection() as pooled:
            tx = _Tx(self.db.engine, pooled, self.sql)
            try:
                turn = self._turn(tx, inbound)
                if turn.duplicate:
                    tx.rollback()  # nothing of it is kept, not even a new conversation
                else:
                    tx.commit()
            except BaseException:
                try:
                    tx.rollback()
                except Exception:  # the connection itself failed: the pool must not reuse it
                    pooled.invalidate()
                raise
        return turn

    def block(self, channel: str, address: str) -> None:
        """The person blocked the bot: stop the conversation and send nothing more."""
        with self.db.transaction() as session:
            contact = store.lock_contact(session, channel, address)
            conv = store.current_conversation(session, contact)
            contact.status = "stopped"
            if conv is not None and conv.status == "bot":
                conv.status = "stopped"

    def queue(
        self,
        session: Session,
        contact: Contact,
        conv: Conversation,
        replies: list[Rendered],
        language: str,
        author: str = "bot",
        force: bool = False,
    ) -> list[Reply]:
        """Queue replies from a rare path that holds ORM objects (handoff, the console)."""
        _flush_outbox(session)
        raw = session.connection().connection.driver_connection
        return self._queue(raw, contact, conv, replies, language, utcnow(), author=author, force=force)

    # -- one turn, inside the transaction -------------------------------------------------

    def _turn(self, tx: _Tx, inbound: Inbound) -> Turn:
        sql, raw, now = tx.sql, tx.raw, tx.now
        digest = store.address_hash(inbound.channel, inbound.address)
        contact, conv = sql.open_turn(raw, inbound.channel, digest, inbound.address, now)
        if sql.postgres:  # the row lock may have made us wait: the turn happens now
            tx.now = now = utcnow()
        contact.seen(now)
        reopening = self._comes_back(contact, conv, inbound, now)
        if conv is None or (conv.status == "closed" and not reopening):
            # A returning person keeps their language: we already know how to talk to them. The
            # flood count goes on too: a quick exit between messages must not reset it.
            conv = sql.new_conversation(
                raw, contact.id, inbound.channel, self.flow,
                inbound.source[:64] if inbound.source else None,
                conv.language if conv is not None else None, now,
                (conv.window_started_at, conv.window_count) if conv is not None else (None, 0),
                language_source=_carried(conv),
            )
        conv.version += 1
        if not sql.insert_inbound(raw, conv, inbound.kind, inbound.text, inbound.provider_id, now):
            return Turn(conversation_id=None, duplicate=True)
        if reopening:
            return self._reopen(tx, contact, conv, inbound)
        turn = self._decide(tx, contact, conv, inbound)
        if tx.session is None:  # the ordinary turn: the rows were never handed to the ORM
            sql.save(raw, contact, conv, now)
        return turn

    def _comes_back(self, contact: ContactRow, conv: ConversationRow | None, inbound: Inbound,
                    now: datetime) -> bool:
        """A person whose case a caseworker closed writes again soon after: the conversation
        goes on with a person rather than a new screening. Not when they ask for one (restart,
        or any other command), not in danger (the dialog answers that at once, in a new
        conversation), not after a quick exit or erasure (the contact is no longer active)."""
        if conv is None or conv.status != "closed" or contact.status != "active":
            return False
        if not self.reopen_within or "reopen" not in self.hooks or conv.updated_at is None:
            return False
        if now - conv.updated_at > self.reopen_within:
            return False
        return match_command(inbound.text) in (None, "person") and not is_danger(inbound.text)

    def _reopen(self, tx: _Tx, contact: ContactRow, conv: ConversationRow, inbound: Inbound) -> Turn:
        """The person's closed case opens again, followed up; the hook tells them who answers."""
        session, _person, conversation = tx.orm(contact, conv)
        self.hooks["reopen"](session, conversation, inbound, None)
        session.flush()
        told = session.scalars(select(Message).where(
            Message.conversation_id == conversation.id, Message.direction == "out",
            Message.turn == conversation.version).order_by(Message.id)).all()
        return Turn(conv.id, replies=[Reply(m.id, m.body) for m in told], status=conversation.status,
                    language=conversation.language, actions=("reopen",))

    def _decide(self, tx: _Tx, contact: ContactRow, conv: ConversationRow, inbound: Inbound) -> Turn:
        if self._flooding(conv, inbound, tx.now):
            # Kept in the transcript, not answered: one polite word per minute at most.
            slow = []
            if conv.window_count == self.flood_limit + 1:
                note = DialogReply((Text(SLOW_DOWN),), kind="info")
                language = conv.language or SOURCE_LANGUAGE
                rendered = [self.renderer.reply(note, language)]
                slow = self._queue(tx.raw, contact, conv, rendered, language, tx.now)
            return Turn(conv.id, replies=slow, status=conv.status, language=conv.language)

        keyword = inbound.meta.get("keyword")
        if keyword == "stop":  # the provider opted the person out; it answers them itself
            self._stop(contact, conv)
            self._tally(tx, Tallied("stop", conv.channel, conv.language))
            return Turn(conv.id, status=conv.status, actions=("stop",))
        if contact.status == "stopped" or conv.status == "stopped":
            # Where the provider enforces opt-outs only START lifts one; elsewhere, writing to
            # us again is asking us to answer.
            if keyword == "start" or inbound.text.strip().lower() == "/start" or (
                not capabilities(inbound.channel).provider_opt_out
            ):
                contact.status = "active"
                if conv.status == "stopped":
                    conv.status = "bot"
                    return self._run(tx, contact, conv, inbound, restart=True)
            else:
                return Turn(conv.id, status=conv.status)
        if conv.status == "handoff" and not self._safety_input(conv, inbound):
            # A person has the case: the message joins its transcript and the bot stays quiet.
            hook = self.hooks.get("inbound_handoff")
            if hook is not None:
                session, _, conversation = tx.orm(contact, conv)
                hook(session, conversation, inbound, None)
            return Turn(conv.id, status=conv.status, language=conv.language)
        return self._run(tx, contact, conv, inbound, restart=not conv.state)

    def _run(
        self, tx: _Tx, contact: ContactRow, conv: ConversationRow, inbound: Inbound, restart: bool
    ) -> Turn:
        dialog = self.dialogs[conv.flow] if conv.flow in self.dialogs else self.dialogs[self.flow]
        chosen = self.languages.choose(conv, inbound, None)
        locale, source = chosen.locale, chosen.source
        can = capabilities(inbound.channel)
        sms = can.priced_per_segment
        office = locale is None and sms and not chosen.shortlist
        if office:
            # A menu of 16 languages in their own scripts costs several paid segments: there
            # start in the office language (a prior: what the person writes next may change
            # it); 'language' (or 'idioma', 'língua'...) opens the menu.
            locale, source = OFFICE_LANGUAGE, "prior"
        # Nothing tells us the language yet: the dialog shows the language menu (each name in
        # its own script) and we write in the source language meanwhile.
        language = locale or SOURCE_LANGUAGE
        # The language was only a prior and what the person wrote says another one.
        relanguaged = (source == "text" and conv.language is not None and locale != conv.language
                       and conv.language_source == "prior")
        given = Given(text=inbound.text, kind=inbound.kind, choice=inbound.choice)
        # A close variant of what they wrote is offered once, with the greeting (pt / pt_BR,
        # hi / ur); before a menu, the weak guess is only the language of anything urgent.
        offer = chosen.offer if (chosen.locale is None and not office) or (
            chosen.source == "text" and (restart or relanguaged)) else None
        if offer and sms and locale and family(offer) == family(locale):
            offer = None  # Portuguese readers read either variant: not worth a paid segment
        ctx = Context(
            language=locale or "", source=conv.source,
            priced_per_segment=sms, phone_address=can.phone_address,
            offer=offer,
            languages=chosen.shortlist, relanguaged=relanguaged, operator=self.operator,
        )
        if restart:
            step = dialog.begin({}, ctx, given if inbound.kind == "text" else None)
        else:
            step = dialog.advance(conv.state, conv.record or {}, given, ctx)
        if step.language:
            picked = self.languages.choose(conv, inbound, step.language)
            language = locale = picked.locale or step.language
            source = "explicit"
        if "restart" in step.actions:
            step = dialog.begin({}, replace(ctx, language=language, offer=None, relanguaged=False))
        conv.language = locale or conv.language
        if source is not None and locale is not None:
            conv.language_source = source
        elif conv.language_source == "prior" and not restart and _answered(conv.state, step.state):
            conv.language_source = "text"  # they answered in it: they read it
        conv.state = step.state
        conv.record = step.record
        conv.expecting = self.renderer.expecting(step.expecting, language)
        if step.outcome is not None:
            conv.outcome = step.outcome
            self._tally(tx, Tallied("screening", conv.channel, conv.language, step.outcome, step.record))
        if "stop" in step.actions:
            self._tally(tx, Tallied("stop", conv.channel, conv.language))

        replies = [self.renderer.reply(r, language) for r in step.replies]
        if sms:
            replies = self._sms_sized(step.replies, replies, language)
        # The confirmation of a stop or an erasure is the last thing we send: it must go out.
        final = bool({"stop", "erase"} & set(step.actions))
        written = self._queue(tx.raw, contact, conv, replies, language, tx.now, force=final)
        status = self._act(tx, contact, conv, inbound, step, language, written)
        return Turn(
            conversation_id=conv.id,
            replies=written,
            expecting=conv.expecting,
            language=language,
            status=status,
            actions=step.actions,
        )

    def _act(
        self, tx: _Tx, contact: ContactRow, conv: ConversationRow, inbound: Inbound, step: Step,
        language: str, written: list[Reply],
    ) -> str:
        """The step's actions; the conversation's status after them."""
        orm: tuple[Session, Contact, Conversation] | None = None
        rows: TurnRows | None = None
        for action in step.actions:
            row_hook = self.row_hooks.get(action)
            if orm is None and row_hook is not None:
                if rows is None:
                    rows = TurnRows(tx.raw, tx.sql, tx.now, contact, conv,
                                    lambda r, lang: self._queue(tx.raw, contact, conv, r, lang, tx.now))
                if row_hook(rows, step):
                    continue
            hook = self.hooks.get(action)
            if orm is None:
                if hook is None and action not in ORM_ACTIONS:
                    if action == "stop":
                        self._stop(contact, conv)
                    continue
                # A rare path: hand the rows to the ORM, which the hooks and erasure work with.
                orm = tx.orm(contact, conv)
            session, person, conversation = orm
            if hook is not None:
                hook(session, conversation, inbound, step)
            if action == "stop":
                self._stop(person, conversation)
            elif action == "quick_exit":
                can_delete = capabilities(inbound.channel).can_delete
                privacy.quick_exit(session, person, conversation, can_delete)
                if can_delete:
                    note = self.renderer.reply(DialogReply((Text(DELETE_CHAT),), kind="info"), language)
                    # The "delete" row first: it removes what was sent before, not this note.
                    _flush_outbox(session)
                    raw = session.connection().connection.driver_connection
                    written += self._queue(raw, person, conversation, [note], language, tx.now, force=True)
            elif action == "erase":
                privacy.erase_contact(session, person, keep_for={r.id for r in written},
                                      hooks=self.erase_hooks)
        return orm[2].status if orm is not None else conv.status

    # -- helpers --------------------------------------------------------------------------

    def _tally(self, tx: _Tx, event: Tallied) -> None:
        for tally in self.tallies:
            tally(tx.raw, tx.sql, tx.now, event)

    def _queue(
        self,
        raw: Any,
        contact: Contact | ContactRow,
        conv: Conversation | ConversationRow,
        replies: list[Rendered],
        language: str,
        now: datetime,
        author: str = "bot",
        force: bool = False,
    ) -> list[Reply]:
        if (contact.status != "active" and not force) or not replies:
            return []
        rows = [OutboundRow(r.text, r.kind, r.options) for r in replies]
        ids = self.sql.queue(raw, contact, conv, rows, language, now, author=author, force=force)
        return [Reply(message_id, r.text, r.options) for message_id, r in zip(ids, replies, strict=True)]

    def _sms_sized(self, asked: list[DialogReply], rendered: list[Rendered], language: str) -> list[Rendered]:
        """A question that shares its message with a greeting (cheaper on SMS) goes as two
        messages where together they would pass PROMPT_SEGMENTS: in non-Latin scripts, say."""
        out = []
        for reply, done in zip(asked, rendered, strict=True):
            if (done.kind == "prompt" and len(reply.parts) > 1
                    and sms_segments(done.text, [label for label, _ in done.options]) > PROMPT_SEGMENTS):
                out.append(self.renderer.reply(DialogReply(reply.parts[:-1], kind="info"), language))
                out.append(self.renderer.reply(DialogReply(reply.parts[-1:], reply.options), language))
            else:
                out.append(done)
        return out

    def _flooding(self, conv: ConversationRow, inbound: Inbound, now: datetime) -> bool:
        """Count messages per minute; over the limit (danger aside) they are not answered."""
        started = conv.window_started_at
        if started is None or now - started > FLOOD_WINDOW:
            conv.window_started_at, conv.window_count = now, 0
        conv.window_count += 1
        return conv.window_count > self.flood_limit and not is_danger(inbound.text)

    def _safety_input(self, conv: ConversationRow, inbound: Inbound) -> bool:
        """Stop, delete, exit, withdraw, danger, the answer to a pending erase confirmation, and 'info'
        once the screening is over (the SMS outcome asks for it): these reach the dialog even
        while a caseworker has the case."""
        if confirming_erasure(conv.state):
            return True
        text = inbound.text
        command = match_command(text)
        if command == "info":  # what the outcome message offers; mid-screening it is for the caseworker
            return conv.state == "done"
        return command in SAFETY_COMMANDS or is_danger(text)

    @staticmethod
    def _stop(contact: Contact | ContactRow, conv: Conversation | ConversationRow) -> None:
        contact.status = "stopped"
        conv.status = "stopped"
