"""``redress keys rotate``: a new encryption key, printed as the settings to set.

The key ring (``REDRESS_PAYLOAD_KEYS``, and ``REDRESS_PAYLOAD_KEY_ID`` for the key that
encrypts) encrypts the Temporal payloads and, with keys derived from it, seals the
authenticator secrets in ``users`` (``core.sealing``). Rotating: set the printed settings
(the old keys and the new one) on every API and worker process and restart them. New
payloads are encrypted and new secrets sealed with the new key; the old keys keep
decrypting the histories and opening the secrets written with them. Each authenticator
secret is sealed again with the current key at its user's next sign-in with a code. Drop
an old key only once no running or retained workflow history uses it and no secret is
sealed with it: this command counts the secrets by key.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from core.codec import new_key_entry
from core.sealing import key_of
from core.settings import Settings
from store import people
from store.db import engine_from_settings

PLAIN = "in plain text from before sealing (sealed at the next sign-in)"


def keys_command(settings: Settings, console: Console) -> int:
    """Print the new settings, and how many authenticator secrets each key seals; nothing
    is written anywhere."""
    keys, key_id = new_key_entry(settings.payload_keys)
    console.print("Set these on every API and worker process, then restart them:")
    console.print(f"REDRESS_PAYLOAD_KEYS={keys}", soft_wrap=True, highlight=False)
    console.print(f"REDRESS_PAYLOAD_KEY_ID={key_id}", highlight=False)
    if not settings.payload_keys:
        console.print(
            "Until now payloads were encrypted and secrets sealed with the key derived from "
            "REDRESS_SECRET_KEY; keep REDRESS_SECRET_KEY unchanged while histories or "
            "secrets written with it remain.",
            highlight=False,
        )
    console.print(sealed_secrets(settings), highlight=False)
    return 0


def sealed_secrets(settings: Settings) -> str:
    """How many stored authenticator secrets each key seals, as a sentence."""
    engine = engine_from_settings(settings)
    try:
        with Session(engine) as session:
            stored = people.totp_secrets(session=session)
    except SQLAlchemyError as error:
        return f"The authenticator secrets could not be counted: {type(error).__name__}."
    finally:
        engine.dispose()
    if not stored:
        return "No authenticator secret is stored."
    by_key = Counter(f"key {key_of(value)}" if key_of(value) else PLAIN for value in stored)
    counts = "; ".join(f"{key}: {n}" for key, n in sorted(by_key.items()))
    return f"Authenticator secrets by the key that seals them: {counts}."
