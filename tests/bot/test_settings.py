"""Settings: environment over .env over defaults; production refuses unsafe defaults."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.settings import SettingsError, load, sqlite_on_network_fs


def test_defaults_generate_and_keep_development_secrets(tmp_path: Path):
    env = {"INTAKE_DATA_DIR": str(tmp_path / "data")}
    first = load(env, dotenv=None)
    assert first.database_url == "sqlite:///./intake.db"
    assert first.timezone == "Europe/Lisbon"
    assert first.telegram_api_base_url == "https://api.telegram.org/bot"
    assert first.twilio_api_base_url == "https://api.twilio.com"
    assert first.generated == {"INTAKE_SECRET_KEY", "INTAKE_ENCRYPTION_KEYS"}
    again = load(env, dotenv=None)
    assert (again.secret_key, again.encryption_keys) == (first.secret_key, first.encryption_keys)
    assert (tmp_path / "data" / "encryption_key").stat().st_mode & 0o777 == 0o600


def test_environment_beats_dotenv_which_beats_defaults(tmp_path: Path):
    dotenv = tmp_path / ".env"
    dotenv.write_text('DATABASE_URL="sqlite:///from-dotenv.db"\nINTAKE_TIMEZONE=Atlantic/Azores\n# comment\n')
    settings = load({"INTAKE_DATA_DIR": str(tmp_path), "INTAKE_TIMEZONE": "Europe/Lisbon"}, dotenv=dotenv)
    assert settings.database_url == "sqlite:///from-dotenv.db"
    assert settings.timezone == "Europe/Lisbon"


def _production(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "INTAKE_ENV": "production",
        "INTAKE_DATA_DIR": str(tmp_path),
        "INTAKE_SECRET_KEY": secrets.token_urlsafe(32),
        "INTAKE_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": f"sqlite:///{tmp_path}/prod.db",
    }
    env.update(extra)
    return env


def test_production_accepts_a_safe_configuration(tmp_path: Path):
    assert load(_production(tmp_path), dotenv=None).production
    strong = _production(tmp_path, INTAKE_PUBLIC_URL="https://intake.example.org",
                         TELEGRAM_BOT_TOKEN="1:abc", TELEGRAM_WEBHOOK_SECRET=secrets.token_urlsafe(24),
                         INTAKE_METRICS_TOKEN=secrets.token_hex(16))
    assert load(strong, dotenv=None).production


@pytest.mark.parametrize(
    ("drop", "extra", "complaint"),
    [
        ("INTAKE_SECRET_KEY", {}, "INTAKE_SECRET_KEY must be set"),
        ("INTAKE_ENCRYPTION_KEYS", {}, "INTAKE_ENCRYPTION_KEYS must be set"),
        (None, {"TELEGRAM_BOT_TOKEN": "1:abc"}, "TELEGRAM_WEBHOOK_SECRET"),
        (None, {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"}, "INTAKE_PUBLIC_URL"),
        (None, {"INTAKE_SECRET_KEY": "abc"}, "INTAKE_SECRET_KEY is too weak .fewer than 32"),
        (None, {"INTAKE_SECRET_KEY": "s" * 40}, "INTAKE_SECRET_KEY is too weak .too predictable"),
        (None, {"INTAKE_SECRET_KEY": "password" * 5}, "INTAKE_SECRET_KEY is too weak"),
        (None, {"TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_WEBHOOK_SECRET": "a"}, "TELEGRAM_WEBHOOK_SECRET is too weak"),
        (None, {"INTAKE_METRICS_TOKEN": "metrics"}, "INTAKE_METRICS_TOKEN is too weak"),
        (None, {"INTAKE_PUBLIC_URL": "http://intake.example.org"}, "https://"),
    ],
)
def test_production_refuses_unsafe_defaults(tmp_path: Path, drop, extra, complaint):
    env = _production(tmp_path, **extra)
    if drop:
        del env[drop]
    with pytest.raises(SettingsError, match=complaint):
        load(env, dotenv=None)


def test_sqlite_on_a_network_filesystem_is_detected(tmp_path: Path):
    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/vda / ext4 rw 0 0\nserver:/export /mnt/share nfs4 rw 0 0\n")
    assert sqlite_on_network_fs("sqlite:////mnt/share/intake.db", mounts)
    assert not sqlite_on_network_fs("sqlite:////var/lib/intake.db", mounts)
    assert not sqlite_on_network_fs("sqlite://", mounts)


def test_a_bad_encryption_key_is_refused(tmp_path: Path):
    with pytest.raises(SettingsError, match="not a Fernet key"):
        load({"INTAKE_DATA_DIR": str(tmp_path), "INTAKE_ENCRYPTION_KEYS": "nope"}, dotenv=None)


def test_the_environment_is_decided_in_one_place_from_the_environment_or_dotenv(tmp_path):
    from bot.settings import SettingsError, environment

    dotenv = tmp_path / ".env"
    dotenv.write_text("INTAKE_ENV=production\n")
    assert environment({}, dotenv) == "production"  # a .env setting counts (JSON logs too)
    assert environment({"INTAKE_ENV": "development"}, dotenv) == "development"
    assert environment({}, None) == "development"
    with pytest.raises(SettingsError):
        environment({"INTAKE_ENV": "staging"}, None)


def test_secrets_never_print(tmp_path):
    key = Fernet.generate_key().decode()
    settings = load({"INTAKE_ENCRYPTION_KEYS": key, "INTAKE_SECRET_KEY": "s" * 40,
                     "TELEGRAM_BOT_TOKEN": "123:token-value", "TELEGRAM_WEBHOOK_SECRET": "hook-secret",
                     "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "auth-token-value",
                     "INTAKE_DATA_DIR": str(tmp_path)}, dotenv=None)
    shown = f"{settings!r} {settings} {settings.telegram_bot_token} {settings.encryption_keys}"
    for value in (key, "s" * 40, "123:token-value", "hook-secret", "auth-token-value"):
        assert value not in shown
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.reveal() == "123:token-value"
    assert settings.keys == (key,) and settings.telegram_enabled and settings.twilio_enabled
