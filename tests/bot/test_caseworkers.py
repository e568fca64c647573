"""The caseworker commands: add (password from stdin), token create, seed-demo (once)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from bot import migrate
from bot.cli import main
from core.db import Database
from handoff import auth
from handoff.models import ApiToken, Caseworker
from tests.conftest import TEST_KEYS


@pytest.fixture
def env(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = Database(url, TEST_KEYS)
    migrate.upgrade(db.engine)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("INTAKE_ENCRYPTION_KEYS", TEST_KEYS[0])
    monkeypatch.setenv("INTAKE_SECRET_KEY", "test")
    yield db
    db.dispose()


def test_add_reads_the_password_from_stdin_and_token_create_prints_it_last(env, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["caseworker", "add", "Ana@Example.org", "--name", "Ana", "--role", "supervisor",
                 "--languages", "pt,en,uk"]) == 0
    with env.sessions() as s:
        cw = s.scalars(select(Caseworker)).one()
        assert (cw.email, cw.role, cw.languages) == ("ana@example.org", "supervisor", ["pt", "en", "uk"])
        assert cw.password_hash.startswith("$argon2")
    capsys.readouterr()
    assert main(["token", "create", "ana@example.org"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    with env.transaction() as s:
        assert auth.token_owner(s, token, cw.created_at).email == "ana@example.org"
        assert s.scalars(select(ApiToken.token_hash)).one() == auth.sha256(token)  # hashed at rest
    assert main(["token", "revoke", "1"]) == 0
    with env.transaction() as s:
        assert auth.token_owner(s, token, cw.created_at) is None


def test_add_refuses_a_short_password_and_duplicates(env, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["caseworker", "add", "a@example.org"]) == 2
    assert "10 characters" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["caseworker", "add", "a@example.org"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["caseworker", "add", "a@example.org"]) == 2


def test_seed_demo_prints_credentials_once(env, capsys):
    assert main(["caseworker", "seed-demo", "--url", "http://127.0.0.1:8123"]) == 0
    first = capsys.readouterr().out
    assert "http://127.0.0.1:8123/console/" in first  # make run PORT=8123
    password = first.strip().splitlines()[-1].split()[-1]
    assert main(["caseworker", "seed-demo"]) == 0
    second = capsys.readouterr().out
    assert password not in second and "exists" in second
    with env.transaction() as s:
        from core.db import utcnow

        assert auth.authenticate(s, "demo@intake.local", password, utcnow()) is not None


def test_production_refuses_the_demo_supervisor(env, monkeypatch, capsys):
    import secrets

    monkeypatch.setenv("INTAKE_ENV", "production")
    monkeypatch.setenv("INTAKE_SECRET_KEY", secrets.token_urlsafe(32))
    assert main(["caseworker", "seed-demo"]) == 2
    assert "production refuses it" in capsys.readouterr().err
    with env.sessions() as s:
        assert auth.find_by_email(s, "demo@intake.local") is None
