"""Password hashes, secrets, keyed hashes and pseudonyms."""

from __future__ import annotations

import base64

from core.security import hash_password, keyed_hash, new_secret, pseudonym, verify_password


def test_passwords_hash_and_verify() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2")
    assert verify_password("correct horse", stored)
    assert not verify_password("wrong", stored)
    assert not verify_password("correct horse", "not-a-hash")


def test_secrets_are_long_and_random() -> None:
    secrets = {new_secret() for _ in range(50)}
    assert len(secrets) == 50
    for secret in secrets:
        raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
        assert len(raw) * 8 >= 128


def test_keyed_hash_depends_on_key_and_value() -> None:
    digest = keyed_hash("server-key-0123456789", "code")
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert digest == keyed_hash("server-key-0123456789", "code")
    assert digest != keyed_hash("other-key-0123456789", "code")
    assert digest != keyed_hash("server-key-0123456789", "code2")


def test_pseudonym_is_stable_and_reveals_nothing() -> None:
    name = pseudonym("GT-2026-0001")
    assert name == pseudonym("GT-2026-0001")
    assert name != pseudonym("GT-2026-0002")
    assert name.startswith("Complainant ")
    assert "GT" not in name and "2026" not in name
