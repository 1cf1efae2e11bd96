"""``Idempotency-Key`` on filing: a retried filing files one case and answers as the first.

Each caller's keys are their own (a signed-in user's, or the anonymous filers'; for an
anonymous filer the key is the secret that proves the retry is theirs). A key is claimed in
``filing_keys`` before a reference is taken, so however requests interleave one case is
filed. The access code is kept to be shown again only sealed (AES-GCM) under a key derived
from the server's key and the client's key, which the database holds only hashed; it goes
with the row when the key expires (``REDRESS_IDEMPOTENCY_KEEP_DAYS``).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel
from sqlmodel import Session

from core.security import keyed_hash
from core.settings import Settings
from domain.enums import CaseKind
from domain.problems import Conflict, invalid_field
from services.access import Viewer
from services.engine import CONNECT_TIMEOUT
from store import filing_keys
from store.tables import FilingKey

HEADER = ("header", "Idempotency-Key")
REUSED = "this Idempotency-Key was used to file another request; a new filing needs a new key"
UNDER_WAY = (
    "a filing with this Idempotency-Key is still under way; retry in a few seconds with the "
    "same key and body: the retry answers as the first request does, and files nothing more"
)
LOST_CODE = (
    "the case was filed as {reference}, but its access code can no longer be shown (the "
    "server's key has changed since); ask the secretariat for a new one"
)
# A live filing has taken its reference and started its workflow within seconds (reaching
# Temporal is bounded by CONNECT_TIMEOUT); a claim older than this most likely belongs to a
# request that died (its process was killed), and a retry takes it over. Should the first
# still live, nothing is filed twice: only the claim's holder takes a reference, starting
# the workflow again is idempotent, and a request that lost its claim gives nothing back.
LEASE = timedelta(seconds=3 * CONNECT_TIMEOUT)
LAPSED = datetime(2000, 1, 1, tzinfo=UTC)  # a released claim: any retry takes it up
WAIT = 10.0  # seconds a duplicate waits for the first request's answer before a 409
POLL = 0.1
NONCE = 12


class ClaimLost(Conflict):
    """Another request took the filing over: this one must not file."""

    def __init__(self) -> None:
        super().__init__(UNDER_WAY)


@dataclass(frozen=True)
class FilingRequest:
    """Who files what under which key: the key's hash scopes it, the digest pins the body."""

    caller: str
    key: str
    key_hash: str
    digest: str


@dataclass(frozen=True)
class Replay:
    """The first answer to a filing, to give again."""

    reference: str
    access_code: str
    stage: str
    status_code: int


def filing_request(
    *, settings: Settings, viewer: Viewer, key: str | None, kind: CaseKind, body: BaseModel
) -> FilingRequest | None:
    """The keyed request, or None when the caller sent no key."""
    if key is None:
        return None
    caller = f"user:{viewer.user_id}" if viewer.signed_in else "anonymous"
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(f"{kind}\0{canonical}".encode()).hexdigest()
    return FilingRequest(
        caller=caller,
        key=key,
        key_hash=keyed_hash(settings.secret_key, f"filing-key\0{key}"),
        digest=digest,
    )


def _cipher(settings: Settings, request: FilingRequest) -> AESGCM:
    # The server's key alone does not open a code: the client's key (kept only hashed) does too.
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"redress filing access code",
        info=request.key.encode(),
    ).derive(settings.secret_key.encode())
    return AESGCM(derived)


def _bound(request: FilingRequest, reference: str) -> bytes:
    return f"{request.caller}\0{reference}".encode()


def seal(settings: Settings, request: FilingRequest, reference: str, code: str) -> str:
    """The access code encrypted for this client and case, as stored."""
    nonce = os.urandom(NONCE)
    sealed = _cipher(settings, request).encrypt(nonce, code.encode(), _bound(request, reference))
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(settings: Settings, request: FilingRequest, reference: str, stored: str) -> str:
    """The access code again; ``Conflict`` when the server's key changed since."""
    raw = base64.urlsafe_b64decode(stored)
    try:
        plain = _cipher(settings, request).decrypt(
            raw[:NONCE], raw[NONCE:], _bound(request, reference)
        )
    except InvalidTag:
        raise Conflict(LOST_CODE.format(reference=reference)) from None
    return plain.decode()


