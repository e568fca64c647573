"""The queries behind the caseworkers' screens (handoff.views), without HTTP."""

from __future__ import annotations

from sqlalchemy import select

from core.db import utcnow
from handoff import queue, views
from handoff.erasure import erase_person
from handoff.models import AuditEntry, Caseworker
from tests.handoff.helpers import caseworker, handed_over, make_app, say

PHONE, OTHER = "+351910000011", "+351910000012"


def _setup(db, tmp_path):
    """Two queued cases (pt and en), an English-only caseworker and a supervisor."""
    app, _channels, _clock = make_app(db, tmp_path)
    handed_over(app, PHONE, "sms", language="pt_BR")
    handed_over(app, OTHER, "sms", language="en")
    ana = caseworker(db, "Ana@Example.org", languages="en")[0]
    sup = caseworker(db, "sup@example.org", role="supervisor")[0]
    return app, ana, sup


def test_case_list_by_status_and_the_board_split_by_holder(db, tmp_path):
    app, ana_id, sup_id = _setup(db, tmp_path)
    policy, now = app.handoff.policy, utcnow()
    with db.transaction() as s:
        ana = s.get(Caseworker, ana_id)
        open_cases = views.case_list(s, ana, None, policy, now)
        assert [c["language"] for c in open_cases] == ["en", "pt_BR"]  # her language first
        queue.claim(s, open_cases[0]["id"], ana, now)
        queue.close(s, open_cases[0]["id"], ana, "information_given", now)
        queue.claim(s, open_cases[1]["id"], s.get(Caseworker, sup_id), now)
    with db.sessions() as s:
        ana = s.get(Caseworker, ana_id)
        assert [c["status"] for c in views.case_list(s, ana, "closed", policy, now)] == ["closed"]
        assert views.case_list(s, ana, "queued", policy, now) == []
        board = views.board(s, ana, policy, now)
    assert (board["queued"], board["mine"]) == ([], [])
    # A colleague's case: only that it exists and who holds it.
    [other] = board["others"]
    assert other["id"] == open_cases[1]["id"] and other["restricted"] is True
    assert set(other) == {"id", "status", "assignee", "restricted"}


def test_conversations_of_a_person_are_audited_and_the_bots_are_not(db, tmp_path):
    app, _ana, sup_id = _setup(db, tmp_path)
    say(app, "hello", "+351910000099")  # still with the bot
    with db.transaction() as s:
        sup = s.get(Caseworker, sup_id)
        assert [c["status"] for c in views.bot_conversations(s, None)] == ["bot"]
        assert views.bot_conversations(s, "whatsapp") == []
        assert views.person_conversations(s, sup, "sms", "+351000000000") == []
        [item] = views.person_conversations(s, sup, "sms", PHONE)
        assert item["status"] == "handoff" and item["case_id"] is not None
    with db.sessions() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("view%"))).all()
    assert actions == ["view_conversations"]


def test_audit_log_newest_first_and_by_case(db, tmp_path):
    app, ana_id, _sup = _setup(db, tmp_path)
    with db.transaction() as s:
        ana = s.get(Caseworker, ana_id)
        first, second = (c["id"] for c in views.case_list(s, ana, None, app.handoff.policy, utcnow()))
        queue.claim(s, first, ana, utcnow())
    with db.sessions() as s:
        everything = views.audit_log(s)
        one = views.audit_log(s, second)
    assert [e["id"] for e in everything] == sorted((e["id"] for e in everything), reverse=True)
    assert (everything[0]["action"], everything[0]["caseworker"], everything[0]["case_id"]) == ("claim", "Ana", first)
    assert [(e["action"], e["case_id"]) for e in one] == [("open", second)]


def test_find_caseworker_by_id_or_email_and_the_active_ones(db, tmp_path):
    _app, ana_id, sup_id = _setup(db, tmp_path)
    with db.transaction() as s:
        s.get(Caseworker, sup_id).active = False
    with db.sessions() as s:
        assert views.find_caseworker(s, ana_id).email == "ana@example.org"
        assert views.find_caseworker(s, None, "ANA@example.org").id == ana_id
        assert views.find_caseworker(s, 9999, "sup@example.org").id == sup_id
        assert views.find_caseworker(s, 9999) is None and views.find_caseworker(s) is None
        assert [cw.id for cw in views.active_caseworkers(s)] == [ana_id]


def test_erase_person_confirms_audits_and_erases(db, tmp_path):
    app, ana_id, sup_id = _setup(db, tmp_path)
    with db.transaction() as s:
        case_id = views.case_list(s, s.get(Caseworker, ana_id), None, app.handoff.policy, utcnow())[0]["id"]
        assert erase_person(s, app.pipeline, case_id, s.get(Caseworker, sup_id)) == case_id
    with db.sessions() as s:
        assert [e["action"] for e in views.audit_log(s, case_id)][:1] == ["erase"]
        assert views.person_conversations(s, s.get(Caseworker, sup_id), "sms", OTHER) == []
