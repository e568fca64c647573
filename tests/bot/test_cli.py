"""The `intake` command through real processes: serve answers health checks, chat resumes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_KEYS

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
        INTAKE_DATA_DIR=str(tmp_path / "data"),
        INTAKE_ENCRYPTION_KEYS=TEST_KEYS[0],
        INTAKE_SECRET_KEY="test-secret-key-" + "x" * 32,
    )
    for name in ("TELEGRAM_BOT_TOKEN", "TWILIO_ACCOUNT_SID", "INTAKE_PUBLIC_URL"):
        env.pop(name, None)
    return env


def _intake(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_health_and_readiness(tmp_path: Path):
    env = _env(tmp_path)
    subprocess.run(_intake("db", "upgrade"), env=env, cwd=tmp_path, check=True, capture_output=True)
    port = _free_port()
    started = time.monotonic()
    proc = subprocess.Popen(
        _intake("serve", "--port", str(port)), env=env, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = started + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("serve did not answer within 60 s")
                time.sleep(0.2)
        assert health.json() == {"status": "ok"}
        assert httpx.get(f"http://127.0.0.1:{port}/readyz").json() == {"database": "ok"}
        assert "intake_turns_total" in httpx.get(f"http://127.0.0.1:{port}/metrics").text
    finally:
        proc.terminate()
        proc.wait(10)


def _chat(env: dict[str, str], cwd: Path, lines: list[str], user: str = "ana") -> str:
    done = subprocess.run(
        _intake("chat", "--user", user), env=env, cwd=cwd, input="\n".join(lines) + "\n",
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _conversations(tmp_path: Path) -> list[tuple[int, str, int]]:
    from sqlalchemy import select

    from core.db import Database
    from core.models import Conversation

    db = Database(f"sqlite:///{tmp_path / 'cli.db'}", TEST_KEYS)
    try:
        with db.sessions() as s:
            return [(c.id, c.state, c.version) for c in s.scalars(select(Conversation))]
    finally:
        db.dispose()


def test_chat_conversation_survives_a_restart(tmp_path: Path):
    env = _env(tmp_path)
    first = _chat(env, tmp_path, ["hello"])
    assert "bot>" in first
    [(conv_id, state, version)] = _conversations(tmp_path)
    assert version == 2 and state
    # A new process: the same conversation continues instead of starting over.
    second = _chat(env, tmp_path, ["hello again"])
    assert "continuing your conversation" in second
    [(again_id, _state, again_version)] = _conversations(tmp_path)
    assert (again_id, again_version) == (conv_id, 3)


def test_chat_killed_mid_conversation_resumes(tmp_path: Path):
    env = _env(tmp_path)
    proc = subprocess.Popen(
        _intake("chat", "--user", "kim"), env=env, cwd=tmp_path, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    deadline = time.monotonic() + 60
    seen = ""
    while "you>" not in seen and time.monotonic() < deadline:
        seen += proc.stdout.read(1)
    proc.kill()  # SIGKILL: no clean shutdown at all
    proc.wait(10)
    resumed = _chat(env, tmp_path, [], user="kim")
    assert "continuing your conversation" in resumed


def test_webhooks_set_registers_telegram_with_the_secret(tmp_path: Path):
    from channels.fakes import FakeTelegramAPI

    fake = FakeTelegramAPI(token="42:abc")
    with fake.serve() as base_url:
        env = _env(tmp_path)
        env.update(TELEGRAM_BOT_TOKEN="42:abc", TELEGRAM_WEBHOOK_SECRET="sec_ret",
                   TELEGRAM_API_BASE_URL=base_url, INTAKE_PUBLIC_URL="https://bot.example.org")
        done = subprocess.run(_intake("webhooks", "set"), env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert fake.webhook["url"] == "https://bot.example.org/webhooks/telegram"
        assert fake.webhook["secret_token"] == "sec_ret"
        env.pop("TELEGRAM_WEBHOOK_SECRET")
        refused = subprocess.run(_intake("webhooks", "set"), env=env, cwd=tmp_path,
                                 capture_output=True, text=True, timeout=60)
        assert refused.returncode == 2 and "TELEGRAM_WEBHOOK_SECRET" in refused.stderr


def test_a_long_running_process_loads_the_models_and_freezes_its_start_up_heap():
    import gc

    from bot.cli import settle_heap
    from locales.detect import _Models

    try:
        settle_heap(load_models=True)
        assert _Models.lingua is not None and _Models.langid is not None  # not on the first message
        assert gc.get_freeze_count() > 10_000  # start-up objects a full collection no longer walks
    finally:
        gc.unfreeze()
