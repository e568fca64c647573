"""The queue on SQLite and PostgreSQL: order, language routing, idle claims, SLA, races."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from core.models import Contact, Conversation, Message, Outbox
from core.turnsql import CONVERSATION_COLUMNS
from handoff import queue
from handoff.models import PRIORITIES, AuditEntry, Case, Caseworker, Notification
from handoff.notify import Notifier
from handoff.sla import Policy
from tests.handoff.helpers import OUTCOME, handed_over, make_app, say

# Wednesday 2 December 2026, an ordinary working day (Tuesday the 1st is a public holiday).
WEDNESDAY_10H = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def _cases(db, specs: list[tuple[str, str]], start: datetime = WEDNESDAY_10H) -> list[int]:
    """Queued cases with (priority, language), opened one minute apart."""
    ids = []
    with db.transaction() as s:
        for i, (priority, language) in enumerate(specs):
            contact = Contact(channel="sms", address_hash=f"h{i}-{time.time_ns()}", address=f"+3519{i:08d}")
            s.add(contact)
            s.flush()
            conv = Conversation(contact_id=contact.id, channel="sms", flow="t", language=language,
                                status="handoff", outcome={"priority": priority, "reasons": []})
            s.add(conv)
            s.flush()
            case, _ = queue.open_case(s, conv, Policy(), start + timedelta(minutes=i))
            ids.append(case.id)
    return ids


def _worker(db, email: str, languages: list[str]) -> Caseworker:
    with db.transaction() as s:
        cw = Caseworker(email=email, name=email, role="caseworker", languages=languages, password_hash="x")
        s.add(cw)
    return cw


def test_queue_order_urgent_breached_priority_then_my_languages_then_waiting(db):
    ids = _cases(db, [("normal", "uk"), ("low", "pt_BR"), ("high", "uk"), ("urgent", "ne"),
                      ("normal", "pt_PT"), ("normal", "en")])
    speaks_pt = _worker(db, "pt@x.org", ["pt"])
    speaks_uk = _worker(db, "uk@x.org", ["uk", "ru"])
    with db.sessions() as s:
        for_pt = [c.id for c in s.scalars(queue.ordered(speaks_pt, now=WEDNESDAY_10H))]
        for_uk = [c.id for c in s.scalars(queue.ordered(speaks_uk, now=WEDNESDAY_10H))]
    # A high-priority case in a language she does not read stays above her normal ones.
    assert for_pt == [ids[3], ids[2], ids[4], ids[0], ids[5], ids[1]]
    assert for_uk == [ids[3], ids[2], ids[0], ids[4], ids[5], ids[1]]
    with db.transaction() as s:  # the low one is past its reply time: it rises above priority
        s.get(Case, ids[1]).sla_due_at = WEDNESDAY_10H - timedelta(minutes=5)
    with db.sessions() as s:
        for_pt = [c.id for c in s.scalars(queue.ordered(speaks_pt, now=WEDNESDAY_10H))]
    assert for_pt == [ids[3], ids[1], ids[2], ids[4], ids[0], ids[5]]


def test_raising_priority_keeps_one_case_and_moves_its_sla(db):
    [cid] = _cases(db, [("low", "en")])
    with db.transaction() as s:
        conv = s.scalars(select(Conversation)).one()
        before = s.get(Case, cid).sla_due_at
        case, created = queue.open_case(s, conv, Policy(), WEDNESDAY_10H, priority="urgent")
        assert (case.id, created, case.rank) == (cid, False, PRIORITIES["urgent"])
        assert case.sla_due_at < before


def test_idle_claim_returns_to_the_queue_keeping_its_place(db):
    first, second = _cases(db, [("normal", "en"), ("normal", "en")])
    cw = _worker(db, "idle@x.org", ["en"])
    with db.transaction() as s:
        queue.claim(s, first, cw, WEDNESDAY_10H)
    policy = Policy(claim_idle=timedelta(minutes=30))
    with db.transaction() as s:
        assert queue.sweep_idle(s, policy, WEDNESDAY_10H + timedelta(minutes=29)) == []
    with db.transaction() as s:
        assert queue.sweep_idle(s, policy, WEDNESDAY_10H + timedelta(minutes=31)) == [first]
    with db.sessions() as s:
        assert [c.id for c in s.scalars(queue.ordered(cw))] == [first, second]
        assert s.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())).first() == "auto_release"


def test_sla_counts_office_hours_only_and_breaches_escalate(db, tmp_path):
    app, _channels, _clock = make_app(db, tmp_path, notify_telegram_chat="-100123", telegram_bot_token="T")
    # Friday 17:30 Lisbon (UTC in winter): 30 office minutes left that day, then the weekend.
    friday = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)
    [cid] = _cases(db, [("high", "en")], start=friday)
    with db.sessions() as s:
        due = s.get(Case, cid).sla_due_at
    assert due == datetime(2026, 12, 7, 12, 30, tzinfo=UTC)  # 240 office minutes: Monday 12:30
    assert app.handoff.sweep(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))["escalated"] == []
    with db.sessions() as s:
        status = app.handoff.policy.status(s.get(Case, cid), datetime(2026, 12, 5, 12, 0, tzinfo=UTC))
        assert (status["breached"], status["paused"], status["minutes_left"]) == (False, True, 210)
    assert app.handoff.sweep(datetime(2026, 12, 7, 12, 31, tzinfo=UTC))["escalated"] == [cid]
    assert app.handoff.sweep(datetime(2026, 12, 7, 13, 0, tzinfo=UTC))["escalated"] == []  # once
    with db.sessions() as s:
        assert s.scalars(select(Notification.kind)).all() == ["sla_breach"]
        assert s.get(Case, cid).escalated_at is not None


def test_team_notification_is_durable_and_retried(db, tmp_path):
    app, _c, _clock = make_app(db, tmp_path, notify_telegram_chat="-100123", telegram_bot_token="T")
    [cid] = _cases(db, [("urgent", "uk")])
    with db.transaction() as s:
        app.handoff.notifier.enqueue(s, "urgent_case", cid)
    seen: list[dict] = []

    def provider(request: httpx.Request) -> httpx.Response:
        import json

        seen.append(json.loads(request.content))
        return httpx.Response(500 if len(seen) == 1 else 200, json={"ok": True})

    import asyncio

    client = httpx.AsyncClient(transport=httpx.MockTransport(provider))
    notifier: Notifier = app.handoff.notifier
    assert asyncio.run(notifier.deliver(db, client)) == 0  # the provider failed: kept for later
    with db.transaction() as s:
        row = s.scalars(select(Notification)).one()
        assert (row.status, row.last_error) == ("pending", "HTTP 500")
        row.next_attempt_at = row.created_at
    assert asyncio.run(notifier.deliver(db, client)) == 1
    assert seen[-1]["chat_id"] == "-100123" and f"#{cid}" in seen[-1]["text"]
    assert "+351" not in seen[-1]["text"]  # no personal data on the team chat


def test_twenty_claimers_two_hundred_cases_each_claimed_exactly_once(db):
    _cases(db, [("normal", "en")] * 200)
    workers = [_worker(db, f"w{i}@x.org", ["en"]) for i in range(20)]
    claimed: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(20)

    def claimer(cw: Caseworker) -> None:
        barrier.wait()
        while True:
            try:
                with db.transaction() as s:
                    case = queue.claim_next(s, cw, datetime.now(UTC))
                    got = case.id if case else None
            except BaseException as exc:
                errors.append(exc)
                return
            if got is None:
                return
            with lock:
                claimed.append((got, cw.id))

    started = time.perf_counter()
    threads = [threading.Thread(target=claimer, args=(cw,)) for cw in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    assert not errors
    counts = Counter(cid for cid, _ in claimed)
    assert len(counts) == 200 and set(counts.values()) == {1}
    with db.sessions() as s:
        rows = s.scalars(select(Case)).all()
        assert {c.status for c in rows} == {"claimed"}
        assert {c.id: c.assignee_id for c in rows} == dict(claimed)
    print(f"\n{db.dialect}: 200 claims by 20 threads in {elapsed:.2f}s, "
          f"{len({w for _, w in claimed})} claimers got work")


def _spy_row_hook(app) -> list[bool]:
    """What the handoff's row hook answered, turn by turn (True: it did the work itself)."""
    answers: list[bool] = []
    hook = app.pipeline.row_hooks["handoff"]

    def spy(turn, step):
        answers.append(hook(turn, step))
        return answers[-1]

    app.pipeline.row_hooks["handoff"] = spy
    return answers


