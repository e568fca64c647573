"""The turn pipeline on SQLite and PostgreSQL: durable, ordered, exactly once."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from channels.base import Inbound, RateLimited, TemporaryError, Unreachable
from channels.fake import RecordingChannel
from core.models import Contact, Conversation, Message, Outbox
from tests.bot.helpers import make_pipeline, say


def test_first_message_starts_the_flow_and_queues_the_reply(db):
    pipeline, _sender, _channel = make_pipeline(db)
    turn = say(pipeline, "hello", provider_id="m1")
    assert not turn.duplicate
    assert [r.text for r in turn.replies] == ["Do you want to return to your country?"]
    assert turn.expecting == {
        "field": "wants_to_return",
        "type": "yes_no",
        "options": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}],
    }
    with db.sessions() as s:
        conv = s.scalars(select(Conversation)).one()
        assert (conv.state, conv.version, conv.status) == ("ask_return", 1, "bot")
        assert s.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "pending")) == 1


def test_state_survives_a_new_pipeline(db):
    pipeline, _, _ = make_pipeline(db)
    say(pipeline, "hi")
    again, _, _ = make_pipeline(db)  # as after a restart: nothing kept in memory
    turn = say(again, "sim")
    assert turn.replies[0].text.startswith("Thank you")
    with db.sessions() as s:
        conv = s.scalars(select(Conversation)).one()
        assert conv.record == {"wants_to_return": "yes"}
        assert conv.version == 2


def test_same_provider_id_is_processed_once(db):
    pipeline, _, _ = make_pipeline(db)
    first = say(pipeline, "hi", provider_id="dup-1")
    second = say(pipeline, "hi", provider_id="dup-1")
    assert not first.duplicate and second.duplicate
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Message).where(Message.direction == "in")) == 1
        assert s.scalar(select(Conversation.version)) == 1


def test_fifty_concurrent_messages_for_one_conversation(db):
    pipeline, _, _ = make_pipeline(db)
    say(pipeline, "start", provider_id="m-start")
    barrier = threading.Barrier(10)
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        barrier.wait()
        for i in range(5):
            try:
                say(pipeline, f"msg {k}-{i}", provider_id=f"m-{k}-{i}")
                # every message is sent twice, as a provider retry would
                say(pipeline, f"msg {k}-{i}", provider_id=f"m-{k}-{i}")
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with db.sessions() as s:
        conv = s.scalars(select(Conversation)).one()
        assert conv.version == 51  # the start message plus exactly 50
        inbound = s.scalars(select(Message).where(Message.direction == "in").order_by(Message.id)).all()
        assert len(inbound) == 51
        # processed in order of arrival: storage order and turn order agree, no gaps
        assert [m.turn for m in inbound] == list(range(1, 52))
        outbound = s.scalars(select(Message).where(Message.direction == "out")).all()
        assert len(outbound) == 51
        assert sorted(m.turn for m in outbound) == list(range(1, 52))


def test_race_on_first_contact_creates_one_contact(db):
    pipeline, _, _ = make_pipeline(db)
    barrier = threading.Barrier(8)

    def first(k: int) -> None:
        barrier.wait()
        say(pipeline, "hello", address="newcomer", provider_id=f"first-{k}")

    threads = [threading.Thread(target=first, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 1
        assert s.scalar(select(func.count()).select_from(Conversation)) == 1
        assert s.scalar(select(Conversation.version)) == 8


def run_sender(sender, until, timeout=10.0):
    async def main() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(sender.run(stop))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not until() and loop.time() < deadline:
            await asyncio.sleep(0.02)
        stop.set()
        await task

    asyncio.run(main())


def test_sender_delivers_in_order(db):
    pipeline, sender, channel = make_pipeline(db)
    say(pipeline, "hi", address="a")
    say(pipeline, "hi", address="b")
    say(pipeline, "yes", address="a")
    run_sender(sender, lambda: len(channel.sent) == 3)
    assert channel.texts("a") == ["Do you want to return to your country?", "Thank you. A person from our team will answer you here, in this chat."]
    assert channel.texts("b") == ["Do you want to return to your country?"]
    with db.sessions() as s:
        assert set(s.scalars(select(Outbox.status))) == {"sent"}
        assert set(s.scalars(select(Message.status).where(Message.direction == "out"))) == {"sent"}


def test_the_sender_claims_for_a_channel_added_after_its_first_claim(db):
    """The claim's statements are built once per set of channels, and again when it changes."""
    pipeline, sender, _channel = make_pipeline(db)
    say(pipeline, "hi", address="a")
    assert [j.outbound.address for j in sender._claim()] == ["a"]
    other = RecordingChannel("other")
    pipeline.handle(Inbound(channel="other", address="b", text="hi"))
    assert sender._claim() == []  # not one of its channels
    sender.channels["other"] = other
    assert [(j.outbound.channel, j.outbound.address) for j in sender._claim()] == [("other", "b")]


