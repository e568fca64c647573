"""Encryption at rest: v2 (AES-GCM) tokens, Fernet tokens from earlier versions, rotation."""

from __future__ import annotations

import base64

import pytest
from cryptography.fernet import Fernet

from core.crypto import Cipher, InvalidToken

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_round_trip_and_no_plaintext_in_the_token():
    cipher = Cipher([NEW])
    token = cipher.encrypt("Quero voltar para casa — ajuda 🙏")
    assert token.startswith("v2:")
    assert "voltar" not in token and b"voltar" not in base64.urlsafe_b64decode(token[3:])
    assert cipher.decrypt(token) == "Quero voltar para casa — ajuda 🙏"
    assert cipher.encrypt("same") != cipher.encrypt("same")  # a fresh nonce every time


def test_fernet_tokens_written_by_earlier_versions_are_still_read():
    legacy = Fernet(OLD.encode()).encrypt("olá".encode()).decode()
    assert Cipher([NEW, OLD]).decrypt(legacy) == "olá"


def test_every_listed_key_decrypts_and_rotation_moves_to_the_first():
    under_old = Cipher([OLD]).encrypt("segredo")
    both = Cipher([NEW, OLD])
    assert both.decrypt(under_old) == "segredo"
    rotated = both.rotate(under_old)
    assert Cipher([NEW]).decrypt(rotated) == "segredo"
    rotated_legacy = both.rotate(Fernet(OLD.encode()).encrypt(b"x").decode())
    assert rotated_legacy.startswith("v2:") and Cipher([NEW]).decrypt(rotated_legacy) == "x"


@pytest.mark.parametrize("damage", [
    lambda t: t[:-4] + ("AAAA" if not t.endswith("AAAA") else "BBBB"),  # tampered tag
    lambda t: t[:20],  # truncated
    lambda t: "v2:" + "!!notbase64",
    lambda t: "v2:",
])
def test_damaged_tokens_raise_invalid_token(damage):
    cipher = Cipher([NEW])
    with pytest.raises(InvalidToken):
        cipher.decrypt(damage(cipher.encrypt("something private")))


def test_a_key_that_is_not_listed_cannot_decrypt():
    with pytest.raises(InvalidToken):
        Cipher([OLD]).decrypt(Cipher([NEW]).encrypt("private"))


def test_json_values():
    cipher = Cipher([NEW])
    assert cipher.decrypt_json(cipher.encrypt_json({"nationality": "BR", "n": [1, 2]})) == {
        "nationality": "BR", "n": [1, 2]}
