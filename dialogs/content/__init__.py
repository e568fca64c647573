"""Programme content (helplines, programmes, referral addresses) loaded from editable TOML.

The data file sits beside this module so that caseworkers' corrections need no code change; it
is read once at import. ``item(key)`` turns an entry into a ``Text`` whose message id is the
entry's English text and whose parameters are its phone numbers.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dialogs.base import FlowError, Text

__all__ = ["CONTENT_FILES", "ITEMS", "Item", "item", "load"]

CONTENT_FILES = (Path(__file__).with_name("programmes.toml"),)
_REQUIRED = ("text", "source", "last_reviewed", "verified")


@dataclass(frozen=True, slots=True)
class Item:
    """One piece of programme content: a message id, its parameters and its provenance."""

    key: str
    text: str
    params: dict[str, str]
    source: str
    last_reviewed: date
    verified: bool


def load(path: Path) -> dict[str, Item]:
    """Items of one content file, keyed "section.name"; raises FlowError on a malformed item."""
    with path.open("rb") as fh:
        data: dict[str, Any] = tomllib.load(fh)
    items: dict[str, Item] = {}
    for section, entries in data.items():
        for name, entry in entries.items():
            key = f"{section}.{name}"
            missing = [f for f in _REQUIRED if f not in entry]
            if missing:
                raise FlowError(f"{path.name}: {key} lacks {', '.join(missing)}")
            params = {k: str(v) for k, v in entry.items() if k not in _REQUIRED}
            items[key] = Item(key, entry["text"], params, entry["source"],
                              entry["last_reviewed"], bool(entry["verified"]))
    return items


ITEMS: dict[str, Item] = {}
for _path in CONTENT_FILES:
    ITEMS.update(load(_path))


def item(key: str) -> Text:
    """The content item as a Text to send."""
    entry = ITEMS[key]
    return Text(entry.text, entry.params)
