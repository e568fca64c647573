"""Destinations where return is not advised (IOM's refusal criteria, DOMAIN.md §1.2).

The list is editable data (content/return_safety.toml), read once at import. An entry that lacks
a source or a review date still counts: a destination stays listed rather than dropped, and
``problems()`` (run by ``intake flows check``) reports it. ``version`` is a digest of the
entries, so the rules version changes whenever the list does and stored outcomes can be told
apart.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["LIST_FILE", "RETURN_SAFETY", "Destination", "ReturnSafety", "load"]

LIST_FILE = Path(__file__).parent / "content" / "return_safety.toml"


@dataclass(frozen=True, slots=True)
class Destination:
    """One entry: a country (and the part of it, if not all) where return is not advised."""

    country: str
    region: str
    basis: str
    source: str
    last_reviewed: date | None
    verified: bool


@dataclass(frozen=True, slots=True)
class ReturnSafety:
    entries: tuple[Destination, ...]
    problems: tuple[str, ...] = ()
    version: str = field(init=False)  # computed once: every decision names it

    def __post_init__(self) -> None:
        text = json.dumps([asdict(e) for e in self.entries], default=str, sort_keys=True)
        object.__setattr__(self, "version", hashlib.sha256(text.encode()).hexdigest()[:8])

    def advice(self, country: str | None) -> Destination | None:
        """The entry for a destination, the whole-country one first; None when not listed."""
        found = [e for e in self.entries if country and e.country == country]
        return min(found, key=lambda e: bool(e.region)) if found else None


def _problems(n: int, entry: dict[str, Any]) -> list[str]:
    where = f"return safety entry {n} ({entry.get('country') or '?'})"
    problems = []
    country = entry.get("country")
    if not (isinstance(country, str) and len(country) == 2 and country.isalpha()
            and country.isupper()):
        problems.append(f"{where}: country must be an ISO 3166-1 alpha-2 code")
    if not str(entry.get("source") or "").startswith(("http://", "https://")):
        problems.append(f"{where}: no source (a URL)")
    if not isinstance(entry.get("last_reviewed"), date):
        problems.append(f"{where}: no review date (last_reviewed = YYYY-MM-DD)")
    if not str(entry.get("basis") or "").strip():
        problems.append(f"{where}: no basis (the document that advises against return)")
    return problems


def load(path: Path = LIST_FILE) -> ReturnSafety:
    """The list in ``path`` and what is wrong with it; a file that does not parse is a problem,
    not a crash, so the service still starts and the check says what to fix."""
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh).get("destination", [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return ReturnSafety((), (f"{path.name}: {exc}",))
    entries, problems = [], []
    for n, entry in enumerate(raw, 1):
        problems += _problems(n, entry)
        country = str(entry.get("country") or "").upper()
        if len(country) != 2:
            continue
        reviewed = entry.get("last_reviewed")
        entries.append(Destination(country, str(entry.get("region") or ""),
                                   str(entry.get("basis") or ""), str(entry.get("source") or ""),
                                   reviewed if isinstance(reviewed, date) else None,
                                   entry.get("verified") is True))
    return ReturnSafety(tuple(entries), tuple(problems))


RETURN_SAFETY = load()
