"""A recording channel for tests and demos: keeps what it was asked to send, fails on request."""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from typing import ClassVar

from channels.base import Capabilities, ChannelBase, ChannelError, Outbound, Sent

__all__ = ["RecordingChannel"]


class RecordingChannel(ChannelBase):
    """Stores every delivered message; ``fail_next(error, n)`` makes the next n sends raise."""

    name: ClassVar[str] = "fake"
    capabilities: ClassVar[Capabilities] = Capabilities(buttons=True)

    def __init__(self, name: str = "fake", delay: float = 0.0) -> None:
        self.channel_name = name
        self.sent: list[Outbound] = []
        self.attempts = 0
        self.delay = delay
        self._faults: deque[ChannelError] = deque()
        self._lock = threading.Lock()

    def fail_next(self, error: ChannelError, times: int = 1) -> None:
        with self._lock:
            self._faults.extend([error] * times)

    async def send(self, message: Outbound) -> Sent:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self.attempts += 1
            if self._faults:
                raise self._faults.popleft()
            self.sent.append(message)
            return Sent(provider_ids=(f"fake-{len(self.sent)}",))

    def texts(self, address: str | None = None) -> list[str]:
        with self._lock:
            return [m.text for m in self.sent if address is None or m.address == address]
