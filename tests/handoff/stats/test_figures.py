"""The figures against a hand count, the trace the pipeline writes, and erasure leaving the
counts as they were (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import inspect, select

from core.db import utcnow
from core.models import Contact, Conversation
from handoff.models import Case
from handoff.stats.figures import periods, report
from handoff.stats.published import Rule, figures
from handoff.stats.trace import StatsTrace, row
from tests.handoff.helpers import bearer, caseworker, deliver, handed_over, say

LISBON = ZoneInfo("Europe/Lisbon")
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def at(day: str, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=UTC)


def seed(db) -> None:
    """Three months, counted by hand below. Lisbon is UTC+0 in winter, UTC+1 from 29 March."""
    with db.transaction() as s:
        contact = Contact(channel="sms", address_hash="h", address="x")
        s.add(contact)
        s.flush()
        convs = (
            [("2026-01-05", "sms", "pt")] * 6 + [("2026-01-20", "telegram", "uk")] * 5
            + [("2026-02-10", "webchat", "en")] * 7 + [("2026-02-11", "sms", None)] * 2
            + [("2026-03-03", "whatsapp", "pt_BR")] * 5
        )
        for day, channel, language in convs:
            s.add(Conversation(contact_id=contact.id, channel=channel, flow="screening",
                               language=language, created_at=at(day)))
        # 23:30 UTC on 31 January is still January in Lisbon; on 31 March it is 00:30 on 1 April.
        s.add(Conversation(contact_id=contact.id, channel="sms", flow="screening", language="pt",
                           created_at=at("2026-01-31", 23, 30)))
        s.add(Conversation(contact_id=contact.id, channel="sms", flow="screening", language="pt",
                           created_at=at("2026-03-31", 23, 30)))
        s.flush()
        cases = (
            # opened, priority, programme, replied after (minutes), SLA minutes, closed outcome
            [("2026-01-06", "normal", "arvore", 60, 480, "referred_arvore")] * 5
            + [("2026-01-07", "high", "asylum_info", 600, 240, "referred_asylum")] * 2
            + [("2026-02-12", "urgent", "trafficking_support", 10, 30, None)] * 6
            + [("2026-03-04", "normal", "arvore", None, 480, None)] * 3
        )
        for day, priority, programme, reply, sla, outcome in cases:
            opened = at(day, 9)
            # One open case a conversation: theirs began before the range counted.
            conv = Conversation(contact_id=contact.id, channel="sms", flow="screening",
                                created_at=at("2025-06-01"))
            s.add(conv)
            s.flush()
            s.add(Case(conversation_id=conv.id, contact_id=contact.id, channel="sms", language="pt",
                       priority=priority, programme=programme, opened_at=opened, queued_at=opened,
                       sla_due_at=opened + timedelta(minutes=sla),
                       first_response_at=opened + timedelta(minutes=reply) if reply is not None else None,
                       status="closed" if outcome else "queued", outcome=outcome,
                       closed_at=opened + timedelta(days=1) if outcome else None))
        traced = (
            [("2026-01-05", "sms", "pt", "arvore", "likely_eligible", "normal", "BR", "BR", ["debt"], [])] * 6
            + [("2026-01-20", "telegram", "uk", "arvore", "needs_review", "high", "UA", "UA", [], ["medical"])] * 5
            + [("2026-02-10", "webchat", "en", "asylum_info", "needs_review", "high", "NP", None,
                ["debt", "unpaid_wages"], ["pregnant", "medical"])] * 2
            + [("2026-02-10", "webchat", "en", "referral", "not_eligible", "low", "IN", "IN", [], [])] * 6
        )
        for day, channel, language, programme, eligibility, priority, nationality, destination, ind, vul in traced:
            s.add(StatsTrace(**row("screening", at(day), LISBON, channel, language,
                                   {"programme": programme, "eligibility": eligibility, "priority": priority},
                                   {"nationality": nationality, "destination_country": destination,
                                    "trafficking_indicators": ind, "vulnerabilities": vul})))
        for day, kind, channel in [("2026-01-09", "stop", "sms")] * 5 + [("2026-02-02", "erase", "telegram")] * 2:
            s.add(StatsTrace(**row(kind, at(day), LISBON, channel, "pt")))


def nz(cells: dict[str, int]) -> dict[str, int]:
    return {name: value for name, value in cells.items() if value}


def counted(db, first="2026-01-01", last="2026-03-31", by="month"):
    with db.sessions() as s:
        found = report(s, date.fromisoformat(first), date.fromisoformat(last), by, LISBON, 5, NOW)
    return {t.name: t.counts for t in found.tables}


def test_figures_equal_the_hand_count(db):
    seed(db)
    got = counted(db)
    jan, feb, mar = (got["conversations_by_channel"][m] for m in ("2026-01", "2026-02", "2026-03"))
    assert (jan[0]["sms"], jan[0]["telegram"], jan[1]) == (7, 5, 12)  # 6 + the one at 23:30 on the 31st
    assert (feb[0]["webchat"], feb[0]["sms"], feb[1]) == (7, 2, 9)
    assert (mar[0]["whatsapp"], mar[1]) == (5, 5)  # 31 March 23:30 UTC is April in Lisbon
    feb_lang = got["conversations_by_language"]["2026-02"][0]
    assert nz(feb_lang) == {"en": 7, "unknown": 2}
    assert got["screenings_by_programme"]["2026-01"][0]["arvore"] == 11
    assert nz(got["screenings_by_programme"]["2026-02"][0]) == {"asylum_info": 2, "referral": 6}
    assert got["screenings_by_eligibility"]["2026-01"][0]["needs_review"] == 5
    assert got["screenings_by_priority"]["2026-02"][0]["low"] == 6
    # A nationality under k joins its region (IN is not small: it stays itself).
    feb_nat, total = got["screenings_by_nationality"]["2026-02"]
    assert (nz(feb_nat), total) == ({"IN": 6, "region:southern_asia": 2}, 8)
    assert nz(got["screenings_by_nationality"]["2026-01"][0]) == {"BR": 6, "UA": 5}
    assert nz(got["screenings_by_destination"]["2026-02"][0]) == {"IN": 6, "unknown": 2}
    ind, total = got["screenings_by_indicator"]["2026-01"]
    assert (ind["debt"], ind["unpaid_wages"], total) == (6, 0, 11)
    ind, total = got["screenings_by_indicator"]["2026-02"]
    assert (ind["debt"], ind["unpaid_wages"], total) == (2, 2, 8)
    assert got["screenings_with_indicators"]["2026-02"] == ({"yes": 2, "no": 6}, 8)
    vul, _ = got["screenings_by_vulnerability"]["2026-02"]
    assert (vul["pregnant"], vul["medical"]) == (2, 2)
    assert got["screenings_with_vulnerabilities"]["2026-01"] == ({"yes": 5, "no": 6}, 11)
    assert got["cases_opened_by_priority"]["2026-01"][0]["normal"] == 5
    assert got["cases_opened_by_priority"]["2026-02"][0]["urgent"] == 6
    assert got["cases_opened_by_programme"]["2026-03"][0]["arvore"] == 3
    assert got["cases_closed_by_outcome"]["2026-01"][0]["referred_arvore"] == 5
    assert got["cases_closed_by_outcome"]["2026-01"][0]["referred_asylum"] == 2
    assert got["cases_by_sla"]["2026-01"] == ({"met": 5, "late": 2, "overdue": 0, "waiting": 0}, 7)
    assert got["cases_by_sla"]["2026-02"] == ({"met": 6, "late": 0, "overdue": 0, "waiting": 0}, 6)
    assert got["cases_by_sla"]["2026-03"] == ({"met": 0, "late": 0, "overdue": 3, "waiting": 0}, 3)
    assert got["stops_by_channel"]["2026-01"][0]["sms"] == 5
    assert got["erasures_by_channel"]["2026-02"][0]["telegram"] == 2


def test_weeks_are_iso_weeks_in_lisbon(db):
    seed(db)
    got = counted(db, "2026-01-05", "2026-01-25", "week")
    assert list(got["conversations_by_channel"]) == ["2026-W02", "2026-W03", "2026-W04"]
    assert got["conversations_by_channel"]["2026-W02"][1] == 6  # Monday 5 January
    assert got["conversations_by_channel"]["2026-W04"][1] == 5  # Tuesday 20 January
    assert got["screenings_by_channel"]["2026-W04"][0]["telegram"] == 5


def test_protected_figures_of_the_fixture(db):
    seed(db)
    with db.sessions() as s:
        out = figures(s, date(2026, 1, 1), date(2026, 3, 31), "month", LISBON, Rule(5), NOW)
    tables = {t["name"]: t for t in out["tables"]}
    feb = tables["screenings_by_nationality"]["rows"][1]
    assert feb["total"] == 8 and feb["cells"]["region:southern_asia"] is None and feb["cells"]["IN"] is None
    jan = tables["conversations_by_channel"]["rows"][0]
    assert jan["cells"]["sms"] == 7 and jan["cells"]["telegram"] == 5 and jan["total"] == 12
    feb = tables["conversations_by_channel"]["rows"][1]
    assert feb["cells"]["sms"] is None and feb["cells"]["webchat"] is None and feb["total"] == 9
    assert tables["conversations_by_channel"]["all"]["cells"]["telegram"] == 5
    assert tables["conversations_by_channel"]["all"]["cells"]["sms"] is None
    assert tables["conversations_by_channel"]["all"]["total"] == 26
    assert out["periods"][0] == {"key": "2026-01", "from": "2026-01-01", "to": "2026-01-31", "partial": False}
    # Nothing under k anywhere in what leaves.
    for t in out["tables"]:
        for r in [*t["rows"], t["all"]]:
            assert all(v is None or v == 0 or v >= 5 for v in [*r["cells"].values(), r["total"]])


def test_a_range_is_widened_to_whole_buckets():
    found = periods(date(2026, 1, 14), date(2026, 3, 2), "month", date(2026, 3, 10))
    assert [(p.key, p.start, p.end, p.partial) for p in found] == [
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31), False),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), False),
        ("2026-03", date(2026, 3, 1), date(2026, 3, 31), True),
    ]
    weeks = periods(date(2026, 12, 30), date(2027, 1, 5), "week", date(2027, 6, 1))
    assert [w.key for w in weeks] == ["2026-W53", "2027-W01"]


def test_the_trace_has_no_person_no_address_no_day(db):
    columns = {c["name"] for c in inspect(db.engine).get_columns("stats_trace")}
    assert columns == {"id", "kind", "month", "week", "channel", "language", "programme", "eligibility",
                       "priority", "nationality", "destination", "indicators", "vulnerabilities"}
    kept = row("screening", at("2026-02-12"), LISBON, "sms", "pt", {"programme": "arvore", "reasons": ["x"]},
               {"nationality": "br", "destination_country": "Brasil, perto de Recife", "district": "PT-11",
                "trafficking_indicators": ["debt", "written by someone"], "contact_phone": "+351910000000"})
    assert kept["month"] == date(2026, 2, 1) and kept["week"] == date(2026, 2, 9)
    assert kept["nationality"] == "BR" and kept["destination"] is None  # not a code: not kept
    assert kept["indicators"] == ",debt," and "+351" not in str(kept) and "PT-11" not in str(kept)


def test_the_pipeline_writes_the_trace_and_erasure_keeps_the_counts(hub):
    app, client = hub.app, hub.client
    for i, language in enumerate(["pt", "pt", "uk", "en", "en", "en"]):
        handed_over(app, f"+35191000010{i}", "sms", language=language)
    say(app, "hello", "+351910000200", "webchat", meta={"language": "en"})
    with hub.db.sessions() as s:
        rows = s.scalars(select(StatsTrace)).all()
    assert len(rows) == 6 and {r.kind for r in rows} == {"screening"}
    assert {(r.nationality, r.programme, r.channel) for r in rows} == {("BR", "arvore", "sms")}
    assert sorted(r.language for r in rows) == ["en", "en", "en", "pt", "pt", "uk"]
    today = utcnow().astimezone(LISBON).date()
    assert rows[0].month == today.replace(day=1)

    sup = caseworker(hub.db, "sup@example.org", role="supervisor")[1]

    def stats() -> dict:
        response = client.get("/api/v1/stats?by=month&round=0", headers=bearer(sup))
        assert response.status_code == 200, response.text
        return {t["name"]: t["rows"][-1] for t in response.json()["tables"]}

    def raw() -> dict:
        with hub.db.sessions() as s:
            found = report(s, today, today, "month", LISBON, 2, utcnow())
        return {t.name: t.counts for t in found.tables}

    before, counts_before = stats(), raw()
    assert before["screenings_by_channel"]["cells"]["sms"] == 6
    assert before["conversations_by_channel"]["total"] == 7
    # Erase two people: one by their own "delete", one by a supervisor.
    with hub.db.sessions() as s:
        first_case = s.scalars(select(Case).order_by(Case.id)).first()
    assert client.post(f"/api/v1/cases/{first_case.id}/erase", headers=bearer(sup)).status_code == 200
    deliver(app)
    after, counts_after = stats(), raw()
    with hub.db.sessions() as s:
        assert s.scalar(select(Contact.status).where(Contact.id == first_case.contact_id)) == "erased"
    changed = {name for name in counts_before if counts_before[name] != counts_after[name]}
    # The erasure itself is counted; its open case closed as withdrawn; nothing else moved.
    assert changed == {"erasures_by_channel", "cases_closed_by_outcome"}
    assert counts_after["erasures_by_channel"][today.strftime("%Y-%m")][0]["sms"] == 1
    for name in ("screenings_by_language", "screenings_by_nationality", "conversations_by_language",
                 "cases_opened_by_priority", "cases_by_sla"):
        assert before[name] == after[name], name
