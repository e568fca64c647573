"""Cross-process wake-ups for the sender: a worker process learns of new outbox rows at once.

PostgreSQL: the turn's transaction runs ``NOTIFY intake_outbox`` (core.turnsql), which is delivered only when
it commits; the worker LISTENs on a dedicated connection. SQLite: ``PRAGMA data_version``
changes whenever another connection commits, and reading it costs microseconds, so the worker
checks it every few milliseconds instead of scanning the outbox.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

from core.db import Database, sqlite_path

__all__ = ["CHANNEL", "watch"]

CHANNEL = "intake_outbox"
log = logging.getLogger(__name__)


def watch(db: Database, wake: Callable[[], None], stop: threading.Event, interval: float = 0.02) -> threading.Thread:
    """Call ``wake`` from a daemon thread whenever another process commits outbox rows."""
    target = _listen_postgres if db.dialect == "postgresql" else _poll_sqlite
    thread = threading.Thread(target=target, args=(db, wake, stop, interval), daemon=True, name="outbox-wakeup")
    thread.start()
    return thread


def _listen_postgres(db: Database, wake: Callable[[], None], stop: threading.Event, interval: float) -> None:
    import psycopg

    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    while not stop.is_set():
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                while not stop.is_set():
                    for _ in conn.notifies(timeout=0.5, stop_after=1):
                        wake()
        except psycopg.Error:
            log.warning("outbox LISTEN connection lost; reconnecting")
            stop.wait(1.0)


def _poll_sqlite(db: Database, wake: Callable[[], None], stop: threading.Event, interval: float) -> None:
    path = sqlite_path(db.url)
    if path is None:
        return  # an in-memory database lives in one process only
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    try:
        last = conn.execute("PRAGMA data_version").fetchone()[0]
        while not stop.wait(interval):
            current = conn.execute("PRAGMA data_version").fetchone()[0]
            if current != last:
                last = current
                wake()
    finally:
        conn.close()
