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


def test_the_api_refuses_what_a_tokens_scope_does_not_allow_and_expired_tokens(hub):
    from tests.handoff.helpers import handed_over

    handed_over(hub.app, "+351910000031")
    with hub.db.transaction() as s:
        cw = _cw(s)
        _r, reader = auth.create_token(s, cw, scope="read")
        _a, actor = auth.create_token(s, cw, scope="act")
        _o, old = auth.create_token(s, cw, days=1, now=utcnow() - timedelta(days=2))

    def call(method: str, path: str, token: str):
        return hub.client.request(method, path, headers={"Authorization": f"Bearer {token}"})

    assert call("GET", "/api/v1/cases", reader).status_code == 200
    refused = call("POST", "/api/v1/cases/1/claim", reader)
    assert refused.status_code == 403 and "needs act" in refused.json()["detail"]
    assert call("POST", "/api/v1/cases/1/claim", actor).status_code == 200
    assert call("GET", "/api/v1/audit", actor).status_code == 403  # supervising needs supervise
    expired = call("GET", "/api/v1/me", old)
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
