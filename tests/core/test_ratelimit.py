"""The in-process limits: a window of events per key, and growing waits after failures."""

from __future__ import annotations

from core.ratelimit import Backoff, Window


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_window_allows_its_limit_then_says_how_long_to_wait():
    clock = Clock()
    window = Window(3, 60.0, clock=clock)
    assert [window.hit("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    clock.now += 10
    assert window.hit("a") == 50.0  # the first event leaves the window in 50 s
    assert window.hit("b") == 0.0  # other keys are not affected
    clock.now += 50
    assert window.hit("a") == 0.0


def test_a_window_forgets_the_stalest_keys_past_its_size():
    window = Window(1, 60.0, clock=Clock(), max_keys=2)
    for key in ("a", "b", "c"):
        window.hit(key)
    assert window.hit("a") == 0.0  # "a" was forgotten, so it may go again
    assert window.hit("c") > 0


def test_backoff_lets_a_few_failures_pass_then_doubles_the_wait_up_to_a_ceiling():
    clock = Clock()
    backoff = Backoff(free=3, first=1.0, longest=8.0, clock=clock)
    waits = []
    for _ in range(7):
        backoff.failed("a")
        waits.append(backoff.wait("a"))
    assert waits == [0.0, 0.0, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert backoff.wait("b") == 0.0
    clock.now += 8
    assert backoff.wait("a") == 0.0
    backoff.succeeded("a")
    backoff.failed("a")
    assert backoff.wait("a") == 0.0  # a success starts the count again
