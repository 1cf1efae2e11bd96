"""Secrets the server must read back (authenticator secrets), sealed with AES-256-GCM under
keys derived from the server's key ring (``core.codec.key_ring``): every key of
``REDRESS_PAYLOAD_KEYS`` opens, the current one seals, so rotating the payload keys rotates
these too. A sealed value names its key and is bound to a context (such as the user it
belongs to), so it cannot be moved to another row. A value without the sealed form (stored
before sealing) reads as itself, for the caller to seal again.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.codec import key_ring
from core.settings import Settings

PREFIX = "sealed"
NONCE = 12
# A key of its own per purpose: a payload key never encrypts anything but payloads.
PURPOSE = b"redress-sealed-secrets-v1"


class SealError(ValueError):
    """A sealed value names a key this process does not hold, or does not open."""


@dataclass(frozen=True)
class Sealer:
    """Seals with the current key; opens with any key of the ring."""

    ciphers: dict[str, AESGCM]
    current: str

    def seal(self, plain: str, context: str) -> str:
        """``sealed:<key id>:<nonce and ciphertext, base64>``, bound to the context."""
        nonce = os.urandom(NONCE)
        sealed = self.ciphers[self.current].encrypt(nonce, plain.encode(), context.encode())
        encoded = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{PREFIX}:{self.current}:{encoded}"

    def open(self, value: str, context: str) -> str:
        """The plain secret of a sealed value; a value stored before sealing, as it is."""
        if not is_sealed(value):
            return value
        _, key_id, encoded = value.split(":", 2)
        cipher = self.ciphers.get(key_id)
        if cipher is None:
            raise SealError(f"the sealed secret names key '{key_id}', which is not configured")
        data = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        try:
            plain = cipher.decrypt(data[:NONCE], data[NONCE:], context.encode())
        except InvalidTag:
            raise SealError(f"the sealed secret does not open under key '{key_id}'") from None
        return plain.decode()

    def is_current(self, value: str) -> bool:
        """Whether the value is sealed with the current key (else: seal it again)."""
        return key_of(value) == self.current


def is_sealed(value: str) -> bool:
    """Whether the value has the sealed form (key ids hold no colon; base32 secrets neither)."""
    return value.startswith(PREFIX + ":") and value.count(":") >= 2


def key_of(value: str) -> str | None:
    """The id of the key a sealed value names; None for a value stored before sealing."""
    return value.split(":", 2)[1] if is_sealed(value) else None


def sealer(settings: Settings) -> Sealer:
    """The sealer of the settings' key ring (deriving its keys takes microseconds)."""
    keys, current = key_ring(settings)
    ciphers = {key_id: AESGCM(_derive(key)) for key_id, key in keys.items()}
    return Sealer(ciphers, current)


def _derive(key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(key)
