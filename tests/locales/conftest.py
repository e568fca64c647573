"""Shared fixtures: fixture catalog paths and one lingua preload per test session."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
DATA = Path(__file__).parent / "data"


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.fixture(scope="session")
def preloaded() -> dict[str, float]:
    """Load lingua + py3langid once for the whole session; report what it cost."""
    from locales import preload

    before, start = _rss_mb(), time.perf_counter()
    preload()
    cost = {"seconds": time.perf_counter() - start, "mb": _rss_mb() - before}
    print(f"\npreload: {cost['seconds']:.2f} s, +{cost['mb']:.0f} MB RSS")
    return cost
