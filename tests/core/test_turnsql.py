"""The turn's driver-level statements and the ORM read and write the same rows the same way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from core.db import Database, utcnow
from core.models import Contact, Conversation, Message, Outbox
from core.turnsql import OutboundRow, TurnSQL


def _begin(db: Database):
    conn = db.engine.connect()
    conn.begin()
    return conn, conn.connection.driver_connection


def _new_conversation(sql: TurnSQL, raw, digest: str, phone: str, now: datetime):
    contact, _ = sql.open_turn(raw, "sms", digest, phone, now)
    return contact, sql.new_conversation(raw, contact.id, "sms", "screening", None, None, now)


def test_rows_written_by_the_turn_read_back_through_the_orm(db):
    sql = TurnSQL(db.dialect, db.cipher)
    now = datetime(2026, 11, 28, 9, 30, 15, 250, tzinfo=UTC)
    conn, raw = _begin(db)
    contact, conv = sql.open_turn(raw, "sms", "digest-1", "+351910000001", now)
    assert conv is None and contact.status == "active" and contact.last_inbound_at is None
    conv = sql.new_conversation(raw, contact.id, "sms", "screening", "poster-7", None, now)
    conv.version = 1
    assert sql.insert_inbound(raw, conv, "text", "Quero voltar ao Brasil", "SM1", now)
    ids = sql.queue(raw, contact, conv, [OutboundRow("Olá! Posso ajudar.", "question", [("Sim", "yes")])],
                    "pt", now)
    contact.seen(now)
    conv.window_started_at, conv.window_count = now, 1
    conv.state, conv.record, conv.language = "ask>consent", {"consent": True, "name": "Ana"}, "pt"
    conv.expecting = {"field": "consent", "type": "choice"}
    sql.save(raw, contact, conv, now)
    conn.commit()
    conn.close()

    with db.sessions() as s:
        person = s.get(Contact, contact.id)
        assert person.address == "+351910000001" and person.last_inbound_at == now
        conversation = s.get(Conversation, conv.id)
        assert conversation.window_started_at == now and conversation.window_count == 1
        assert conversation.record == {"consent": True, "name": "Ana"}
        assert conversation.expecting == {"field": "consent", "type": "choice"}
        assert (conversation.state, conversation.language, conversation.version) == ("ask>consent", "pt", 1)
        assert conversation.source == "poster-7" and conversation.updated_at == now
        bodies = [(m.direction, m.body, m.provider_id) for m in
                  s.scalars(select(Message).where(Message.conversation_id == conv.id).order_by(Message.id))]
        assert bodies == [("in", "Quero voltar ao Brasil", "SM1"), ("out", "Olá! Posso ajudar.", None)]
        row = s.scalars(select(Outbox).where(Outbox.message_id == ids[0])).one()
        assert row.options == [{"label": "Sim", "value": "yes"}] and row.force is False
        assert row.next_attempt_at == now and row.status == "pending" and row.provider_ids == []
    with db.engine.connect() as c:  # nothing readable at rest
        stored = c.execute(text("SELECT body FROM message WHERE provider_id = 'SM1'")).scalar_one()
        assert "voltar" not in stored


def test_rows_written_through_the_orm_are_what_the_next_turn_reads(db):
    sql = TurnSQL(db.dialect, db.cipher)
    earlier = utcnow() - timedelta(seconds=30)
    with db.transaction() as s:
        person = Contact(channel="telegram", address_hash="digest-2", address="42", status="active",
                         last_inbound_at=earlier)
        s.add(person)
        s.flush()
        s.add(Conversation(contact_id=person.id, channel="telegram", flow="screening", state="ask>age",
                           record={"nationality": "BR"}, outcome={"priority": "normal"},
                           language="pt_BR", status="handoff", version=4))
        s.add(Conversation(contact_id=person.id, channel="telegram", flow="screening", state="",
                           record={}, status="closed", version=9, window_started_at=earlier,
                           window_count=3))  # newer: the one a turn reads
    conn, raw = _begin(db)
    contact, conv = sql.open_turn(raw, "telegram", "digest-2", "42", utcnow())
    conn.rollback()
    conn.close()
    assert contact.last_inbound_at == earlier
    assert conv is not None and conv.window_started_at == earlier and conv.window_count == 3
    assert conv is not None and conv.status == "closed" and conv.version == 9  # the latest one


def test_the_latest_conversation_with_its_record_and_json(db):
    sql = TurnSQL(db.dialect, db.cipher)
    with db.transaction() as s:
        person = Contact(channel="telegram", address_hash="digest-3", address="43", status="stopped")
        s.add(person)
        s.flush()
        s.add(Conversation(contact_id=person.id, channel="telegram", flow="screening", state="ask>age",
                           record={"nationality": "BR"}, outcome={"priority": "urgent"},
                           expecting={"field": "age", "type": "number"}, language="pt_BR",
                           status="handoff", version=4))
    conn, raw = _begin(db)
    contact, conv = sql.open_turn(raw, "telegram", "digest-3", "43", utcnow())
    conn.rollback()
    conn.close()
    assert contact.status == "stopped"
    assert conv is not None
    assert (conv.state, conv.record, conv.outcome) == ("ask>age", {"nationality": "BR"}, {"priority": "urgent"})
    assert conv.expecting == {"field": "age", "type": "number"}
    assert (conv.language, conv.status, conv.version) == ("pt_BR", "handoff", 4)


def test_a_provider_retry_stores_nothing(db):
    sql = TurnSQL(db.dialect, db.cipher)
    now = utcnow()
    conn, raw = _begin(db)
    _, conv = _new_conversation(sql, raw, "digest-4", "+351910000004", now)
    assert sql.insert_inbound(raw, conv, "text", "sim", "SM-dup", now) is True
    assert sql.insert_inbound(raw, conv, "text", "sim", "SM-dup", now) is False
    assert sql.insert_inbound(raw, conv, "text", "sim", None, now) is True  # no id: no dedupe
    assert sql.insert_inbound(raw, conv, "text", "sim", None, now) is True
    conn.commit()
    conn.close()
    with db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM message")).scalar_one() == 3


def test_an_unchanged_record_is_not_encrypted_again(sqlite_db):
    sql = TurnSQL(sqlite_db.dialect, sqlite_db.cipher)
    now = utcnow()
    conn, raw = _begin(sqlite_db)
    contact, conv = _new_conversation(sql, raw, "digest-5", "+351910000005", now)
    conv.record = {"consent": True}
    sql.save(raw, contact, conv, now)
    token = conv._record_token
    conv.record = {"consent": True}  # an equal record from the next step
    sql.save(raw, contact, conv, now)
    assert conv._record_token == token
    conv.record = {"consent": False}
    sql.save(raw, contact, conv, now)
    assert conv._record_token != token
    conn.rollback()
    conn.close()


def test_sqlite_timestamps_have_the_orms_text_format(sqlite_db):
    """Comparisons such as next_attempt_at <= now are textual on SQLite: one format for all."""
    sql = TurnSQL("sqlite", sqlite_db.cipher)
    whole_second = datetime(2026, 11, 28, 10, 0, 0, tzinfo=UTC)
    with sqlite_db.transaction() as s:
        s.add(Contact(channel="x", address_hash="orm", address="a", status="active",
                      created_at=whole_second))
    conn, raw = _begin(sqlite_db)
    sql.open_turn(raw, "x", "raw", "b", whole_second)
    conn.commit()
    conn.close()
    with sqlite_db.engine.connect() as c:
        stored = dict(c.execute(text("SELECT address_hash, created_at FROM contact")).all())
    assert stored["raw"] == stored["orm"] == "2026-11-28 10:00:00.000000"


def test_placeholders_for_psycopg():
    assert TurnSQL._pyformat("a = :a AND b = :b_2 AND c = x::text") == \
        "a = %(a)s AND b = %(b_2)s AND c = x::text"
    assert TurnSQL._pyformat("VALUES (?, ?, 'x')") == "VALUES (%s, %s, 'x')"
