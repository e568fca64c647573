"""The Telegram client's limit on calls under way: fair, bounded, and safe when callers give up."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from channels._slots import Slots


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_never_more_than_size_under_way_and_first_come_first_served() -> None:
    async def main():
        slots = Slots(2)
        under_way, peak, order = 0, 0, []

        async def call(i):
            nonlocal under_way, peak
            async with slots:
                under_way += 1
                peak = max(peak, under_way)
                order.append(i)
                await asyncio.sleep(0.001)
                under_way -= 1

        await asyncio.gather(*(call(i) for i in range(50)))
        return slots, peak, order

    slots, peak, order = run(main())
    assert peak == 2
    assert order == list(range(50))  # tasks start in order, so they are served in order
    assert slots.free == 2 and slots.waiting == 0


def test_a_waiter_that_gives_up_loses_its_place_and_no_slot() -> None:
    async def main():
        slots = Slots(1)
        await slots.acquire()
        gave_up = asyncio.ensure_future(asyncio.wait_for(slots.acquire(), 0.01))
        waits = asyncio.ensure_future(slots.acquire())
        with pytest.raises(TimeoutError):
            await gave_up
        assert slots.waiting == 1
        slots.release()  # goes to the one still waiting, not to the one that gave up
        await asyncio.wait_for(waits, 1)
        slots.release()
        return slots

    slots = run(main())
    assert slots.free == 1 and slots.waiting == 0


def test_a_slot_handed_to_a_task_cancelled_at_that_moment_is_passed_on() -> None:
    async def main():
        slots = Slots(1)
        await slots.acquire()
        first = asyncio.ensure_future(slots.acquire())
        second = asyncio.ensure_future(slots.acquire())
        await asyncio.sleep(0)  # both wait
        slots.release()  # handed to the first ...
        first.cancel()  # ... which is cancelled before it runs again
        with pytest.raises(asyncio.CancelledError):
            await first
        await asyncio.wait_for(second, 1)  # the slot reached the second waiter
        slots.release()
        return slots

    slots = run(main())
    assert slots.free == 1 and slots.waiting == 0


def test_a_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        Slots(0)
