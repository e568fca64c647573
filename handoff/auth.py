"""Caseworker accounts: argon2 passwords, lockout, API tokens and console sessions.

Secrets never rest in clear: passwords are argon2 hashes, API tokens and session cookies are
random values of which only the sha256 is stored (a leaked database opens no door), and a
token is revoked by stamping ``revoked_at``.

Guessing is slowed where it comes from: the console makes each client address wait longer
after every few wrong passwords (``Handoff.logins``), so one stranger can neither try quickly
nor lock a colleague out. An account locks for 15 minutes only after twenty failures in a
row, the backstop against guesses spread over many addresses. A new password must be strong
by zxcvbn's estimate (which knows common passwords, names, words and keyboard patterns), not
merely long.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from core.db import utcnow
from handoff.errors import Invalid
from handoff.models import ROLES, ApiToken, Caseworker, ConsoleSession
from handoff.queue import audit, base_language

__all__ = [
    "IDLE_TIMEOUT",
    "LOCKOUT",
    "MAX_FAILURES",
    "SCOPES",
    "add_caseworker",
    "allows",
    "authenticate",
    "check_password",
    "create_token",
    "end_session",
    "find_by_email",
    "revoke_token",
    "session_for",
    "start_session",
    "token_for",
    "token_owner",
]

MAX_FAILURES = 20
LOCKOUT = timedelta(minutes=15)
SCOPES = ("read", "act", "supervise")  # each allows what the ones before it allow
TOKEN_DAYS = 90  # a token nobody renews stops working
MIN_LENGTH = 10
MIN_STRENGTH = 3  # zxcvbn's score, 0-4: 3 is "safely unguessable" online
SESSION_LIFETIME = timedelta(hours=12)  # a console session never outlives a working day
IDLE_TIMEOUT = timedelta(minutes=30)  # nor half an hour away from the desk

_hasher = PasswordHasher()
# Verified when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY = _hasher.hash("not a password")


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def find_by_email(session: Session, email: str) -> Caseworker | None:
    return session.scalars(select(Caseworker).where(Caseworker.email == email.strip().lower())).first()


def add_caseworker(
    session: Session, email: str, name: str, role: str, languages: list[str], password: str
) -> Caseworker:
    email = email.strip().lower()
    if "@" not in email:
        raise Invalid(f"{email!r} is not an email address")
    if role not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}")
    check_password(password, (email, name))
    if find_by_email(session, email) is not None:
        raise Invalid(f"{email} already has an account")
    speaks = [base_language(x) for x in languages if x.strip()] or ["pt"]
    cw = Caseworker(
        email=email,
        name=name.strip() or email,
        role=role,
        languages=speaks,
        ui_language="en" if speaks[0] != "pt" else "pt",
        password_hash=_hasher.hash(password),
        failed_logins=0,
        active=True,
    )
    session.add(cw)
    session.flush()
    return cw


def check_password(password: str, personal: tuple[str, ...] = ()) -> None:
    """Refuse a short or guessable password, saying why and what would do."""
    if len(password) < MIN_LENGTH:
        raise Invalid(f"a password needs at least {MIN_LENGTH} characters")
    found = zxcvbn(password[:100], user_inputs=[p for p in personal if p])
    if found["score"] < MIN_STRENGTH:
        why = found["feedback"].get("warning") or "it is too easy to guess"
        raise Invalid(f"this password is too weak: {why.rstrip('.').lower()}. Try a few unrelated "
                      "words or a longer phrase")


def authenticate(session: Session, email: str, password: str, now: datetime) -> Caseworker | None:
    """The caseworker when the password is right and the account is not locked; else None."""
    cw = session.scalars(
        select(Caseworker).where(Caseworker.email == email.strip().lower()).with_for_update()
    ).first()
    if cw is None or not cw.active:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY, password)
        return None
    if cw.locked_until is not None and cw.locked_until > now:
        audit(session, cw, "login_locked")
        return None
    try:
        _hasher.verify(cw.password_hash, password)
    except (VerificationError, InvalidHashError):
        cw.failed_logins += 1
        if cw.failed_logins >= MAX_FAILURES:
            cw.locked_until, cw.failed_logins = now + LOCKOUT, 0
        audit(session, cw, "login_failed")
        return None
    cw.failed_logins, cw.locked_until = 0, None
    if _hasher.check_needs_rehash(cw.password_hash):
        cw.password_hash = _hasher.hash(password)
    audit(session, cw, "login")
    return cw


def create_token(session: Session, cw: Caseworker, scope: str = "supervise",
                 days: int = TOKEN_DAYS, now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new API token for ``days`` days (0: no expiry); the clear value is returned once and
    never stored. ``scope`` says what it may do: read, act or supervise."""
    if scope not in SCOPES:
        raise Invalid(f"scope must be one of {', '.join(SCOPES)}")
    if days < 0:
        raise Invalid("days cannot be negative")
    value = "ik_" + secrets.token_urlsafe(32)
    expires = (now or utcnow()) + timedelta(days=days) if days else None
    row = ApiToken(caseworker_id=cw.id, token_hash=sha256(value), scope=scope, expires_at=expires)
    session.add(row)
    session.flush()
    audit(session, cw, "token_create", token_id=row.id, scope=scope, days=days)
    return row, value


def allows(scope: str, needed: str) -> bool:
    """Whether a token of ``scope`` may do what needs ``needed`` (read < act < supervise)."""
    return SCOPES.index(scope if scope in SCOPES else "read") >= SCOPES.index(needed)


def revoke_token(session: Session, token_id: int, now: datetime) -> bool:
    row = session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = now
    audit(session, None, "token_revoke", token_id=token_id)
    return True


def token_for(session: Session, value: str, now: datetime) -> tuple[Caseworker, ApiToken] | None:
    """The token's caseworker and the token, or None (unknown, revoked, expired, inactive)."""
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == sha256(value))).first()
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    cw = session.get(Caseworker, row.caseworker_id)
    if cw is None or not cw.active:
        return None
    # Recording use at most once a minute keeps reads from turning into writes on every call.
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        row.last_used_at = now
    return cw, row


def token_owner(session: Session, value: str, now: datetime) -> Caseworker | None:
    found = token_for(session, value, now)
    return found[0] if found else None


def start_session(session: Session, cw: Caseworker, now: datetime) -> tuple[str, ConsoleSession]:
    value = secrets.token_urlsafe(32)
    row = ConsoleSession(
        token_hash=sha256(value),
        caseworker_id=cw.id,
        csrf=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=now + IDLE_TIMEOUT,
    )
    session.add(row)
    session.flush()
    return value, row


def session_for(session: Session, value: str, now: datetime, *, active: bool = True
                ) -> tuple[Caseworker, ConsoleSession] | None:
    """The signed-in caseworker, or None once the session ended. ``active``: a person did
    something (a page, an action), which keeps it alive for IDLE_TIMEOUT more, up to
    SESSION_LIFETIME in all; a page refreshing itself is not a person and does not."""
    row = session.scalars(select(ConsoleSession).where(ConsoleSession.token_hash == sha256(value))).first()
    if row is None or row.expires_at <= now:
        return None
    cw = session.get(Caseworker, row.caseworker_id)
    if cw is None or not cw.active:
        return None
    if active:
        row.expires_at = min(row.created_at + SESSION_LIFETIME, now + IDLE_TIMEOUT)
    return cw, row


def end_session(session: Session, value: str) -> None:
    row = session.scalars(select(ConsoleSession).where(ConsoleSession.token_hash == sha256(value))).first()
    if row is not None:
        session.delete(row)
