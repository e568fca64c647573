"""A separate worker learns of new outbox rows at once, not at its next slow poll."""

from __future__ import annotations

import asyncio
import threading
import time

from channels.fake import RecordingChannel
from core import wakeup
from core.db import Database
from core.outbox import Sender
from tests.bot.helpers import make_pipeline, say
from tests.conftest import TEST_KEYS


def test_worker_wakes_on_another_connections_commit(db):
    # The "web process": its own engine, so commits come from other connections.
    web_db = Database(db.engine.url.render_as_string(hide_password=False), TEST_KEYS)
    pipeline, _, _ = make_pipeline(web_db)
    channel = RecordingChannel("fake")
    worker = Sender(db, {"fake": channel}, poll=30.0)  # polling alone would take 30 s
    latencies: list[float] = []

    async def main() -> None:
        stop, stopped = asyncio.Event(), threading.Event()
        task = asyncio.create_task(worker.run(stop))
        wakeup.watch(db, worker.wake, stopped, interval=0.01)
        await asyncio.sleep(0.5)  # let the worker settle into its long wait
        for i in range(3):
            sent_before = len(channel.sent)
            began = time.monotonic()
            await asyncio.to_thread(say, pipeline, f"hello {i}", f"addr-{i}")
            while len(channel.sent) == sent_before and time.monotonic() - began < 10:
                await asyncio.sleep(0.005)
            latencies.append(time.monotonic() - began)
        stop.set()
        stopped.set()
        await task

    asyncio.run(main())
    web_db.dispose()
    assert len(channel.sent) == 3
    assert max(latencies) < 5.0, latencies  # far below the 30 s poll: woken, not polled