@dataclass(frozen=True)
class Claim:
    """This request holds the filing under its key since ``claimed_at``; ``reference`` and
    the sealed code are there when a request before it (that died) had taken them."""

    claimed_at: datetime
    reference: str | None = None
    code_cipher: str | None = None


def _claim_once(
    session: Session, settings: Settings, request: FilingRequest
) -> Claim | Replay | None:
    """This request's claim, the first answer, or None while another request files (blocking)."""
    now = datetime.now(UTC)
    caller, key_hash = request.caller, request.key_hash
    found = filing_keys.get_filing_key(session=session, caller=caller, key_hash=key_hash)
    expired = now - timedelta(days=settings.idempotency_keep_days)
    if found is not None and found.created_at <= expired:
        # Expired: the key names nothing any more (unless a request renewed it meanwhile).
        filing_keys.remove_filing_key(
            session=session, caller=caller, key_hash=key_hash, created_before=expired
        )
        session.commit()
        found = None
    if found is None:
        mine = FilingKey(
            caller=request.caller,
            key_hash=request.key_hash,
            digest=request.digest,
            claimed_at=now,
            created_at=now,
        )
        if filing_keys.add_filing_key(session=session, filing_key=mine):
            session.expunge(mine)
            return Claim(claimed_at=now)
        found = filing_keys.get_filing_key(session=session, caller=caller, key_hash=key_hash)
        if found is None:  # claimed and given back in between: try again
            return None
    session.expunge(found)  # a plain copy: later writes go through claim-checked statements
    session.commit()  # end the read: a poll must not hold a snapshot or a lock
    if found.digest != request.digest:
        raise invalid_field(HEADER, REUSED)
    if found.status_code is not None and found.stage is not None:
        assert found.reference is not None and found.code_cipher is not None
        code = unseal(settings, request, found.reference, found.code_cipher)
        return Replay(found.reference, code, found.stage, found.status_code)
    if found.claimed_at <= now - LEASE and filing_keys.take_over(
        session=session, caller=caller, key_hash=key_hash, was=found.claimed_at, now=now
    ):
        return Claim(claimed_at=now, reference=found.reference, code_cipher=found.code_cipher)
    return None


async def claim(*, session: Session, settings: Settings, request: FilingRequest) -> Claim | Replay:
    """Claim the key for this request, or the first request's answer (waiting, bounded,
    while it is under way; ``Conflict`` after that, and ``Invalid`` for another body)."""
    deadline = asyncio.get_running_loop().time() + WAIT
    while True:
        found = await asyncio.to_thread(_claim_once, session, settings, request)
        if found is not None:
            return found
        if asyncio.get_running_loop().time() >= deadline:
            raise Conflict(UNDER_WAY)
        await asyncio.sleep(POLL)


def keep_reference(
    session: Session,
    settings: Settings,
    request: FilingRequest,
    held: Claim,
    reference: str,
    code: str,
) -> None:
    """Record the reference and sealed code with the claim, in the caller's transaction;
    ``Conflict`` when this request no longer holds the filing (a retry took it over)."""
    if not filing_keys.set_reference(
        session=session,
        caller=request.caller,
        key_hash=request.key_hash,
        claimed_at=held.claimed_at,
        reference=reference,
        code_cipher=seal(settings, request, reference, code),
    ):
        raise ClaimLost()


def keep_answer(
    session: Session, request: FilingRequest, reference: str, stage: str, status_code: int
) -> None:
    """Record the answer given: a retry gives it again (blocking, committed)."""
    filing_keys.set_answer(
        session=session,
        caller=request.caller,
        key_hash=request.key_hash,
        reference=reference,
        stage=stage,
        status_code=status_code,
    )


def forget(session: Session, request: FilingRequest, held: Claim) -> bool:
    """Nothing was filed: the key may name a new request (in the caller's transaction);
    False when another request took the filing over meanwhile (it is theirs to finish)."""
    return filing_keys.remove_filing_key(
        session=session,
        caller=request.caller,
        key_hash=request.key_hash,
        claimed_at=held.claimed_at,
    )


def let_go(session: Session, request: FilingRequest, held: Claim) -> None:
    """This request stops without an answer: a retry takes the filing up at once."""
    filing_keys.release(
        session=session,
        caller=request.caller,
        key_hash=request.key_hash,
        claimed_at=held.claimed_at,
        lapsed=LAPSED,
    )
