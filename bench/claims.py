"""Queue: 20 caseworkers claiming "next case" at once, through handoff's own ``claim_next``.

1,000 queued cases (each with its contact and conversation, mixed languages and priorities) are
claimed by 20 threads, each with its own session and transaction per claim, as 20 console users
or API clients would. SQLite serialises writers with ``BEGIN IMMEDIATE``; PostgreSQL uses
``FOR UPDATE SKIP LOCKED``. A double claim is a case handed to two claimers (from what the
claimers got back, and checked again in the audit log): it must be 0.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

from sqlalchemy import func, select

from bench.common import (
    KEY,
    ensure_pg_database,
    print_table,
    reset_postgres,
    sqlite_url,
    temp_dir,
)

SIZES = {"cases": 1_000, "claimers": 20}
LANGS = ("pt", "pt_BR", "en", "ro", "uk", "hi", "ar", "zh_Hans")
PRIORITIES = ("urgent", "high", "normal", "normal", "low")


def seed(db: Any, cases: int, claimers: int) -> list[int]:
    from core.db import utcnow
    from core.models import Contact, Conversation
    from handoff.models import PRIORITIES as RANKS
    from handoff.models import Case, Caseworker

    now = utcnow()
    with db.transaction() as s:
        workers = [Caseworker(email=f"cw{i}@bench.invalid", name=f"Caseworker {i}", role="caseworker",
                              languages=[["pt", "en"], ["ro", "uk"], ["hi", "ar"]][i % 3],
                              password_hash="not-a-hash")  # nobody signs in: no argon2 cost
                   for i in range(claimers)]
        s.add_all(workers)
        contacts = [Contact(channel="sms", address_hash=f"{i:064x}", address=f"+3519{i:08d}",
                            status="active") for i in range(cases)]
        s.add_all(contacts)
        s.flush()
        convs = [Conversation(contact_id=c.id, channel="sms", flow="screening", state="done",
                              record={}, status="handoff", version=18) for c in contacts]
        s.add_all(convs)
        s.flush()
        for i, conv in enumerate(convs):
            lang, priority = LANGS[i % len(LANGS)], PRIORITIES[i % len(PRIORITIES)]
            s.add(Case(conversation_id=conv.id, contact_id=conv.contact_id, channel="sms",
                       language=lang, lang=lang.split("_")[0], status="queued", priority=priority,
                       rank=RANKS[priority], reasons=[], opened_at=now, queued_at=now, version=0))
        s.flush()
        return [w.id for w in workers]


def claim_all(db: Any, worker_ids: list[int]) -> tuple[float, list[int], int]:
    from core.db import utcnow
    from handoff import queue
    from handoff.models import Caseworker

    got: list[list[int]] = [[] for _ in worker_ids]
    errors = [0]
    start = threading.Barrier(len(worker_ids) + 1)

    def claimer(slot: int, worker_id: int) -> None:
        start.wait()
        while True:
            try:
                with db.transaction() as s:
                    cw = s.get(Caseworker, worker_id)
                    found = queue.claim_next(s, cw, utcnow())
                    case_id = found.id if found is not None else None
            except Exception:
                errors[0] += 1
                if errors[0] > 100:
                    return
                continue
            if case_id is None:
                return
            got[slot].append(case_id)

    threads = [threading.Thread(target=claimer, args=(i, w)) for i, w in enumerate(worker_ids)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return wall, [c for ids in got for c in ids], errors[0]


def measure(url: str, label: str) -> dict[str, Any]:
    from core.db import Database
    from handoff.models import AuditEntry, Case

    db = Database(url, (KEY,))
    workers = seed(db, SIZES["cases"], SIZES["claimers"])
    wall, claimed, errors = claim_all(db, workers)
    twice = sum(1 for n in Counter(claimed).values() if n > 1)
    with db.sessions() as s:
        audit_twice = s.scalar(select(func.count()).select_from(
            select(AuditEntry.case_id).where(AuditEntry.action == "claim")
            .group_by(AuditEntry.case_id).having(func.count() > 1).subquery())) or 0
        still_queued = s.scalar(select(func.count()).select_from(Case).where(Case.status == "queued")) or 0
    db.dispose()
    p = f"queue.{label}"
    return {
        f"{p}.claims": len(claimed),
        f"{p}.claims_per_s": round(len(claimed) / wall, 1) if wall else 0.0,
        f"{p}.double_claims": max(twice, int(audit_twice)),
        f"{p}.left_queued": int(still_queued),
        f"{p}.errors": errors,
        f"{p}.claimers": SIZES["claimers"],
    }


def run(context: dict[str, Any]) -> dict[str, Any]:
    from bot import migrate
    from core.db import make_engine

    results: dict[str, Any] = {}
    url = sqlite_url(temp_dir("queue"))
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    results.update(measure(url, "sqlite"))
    pg = ensure_pg_database()
    if pg:
        reset_postgres(pg)
        results.update(measure(pg, "postgres"))
    rows = []
    for label in ("sqlite", "postgres"):
        p = f"queue.{label}"
        if f"{p}.claims" not in results:
            continue
        rows += [
            (f"{p}.claims_per_s", results[f"{p}.claims_per_s"],
             f"{results[f'{p}.claims']} of {SIZES['cases']} cases claimed by {SIZES['claimers']} threads"),
            (f"{p}.double_claims", results[f"{p}.double_claims"], "a case given to two claimers (target 0)"),
            (f"{p}.left_queued", results[f"{p}.left_queued"], "cases nobody got (should be 0)"),
            (f"{p}.errors", results[f"{p}.errors"], "claims that raised (lock timeouts ...)"),
        ]
    print_table("queue: concurrent claim_next", rows)
    return results
