"""Reply addresses: ``reply+<token>@<reply domain>``, one per recipient and case.

The token is a random id (the row ``store.reply_addresses`` keeps, which says who it was
issued to) followed by an HMAC of that id under a key derived from the server key: a
forged or altered token fails the check before anything is looked up, and the token
reveals nothing of the case or the person. Lower-case base32, 40 characters: a safe local
part (at most 64) that survives mail systems which fold case.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from core.settings import Settings

PREFIX = "reply+"
ID_BYTES = 10  # 80 random bits: 16 base32 characters
MAC_BYTES = 15  # 120 bits of HMAC-SHA256: 24 base32 characters
ID_CHARS = ID_BYTES * 8 // 5
TOKEN_CHARS = ID_CHARS + MAC_BYTES * 8 // 5
_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyz234567")


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=").lower()


def reply_key(secret_key: str) -> bytes:
    """The key reply tokens are signed with, derived from the server key (no new secret)."""
    return hashlib.sha256(b"redress-reply-addresses:" + secret_key.encode()).digest()


def new_token_id() -> str:
    """A fresh random token id (what the database row is keyed by)."""
    return _b32(secrets.token_bytes(ID_BYTES))


def _mac(key: bytes, token_id: str) -> str:
    return _b32(hmac.new(key, token_id.encode(), hashlib.sha256).digest()[:MAC_BYTES])


def token_for(key: bytes, token_id: str) -> str:
    """The token of an id: the id, then its HMAC."""
    return token_id + _mac(key, token_id)


def token_id_of(key: bytes, token: str) -> str | None:
    """The id of a genuine token; None for anything else (malformed, or a bad HMAC)."""
    token = token.strip().lower()
    if len(token) != TOKEN_CHARS or not set(token) <= _ALPHABET:
        return None
    token_id, mac = token[:ID_CHARS], token[ID_CHARS:]
    return token_id if hmac.compare_digest(_mac(key, token_id), mac) else None


def reply_address(settings: Settings, token_id: str) -> str:
    """The Reply-To address of a token id under the settings' reply domain."""
    return f"{PREFIX}{token_for(reply_key(settings.secret_key), token_id)}@{settings.reply_domain}"


def reply_token_in(settings: Settings, address: str) -> str | None:
    """The token part of an address of the form ``reply+<token>@<reply domain>`` (case-
    blind), unchecked; None for any other address, or when no reply domain is set."""
    domain = settings.reply_domain.strip().lower()
    local, at, host = address.strip().strip("<>").rpartition("@")
    if not domain or not at or host.lower() != domain or not local.lower().startswith(PREFIX):
        return None
    return local[len(PREFIX) :].lower()
