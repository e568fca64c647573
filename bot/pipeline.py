"""The turn pipeline: one code path for every channel.

inbound -> drop duplicates by provider id -> lock the person (contact row) -> dialog step ->
outbound rows into the outbox in the same transaction -> commit -> wake the sender.
Nothing here talks to a provider: delivery happens after the commit, outside the lock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import logs, metrics, privacy, store, wakeup
from bot.db import Database, utcnow
from bot.models import Contact, Conversation, Message, Outbox
from bot.render import Rendered, Renderer
from channels.base import Inbound
from dialogs import DIALOGS, Dialog
from dialogs.base import N_, Context, Given, Step, Text
from dialogs.base import Reply as DialogReply
from dialogs.commands import is_danger, match_command

__all__ = ["Pipeline", "Turn", "TurnHook"]

log = logging.getLogger(__name__)

SAFETY_COMMANDS = frozenset({"stop", "erase", "exit"})
SOURCE_LANGUAGE = "en"
OFFICE_LANGUAGE = "pt"
# After a quick exit on a channel where we can delete our messages, the person's own remain.
DELETE_CHAT = N_("Please also delete this chat.")
SLOW_DOWN = N_("You are sending many messages. Please wait a minute, then write again.")
FLOOD_WINDOW = timedelta(minutes=1)


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
    """Decides the conversation's language for this message (see bot.language)."""

    def choose(self, conversation: Conversation, inbound: Inbound, explicit: str | None) -> str | None:
        """The locale, or None when nothing tells it yet (the person then gets the menu)."""
        ...


