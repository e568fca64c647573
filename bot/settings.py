"""The deployment's settings: the one module that reads the environment.

Precedence: the process environment, then a ``.env`` file in the working directory, then the
defaults below. In development, missing secrets are generated once and kept in the data
directory; ``INTAKE_ENV=production`` refuses to start on any such unsafe default.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet
from zxcvbn import zxcvbn

from core.db import sqlite_path
from core.secret import Secret, reveal

__all__ = ["Settings", "SettingsError", "load"]

NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "9p", "afs", "glusterfs", "ceph"}
)


_NO_SECRET = Secret("")
_SECRETS = ("secret_key", "telegram_bot_token", "telegram_webhook_secret", "twilio_auth_token",
            "metrics_token", "smtp_password")


class SettingsError(Exception):
    """The configuration is unusable or unsafe; the message says which variable to fix."""


@dataclass(frozen=True)
class Settings:
    """Every setting of DESIGN.md §3, plus a few tuning knobs with safe defaults."""

    database_url: str = "sqlite:///./intake.db"
    public_url: str | None = None
    secret_key: Secret = _NO_SECRET
    encryption_keys: tuple[Secret, ...] = ()
    env: str = "development"
    telegram_bot_token: Secret | None = None
    telegram_webhook_secret: Secret | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    twilio_account_sid: str | None = None
    twilio_auth_token: Secret | None = None
    twilio_from_number: str | None = None
    twilio_messaging_service_sid: str | None = None
    twilio_whatsapp_from: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    timezone: str = "Europe/Lisbon"
    data_dir: Path = Path(".intake")
    inline_worker: bool = True
    outbox_poll_seconds: float = 1.0
    default_flow: str = ""
    retention_days: int = 180        # erase people inactive this long (0: keep forever)
    flood_per_minute: int = 30       # messages from one person per minute before we pause
    webchat_sessions_per_minute: int = 20  # new web chats one client address may open
    # handoff: SLA minutes of office time per priority, idle claims, office hours, team chat
    sla_minutes: tuple[tuple[str, int], ...] = (("urgent", 30), ("high", 240), ("normal", 480), ("low", 1440))
    claim_idle_minutes: int = 30
    reopen_days: int = 14            # a person writing this soon after their case closed reopens it (0: never)
    send_rates: tuple[tuple[str, float], ...] = ()  # per channel's sender, over the channels' own
    translate_url: str | None = None  # a self-hosted LibreTranslate server, for caseworkers
    translate_api_key: Secret | None = None
    office_hours: str = "mon-fri 09:00-18:00"
    holidays: tuple[str, ...] = ()
    notify_telegram_chat: str | None = None
    metrics_token: Secret | None = None  # /metrics asks for it; without it, only this host may read
    operator_name: str = ""          # who runs the service, named in the greeting and notice
    # statistics: cells under k are withheld; a rounding base for figures that leave (0: none)
    stats_k: int = 5
    stats_round: int = 0
    # referrals: the partner directory, and the mail server the courier sends through
    partners_file: Path | None = None  # None: the seed beside handoff/referrals
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: Secret | None = None
    smtp_from: str | None = None
    smtp_security: str = "starttls"  # starttls | tls | none (a relay on this host only)
    generated: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # Plain strings given to the constructor (tests, scripts) become secrets too.
        for name in _SECRETS:
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, Secret(value))
        if any(isinstance(k, str) for k in self.encryption_keys):
            object.__setattr__(self, "encryption_keys", tuple(
                Secret(k) if isinstance(k, str) else k for k in self.encryption_keys))

    @property
    def keys(self) -> tuple[str, ...]:
        """The encryption keys' values, for the database's cipher."""
        return tuple(k.reveal() for k in self.encryption_keys)

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_bot_token)

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse ``KEY=value`` lines; quotes around the value are dropped, comments ignored."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def load_or_exit() -> Settings:
    """The settings for a command: a clear message and exit status 2 when they are wrong."""
    try:
        return load()
    except SettingsError as exc:
        print(f"intake: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc


def _environ(environ: Mapping[str, str] | None, dotenv: Path | None) -> dict[str, str]:
    env = dict(read_dotenv(dotenv)) if dotenv is not None else {}
    env.update(os.environ if environ is None else environ)
    return env


def environment(environ: Mapping[str, str] | None = None,
                dotenv: Path | None = Path(".env")) -> str:
    """``development`` or ``production``: the one place that decides (``INTAKE_ENV``, from the
    environment or ``.env``), read by the settings and by the logs before them."""
    mode = (_environ(environ, dotenv).get("INTAKE_ENV") or "development").lower()
    if mode not in ("development", "production"):
        raise SettingsError(f"INTAKE_ENV must be development or production, not {mode!r}")
    return mode


def load(environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
    """Build the settings from the environment, ``.env`` and defaults, and check them."""
    env = _environ(environ, dotenv)

    def get(name: str, default: str | None = None) -> str | None:
        value = env.get(name)
        return value if value not in (None, "") else default

    mode = environment(env, None)
    data_dir = Path(get("INTAKE_DATA_DIR", ".intake") or ".intake")
    generated: set[str] = set()

    secret_key = get("INTAKE_SECRET_KEY")
    if secret_key is None:
        secret_key = _kept_secret(data_dir / "secret_key", lambda: secrets.token_urlsafe(48))
        generated.add("INTAKE_SECRET_KEY")
    keys_raw = get("INTAKE_ENCRYPTION_KEYS")
    if keys_raw is None:
        keys_raw = _kept_secret(data_dir / "encryption_key", lambda: Fernet.generate_key().decode())
        generated.add("INTAKE_ENCRYPTION_KEYS")
    keys = tuple(k.strip() for k in keys_raw.split(",") if k.strip())
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError) as exc:
            raise SettingsError("INTAKE_ENCRYPTION_KEYS holds a key that is not a Fernet key") from exc

    settings = Settings(
        database_url=get("DATABASE_URL", "sqlite:///./intake.db") or "",
        public_url=(get("INTAKE_PUBLIC_URL") or "").rstrip("/") or None,
        secret_key=Secret(secret_key),
        encryption_keys=tuple(Secret(k) for k in keys),
        env=mode,
        telegram_bot_token=_secret(get("TELEGRAM_BOT_TOKEN")),
        telegram_webhook_secret=_secret(get("TELEGRAM_WEBHOOK_SECRET")),
        telegram_api_base_url=get("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot") or "",
        twilio_account_sid=get("TWILIO_ACCOUNT_SID"),
        twilio_auth_token=_secret(get("TWILIO_AUTH_TOKEN")),
        twilio_from_number=get("TWILIO_FROM_NUMBER"),
        twilio_messaging_service_sid=get("TWILIO_MESSAGING_SERVICE_SID"),
        twilio_whatsapp_from=get("TWILIO_WHATSAPP_FROM"),
        twilio_api_base_url=(get("TWILIO_API_BASE_URL", "https://api.twilio.com") or "").rstrip("/"),
        timezone=get("INTAKE_TIMEZONE", "Europe/Lisbon") or "Europe/Lisbon",
        data_dir=data_dir,
        inline_worker=get("INTAKE_INLINE_WORKER", "1") not in ("0", "false", "no"),
        outbox_poll_seconds=float(get("INTAKE_OUTBOX_POLL_SECONDS", "1.0") or 1.0),
        default_flow=get("INTAKE_FLOW", "") or "",
        retention_days=_int(get("INTAKE_RETENTION_DAYS", "180"), "INTAKE_RETENTION_DAYS"),
        flood_per_minute=_int(get("INTAKE_FLOOD_PER_MINUTE", "30"), "INTAKE_FLOOD_PER_MINUTE"),
        webchat_sessions_per_minute=_int(get("INTAKE_WEBCHAT_SESSIONS_PER_MINUTE", "20"),
                                         "INTAKE_WEBCHAT_SESSIONS_PER_MINUTE"),
        sla_minutes=_sla(get("INTAKE_SLA_MINUTES")),
        claim_idle_minutes=int(get("INTAKE_CLAIM_IDLE_MINUTES", "30") or 30),
        reopen_days=_int(get("INTAKE_REOPEN_DAYS", "14"), "INTAKE_REOPEN_DAYS"),
        send_rates=_rates(get("INTAKE_SEND_RATES")),
        translate_url=get("INTAKE_TRANSLATE_URL") or None,
        translate_api_key=_secret(get("INTAKE_TRANSLATE_API_KEY")),
        office_hours=get("INTAKE_OFFICE_HOURS", "mon-fri 09:00-18:00") or "mon-fri 09:00-18:00",
        holidays=tuple(d.strip() for d in (get("INTAKE_HOLIDAYS", "") or "").split(",") if d.strip()),
        notify_telegram_chat=get("INTAKE_NOTIFY_TELEGRAM_CHAT"),
        metrics_token=_secret(get("INTAKE_METRICS_TOKEN")),
        operator_name=(get("INTAKE_OPERATOR_NAME", "") or "").strip(),
        stats_k=_stats_k(get("INTAKE_STATS_K", "5")),
        stats_round=_int(get("INTAKE_STATS_ROUND", "0"), "INTAKE_STATS_ROUND"),
        partners_file=Path(p) if (p := get("INTAKE_PARTNERS_FILE")) else None,
        smtp_host=get("INTAKE_SMTP_HOST"),
        smtp_port=_int(get("INTAKE_SMTP_PORT", "587"), "INTAKE_SMTP_PORT"),
        smtp_user=get("INTAKE_SMTP_USER"),
        smtp_password=_secret(get("INTAKE_SMTP_PASSWORD")),
        smtp_from=get("INTAKE_SMTP_FROM"),
        smtp_security=_choice(get("INTAKE_SMTP_SECURITY", "starttls"), "INTAKE_SMTP_SECURITY",
                              ("starttls", "tls", "none")),
        generated=frozenset(generated),
    )
    if settings.production:
        _refuse_unsafe(settings)
    return settings


def _secret(value: str | None) -> Secret | None:
    return Secret(value) if value is not None else None


def _sla(raw: str | None) -> tuple[tuple[str, int], ...]:
    """``urgent=30,high=240`` -> minutes of office time per priority, over the defaults."""
    minutes = dict(Settings.sla_minutes)
    for item in (raw or "").split(","):
        name, _, value = item.partition("=")
        if not name.strip():
            continue
        if name.strip() not in minutes or not value.strip().isdigit():
            raise SettingsError(f"INTAKE_SLA_MINUTES: {item.strip()!r} is not priority=minutes")
        minutes[name.strip()] = int(value)
    return tuple(minutes.items())


def _rates(raw: str | None) -> tuple[tuple[str, float], ...]:
    """``sms=1,whatsapp=80`` -> messages a second per channel's sender (0: no limit)."""
    from channels.registry import NAMES

    rates = []
    for item in (raw or "").split(","):
        name, _, value = item.partition("=")
        if not name.strip():
            continue
        try:
            rate = float(value)
        except ValueError:
            rate = -1.0
        if name.strip() not in NAMES or rate < 0:
            raise SettingsError(f"INTAKE_SEND_RATES: {item.strip()!r} is not channel=messages per second")
        rates.append((name.strip(), rate))
    return tuple(rates)


