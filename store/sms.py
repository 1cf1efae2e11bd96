"""Text messages: the complainants who chose them, the sender of an inbound text, the texts
sent (one ``SmsOutbox`` row each, claimed before sending so that no retry sends twice)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from domain.enums import CaseStatus
from store.tables import CaseRow, Complainant, SmsOutbox

EMAIL, SMS = "email", "sms"
# How long an attempt's claim on a text holds: longer than any attempt runs (as for e-mail).
CLAIM_LEASE = timedelta(minutes=3)


def texted_complainants(*, session: Session, reference: str) -> list[Complainant]:
    """The case's complainants who chose notices by SMS and have a number for them."""
    statement = select(Complainant).where(
        col(Complainant.reference) == reference,
        col(Complainant.notices) == SMS,
        col(Complainant.phone).is_not(None),
    )
    return list(session.exec(statement.order_by(col(Complainant.number))).all())


def open_cases_of_number(*, session: Session, phone: str) -> list[Complainant]:
    """The complainant records with this number that chose SMS, on cases not closed, oldest
    case first: whom an inbound text from that number may be from."""
    statement = (
        select(Complainant)
        .join(CaseRow, col(CaseRow.reference) == col(Complainant.reference))
        .where(
            col(Complainant.phone) == phone,
            col(Complainant.notices) == SMS,
            col(CaseRow.status) != CaseStatus.CLOSED.value,
        )
        .order_by(col(CaseRow.filed_at), col(Complainant.number))
    )
    return list(session.exec(statement).all())


def choose_notices(
    *, session: Session, complainant: Complainant, notices: str, phone: str | None
) -> None:
    """Record how the complainant's notices reach it (``EMAIL`` or ``SMS``) and its number."""
    complainant.notices, complainant.phone = notices, phone
    session.add(complainant)


def text_to_send(
    *,
    session: Session,
    key: str,
    reference: str | None,
    recipient: str,
    language: str,
    now: datetime,
) -> bool:
    """Write the text's row unless it exists; False when an earlier attempt sent it or it
    was refused for good (nothing more to do)."""
    row = session.get(SmsOutbox, key)
    if row is None:
        session.add(
            SmsOutbox(
                key=key, reference=reference, recipient=recipient, language=language, created_at=now
            )
        )
        return True
    return row.sent_at is None and row.failed_at is None


def claim_text(*, session: Session, key: str, now: datetime) -> bool:
    """Take the text for this attempt; False when it is sent or another attempt holds it."""
    claimed = session.execute(
        update(SmsOutbox)
        .where(
            col(SmsOutbox.key) == key,
            col(SmsOutbox.sent_at).is_(None),
            col(SmsOutbox.failed_at).is_(None),
            or_(col(SmsOutbox.claimed_at).is_(None), col(SmsOutbox.claimed_at) < now - CLAIM_LEASE),
        )
        .values(claimed_at=now)
    )
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def finish_text(
    *,
    session: Session,
    key: str,
    now: datetime,
    provider_id: str | None = None,
    error: str | None = None,
) -> None:
    """Record the gateway's answer: sent (with its id), or refused for good (``error``)."""
    values: dict[str, object] = (
        {"failed_at": now, "error": error[:500]}
        if error is not None
        else {"sent_at": now, "provider_id": provider_id}
    )
    session.execute(update(SmsOutbox).where(col(SmsOutbox.key) == key).values(**values))


def release_text(*, session: Session, key: str) -> None:
    """Give the claim up: the gateway did not take the text, a retry may send it at once."""
    session.execute(update(SmsOutbox).where(col(SmsOutbox.key) == key).values(claimed_at=None))


def forget_number(*, session: Session, reference: str, phone: str) -> int:
    """Blank a complainant's number on the texts of its case, and on the questions back that
    went to it (no case of their own): for the erasure of its contact details, as the
    e-mail outbox's addresses are. How many rows held it."""
    erased = session.execute(
        update(SmsOutbox)
        .where(
            col(SmsOutbox.recipient) == phone,
            or_(col(SmsOutbox.reference) == reference, col(SmsOutbox.reference).is_(None)),
        )
        .values(recipient="")
    )
    return int(erased.rowcount)  # type: ignore[attr-defined]