def test_the_handoff_on_the_turns_rows_opens_the_case_the_orm_hook_opens(db, tmp_path):
    """The handoff that ends a screening is written with the turn's own statements; with the
    row hook taken away the ORM hook runs, and both leave the same case, audit entry and note."""
    app, _channels, clock = make_app(db, tmp_path)
    clock.fixed = WEDNESDAY_10H
    answers = _spy_row_hook(app)
    fast = handed_over(app, "+351910000001", language="pt_BR", text="person high")
    assert answers == [True]
    app.pipeline.row_hooks.clear()
    slow = handed_over(app, "+351910000002", language="pt_BR", text="person high")

    columns = ("channel", "language", "lang", "status", "priority", "rank", "reasons", "programme",
               "eligibility", "opened_at", "queued_at", "sla_due_at", "claimed_at", "version")
    with db.sessions() as s:
        cases = {c.conversation_id: c for c in s.scalars(select(Case))}
        shapes = [{k: getattr(cases[conv], k) for k in columns} for conv in (fast, slow)]
        assert shapes[0] == shapes[1]
        assert shapes[0]["priority"] == "high" and shapes[0]["reasons"] == OUTCOME["reasons"]
        opened = {e.case_id: (e.action, e.detail, e.caseworker_id) for e in s.scalars(select(AuditEntry))}
        assert opened[cases[fast].id] == opened[cases[slow].id] == ("open", {"priority": "high"}, None)
        notes = [[m.body for m in s.scalars(select(Message).where(
            Message.conversation_id == conv, Message.direction == "out").order_by(Message.id))]
            for conv in (fast, slow)]
        assert notes[0] == notes[1] and "112" in notes[0][-1]
        statuses = [s.get(Conversation, conv).status for conv in (fast, slow)]
        assert statuses == ["handoff", "handoff"]
        outbox = s.scalars(select(Outbox.message_id).where(Outbox.conversation_id == fast)).all()
        assert len(outbox) == len(notes[0])


