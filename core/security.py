"""Password hashing (Argon2, slow on purpose) and keyed hashes for random secrets (fast)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Sequence

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

_hasher = PasswordHasher()
PASSWORD_MIN = 12
PASSWORD_MAX = 256
# zxcvbn's score from 0 to 4; 3 is "safely unguessable: moderate protection from offline
# slow-hash scenario" (about 10^10 guesses).
PASSWORD_SCORE = 3
TOTP_ISSUER = "Redress"


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


def password_problem(password: str, personal: Sequence[str] = ()) -> str | None:
    """Why this password may not be used (too short, too long, or easy to guess, also from
    the ``personal`` words such as the username and e-mail); None when it is fine."""
    if len(password) < PASSWORD_MIN:
        return f"use at least {PASSWORD_MIN} characters"
    if len(password) > PASSWORD_MAX:
        return f"use at most {PASSWORD_MAX} characters"
    # zxcvbn's cost grows with length; its first 100 characters decide well enough.
    found = zxcvbn(password[:100], user_inputs=[p for p in personal if p])
    if int(found["score"]) >= PASSWORD_SCORE:
        return None
    feedback = found.get("feedback") or {}
    warning = str(feedback.get("warning") or "").rstrip(".")
    reason = f" ({warning.lower()})" if warning else ""
    return f"this password is too easy to guess{reason}; use a longer phrase of uncommon words"


def new_totp_secret() -> str:
    """A random base32 secret for an authenticator app (160 bits)."""
    return pyotp.random_base32(32)


def totp_uri(secret: str, account: str) -> str:
    """The otpauth:// address an authenticator app reads from a QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=TOTP_ISSUER)


def totp_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step whose six-digit code this is (now, or 30 seconds either side, for a
    phone's clock that is off), or None for a wrong code. The caller refuses a step already
    used, so that a code works once."""
    digits = "".join(code.split())
    if not (digits.isdigit() and len(digits) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = int((time.time() if at is None else at) // totp.interval)
    # Latest first: should two steps share a code, the later one is not yet used.
    for step in (now + 1, now, now - 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None
