"""Several senders on one database: leases kept alive while a send is under way and taken
over soon when their sender is gone; each chat's pace and each channel's sending rate kept by
all senders together."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import timedelta
from typing import ClassVar

from channels.base import Capabilities, Outbound, Sent
from channels.fake import RecordingChannel
from core import outbox
from core.outbox import Sender
from core.pipeline import Pipeline
from core.render import Renderer
from tests.bot.helpers import FixedLanguage, Identity, say


class Paced(RecordingChannel):
    """Records when each message went; one chat at most every 0.3 s, 20 a second in all."""

    capabilities: ClassVar[Capabilities] = Capabilities(buttons=True, pace=timedelta(seconds=0.3), rate=20.0)

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__("fake", delay)
        self.times: list[tuple[str, float]] = []

    async def send(self, message: Outbound) -> Sent:
        sent = await super().send(message)
        self.times.append((message.address, time.monotonic()))
        return sent


def _setup(db, channel: RecordingChannel) -> tuple[Pipeline, Sender, Sender]:
    first, second = (Sender(db, {"fake": channel}, poll=0.05) for _ in range(2))
    pipeline = Pipeline(db, Renderer(lambda _l: Identity()), FixedLanguage(), flow="placeholder",
                        flood_limit=10_000)
    return pipeline, first, second


def _run(senders: list[Sender], until, timeout: float = 20.0) -> None:
    async def main() -> None:
        stop = asyncio.Event()
        tasks = [asyncio.create_task(s.run(stop)) for s in senders]
        deadline = time.monotonic() + timeout
        while not until() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        stop.set()
        await asyncio.gather(*tasks)

    asyncio.run(main())


def test_two_senders_keep_each_chats_pace_and_the_channels_rate_together(db):
    channel = Paced()
    pipeline, first, second = _setup(db, channel)
    for chat in range(20):
        for text in ("hi", "yes", "no"):
            say(pipeline, text, address=f"chat{chat}")
    expected = 60  # the placeholder flow answers each message once
    started = time.monotonic()
    _run([first, second], lambda: len(channel.sent) >= expected)
    assert len(channel.sent) == expected
    by_chat: dict[str, list[float]] = {}
    for address, at in channel.times:
        by_chat.setdefault(address, []).append(at)
    gaps = [b - a for times in by_chat.values() for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.29  # the pace, whichever sender sent
    # 20 a second with a burst of one second's worth: 60 messages take two seconds at least,
    # and no second ever saw more than 40.
    assert time.monotonic() - started >= 1.9
    moments = sorted(at for _, at in channel.times)
    assert max(sum(1 for t in moments if s <= t < s + 1.0) for s in moments) <= 40


def test_a_slow_send_keeps_its_lease_and_is_not_sent_twice(db, monkeypatch):
    monkeypatch.setattr(outbox, "LEASE", timedelta(seconds=0.6))
    monkeypatch.setattr(outbox, "HEARTBEAT", 0.15)
    channel = RecordingChannel("fake", delay=1.5)  # longer than two leases
    pipeline, first, second = _setup(db, channel)
    say(pipeline, "hi", address="slow")
    until = time.monotonic() + 2.5  # the send, then time for a wrongful second one
    _run([first, second], lambda: time.monotonic() > until)
    assert channel.attempts == 1


def test_the_rows_of_a_sender_that_died_go_to_another_soon(db, monkeypatch):
    monkeypatch.setattr(outbox, "LEASE", timedelta(seconds=1))
    channel = RecordingChannel("fake")
    pipeline, dead, alive = _setup(db, channel)
    for chat in range(5):
        say(pipeline, "hi", address=f"chat{chat}")
    claimed = dead._claim()  # leased, then its process "died": no send, no heartbeat
    assert len(claimed) == 5 and not channel.sent
    started = time.monotonic()
    _run([alive], lambda: len(channel.sent) >= 5)
    took = time.monotonic() - started
    assert sorted(m.address for m in channel.sent) == [f"chat{i}" for i in range(5)]
    assert 0.5 <= took < 2.5  # the lease ran out, then the next look for expired leases