def test_an_open_case_or_an_urgent_one_goes_to_the_orm_hook(db, tmp_path):
    """The row hook opens only new cases that nobody must hear of at once: raising an open
    case and notifying the team stay with ``open_case`` and the notifier."""
    app, _channels, clock = make_app(db, tmp_path)
    clock.fixed = WEDNESDAY_10H
    answers = _spy_row_hook(app)
    say(app, "hello", "+351910000003")
    say(app, "danger", "+351910000003")  # an urgent case, opened by the ORM hook
    handed_over(app, "+351910000003", text="person")
    assert answers == [False]
    with db.sessions() as s:
        [case] = s.scalars(select(Case)).all()
        assert case.priority == "urgent"
        assert set(OUTCOME["reasons"]) | {"in_danger"} == set(case.reasons)

    with db.transaction() as s:  # with that case closed: a new one, unless it is urgent
        s.get(Case, case.id).status = "closed"
        s.flush()
        sql = app.pipeline.sql
        raw = s.connection().connection.driver_connection
        row = sql._conversation(raw.execute(sql.prepare(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversation WHERE id = :c"), {"c": case.conversation_id}).fetchone())
        row.outcome = dict(OUTCOME, priority="urgent")
        assert queue.open_case_rows(raw, sql, row, Policy(), WEDNESDAY_10H) is None
        row.outcome = OUTCOME
        assert queue.open_case_rows(raw, sql, row, Policy(), WEDNESDAY_10H) is not None
        # Both ways of opening a case write the same columns (queue.new_case is the one rule).
        opened = s.scalars(select(Case).where(Case.status == "queued")).one()
        for column, value in queue.new_case(row, "normal", Policy(), WEDNESDAY_10H).items():
            if column.endswith("_at"):
                assert getattr(opened, column).replace(tzinfo=None) == value.replace(tzinfo=None)
            else:
                assert getattr(opened, column) == value, column
