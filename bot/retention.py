"""Retention: people inactive for ``INTAKE_RETENTION_DAYS`` are erased by the worker.

"Inactive" means no message from them and no open case for that long. What is kept is what
erasure keeps: counts and outcome codes, nothing that identifies anyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select

from core import privacy
from core.db import Database, utcnow
from core.models import Contact
from handoff.models import Case

__all__ = ["purge", "run"]

log = logging.getLogger(__name__)
BATCH = 200


def purge(db: Database, days: int, now: datetime | None = None,
          hooks: Iterable[privacy.EraseHook] = ()) -> int:
    """Erase every contact inactive for ``days`` (and, through ``hooks``, what other packages
    hold about them); returns how many were erased."""
    if days <= 0:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=days)
    erased = 0
    while True:
        with db.transaction() as s:
            stale = s.scalars(
                select(Contact)
                .where(
                    Contact.status != "erased",
                    or_(Contact.last_inbound_at < cutoff,
                        Contact.last_inbound_at.is_(None) & (Contact.created_at < cutoff)),
                    ~exists().where(Case.contact_id == Contact.id, Case.status != "closed"),
                )
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            ).all()
            for contact in stale:
                privacy.erase_contact(s, contact, hooks=hooks)
            erased += len(stale)
        if len(stale) < BATCH:
            break
    if erased:
        log.info("retention: erased %d inactive contacts", erased)
    return erased


async def run(db: Database, days: int, stop: asyncio.Event, every: float = 3600.0,
              hooks: Iterable[privacy.EraseHook] = ()) -> None:
    """Purge once an hour until ``stop`` is set."""
    while not stop.is_set():
        try:
            await asyncio.to_thread(purge, db, days, None, hooks)
        except Exception:
            log.exception("retention pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)
