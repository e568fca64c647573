"""The database: engine set-up for SQLite and PostgreSQL, sessions, and column types.

One code path for both backends. SQLite gets WAL and ``BEGIN IMMEDIATE`` so that every write
transaction takes the database's write lock up front (its equivalent of ``SELECT ... FOR
UPDATE``, which it silently ignores); PostgreSQL gets real row locks.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Dialect, Engine, MetaData, Text, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import PoolProxiedConnection, StaticPool
from sqlalchemy.types import DateTime, TypeDecorator

from core import jsondoc
from core.checkpoint import BACKSTOP_PAGES, WAL_SIZE_LIMIT, Checkpointer
from core.crypto import Cipher

__all__ = ["Base", "Database", "Encrypted", "EncryptedJSON", "UTCDateTime", "sqlite_path", "utcnow"]

# Deterministic constraint names: Alembic's batch mode on SQLite can only drop what it can name.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as UTC and always read back timezone-aware.

    SQLite drops tzinfo and keeps the wall-clock time, so normalise before writing.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use core.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# The process's cipher. Column types are built at import time, before settings are read, so
# they find the keys here; Database() installs them.
_cipher: list[Cipher] = []


def cipher() -> Cipher:
    if not _cipher:
        raise RuntimeError("no encryption keys installed: create a Database first")
    return _cipher[0]


class Encrypted(TypeDecorator[str]):
    """Text encrypted with Fernet at rest: a dump of the database shows no personal data."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else cipher().encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else cipher().decrypt(value)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON document (e.g. the intake record) encrypted at rest."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else cipher().encrypt_json(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else cipher().decrypt_json(value)


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # stop pysqlite from emitting its own deferred BEGIN
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000",
                   # Checkpoints run in a thread (core.checkpoint); a commit does one only past this.
                   f"wal_autocheckpoint={BACKSTOP_PAGES}", f"journal_size_limit={WAL_SIZE_LIMIT}"):
        dbapi_conn.execute(f"PRAGMA {pragma}")


def _sqlite_begin(conn: Any) -> None:
    # Straight to the driver: through exec_driver_sql this one statement cost as much as a
    # turn's reads (bench/). Its errors ("database is locked") are wrapped as SQLAlchemy would.
    driver = conn.connection.driver_connection
    if driver.in_transaction:
        # A turn's transaction, begun on the driver (Database.turn_connection), that a rare
        # path now continues through the ORM: it already holds the write lock.
        return
    try:
        driver.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise DBAPIError.instance("BEGIN IMMEDIATE", None, exc, sqlite3.Error) from exc


def make_engine(url: str, **kwargs: Any) -> Engine:
    # JSON columns written through the ORM get the same compact text as the turn's own
    # statements (core.turnsql), from the same encoder.
    kwargs.setdefault("json_serializer", jsondoc.dumps)
    kwargs.setdefault("json_deserializer", jsondoc.loads)
    if url.startswith("sqlite"):
        args: dict[str, Any] = {"connect_args": {"timeout": 30, "check_same_thread": False}}
        if ":memory:" in url or url in ("sqlite://", "sqlite:///"):
            args["poolclass"] = StaticPool
        engine = create_engine(url, **args, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, **kwargs)


class Database:
    """An engine, a session factory and the cipher for one database."""

    def __init__(self, url: str, keys: tuple[str, ...] | list[str]) -> None:
        self.url = url
        self.cipher = Cipher(keys)
        _cipher[:] = [self.cipher]
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time. Threads of this process queue here for it instead
        # of in SQLite's busy handler, which sleeps 1-100 ms between retries and burns a retry
        # each time (other processes still meet the busy handler). PostgreSQL locks rows.
        self.write_lock: AbstractContextManager[Any] = (
            threading.RLock() if self.dialect == "sqlite" else nullcontext()
        )
        self._turns: PoolProxiedConnection | None = None  # SQLite: see turn_connection
        path = self.engine.url.database if self.dialect == "sqlite" else None
        in_file = bool(path) and path != ":memory:" and not self.engine.url.query.get("uri")
        self.checkpointer = Checkpointer(str(path)) if in_file else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on error."""
        with self.write_lock, self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def turn_connection(self) -> Iterator[PoolProxiedConnection]:
        """A pooled connection for one turn, whose transaction the caller begins and ends on
        the driver (core.pipeline). On SQLite it is one connection kept for all the process's
        turns, which queue on ``write_lock`` anyway: a pool checkout and checkin cost as much
        as a third of the turn's statements."""
        if self.dialect != "sqlite":
            pooled = self.engine.raw_connection()
            try:
                yield pooled
            finally:
                pooled.close()
            return
        with self.write_lock:
            if self._turns is None or self._turns.dbapi_connection is None:
                self._turns = self.engine.raw_connection()
                if self.checkpointer is not None:
                    self.checkpointer.start()  # this process writes turns: keep the WAL short
            yield self._turns

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.stop()
        with self.write_lock:
            if self._turns is not None:
                self._turns.close()
                self._turns = None
        self.engine.dispose()


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for an in-memory database."""
    rest = url.split("://", 1)[1] if "://" in url else ""
    path = rest[1:] if rest.startswith("/") else rest
    path = path.split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None
