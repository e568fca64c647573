"""API tokens expire and carry a scope: read < act < supervise."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.db import utcnow
from handoff import auth
from handoff.errors import Invalid
from handoff.models import Caseworker


def _cw(s) -> Caseworker:
    return auth.add_caseworker(s, "ana@example.org", "Ana", "supervisor", ["pt"], "correct horse battery")


def test_a_token_expires_after_its_days_and_a_zero_day_one_never(sqlite_db):
    now = utcnow()
    with sqlite_db.transaction() as s:
        cw = _cw(s)
        row, value = auth.create_token(s, cw, scope="read", days=30, now=now)
        _forever, lasting = auth.create_token(s, cw, days=0, now=now)
        assert row.scope == "read" and row.expires_at == now + timedelta(days=30)
        assert auth.token_for(s, value, now + timedelta(days=29)) is not None
        assert auth.token_for(s, value, now + timedelta(days=30)) is None
        assert auth.token_owner(s, lasting, now + timedelta(days=3650)) is not None


def test_scopes_are_ordered_and_checked(sqlite_db):
    assert auth.allows("supervise", "act") and auth.allows("act", "read")
    assert not auth.allows("read", "act") and not auth.allows("act", "supervise")
    assert not auth.allows("bogus", "act")  # an unknown scope reads at most
    with sqlite_db.transaction() as s, pytest.raises(Invalid, match="scope"):
        auth.create_token(s, _cw(s), scope="admin")
