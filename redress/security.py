"""Password hashing (Argon2, slow on purpose) and keyed hashes for random secrets (fast)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An Argon2id hash of the password, for storing."""
    return str(_hasher.hash(password))


def verify_password(password: str, password_hash: str) -> bool:
    """Whether the plain password matches the stored Argon2 hash; never raises on a mismatch."""
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def new_secret() -> str:
    """A random URL-safe secret of 192 bits, for access codes and API tokens."""
    return secrets.token_urlsafe(24)


def keyed_hash(key: str, value: str) -> str:
    """HMAC-SHA256 of the value under the server key, as hex: what is stored of a secret."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def pseudonym(reference: str) -> str:
    """A stable stand-in name for a confidential complainant, derived from the reference only."""
    digest = hashlib.sha256(b"redress-pseudonym:" + reference.encode()).digest()
    code = base64.b32encode(digest).decode()[:6]
    return f"Complainant {code}"
