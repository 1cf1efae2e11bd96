"""Sealed secrets (AES-GCM under keys derived from the payload key ring) and single-use
authenticator codes: the pure parts."""

from __future__ import annotations

import pyotp
import pytest

from core.codec import new_key_entry
from core.sealing import SealError, is_sealed, sealer
from core.security import new_totp_secret, totp_step
from core.settings import Settings

SETTINGS = Settings(secret_key="sealing-tests-secret-key-0123456789")


def test_a_sealed_secret_opens_only_for_its_context_and_unaltered() -> None:
    box = sealer(SETTINGS)
    sealed = box.seal("JBSWY3DPEHPK3PXP", "users.totp:7")
    assert sealed.startswith("sealed:derived:") and "JBSWY3DPEHPK3PXP" not in sealed
    assert box.seal("JBSWY3DPEHPK3PXP", "users.totp:7") != sealed  # a fresh nonce each time
    assert box.open(sealed, "users.totp:7") == "JBSWY3DPEHPK3PXP"
    with pytest.raises(SealError, match="does not open under key 'derived'"):
        box.open(sealed, "users.totp:8")
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(SealError):
        box.open(flipped, "users.totp:7")
    # What was stored before sealing reads as itself, for the caller to seal again.
    assert box.open("JBSWY3DPEHPK3PXP", "users.totp:7") == "JBSWY3DPEHPK3PXP"
    assert not is_sealed("JBSWY3DPEHPK3PXP") and not box.is_current("JBSWY3DPEHPK3PXP")


def test_the_key_ring_rotates_and_its_earlier_keys_still_open() -> None:
    first, first_id = new_key_entry("")
    both, second_id = new_key_entry(first)
    before = sealer(SETTINGS).seal("S1", "c")
    one = sealer(SETTINGS.model_copy(update={"payload_keys": first}))
    two = sealer(SETTINGS.model_copy(update={"payload_keys": both}))
    under_first = one.seal("S2", "c")
    assert under_first.startswith(f"sealed:{first_id}:")
    # The derived key keeps opening after the first keys are set, and the old key after
    # the next; the current key (the last, unless REDRESS_PAYLOAD_KEY_ID says otherwise) seals.
    assert two.open(before, "c") == "S1" and two.open(under_first, "c") == "S2"
    assert not two.is_current(under_first) and two.is_current(two.seal("S2", "c"))
    assert two.seal("S", "c").startswith(f"sealed:{second_id}:")
    pinned = sealer(SETTINGS.model_copy(update={"payload_keys": both, "payload_key_id": first_id}))
    assert pinned.is_current(under_first)
    # A process that lacks the newer key says which one.
    with pytest.raises(SealError, match=f"'{second_id}', which is not configured"):
        one.open(two.seal("S", "c"), "c")


def test_a_code_names_its_time_step_within_one_step_either_side() -> None:
    secret = new_totp_secret()
    app = pyotp.TOTP(secret)
    at = 1_800_000_015.0  # 15 seconds into step 60_000_000
    assert totp_step(secret, app.at(at), at) == 60_000_000
    assert totp_step(secret, app.at(at - 30), at) == 59_999_999
    assert totp_step(secret, app.at(at + 30), at) == 60_000_001
    assert totp_step(secret, app.at(at - 60), at) is None
    assert totp_step(secret, app.at(at + 60), at) is None
    spaced = app.at(at)[:3] + " " + app.at(at)[3:]
    assert totp_step(secret, spaced, at) == 60_000_000
    assert totp_step(secret, "12345", at) is None and totp_step(secret, "abcdef", at) is None
