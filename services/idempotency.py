"""``Idempotency-Key`` on action and upload POSTs: a retry takes effect once (API.md).

The key is kept per case and caller with the hash of the request it named. A retry of a
finished request answers again without acting; a retry of one still under way (the engine
did not answer in time) goes to the workflow with the same update id, which Temporal and
the workflow answer once; the same key with another request is refused with 422.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from domain.problems import invalid_field
from store.tables import IdempotencyKey

REUSED = "this Idempotency-Key was used for another request on this case"


def digest(*parts: str) -> str:
    """The hash of a request, from its canonical parts."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def claim(
    session: Session, *, reference: str, caller: str, key: str, request_digest: str
) -> tuple[IdempotencyKey, bool]:
    """The key's record and whether this request made it (else it is a retry); 422 when the
    key named another request."""
    found = session.get(IdempotencyKey, (reference, caller, key))
    new = found is None
    if found is None:
        found = IdempotencyKey(
            reference=reference,
            caller=caller,
            key=key,
            digest=request_digest,
            created_at=datetime.now(UTC),
        )
        session.add(found)
        try:
            session.commit()
        except IntegrityError:  # the same key, sent twice at once: the other one is first
            session.rollback()
            found, new = session.get(IdempotencyKey, (reference, caller, key)), False
            assert found is not None
    if found.digest != request_digest:
        raise invalid_field(("header", "Idempotency-Key"), REUSED)
    return found, new


def finish(session: Session, record: IdempotencyKey) -> None:
    """The request took effect: a retry answers without acting."""
    record.done = True
    session.add(record)
    session.commit()


def release(session: Session, record: IdempotencyKey) -> None:
    """The request was refused and changed nothing: the key may name another request."""
    session.delete(record)
    session.commit()