def test_a_lease_that_ran_out_is_claimed_again_once_looked_for(db):
    """A process that died mid-delivery leaves its row 'sending'; once the lease has run out
    the sender takes it again. It looks for such rows once per poll, not on every pass."""
    pipeline, sender, channel = make_pipeline(db)
    # A long poll: the helper's 50 ms could pass between two claims on a busy machine.
    sender.poll = 60.0
    say(pipeline, "hi")
    [job] = sender._claim()  # the process that then died
    assert sender._claim() == []  # leased: not taken again
    with db.sessions() as s:
        row = s.get(Outbox, job.outbox_id)
        assert row.status == "sending"
        row.lease_until = row.created_at  # run out
        s.commit()
    assert sender._claim() == []  # looked for a moment ago: not on every pass
    sender._expired_looked_at = None  # as a poll interval later
    assert asyncio.run(sender.drain_once()) == 1
    assert channel.texts() == ["Do you want to return to your country?"]
    with db.sessions() as s:
        row = s.get(Outbox, job.outbox_id)
        assert row.status == "sent" and row.attempts == 2


def test_provider_down_keeps_the_message_and_delivers_after_recovery(db):
    pipeline, sender, channel = make_pipeline(db)
    channel.fail_next(TemporaryError("503"), times=1)
    channel.fail_next(RateLimited("429", retry_after=0.2), times=1)
    say(pipeline, "hi")

    async def one_pass() -> int:
        return await sender.drain_once()

    assert asyncio.run(one_pass()) == 1  # the 503
    with db.sessions() as s:
        row = s.scalars(select(Outbox)).one()
        assert row.status == "pending" and row.attempts == 1 and row.last_error.startswith("temporary")
        # make the backoff due now rather than waiting for it in a test
        row.next_attempt_at = row.created_at
        s.commit()
    run_sender(sender, lambda: len(channel.sent) == 1)
    assert channel.texts() == ["Do you want to return to your country?"]
    assert channel.attempts == 3
    with db.sessions() as s:
        row = s.scalars(select(Outbox)).one()
        assert row.status == "sent" and row.attempts == 3


def test_unreachable_person_is_stopped_and_queue_cancelled(db):
    pipeline, sender, channel = make_pipeline(db)
    channel.fail_next(Unreachable("blocked"))
    say(pipeline, "hi")
    say(pipeline, "maybe")  # a re-ask queued behind the first
    asyncio.run(sender.drain_once())
    with db.sessions() as s:
        assert s.scalars(select(Contact.status)).one() == "stopped"
        assert s.scalars(select(Conversation.status)).one() == "stopped"
        assert sorted(s.scalars(select(Outbox.status))) == ["cancelled", "cancelled"]
    # and nothing more is queued while stopped (SMS/WhatsApp need START; others resume)
    turn = say(pipeline, "hello again")
    assert turn.status == "bot" and turn.replies


def test_provider_stop_keyword_stops_without_reply(db):
    pipeline, _, _ = make_pipeline(db)
    say(pipeline, "hi")
    turn = say(pipeline, "STOP", meta={"keyword": "stop"})
    assert turn.status == "stopped" and not turn.replies


def test_fifty_messages_from_five_processes(db):
    import multiprocessing

    from tests.bot.helpers import send_from_process
    from tests.conftest import TEST_KEYS

    pipeline, _, _ = make_pipeline(db)
    say(pipeline, "start", provider_id="start")
    url = db.engine.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=send_from_process, args=(url, TEST_KEYS, k, 10)) for k in range(5)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * 5
    with db.sessions() as s:
        assert s.scalar(select(Conversation.version)) == 51
        turns = s.scalars(select(Message.turn).where(Message.direction == "in").order_by(Message.id)).all()
        assert turns == list(range(1, 52))


def test_flooding_gets_one_polite_slow_down_and_loses_nothing(db):
    pipeline, _, _ = make_pipeline(db)
    pipeline.flood_limit = 5
    turns = [say(pipeline, f"spam {i}", provider_id=f"f{i}") for i in range(12)]
    slowed = [t for t in turns[5:] if t.replies]
    assert len(slowed) == 1 and slowed[0].replies[0].text.startswith("You are sending many messages")
    assert all(not t.replies for t in turns[7:])
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Message).where(Message.direction == "in")) == 12
    # danger words always get through
    from channels.base import Inbound

    danger = pipeline.handle(Inbound(channel="fake", address="p1", text="help me please", provider_id="d1"))
    assert danger.replies


def test_a_quick_exit_does_not_reset_the_flood_count(db):
    """The count lives on the conversation; the next one, after an exit, carries it on."""
    pipeline, _, _ = make_pipeline(db, flow="screening")
    pipeline.flood_limit = 5
    turns = [say(pipeline, text, provider_id=f"q{i}") for i, text in enumerate(["hi", "hi", "exit", "hi", "hi"])]
    assert "quick_exit" in turns[2].actions and turns[3].conversation_id != turns[2].conversation_id
    assert all(t.replies for t in turns[3:])
    slowed = say(pipeline, "hi", provider_id="q5")  # the sixth message within the minute
    assert [r.text for r in slowed.replies] == ["You are sending many messages. Please wait a minute, then write again."]


