"""WAL checkpoints in a thread of their own: started by the first turn, stopped by dispose,
the WAL restarted under sustained writes and cut back after a spike, and no thread where there is no WAL."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.app import build
from channels.base import Inbound
from channels.fake import RecordingChannel
from core.checkpoint import BACKSTOP_PAGES, WAL_SIZE_LIMIT, Checkpointer
from core.db import Database
from tests.bot.conftest import settings_for
from tests.conftest import TEST_KEYS


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_the_first_turn_starts_the_checkpointer_which_copies_the_wal_back(sqlite_db: Database, tmp_path: Path):
    app = build(settings_for(sqlite_db, tmp_path), channels={"fake": RecordingChannel("fake")})
    checkpointer = app.db.checkpointer
    assert checkpointer is not None and not checkpointer.running  # nothing written yet
    for body in ("hello", "yes", "no"):
        app.pipeline.handle(Inbound(channel="fake", address="chat-1", text=body))
    assert checkpointer.running
    # Every frame the turns appended is copied back without another commit doing it.
    assert wait_for(lambda: checkpointer.last is not None and checkpointer.last[1] > 0
                    and checkpointer.last[1] == checkpointer.last[2])
    app.db.dispose()
    assert not checkpointer.running
    assert app.pipeline.handle(Inbound(channel="fake", address="chat-1", text="help")).replies  # still works
    assert not checkpointer.running  # a disposed database checkpoints inline again
    app.db.dispose()


def test_commits_checkpoint_themselves_only_past_the_backstop(sqlite_db: Database):
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == BACKSTOP_PAGES
        assert conn.execute(text("PRAGMA journal_size_limit")).scalar() == WAL_SIZE_LIMIT
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def wal_salts(wal: Path) -> bytes:
    with wal.open("rb") as f:
        return f.read(24)[16:24]  # salt-1 and salt-2: SQLite draws new ones each time the WAL restarts


def test_the_wal_restarts_under_sustained_writes_and_shrinks_back(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'busy.db'}", TEST_KEYS)
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB)"))
    checkpointer = db.checkpointer
    assert checkpointer is not None
    checkpointer.interval = 0.01
    body = os.urandom(3_000)  # about a page a row: one or two frames a commit

    def commit() -> None:
        with db.turn_connection() as pooled:
            driver = pooled.dbapi_connection
            driver.execute("BEGIN IMMEDIATE")
            driver.execute("INSERT INTO filler (body) VALUES (?)", (body,))
            driver.execute("COMMIT")

    # Writes that never pause still let the WAL start over from its beginning, again and again.
    # How often depends on the disk (commits keep appending while the thread syncs), so the
    # test writes until it has seen two restarts rather than counting frames.
    wal = tmp_path / "busy.db-wal"
    salts: set[bytes] = set()
    commits = 0
    deadline = time.monotonic() + 60
    while len(salts) < 3 or commits < 3 * BACKSTOP_PAGES:
        assert time.monotonic() < deadline, f"{len(salts) - 1} restarts in {commits} commits"
        commit()
        commits += 1
        if commits % 50 == 0:
            salts.add(wal_salts(wal))
    # Once writes stop the thread copies the rest back; the next commit restarts the WAL and
    # SQLite cuts a file a spike had grown back to the limit.
    runs = checkpointer.runs
    assert wait_for(lambda: checkpointer.runs > runs + 1 and checkpointer.last is not None
                    and checkpointer.last[1] == checkpointer.last[2])
    commit()
    assert wal.stat().st_size <= WAL_SIZE_LIMIT
    db.dispose()


def test_no_thread_without_a_wal_file(db: Database):
    memory = Database("sqlite://", TEST_KEYS)
    assert memory.checkpointer is None
    memory.dispose()
    if db.dialect == "postgresql":
        assert db.checkpointer is None
    else:
        assert db.checkpointer is not None


def test_a_database_it_cannot_open_leaves_checkpoints_inline(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    checkpointer = Checkpointer(str(tmp_path / "missing" / "x.db"), interval=0.01)
    with caplog.at_level(logging.WARNING, logger="core.checkpoint"):
        checkpointer.start()
        assert wait_for(lambda: not checkpointer.running)
    assert "checkpoints stay inline" in caplog.text
    checkpointer.stop()
