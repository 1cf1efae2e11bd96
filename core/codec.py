"""Encrypted Temporal payloads: a ``PayloadCodec`` with AES-256-GCM, so the Temporal server
and its backups never hold a complaint's texts, names or file names in plaintext.

Several keys may decrypt and one encrypts; the key id travels in each payload's metadata,
so keys can be rotated (``redress keys rotate``). Payloads without the encrypted encoding
(histories recorded before encryption) pass through unchanged.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import os
import secrets
from collections.abc import Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, PayloadCodec

from core.settings import Settings

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
NONCE = 12
DERIVED_ID = "derived"  # the key derived from REDRESS_SECRET_KEY when none is configured


class PayloadKeyError(ValueError):
    """A payload names a key this process does not hold, or the settings are malformed."""


class EncryptionCodec(PayloadCodec):
    """AES-GCM over each serialized payload; the key id in the metadata picks the key."""

    def __init__(self, keys: dict[str, bytes], current: str) -> None:
        if current not in keys:
            raise PayloadKeyError(f"the current payload key '{current}' is not among the keys")
        self.keys = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self.current = current

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Encrypt every payload with the current key."""
        cipher = self.keys[self.current]
        found = []
        for payload in payloads:
            nonce = os.urandom(NONCE)
            sealed = cipher.encrypt(nonce, payload.SerializeToString(), self.current.encode())
            found.append(
                Payload(
                    metadata={"encoding": ENCODING, KEY_ID: self.current.encode()},
                    data=nonce + sealed,
                )
            )
        return found

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Decrypt what was encrypted, with the key it names; pass the rest through."""
        found = []
        for payload in payloads:
            if payload.metadata.get("encoding") != ENCODING:
                found.append(payload)
                continue
            key_id = payload.metadata.get(KEY_ID, b"").decode()
            cipher = self.keys.get(key_id)
            if cipher is None:
                raise PayloadKeyError(f"payload key '{key_id}' is not configured")
            nonce, sealed = payload.data[:NONCE], payload.data[NONCE:]
            found.append(Payload.FromString(cipher.decrypt(nonce, sealed, key_id.encode())))
        return found


def parse_keys(text: str) -> dict[str, bytes]:
    """``id:base64key,id:base64key`` (32-byte keys) as a mapping."""
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key_id, _, encoded = item.partition(":")
        try:
            key = base64.urlsafe_b64decode(encoded.strip() + "=" * (-len(encoded.strip()) % 4))
        except ValueError:
            raise PayloadKeyError(f"payload key '{key_id}' is not base64") from None
        if len(key) != 32 or not key_id.strip():
            raise PayloadKeyError(f"payload key '{key_id}' must be an id and 32 bytes in base64")
        keys[key_id.strip()] = key
    return keys


def key_ring(settings: Settings) -> tuple[dict[str, bytes], str]:
    """The server's keys by id and the id of the one that encrypts: ``REDRESS_PAYLOAD_KEYS``
    and ``REDRESS_PAYLOAD_KEY_ID`` (the last key when unset). The key derived from the secret
    key encrypts when no keys are configured (so the local stack encrypts too), and always
    decrypts: what it encrypted before the first rotation stays readable."""
    derived = hashlib.sha256(b"redress-temporal-payloads:" + settings.secret_key.encode())
    keys = {DERIVED_ID: derived.digest(), **parse_keys(settings.payload_keys)}
    current = settings.payload_key_id or next(reversed(keys))
    if current not in keys:
        raise PayloadKeyError(f"the current payload key '{current}' is not among the keys")
    return keys, current


def codec_from_settings(settings: Settings) -> EncryptionCodec:
    """The codec of the server's key ring (``key_ring``)."""
    keys, current = key_ring(settings)
    return EncryptionCodec(keys, current)


def data_converter(settings: Settings) -> DataConverter:
    """The domain's pydantic payloads, encrypted."""
    return dataclasses.replace(pydantic_data_converter, payload_codec=codec_from_settings(settings))


def new_key_entry(existing: str) -> tuple[str, str]:
    """A fresh key appended to the configured ones: (the new ``REDRESS_PAYLOAD_KEYS``, its id)."""
    keys = parse_keys(existing)
    n = len(keys) + 1
    while f"k{n}" in keys:
        n += 1
    key_id = f"k{n}"
    encoded = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    entries = [existing.strip()] if existing.strip() else []
    return ",".join([*entries, f"{key_id}:{encoded}"]), key_id
