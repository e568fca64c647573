"""What a person who reached the caseworkers' queue writes next, through the real dialogs:
danger in their own language raises their waiting case to urgent; after their case closed,
writing again reaches a person, with no new consent question."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handoff import auth, queue
from handoff.models import Case
from tests.bot.test_screening_pipeline import conversation, say, talk

PHONE = "+351910000001"


def _queued(app) -> None:
    talk(app, ["yes", "no"])
    assert "handoff" in say(app, "talk to a person").actions


@pytest.mark.parametrize("threat", [
    "मालिक मुझे धमकी देता है",  # Hindi: the owner threatens me
    "malik mujhe dhamki deta hai",  # the same, romanised
    "o patrão ameaça-me",
    "صاحب العمل أخذ جواز سفري",  # Arabic: the employer took my passport
])
def test_danger_written_while_waiting_moves_the_case_to_urgent(app, threat):
    _queued(app)
    turn = say(app, threat)
    assert turn.replies and "112" in turn.replies[0].text
    with app.db.sessions() as s:
        case = s.scalars(select(Case)).one()
        assert (case.status, case.priority) == ("queued", "urgent") and "in_danger" in case.reasons


def test_writing_again_after_the_case_closed_reaches_a_person_without_a_new_consent(app):
    _queued(app)
    with app.db.transaction() as s:
        cw = auth.add_caseworker(s, "ana@example.org", "Ana", "caseworker", ["en"], "correct horse battery")
        case_id = s.scalars(select(Case.id)).one()
        queue.claim(s, case_id, cw, app.handoff.clock())
        queue.close(s, case_id, cw, "information_given", app.handoff.clock())
    before = conversation(app).id
    turn = say(app, "sorry, one more question about the flight")
    assert (turn.conversation_id, turn.status) == (before, "handoff")
    said = " ".join(r.text for r in turn.replies)
    assert "will answer you here" in said and turn.expecting is None  # no consent question
    with app.db.sessions() as s:
        follow = s.scalars(select(Case).where(Case.status == "queued")).one()
        assert follow.follows_id == case_id
