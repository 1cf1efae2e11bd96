"""The keys cases were filed under: claiming one, taking it over, its answer, purging."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from store.tables import FilingKey


def _this(caller: str, key_hash: str) -> list[ColumnElement[bool]]:
    return [col(FilingKey.caller) == caller, col(FilingKey.key_hash) == key_hash]


def _changed(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def get_filing_key(*, session: Session, caller: str, key_hash: str) -> FilingKey | None:
    """The caller's filing under this key as the database now holds it, or None."""
    # populate_existing: a request polling for another's answer must not see a stale copy.
    return session.get(FilingKey, (caller, key_hash), populate_existing=True)


def add_filing_key(*, session: Session, filing_key: FilingKey) -> bool:
    """Claim the key (committed); False when another request claimed it first."""
    session.add(filing_key)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def take_over(
    *, session: Session, caller: str, key_hash: str, was: datetime, now: datetime
) -> bool:
    """Claim a filing whose claim is ``was`` (it lapsed) for this request (committed);
    False when another request took it over first."""
    result = session.execute(
        update(FilingKey)
        .where(*_this(caller, key_hash), col(FilingKey.claimed_at) == was)
        .values(claimed_at=now)
    )
    session.commit()
    return _changed(result) == 1


def set_reference(
    *,
    session: Session,
    caller: str,
    key_hash: str,
    claimed_at: datetime,
    reference: str,
    code_cipher: str,
) -> bool:
    """Record the reference taken and the sealed code, only if this claim still holds the
    filing and no reference was taken yet (not committed)."""
    result = session.execute(
        update(FilingKey)
        .where(
            *_this(caller, key_hash),
            col(FilingKey.claimed_at) == claimed_at,
            col(FilingKey.reference).is_(None),
        )
        .values(reference=reference, code_cipher=code_cipher)
    )
    return _changed(result) == 1


def set_answer(
    *, session: Session, caller: str, key_hash: str, reference: str, stage: str, status_code: int
) -> None:
    """Record the answer the filing gave; a retry answers the same (committed)."""
    session.execute(
        update(FilingKey)
        .where(*_this(caller, key_hash), col(FilingKey.reference) == reference)
        .values(stage=stage, status_code=status_code)
    )
    session.commit()


def release(
    *, session: Session, caller: str, key_hash: str, claimed_at: datetime, lapsed: datetime
) -> None:
    """Let go of this claim: the next retry takes the filing up at once (committed)."""
    session.execute(
        update(FilingKey)
        .where(*_this(caller, key_hash), col(FilingKey.claimed_at) == claimed_at)
        .values(claimed_at=lapsed)
    )
    session.commit()


def remove_filing_key(
    *,
    session: Session,
    caller: str,
    key_hash: str,
    created_before: datetime | None = None,
    claimed_at: datetime | None = None,
) -> bool:
    """Forget the key: it expired (created before ``created_before``), or nothing was filed
    under the claim ``claimed_at`` (not committed); whether it was there to forget."""
    where = _this(caller, key_hash)
    if created_before is not None:
        where.append(col(FilingKey.created_at) <= created_before)
    if claimed_at is not None:
        where.append(col(FilingKey.claimed_at) == claimed_at)
    return _changed(session.execute(delete(FilingKey).where(*where))) == 1


def purge_filing_keys(*, session: Session, before: datetime) -> int:
    """Delete the keys (and sealed access codes) created before ``before``; how many."""
    result = session.execute(delete(FilingKey).where(col(FilingKey.created_at) < before))
    return _changed(result)
