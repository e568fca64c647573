"""The partner directory: organisations a person may be referred to, kept as editable data.

Loaded from a TOML file (``INTAKE_PARTNERS_FILE``, by default the seed beside this module) and
validated as a whole: ``intake partners check`` prints every problem, and the application
refuses to start on an invalid directory rather than refer someone to a half-described partner.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from handoff.referrals.fields import PURPOSES

__all__ = ["DELIVERIES", "KINDS", "SEED", "Directory", "Partner", "load", "problems"]

SEED = Path(__file__).with_name("partners.toml")
KINDS = ("victim_support", "legal", "asylum", "shelter", "child_protection", "public_service",
         "consulate", "iom_office")
DELIVERIES = ("email", "webhook", "paper")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_DISTRICT = re.compile(r"^PT-(0[1-9]|1[0-8]|20|30)$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")
# Plain http only to this host: a relay beside the service, never across a network.
_LOCAL = ("http://127.0.0.1:", "http://localhost:", "http://127.0.0.1/", "http://localhost/")
# A review older than this is reported: contacts and services change.
STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    short: str  # what the person reads in messages: short on SMS, nothing more than needed
    kind: str
    languages: tuple[str, ...]
    regions: tuple[str, ...]
    accepts: tuple[str, ...]
    delivery: str
    email: str | None
    webhook: str | None
    secret_env: str | None
    source: str
    reviewed: date | None
    verified: bool

    def serves(self, district: str | None) -> bool:
        return "all" in self.regions or (district is not None and district in self.regions)

    def secret(self) -> str | None:
        """The webhook signing secret, read from the environment when needed."""
        return os.environ.get(self.secret_env) if self.secret_env else None

    def public(self) -> dict[str, Any]:
        """What the API lists: never the secret's name, nor the e-mail address itself."""
        return {"id": self.id, "name": self.name, "short": self.short, "kind": self.kind, "languages": list(self.languages),
                "regions": list(self.regions), "accepts": list(self.accepts),
                "delivery": self.delivery, "verified": self.verified,
                "reviewed": self.reviewed.isoformat() if self.reviewed else None}


class Directory:
    """The partners by id, in the file's order."""

    def __init__(self, partners: list[Partner]) -> None:
        self.partners = {p.id: p for p in partners}

    def get(self, partner_id: str) -> Partner | None:
        return self.partners.get(partner_id)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.partners.values())

    def __len__(self) -> int:
        return len(self.partners)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def problems(raw: dict[str, Any], today: date | None = None) -> tuple[list[str], list[str]]:
    """(errors, warnings) of a parsed directory file. Errors stop the application; warnings
    (unverified or stale entries) are for whoever keeps the directory."""
    today = today or datetime.now().date()
    errors: list[str] = []
    warnings: list[str] = []
    entries = raw.get("partner")
    if not isinstance(entries, list) or not entries:
        return ["the file has no [[partner]] entries"], []
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        pid = entry.get("id") if isinstance(entry, dict) else None
        where = f"partner {n} ({pid or 'no id'})"
        if not isinstance(entry, dict):
            errors.append(f"{where}: not a table")
            continue
        if not isinstance(pid, str) or not _ID.match(pid):
            errors.append(f"{where}: id must be 2-64 lower-case letters, digits or '-'")
        elif pid in seen:
            errors.append(f"{where}: the id is used twice")
        else:
            seen.add(pid)
        if not isinstance(entry.get("name"), str) or not entry["name"].strip():
            errors.append(f"{where}: a name is required")
        if "short" in entry and (not isinstance(entry["short"], str) or not 0 < len(entry["short"].strip()) <= 30):
            errors.append(f"{where}: short, the name in messages to the person, is 1-30 characters")
        if entry.get("kind") not in KINDS:
            errors.append(f"{where}: kind must be one of {', '.join(KINDS)}")
        languages = _strings(entry.get("languages"))
        if not languages or not all(_LANGUAGE.match(code) for code in languages):
            errors.append(f"{where}: languages must be a list of language codes such as \"pt\"")
        regions = _strings(entry.get("regions"))
        if not regions or not all(r == "all" or _DISTRICT.match(r) for r in regions):
            errors.append(f"{where}: regions must be [\"all\"] or district codes such as \"PT-11\"")
        accepts = _strings(entry.get("accepts"))
        if not accepts or any(a not in PURPOSES for a in accepts):
            errors.append(f"{where}: accepts must list purposes among {', '.join(PURPOSES)}")
        delivery = entry.get("delivery")
        if delivery not in DELIVERIES:
            errors.append(f"{where}: delivery must be email, webhook or paper")
        if delivery == "email" and not _EMAIL.match(str(entry.get("email", ""))):
            errors.append(f"{where}: delivery by email needs a valid email address")
        if delivery == "webhook":
            url = str(entry.get("webhook", ""))
            if url.startswith(_LOCAL):
                warnings.append(f"{where}: the webhook is plain http on this host (a local relay only)")
            elif not url.startswith("https://"):
                errors.append(f"{where}: delivery by webhook needs an https:// webhook URL")
            if not entry.get("secret_env"):
                errors.append(f"{where}: a webhook needs secret_env, the variable holding its secret")
            elif not os.environ.get(str(entry["secret_env"])):
                warnings.append(f"{where}: {entry['secret_env']} is not set: its answers cannot be checked")
        if not str(entry.get("source", "")).startswith(("http://", "https://")):
            errors.append(f"{where}: source must be the URL the facts come from")
        reviewed = entry.get("reviewed")
        if not isinstance(reviewed, date):
            errors.append(f"{where}: reviewed must be a date (YYYY-MM-DD)")
        elif (today - reviewed).days > STALE_AFTER_DAYS:
            warnings.append(f"{where}: last reviewed {reviewed.isoformat()}, over a year ago")
        if entry.get("verified") is not True:
            warnings.append(f"{where}: not verified with the partner yet")
    return errors, warnings


def parse(raw: dict[str, Any]) -> Directory:
    partners = []
    for entry in raw["partner"]:
        reviewed = entry.get("reviewed")
        partners.append(Partner(
            id=entry["id"], name=entry["name"].strip(),
            short=str(entry.get("short") or entry["name"]).strip(), kind=entry["kind"],
            languages=_strings(entry["languages"]), regions=_strings(entry["regions"]),
            accepts=_strings(entry["accepts"]), delivery=entry["delivery"],
            email=entry.get("email"), webhook=entry.get("webhook"), secret_env=entry.get("secret_env"),
            source=entry["source"], reviewed=reviewed if isinstance(reviewed, date) else None,
            verified=entry.get("verified") is True,
        ))
    return Directory(partners)


def read(path: Path | str | None = None) -> dict[str, Any]:
    with Path(path or SEED).open("rb") as handle:
        return tomllib.load(handle)


def load(path: Path | str | None = None) -> Directory:
    """The directory at ``path``; ValueError listing the problems when it is not valid."""
    raw = read(path)
    errors, _ = problems(raw)
    if errors:
        raise ValueError("the partner directory is not valid: " + "; ".join(errors))
    return parse(raw)