@pytest.fixture
def contact_writes(db):
    """Updates of contact rows from here on, counted by the database itself."""
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE contact_writes (n INTEGER)"))
        if db.dialect == "sqlite":
            conn.execute(text("CREATE TRIGGER count_contact AFTER UPDATE ON contact "
                              "BEGIN INSERT INTO contact_writes VALUES (1); END"))
        else:
            conn.execute(text("CREATE FUNCTION count_contact() RETURNS trigger AS $$ BEGIN "
                              "INSERT INTO contact_writes VALUES (1); RETURN NEW; END $$ LANGUAGE plpgsql"))
            conn.execute(text("CREATE TRIGGER count_contact AFTER UPDATE ON contact "
                              "FOR EACH ROW EXECUTE FUNCTION count_contact()"))

    def writes() -> int:
        with db.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM contact_writes")).scalar_one())

    yield writes
    with db.engine.begin() as conn:  # the PostgreSQL database outlives this test
        if db.dialect == "sqlite":
            conn.execute(text("DROP TRIGGER count_contact"))
        else:
            conn.execute(text("DROP TRIGGER count_contact ON contact"))
            conn.execute(text("DROP FUNCTION count_contact()"))
        conn.execute(text("DROP TABLE contact_writes"))


def test_an_ordinary_turn_leaves_the_contact_row_alone(db, contact_writes):
    """The contact's page stays out of most commits: its last-seen time is kept to the minute,
    and written again once a minute old or when the status changes."""
    pipeline, _, _ = make_pipeline(db, flow="screening")
    say(pipeline, "hi", provider_id="c0")
    with db.sessions() as s:
        first = s.scalars(select(Contact)).one().last_inbound_at
    before = contact_writes()
    for i in range(1, 4):
        say(pipeline, "hi", provider_id=f"c{i}")
    assert contact_writes() == before
    with db.transaction() as s:
        person = s.scalars(select(Contact)).one()
        assert person.last_inbound_at == first
        person.last_inbound_at = first - timedelta(seconds=61)
    say(pipeline, "hi", provider_id="c4")
    assert contact_writes() == before + 2  # ours above, then the turn's
    with db.sessions() as s:
        assert s.scalars(select(Contact)).one().last_inbound_at > first
    say(pipeline, "stop", provider_id="c5")
    assert contact_writes() == before + 3
    with db.sessions() as s:
        assert s.scalars(select(Contact)).one().status == "stopped"


def test_one_slow_chat_does_not_hold_up_the_others(db):
    """Telegram paces each chat (about a message a second): others must not wait behind it."""
    import time

    from channels.base import Sent

    pipeline, sender, channel = make_pipeline(db)
    delivered: list[tuple[str, float]] = []
    started = time.monotonic()

    async def send(message):
        if message.address == "slow":
            await asyncio.sleep(2.0)
        delivered.append((message.address, time.monotonic() - started))
        return Sent()

    channel.send = send  # type: ignore[method-assign]
    say(pipeline, "hi", address="slow")
    for i in range(5):
        say(pipeline, "hi", address=f"fast{i}")
    run_sender(sender, lambda: len(delivered) == 6)
    fast = [t for a, t in delivered if a != "slow"]
    slow = [t for a, t in delivered if a == "slow"]
    assert len(fast) == 5 and max(fast) < 1.5 <= slow[0]


def test_hundreds_of_chats_waiting_for_their_turn_are_all_under_way_at_once(db):
    """A burst of new Telegram conversations: each second message waits about a second for its
    chat's turn. Those waits must not queue up the others' deliveries behind them."""
    from channels.base import Sent

    pipeline, sender, channel = make_pipeline(db)
    under_way = peak = 0
    delivered: list[str] = []

    async def send(message):
        nonlocal under_way, peak
        under_way += 1
        peak = max(peak, under_way)
        # The chat's pacing; long enough that a loaded machine still claims all three batches
        # of 100 before the first one's waits end.
        await asyncio.sleep(1.5)
        under_way -= 1
        delivered.append(message.address)
        return Sent()

    channel.send = send  # type: ignore[method-assign]
    for i in range(300):
        say(pipeline, "hi", address=f"chat{i}")
    run_sender(sender, lambda: len(delivered) == 300, timeout=30.0)
    assert sorted(delivered) == sorted(f"chat{i}" for i in range(300))
    assert peak == 300  # all of them waited together, not 64 at a time


def test_outbound_messages_say_when_their_language_is_right_to_left(app):
    from channels.base import Inbound

    for address, language in (("ar1", "ar"), ("en1", "en")):
        app.pipeline.handle(Inbound(channel="fake", address=address, kind="start", meta={"language": language}))
    asyncio.run(app.sender.drain_once())
    channel = app.channels["fake"]
    assert {m.address: m.rtl for m in channel.sent} == {"ar1": True, "en1": False}
