"""The handoff seam: what the turn pipeline calls when a conversation needs a person.

The hook methods run inside the turn's transaction (see ``core.pipeline.TurnHook``), under the
person's lock. ``tick`` is the periodic work of the worker: idle claims back to the queue,
SLA breaches escalated, team notifications delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.base import Inbound
from core.db import Database, utcnow
from core.privacy import EraseHook
from core.ratelimit import Backoff
from core.secret import reveal
from dialogs.base import N_, Reply, Step, Text
from handoff import queue
from handoff.models import Case
from handoff.notify import Notifier
from handoff.referrals.desk import ReferralDesk
from handoff.sla import Policy
from handoff.stats.trace import Tracer
from handoff.translate import translator_from

if TYPE_CHECKING:
    from core.models import Conversation
    from core.pipeline import Pipeline, TurnRows
    from core.render import Rendered
    from handoff.config import HandoffSettings

__all__ = ["Handoff", "HandoffApp"]

# Erasure reaches the caseworker side too: open cases close, notes are blanked.

log = logging.getLogger(__name__)


class Handoff:
    """Opens cases, routes a handed-off person's messages to them, and runs the timers."""

    def __init__(
        self,
        db: Database,
        pipeline: Pipeline,
        settings: HandoffSettings | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.pipeline = pipeline
        self.settings = settings
        self.policy = Policy.from_settings(settings) if settings is not None else Policy()
        self.notifier = Notifier(settings)
        # Wrong console passwords per client address: a few pass, then each waits longer.
        self.logins = Backoff(free=3, first=1.0, longest=300.0)
        self.clock = clock
        # Machine translation for caseworkers, only through a server the deployer runs.
        self.translator = translator_from(getattr(settings, "translate_url", None),
                                          reveal(getattr(settings, "translate_api_key", None)))
        # Referrals to partners: the directory, the courier, the consent hooks.
        self.referrals = ReferralDesk(db, pipeline, settings, clock)
        # The statistical trace: codes counted as screenings end, kept when people are erased.
        self.tracer = Tracer(self.policy.office.zone)

    # -- hooks (inside the turn's transaction) ---------------------------------------------

    def on_handoff(self, session: Session, conv: Conversation, inbound: Inbound, step: Step | None) -> None:
        """The screening qualified the person (or they asked for a person): queue a case."""
        now = self.clock()
        case, created = queue.open_case(session, conv, self.policy, now)
        was = conv.status
        conv.status = "handoff"
        if created and case.priority == "urgent":
            self.notifier.enqueue(session, "urgent_case", case.id)
        if was != "handoff":
            # When the dialog already said a person will write, only add when and 112.
            self._tell_person(session, conv, now, said_who=bool(step and step.replies))

    def on_handoff_rows(self, turn: TurnRows, step: Step) -> bool:
        """``on_handoff`` without the ORM, for a new case of ordinary priority: the end of
        most screenings. False when ``on_handoff`` must do it."""
        conv = turn.conv
        if conv.status == "handoff":
            return False
        now = self.clock()
        if queue.open_case_rows(turn.raw, turn.sql, conv, self.policy, now) is None:
            return False
        conv.status = "handoff"
        language = conv.language or "en"
        turn.queue([self._note(language, now, said_who=bool(step.replies))], language)
        return True

    def on_urgent(self, session: Session, conv: Conversation, inbound: Inbound, step: Step | None) -> None:
        """Danger: open (or raise) an urgent case at once; the flow itself carries on.

        Also called while a caseworker has the case: the pipeline lets danger words reach the
        dialog (which gives the emergency numbers), and the open case is raised here.
        """
        now = self.clock()
        before = session.scalar(
            select(Case.priority).where(Case.conversation_id == conv.id, Case.status != "closed")
        )
        case, _created = queue.open_case(session, conv, self.policy, now, priority="urgent")
        if "in_danger" not in case.reasons:
            case.reasons = [*case.reasons, "in_danger"]
        if conv.status == "handoff":
            case.last_inbound_at = now
        if before != "urgent":  # new, or raised: the team hears of it once
            self.notifier.enqueue(session, "urgent_case", case.id)

    def on_inbound(self, session: Session, conv: Conversation, inbound: Inbound, step: Step | None) -> None:
        """A message from a person whose case is open: it is already stored in the transcript."""
        now = self.clock()
        case = session.scalars(
            select(Case).where(Case.conversation_id == conv.id, Case.status != "closed")
        ).first()
        if case is None:  # handed off but no open case (e.g. closed by hand in the database)
            case, _ = queue.open_case(session, conv, self.policy, now)
        case.last_inbound_at = now
        self.referrals.on_inbound(session, conv, inbound)

    def on_reopen(self, session: Session, conv: Conversation, inbound: Inbound, step: Step | None) -> None:
        """The person writes again soon after their case closed (the pipeline decided it is
        soon enough): a follow-up case, at the priority the last one ended with, in the same
        conversation, so the caseworker reads all that came before; the person is told a
        person will answer, and when."""
        now = self.clock()
        before = session.scalars(
            select(Case).where(Case.conversation_id == conv.id).order_by(Case.id.desc())
        ).first()
        case, created = queue.open_case(session, conv, self.policy, now,
                                        priority=before.priority if before else None)
        if created and before is not None:
            case.follows_id = before.id
            case.reasons = list(dict.fromkeys([*case.reasons, "follow_up"]))
            queue.audit(session, None, "follow_up", case.id, follows=before.id)
        case.last_inbound_at = now
        conv.status = "handoff"
        if created and case.priority == "urgent":
            self.notifier.enqueue(session, "urgent_case", case.id)
        self._tell_person(session, conv, now)

    def hooks(self) -> dict[str, object]:
        return {
            "handoff": self.on_handoff,
            "urgent": self.on_urgent,
            "inbound_handoff": self.on_inbound,
            "reopen": self.on_reopen,
            "withdraw_consent": self.referrals.on_withdraw,
        }

    def row_hooks(self) -> dict[str, object]:
        return {"handoff": self.on_handoff_rows}

    def erase_hooks(self) -> list[EraseHook]:
        """What handoff holds about a person (cases, notes), erased with them."""
        return [queue.forget_contact, self.referrals.forget, self.tracer.on_erase]

    def plug_in(self) -> None:
        """Plug the hooks into the pipeline's seams (the application calls this once)."""
        self.pipeline.hooks.update(self.hooks())  # type: ignore[arg-type]
        self.pipeline.row_hooks.update(self.row_hooks())  # type: ignore[arg-type]
        self.pipeline.erase_hooks.extend(self.erase_hooks())
        self.pipeline.tallies.append(self.tracer.tally)
        self.pipeline.reopen_within = self.policy.reopen_within or None

    def _tell_person(self, session: Session, conv: Conversation, now: datetime, said_who: bool = False) -> None:
        language = conv.language or "en"
        self.pipeline.queue(session, conv.contact, conv, [self._note(language, now, said_who)], language)

    def _note(self, language: str, now: datetime, said_who: bool) -> Rendered:
        """An honest message: a person will answer, when, and 112 meanwhile."""
        office = self.policy.office
        parts = [] if said_who else [
            Text(N_("Thank you. A person from our team will answer you here, in this chat."))
        ]
        if office.is_open(now):
            parts.append(Text(N_("Our office is open now. Please wait a little; you can keep writing here.")))
        else:
            opening = office.next_opening(now)
            if opening is not None:
                local = opening.astimezone(office.zone)
                parts.append(
                    Text(
                        N_("Our office is closed now. We open again on {date} at {time} (Portugal time)."),
                        {"date": local.strftime("%d/%m"), "time": local.strftime("%H:%M")},
                    )
                )
        parts.append(Text(N_("If you are in danger, call 112 (free) at any time.")))
        return self.pipeline.renderer.reply(Reply(tuple(parts), kind="info"), language)

    # -- timers (the worker) ----------------------------------------------------------------

    def sweep(self, now: datetime | None = None) -> dict[str, list[int]]:
        """Idle claims back to the queue, SLA breaches escalated; returns the case ids."""
        now = now or self.clock()
        with self.db.transaction() as s:
            released = list(queue.sweep_idle(s, self.policy, now))
            escalated = self._escalate(s, now)
        return {"released": released, "escalated": escalated}

    def _escalate(self, session: Session, now: datetime) -> list[int]:
        due = session.scalars(
            select(Case)
            .where(
                Case.status != "closed",
                Case.first_response_at.is_(None),
                Case.escalated_at.is_(None),
                Case.sla_due_at < now,
            )
            .with_for_update(skip_locked=True)
        ).all()
        for case in due:
            case.escalated_at = now
            queue.audit(session, None, "escalate", case.id, priority=case.priority)
            self.notifier.enqueue(session, "sla_breach", case.id)
        return [c.id for c in due]

    async def tick(self) -> dict[str, Any]:
        """One round of the timers; call it every few seconds from the worker."""
        result: dict[str, Any] = dict(await asyncio.to_thread(self.sweep))
        result["notified"] = await self.notifier.deliver(self.db)
        return result

    async def run(self, stop: asyncio.Event, every: float = 15.0) -> None:
        """Tick until ``stop`` is set (the worker and ``serve``'s inline worker run this)."""
        while not stop.is_set():
            try:
                await self.tick()
            except Exception:  # a database hiccup must not stop the timers
                log.exception("handoff tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)


class _Waker(Protocol):
    def wake(self) -> None: ...


class HandoffApp(Protocol):
    """The running application as handoff's routes see it."""

    @property
    def db(self) -> Database: ...
    @property
    def handoff(self) -> Handoff: ...
    @property
    def sender(self) -> _Waker: ...
    @property
    def settings(self) -> HandoffSettings: ...
