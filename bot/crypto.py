"""Encryption of personal data at rest, and keyed hashes to look it up without decrypting.

Fernet (AES-128-CBC + HMAC-SHA256) through MultiFernet: the first key of
``INTAKE_ENCRYPTION_KEYS`` encrypts, every key decrypts, so keys can be rotated by
prepending a new one and re-encrypting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

__all__ = ["Cipher", "InvalidToken"]


class Cipher:
    """Encrypts and decrypts text, and derives lookup hashes, from the configured keys."""

    def __init__(self, keys: tuple[str, ...] | list[str]) -> None:
        if not keys:
            raise ValueError("at least one encryption key is needed")
        self._fernet = MultiFernet([Fernet(k) for k in keys])
        # The lookup key is derived from the first key ever used... which would break lookups
        # after a rotation. Derive it from the *last* key instead: rotation prepends keys, so the
        # oldest one stays last until every row is re-encrypted and its hash re-derived.
        self._lookup_key = hashlib.sha256(b"intake-lookup:" + keys[-1].encode()).digest()

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")

    def rotate(self, token: str) -> str:
        """Re-encrypt a token under the first key (a no-op in meaning)."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")

    def encrypt_json(self, value: Any) -> str:
        return self.encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def decrypt_json(self, token: str) -> Any:
        return json.loads(self.decrypt(token))

    def lookup_hash(self, *parts: str) -> str:
        """A keyed hash (HMAC-SHA256) of the parts: equal inputs match, nothing can be read back."""
        return hmac.new(self._lookup_key, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()
