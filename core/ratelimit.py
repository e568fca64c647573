"""Limits on how fast one client may do something, kept in this process's memory.

``Window`` allows ``limit`` events per ``seconds`` per key (new web chats per address, messages
per chat); ``Backoff`` lets a few failures pass and then makes each next try wait twice as
long (wrong passwords per address). Each answers how many seconds to wait, 0 when allowed.
Memory is bounded: past ``max_keys`` the stalest keys go. With several web processes each
keeps its own counts, so the effective limit is that many times higher; the limits are
about slowing a flood or a guesser down by orders of magnitude, which that still does.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Backoff", "Window"]

Clock = Callable[[], float]


class Window:
    """At most ``limit`` events in any ``seconds`` per key."""

    def __init__(self, limit: int, seconds: float, *, clock: Clock = time.monotonic,
                 max_keys: int = 10_000) -> None:
        self.limit, self.seconds, self.clock, self.max_keys = limit, seconds, clock, max_keys
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Record an event and return 0, or return the seconds until one is allowed again."""
        now = self.clock()
        with self._lock:
            events = self._events.pop(key, None) or deque()
            while events and now - events[0] >= self.seconds:
                events.popleft()
            self._events[key] = events  # the most recently used key goes last
            if len(events) >= self.limit:
                return max(self.seconds - (now - events[0]), 0.001)
            events.append(now)
            while len(self._events) > self.max_keys:
                del self._events[next(iter(self._events))]
            return 0.0


@dataclass
class _Failures:
    count: int = 0
    until: float = 0.0


class Backoff:
    """``free`` failures pass; then each failure makes the next try wait twice as long as the
    last, from ``first`` seconds up to ``longest``. A success forgets the key."""

    def __init__(self, free: int = 3, first: float = 1.0, longest: float = 300.0, *,
                 clock: Clock = time.monotonic, max_keys: int = 10_000) -> None:
        self.free, self.first, self.longest = free, first, longest
        self.clock, self.max_keys = clock, max_keys
        self._keys: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may try again; 0 when it may now."""
        with self._lock:
            found = self._keys.get(key)
            return max(found.until - self.clock(), 0.0) if found else 0.0

    def failed(self, key: str) -> None:
        with self._lock:
            found = self._keys.pop(key, None) or _Failures()
            found.count += 1
            if found.count >= self.free:
                delay = min(self.first * 2 ** (found.count - self.free), self.longest)
                found.until = self.clock() + delay
            self._keys[key] = found
            while len(self._keys) > self.max_keys:
                del self._keys[next(iter(self._keys))]

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._keys.pop(key, None)