def _choice(value: str | None, name: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _stats_k(value: str | None) -> int:
    """The disclosure threshold: below 2 a withheld cell would protect nobody."""
    k = _int(value, "INTAKE_STATS_K")
    if k < 2:
        raise SettingsError("INTAKE_STATS_K must be 2 or more (a cell of one person is never shown)")
    return k


def _int(value: str | None, name: str) -> int:
    try:
        number = int(value or "0")
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number") from exc
    if number < 0:
        raise SettingsError(f"{name} cannot be negative")
    return number


def _kept_secret(path: Path, make: object) -> str:
    """Read a generated development secret, creating it (mode 0600) on first use."""
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    assert callable(make)
    value = str(make())
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two processes starting together must not write two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value)
    return value


def _refuse_unsafe(settings: Settings) -> None:
    problems = [f"{name} must be set in production (it was generated)" for name in sorted(settings.generated)]
    if settings.is_sqlite and sqlite_on_network_fs(settings.database_url):
        problems.append("DATABASE_URL points SQLite at a network filesystem; WAL needs a local disk")
    if settings.telegram_enabled and not settings.telegram_webhook_secret:
        problems.append("TELEGRAM_WEBHOOK_SECRET must be set when TELEGRAM_BOT_TOKEN is")
    if settings.twilio_enabled and not settings.public_url:
        problems.append("INTAKE_PUBLIC_URL must be set with Twilio: signatures are computed over it")
    if settings.public_url and not settings.public_url.startswith("https://"):
        problems.append("INTAKE_PUBLIC_URL must be an https:// address: chats and tokens cross it")
    for name, value, shortest in (("INTAKE_SECRET_KEY", settings.secret_key, 32),
                                  ("TELEGRAM_WEBHOOK_SECRET", settings.telegram_webhook_secret, 24),
                                  ("INTAKE_METRICS_TOKEN", settings.metrics_token, 24)):
        weak = _weak(reveal(value), shortest) if value else None
        if weak:
            problems.append(f"{name} is too weak ({weak}): use a random value, e.g. "
                            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`")
    if settings.smtp_host and settings.smtp_security == "none" and settings.smtp_host not in (
            "localhost", "127.0.0.1", "::1"):
        problems.append("INTAKE_SMTP_SECURITY=none sends referrals in clear: only to a relay on this host")
    if problems:
        raise SettingsError("refusing to start in production: " + "; ".join(problems))


def _weak(value: str | None, shortest: int) -> str | None:
    """Why a secret is guessable, or None: too short, or too little entropy for its length
    (zxcvbn's estimate sees repeats, sequences, words and dates)."""
    if not value or len(value) < shortest:
        return f"fewer than {shortest} characters"
    if zxcvbn(value[:100])["guesses_log10"] < 24:  # about 80 bits
        return "too predictable"
    return None


def sqlite_on_network_fs(url: str, mounts: Path = Path("/proc/mounts")) -> bool:
    """True when the SQLite file lies on a network filesystem (by the longest mount prefix)."""
    path = sqlite_path(url)
    if path is None:
        return False
    target = str(path.resolve())
    best, fstype = "", ""
    try:
        lines = mounts.read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1]
        if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) > len(best):
            best, fstype = point, parts[2]
    return fstype in NETWORK_FILESYSTEMS