class TurnHook(Protocol):
    """Called inside the turn's transaction for actions the dialog cannot do itself."""

    def __call__(
        self, session: Session, conversation: Conversation, inbound: Inbound, step: Step | None
    ) -> None: ...


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
        deletable: frozenset[str] = frozenset(),
        flood_limit: int = 30,
    ) -> None:
        from dialogs import DEFAULT

        self.db = db
        self.renderer = renderer
        self.languages = languages
        self.dialogs = dialogs if dialogs is not None else DIALOGS
        self.flow = flow or DEFAULT
        self.on_commit = on_commit or (lambda: None)
        # Hooks by action name ("handoff", "urgent", "erase", "quick_exit", "inbound_handoff").
        self.hooks: dict[str, TurnHook] = dict(hooks or {})
        self.deletable = deletable  # channels where the bot can delete what it sent
        self.flood_limit = flood_limit  # messages per minute from one person before we pause

    # -- public ---------------------------------------------------------------------------

    def handle(self, inbound: Inbound) -> Turn:
        """Process one inbound message; safe to call concurrently from threads and processes."""
        started = time.perf_counter()
        try:
            with self.db.transaction() as session:
                turn = self._turn(session, inbound)
                logs.CONVERSATION_ID.set(turn.conversation_id)
        except IntegrityError as exc:
            if "provider_id" not in str(exc.orig):
                raise  # some other constraint: a bug to see, never a message to drop quietly
            # Another process stored the same provider id between our check and our insert.
            metrics.DUPLICATES.inc()
            return Turn(conversation_id=None, duplicate=True)
        if turn.duplicate:
            metrics.DUPLICATES.inc()
            log.info("duplicate %s message dropped", inbound.channel)
        else:
            log.info(
                "turn channel=%s status=%s expecting=%s replies=%d actions=%s",
                inbound.channel, turn.status, (turn.expecting or {}).get("field"),
                len(turn.replies), ",".join(turn.actions) or "-",
            )
            metrics.TURNS.labels(inbound.channel).inc()
            metrics.TURN_SECONDS.observe(time.perf_counter() - started)
            if turn.replies:
                self.on_commit()
        return turn

    def block(self, channel: str, address: str) -> None:
        """The person blocked the bot: stop the conversation and send nothing more."""
        with self.db.transaction() as session:
            contact = store.lock_contact(session, channel, address)
            conv = store.current_conversation(session, contact)
            contact.status = "stopped"
            if conv is not None and conv.status == "bot":
                conv.status = "stopped"

    # -- one turn, inside the transaction -------------------------------------------------

    def _turn(self, session: Session, inbound: Inbound) -> Turn:
        contact = store.lock_contact(session, inbound.channel, inbound.address)
        if inbound.provider_id and store.seen(session, inbound.channel, inbound.provider_id):
            return Turn(conversation_id=None, duplicate=True)
        conv = store.current_conversation(session, contact)
        now = utcnow()
        # Changed only after the last read of the turn's start, so one UPDATE writes it all.
        contact.last_inbound_at = now
        if conv is None or conv.status == "closed":
            previous = conv
            conv = self._new_conversation(session, contact, inbound)
            if previous is not None:
                conv.language = previous.language  # we already know how to talk to them
        conv.version += 1
        self._store_inbound(session, conv, inbound)
        if self._flooding(contact, inbound, now):
            # Kept in the transcript, not answered: one polite word per minute at most.
            slow = []
            if contact.window_count == self.flood_limit + 1:
                note = DialogReply((Text(SLOW_DOWN),), kind="info")
                slow = self._queue(session, contact, conv, [self.renderer.reply(note, conv.language or "en")],
                                   conv.language or "en")
            return Turn(conv.id, replies=slow, status=conv.status, language=conv.language)

        keyword = inbound.meta.get("keyword")
        if keyword == "stop":  # the provider opted the person out; it answers them itself
            self._stop(contact, conv)
            return Turn(conv.id, status=conv.status, actions=("stop",))
        if contact.status == "stopped" or conv.status == "stopped":
            # On SMS and WhatsApp only START lifts an opt-out (the provider enforces it too);
            # elsewhere, writing to us again is asking us to answer.
            if keyword == "start" or inbound.text.strip().lower() == "/start" or (
                inbound.channel not in ("sms", "whatsapp")
            ):
                contact.status = "active"
                if conv.status == "stopped":
                    conv.status = "bot"
                    return self._run(session, contact, conv, inbound, restart=True)
            else:
                return Turn(conv.id, status=conv.status)
        if conv.status == "handoff" and not self._safety_input(conv, inbound):
            # A person has the case: the message joins its transcript and the bot stays quiet.
            hook = self.hooks.get("inbound_handoff")
            if hook is not None:
                hook(session, conv, inbound, None)
            return Turn(conv.id, status=conv.status, language=conv.language)
        return self._run(session, contact, conv, inbound, restart=not conv.state)

    def _run(
        self, session: Session, contact: Contact, conv: Conversation, inbound: Inbound, restart: bool
    ) -> Turn:
        dialog = self.dialogs[conv.flow] if conv.flow in self.dialogs else self.dialogs[self.flow]
        chosen = self.languages.choose(conv, inbound, None)
        if chosen is None and inbound.channel == "sms":
            # A menu of 16 languages in their own scripts costs several SMS segments: on SMS
            # start in the office language; 'language' (or 'idioma', 'língua'...) opens the menu.
            chosen = OFFICE_LANGUAGE
        # Nothing tells us the language yet: the dialog shows the language menu (each name in
        # its own script) and we write in the source language meanwhile.
        language = chosen or SOURCE_LANGUAGE
        ctx = Context(language=chosen or "", channel=inbound.channel, source=conv.source)
        if restart:
            step = dialog.begin({}, ctx)
        else:
            given = Given(text=inbound.text, kind=inbound.kind, choice=inbound.choice)
            step = dialog.advance(conv.state, conv.record or {}, given, ctx)
        if step.language:
            language = chosen = self.languages.choose(conv, inbound, step.language) or step.language
        if "restart" in step.actions:
            step = dialog.begin({}, Context(language, inbound.channel, conv.source))
        conv.language = chosen or conv.language
        conv.state = step.state
        conv.record = step.record
        conv.expecting = self.renderer.expecting(step.expecting, language)
        if step.outcome is not None:
            conv.outcome = step.outcome

        replies = [self.renderer.reply(r, language) for r in step.replies]
        # The confirmation of a stop or an erasure is the last thing we send: it must go out.
        final = bool({"stop", "erase"} & set(step.actions))
        written = self._queue(session, contact, conv, replies, language, force=final)

        for action in step.actions:
            hook = self.hooks.get(action)
            if hook is not None:
                hook(session, conv, inbound, step)
            if action == "stop":
                self._stop(contact, conv)
            elif action == "quick_exit":
                privacy.quick_exit(session, contact, conv, inbound.channel in self.deletable)
                if inbound.channel in self.deletable:
                    note = self.renderer.reply(DialogReply((Text(DELETE_CHAT),), kind="info"), language)
                    written += self._queue(session, contact, conv, [note], language, force=True)
            elif action == "erase":
                privacy.erase_contact(session, contact, keep_for={r.id for r in written})
        return Turn(
            conversation_id=conv.id,
            replies=written,
            expecting=conv.expecting,
            language=language,
            status=conv.status,
            actions=step.actions,
        )

    # -- helpers --------------------------------------------------------------------------

    def _new_conversation(self, session: Session, contact: Contact, inbound: Inbound) -> Conversation:
        conv = Conversation(
            contact_id=contact.id,
            channel=inbound.channel,
            flow=self.flow,
            state="",
            record={},
            source=inbound.source[:64] if inbound.source else None,
            status="bot",
            version=0,
        )
        session.add(conv)
        session.flush()
        return conv

    def _store_inbound(self, session: Session, conv: Conversation, inbound: Inbound) -> None:
        # Core inserts, not ORM objects: a turn's rows need no identity map, and the unit of
        # work costs several times more per row (see bench/). A duplicate provider id from a
        # racing process fails right here; handle() reports it as a duplicate.
        session.execute(
            insert(Message),
            [{
                "conversation_id": conv.id, "channel": inbound.channel, "direction": "in",
                "author": "person", "kind": inbound.kind, "body": inbound.text,
                "provider_id": inbound.provider_id, "turn": conv.version, "status": "received",
                "created_at": utcnow(),
            }],
        )

    def _queue(
        self,
        session: Session,
        contact: Contact,
        conv: Conversation,
        replies: list[Rendered],
        language: str,
        author: str = "bot",
        force: bool = False,
    ) -> list[Reply]:
        if (contact.status != "active" and not force) or not replies:
            return []
        now = utcnow()
        ids = session.scalars(
            insert(Message).returning(Message.id, sort_by_parameter_order=True),
            [{
                "conversation_id": conv.id, "channel": conv.channel, "direction": "out",
                "author": author, "kind": r.kind, "body": r.text, "turn": conv.version,
                "status": "queued", "created_at": now,
            } for r in replies],
        ).all()
        session.execute(
            insert(Outbox),
            [{
                "message_id": message_id, "conversation_id": conv.id, "contact_id": contact.id,
                "channel": conv.channel, "kind": "message", "force": force, "address": None,
                "options": [{"label": label, "value": value} for label, value in r.options],
                "language": language, "status": "pending", "attempts": 0, "next_attempt_at": now,
                "provider_ids": [], "created_at": now,
            } for message_id, r in zip(ids, replies, strict=True)],
        )
        wakeup.notify(session)
        return [Reply(message_id, r.text, r.options) for message_id, r in zip(ids, replies, strict=True)]

    queue = _queue

    def _flooding(self, contact: Contact, inbound: Inbound, now: datetime) -> bool:
        """Count messages per minute; over the limit (danger aside) they are not answered."""
        started = contact.window_started_at
        if started is None or now - started > FLOOD_WINDOW:
            contact.window_started_at, contact.window_count = now, 0
        contact.window_count += 1
        return contact.window_count > self.flood_limit and not is_danger(inbound.text)

    def _safety_input(self, conv: Conversation, inbound: Inbound) -> bool:
        """Stop, delete, exit, danger, or the answer to a pending erase confirmation: these
        reach the dialog even while a caseworker has the case."""
        if conv.state.startswith("confirm_erase>"):
            return True
        text = inbound.text
        return match_command(text) in SAFETY_COMMANDS or is_danger(text)

    @staticmethod
    def _stop(contact: Contact, conv: Conversation) -> None:
        contact.status = "stopped"
        conv.status = "stopped"
