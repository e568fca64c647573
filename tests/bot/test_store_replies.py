"""core.store.replies_after: what the web chat fetches when it polls for later replies."""

from __future__ import annotations

from sqlalchemy import delete

from core import store
from core.models import Outbox
from tests.bot.helpers import make_pipeline, say


def test_replies_after_a_message_oldest_first_with_their_options(db):
    pipeline, _sender, _channel = make_pipeline(db)
    first = say(pipeline, "hello", address="p1")
    second = say(pipeline, "yes", address="p1")
    say(pipeline, "hello", address="someone else")
    with db.sessions() as s:
        contact = store.find_contact(s, "fake", "p1")
        assert contact is not None
        everything = store.replies_after(s, contact, 0)
        later = store.replies_after(s, contact, first.replies[-1].id)
        assert store.replies_after(s, contact, 0, limit=1) == everything[:1]
    assert [m.id for m, _ in everything] == [r.id for r in (*first.replies, *second.replies)]
    assert all(m.direction == "out" for m, _ in everything)
    assert [m.id for m, _ in later] == [r.id for r in second.replies]
    assert everything[0][1] == [{"label": lab, "value": val} for lab, val in first.replies[0].options]


def test_a_reply_whose_outbox_row_is_gone_has_no_options(db):
    pipeline, _sender, _channel = make_pipeline(db)
    turn = say(pipeline, "hello", address="p1")
    with db.transaction() as s:
        s.execute(delete(Outbox))
    with db.sessions() as s:
        contact = store.find_contact(s, "fake", "p1")
        assert contact is not None
        assert [(m.id, options) for m, options in store.replies_after(s, contact, 0)] == [
            (turn.replies[0].id, None)
        ]
