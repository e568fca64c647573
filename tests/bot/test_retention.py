"""Retention: inactive people are erased; anyone with an open case or recent message is kept."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.retention import purge
from channels.base import Inbound
from core.db import utcnow
from core.models import Contact, Message


def test_inactive_contacts_are_erased_and_active_or_open_cases_kept(app):
    for address in ("+351910000101", "+351910000102", "+351910000103"):
        app.pipeline.handle(Inbound(channel="fake", address=address, kind="start", meta={"language": "en"}))
        app.pipeline.handle(Inbound(channel="fake", address=address, text="yes"))
    # the third asks for a person: an open case keeps them, however old
    app.pipeline.handle(Inbound(channel="fake", address="+351910000103", text="talk to a person"))
    long_ago = utcnow() - timedelta(days=400)
    with app.db.transaction() as s:
        s.execute(update(Contact).where(Contact.id.in_([1, 3])).values(last_inbound_at=long_ago))
    assert purge(app.db, days=180, hooks=app.pipeline.erase_hooks) == 1
    assert purge(app.db, days=180) == 0  # idempotent
    assert purge(app.db, days=0) == 0  # 0 keeps everything
    with app.db.sessions() as s:
        statuses = dict(s.execute(select(Contact.id, Contact.status)).all())
        assert statuses == {1: "erased", 2: "active", 3: "active"}
        bodies = s.scalars(select(Message.body).where(Message.conversation_id == 1, Message.direction == "in")).all()
        assert set(bodies) == {""}
