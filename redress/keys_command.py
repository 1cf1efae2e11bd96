"""``redress keys rotate``: a new payload encryption key, printed as the settings to set.

Rotating: set the printed ``REDRESS_PAYLOAD_KEYS`` (the old keys and the new one) and
``REDRESS_PAYLOAD_KEY_ID`` (the new one) on every API and worker process and restart
them. New payloads are encrypted with the new key; the old keys keep decrypting the
histories written with them. Drop an old key only once no running or retained workflow
history uses it.
"""

from __future__ import annotations

from rich.console import Console

from core.codec import new_key_entry
from core.settings import Settings


def keys_command(settings: Settings, console: Console) -> int:
    """Print the new settings; nothing is written anywhere."""
    keys, key_id = new_key_entry(settings.payload_keys)
    console.print("Set these on every API and worker process, then restart them:")
    console.print(f"REDRESS_PAYLOAD_KEYS={keys}", soft_wrap=True, highlight=False)
    console.print(f"REDRESS_PAYLOAD_KEY_ID={key_id}", highlight=False)
    if not settings.payload_keys:
        console.print(
            "Until now payloads were encrypted with the key derived from REDRESS_SECRET_KEY; "
            "keep REDRESS_SECRET_KEY unchanged while histories written with it remain.",
            highlight=False,
        )
    return 0
