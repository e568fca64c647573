"""SQLite's WAL checkpoints, moved off the turn's path.

A commit in WAL mode appends pages to the ``-wal`` file; a checkpoint copies them back into
the database and syncs both files. SQLite runs it inside the commit that crosses
``wal_autocheckpoint`` pages, so one turn in ~80 paid for copying a thousand pages and two
fsyncs while holding the write lock: the engine's p99 was 13-19 ms against a p50 of 0.6 ms
(bench/engine.py).

Here a thread of the process checkpoints every ``interval`` on its own connection (PASSIVE:
it never waits for, or blocks, a writer), and the connections' own threshold is raised to
``BACKSTOP_PAGES``. The thread does the copying and syncing while turns run; under sustained
writes it cannot always catch up to the last frame, so the backstop still lets a commit finish
the small remainder, and the next write restarts the WAL from its beginning. While the thread
syncs (seconds on a busy disk) commits keep appending, so a spike can grow the file past the
backstop; ``WAL_SIZE_LIMIT`` (``journal_size_limit``) has SQLite cut it back at the next restart.
Durability is unchanged: a commit is the same append to the WAL with synchronous=NORMAL.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading

__all__ = ["BACKSTOP_PAGES", "WAL_SIZE_LIMIT", "Checkpointer"]

log = logging.getLogger(__name__)

BACKSTOP_PAGES = 4_000  # 4 KB pages: a commit checkpoints itself once the WAL holds ~16 MB
WAL_SIZE_LIMIT = BACKSTOP_PAGES * (4096 + 24)  # bytes: a WAL frame is a page and its header
INTERVAL_SECONDS = 0.2


class Checkpointer:
    """One daemon thread checkpointing the SQLite database at ``path``; ``stop()`` ends it."""

    def __init__(self, path: str, interval: float = INTERVAL_SECONDS) -> None:
        self.path = path
        self.interval = interval
        self.runs = 0  # checkpoints attempted
        self.last: tuple[int, int, int] | None = None  # (busy, frames in WAL, frames copied)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        with self._lock:
            if self.running or self._stop.is_set():
                return
            self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        with self._lock:
            self._stop.set()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=0)
        except sqlite3.Error as exc:
            log.warning("WAL checkpoints stay inline: cannot open the database (%s)", exc)
            return
        failures = 0
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.checkpoint(conn)
                    failures = 0
                except sqlite3.Error as exc:
                    failures += 1
                    if failures == 1:
                        log.warning("background WAL checkpoint failed (%s); commits still checkpoint "
                                    "past %d pages", exc, BACKSTOP_PAGES)
                    if not os.path.exists(self.path):
                        return  # the database is gone (a test's temporary directory, say)
        finally:
            conn.close()

    def checkpoint(self, conn: sqlite3.Connection) -> tuple[int, int, int]:
        busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        self.last = (int(busy), int(frames), int(copied))
        self.runs += 1
        return self.last
