"""``intake keys rotate``: re-encrypt every encrypted column under the first key, in batches.

Put the new key first in INTAKE_ENCRYPTION_KEYS (keep the old ones after it), run this, and
only then drop the old keys. Lookup hashes are derived from the last key, so keep the oldest
key last (it is never used to encrypt once a newer key stands first).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from sqlalchemy import column, select, table, update
from sqlalchemy.sql.expression import ColumnClause

import core.models  # noqa: F401  (tables on the metadata)
import handoff.models  # noqa: F401
from core.db import Base, Database, Encrypted, EncryptedJSON

__all__ = ["encrypted_columns", "rotate"]

BATCH = 500


def encrypted_columns() -> list[tuple[str, str, list[str]]]:
    """(table, primary key, encrypted columns) for every table that has some."""
    found = []
    for tbl in Base.metadata.sorted_tables:
        names = [c.name for c in tbl.columns if isinstance(c.type, Encrypted | EncryptedJSON)]
        if names:
            found.append((tbl.name, tbl.primary_key.columns.values()[0].name, names))
    return found


def _bar(done: int, total: int, label: str) -> str:
    width = 30
    filled = width * done // total if total else width
    return f"\r{label:<20} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


def rotate(db: Database, progress: Callable[[str], None] | None = None) -> int:
    """Re-encrypt every stored value under the first key; returns the rows rewritten."""
    out = progress or (lambda text: print(text, end="", file=sys.stderr, flush=True))
    cipher, rewritten = db.cipher, 0
    for name, pk_name, names in encrypted_columns():
        # Untyped columns: the stored ciphertext is read and written as it is, with no
        # decrypting or encrypting by the column types on the way.
        pk: ColumnClause[Any] = column(pk_name)
        cols: list[ColumnClause[Any]] = [column(n) for n in names]
        raw = table(name, pk, *cols)
        with db.engine.connect() as conn:
            ids = [row[0] for row in conn.execute(select(pk).select_from(raw).order_by(pk))]
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            with db.engine.begin() as conn:
                rows = conn.execute(select(pk, *cols).select_from(raw).where(pk.in_(chunk))).all()
                for row in rows:
                    values = {n: cipher.rotate(v) for n, v in zip(names, row[1:], strict=True) if v}
                    if values:
                        conn.execute(update(raw).where(pk == row[0]).values(**values))
                rewritten += len(rows)
            out(_bar(min(start + BATCH, len(ids)), len(ids), name))
        out("\n")
    return rewritten
