"""JSON text for stored documents (the record, what a question expects, reply options).

A turn encodes about four small documents and decodes two. The standard library builds a new
C encoder for every call (~1.7 µs for a record); orjson takes ~0.2 µs and writes the same
compact text as ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` for what we
store (bench/engine.py). What orjson refuses — an integer past 64 bits, say — goes through
the standard library instead, so nothing that was storable before fails now. A float that
JSON cannot hold (infinity, NaN) is written as null, where the standard library wrote
``Infinity``, which is not JSON and which PostgreSQL's json type refuses.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["dumps", "loads"]

_OPTIONS = orjson.OPT_NON_STR_KEYS  # {1: ...} becomes {"1": ...}, as with json.dumps
_fallback = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps(value: Any) -> str:
    if not value and isinstance(value, list):
        return "[]"  # most replies have no options
    try:
        return orjson.dumps(value, option=_OPTIONS).decode("utf-8")
    except orjson.JSONEncodeError:
        return _fallback(value)


def loads(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)  # what orjson cannot hold (big integers), or a real error
