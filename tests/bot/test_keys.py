"""Key rotation: everything re-encrypted under the new key and still readable."""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import select, text

from bot import migrate
from bot.keys import encrypted_columns, rotate
from core.crypto import Cipher
from core.db import Database
from core.models import Conversation, Message
from tests.bot.helpers import make_pipeline, say


def test_rotation_reencrypts_every_row_under_the_new_key(tmp_path: Path):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    url = f"sqlite:///{tmp_path / 'rot.db'}"
    db = Database(url, [old])
    migrate.upgrade(db.engine)
    pipeline, _, _ = make_pipeline(db)
    for i in range(30):
        say(pipeline, f"secret {i}", address=f"+3519100000{i:02d}")
    db.dispose()
    # The new key first, the old one kept last (it also derives the lookup hashes).
    rotated = Database(url, [new, old])
    shown: list[str] = []
    assert rotate(rotated, progress=shown.append) >= 90
    assert any("message" in line and "60/60" in line for line in shown)
    only_new = Cipher([new])
    with rotated.engine.connect() as conn:
        for name, _pk, columns in encrypted_columns():
            for col in columns:
                for (value,) in conn.execute(text(f"SELECT {col} FROM {name} WHERE {col} IS NOT NULL AND {col} != ''")):
                    only_new.decrypt(value)  # raises if not under the new key
    with rotated.sessions() as s:
        bodies = set(s.scalars(select(Message.body).where(Message.direction == "in")))
        assert "secret 7" in bodies
        assert s.scalars(select(Conversation)).first().record is not None
    rotated.dispose()
