"""Reply addresses issued on notices: issuing one (once per person and case), finding one
by its token id, revoking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, update
from sqlmodel import Session, col, select

from store.tables import ReplyAddress


@dataclass(frozen=True)
class Addressee:
    """Who a reply address is for: one of a user, an organisation's contact address, or a
    complainant record of the case; what they were written to as; where the mail went."""

    email: str
    role: str
    side: str | None = None
    user_id: int | None = None
    organisation_id: str | None = None
    complainant: int | None = None


def issue_reply_address(
    *,
    session: Session,
    reference: str,
    addressee: Addressee,
    now: datetime,
    new_id: Callable[[], str],
) -> ReplyAddress:
    """The person's working reply address on the case: the one issued before (a notice's
    retry, or a later notice, reuses it), else a new row with ``new_id()``. Added to the
    session, not committed (the caller's transaction writes it with the outbox row)."""
    email = addressee.email.strip().lower()
    found = session.exec(
        select(ReplyAddress)
        .where(
            col(ReplyAddress.reference) == reference,
            col(ReplyAddress.email) == email,
            col(ReplyAddress.revoked_at).is_(None),
            _same(col(ReplyAddress.user_id), addressee.user_id),
            _same(col(ReplyAddress.organisation_id), addressee.organisation_id),
            _same(col(ReplyAddress.complainant), addressee.complainant),
            col(ReplyAddress.role) == addressee.role,
        )
        .order_by(col(ReplyAddress.created_at))
    ).first()
    if found is not None:
        return found
    row = ReplyAddress(
        id=new_id(),
        reference=reference,
        user_id=addressee.user_id,
        organisation_id=addressee.organisation_id,
        complainant=addressee.complainant,
        role=addressee.role,
        side=addressee.side,
        email=email,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def _same(column: Any, value: object) -> ColumnElement[bool]:
    """``column IS NULL`` for None, else ``column = value``."""
    found: ColumnElement[bool] = column.is_(None) if value is None else column == value
    return found


def get_reply_address(*, session: Session, token_id: str) -> ReplyAddress | None:
    """The address issued under this token id (revoked or not), or None."""
    return session.get(ReplyAddress, token_id)


def revoke_reply_addresses(
    *,
    session: Session,
    now: datetime,
    token_id: str | None = None,
    reference: str | None = None,
    email: str | None = None,
) -> int:
    """End the matching working addresses (one token, a case's, or an address's on a case);
    how many. Replies to them are refused from now on; a later notice issues a new one."""
    if token_id is None and reference is None:
        raise ValueError("name a token id or a case")
    statement = update(ReplyAddress).where(col(ReplyAddress.revoked_at).is_(None))
    if token_id is not None:
        statement = statement.where(col(ReplyAddress.id) == token_id)
    if reference is not None:
        statement = statement.where(col(ReplyAddress.reference) == reference)
    if email is not None:
        statement = statement.where(col(ReplyAddress.email) == email.strip().lower())
    result = session.execute(statement.values(revoked_at=now))
    return int(getattr(result, "rowcount", 0) or 0)


def case_reply_addresses(*, session: Session, reference: str) -> list[ReplyAddress]:
    """The addresses issued on a case, oldest first (revoked ones too)."""
    return list(
        session.exec(
            select(ReplyAddress)
            .where(col(ReplyAddress.reference) == reference)
            .order_by(col(ReplyAddress.created_at), col(ReplyAddress.id))
        ).all()
    )


def forget_address(*, session: Session, reference: str, email: str, now: datetime) -> int:
    """Erase an address from the case's reply addresses (its contact details are erased):
    those issued to it are blanked and revoked, so no reply is taken for it any more; how
    many. For ``store.retention.erase_contact``, beside the outbox rows it blanks."""
    address = email.strip().lower()
    if not address:
        return 0
    result = session.execute(
        update(ReplyAddress)
        .where(col(ReplyAddress.reference) == reference, col(ReplyAddress.email) == address)
        .values(email="", revoked_at=func.coalesce(col(ReplyAddress.revoked_at), now))
    )
    return int(getattr(result, "rowcount", 0) or 0)
