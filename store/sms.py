"""Text messages: the complainants who chose them, the sender of an inbound text, the texts
sent (one ``SmsOutbox`` row each, claimed before sending so that no retry sends twice)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, false, or_, update
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
    if row.sent_at is not None or row.failed_at is not None:
        return False
    # Still to send (e.g. the gateway was down): it goes to the number recorded now.
    row.recipient, row.language = recipient, language
    session.add(row)
    return True


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


def forget_number(
    *, session: Session, reference: str, phone: str | None, complainant: int | None = None
) -> int:
    """Blank the number and the gateway's error on every text of the case to that
    complainant record (keys ``notice:<notice key>:<record number>``), whatever number each
    went to (one it replaced on ``/track/{ref}/notices`` too), on the case's other texts to
    one of those numbers, and on the questions back that went to one (no case of their own):
    for the erasure of its contact details, as the e-mail outbox's addresses are.
    ``complainant`` is the record's number on the case; without it, the records of the case
    whose number is ``phone``. How many rows held a number or an error."""
    records = [complainant] if complainant is not None else []
    if complainant is None and phone:
        holders = select(Complainant.number).where(
            col(Complainant.reference) == reference, col(Complainant.phone) == phone
        )
        records = list(session.exec(holders).all())
    of_case = col(SmsOutbox.reference) == reference
    keys = [col(SmsOutbox.key).like(f"notice:%:{number}") for number in records]
    theirs = and_(of_case, or_(*keys)) if keys else false()
    numbers = {phone} if phone else set()
    numbers |= set(session.exec(select(SmsOutbox.recipient).where(theirs)).all())
    numbers.discard("")
    holding = col(SmsOutbox.recipient).in_(sorted(numbers))
    of_case_or_asked = or_(of_case, col(SmsOutbox.reference).is_(None))
    erased = session.execute(
        update(SmsOutbox)
        .where(
            or_(theirs, and_(of_case_or_asked, holding)),
            or_(col(SmsOutbox.recipient) != "", col(SmsOutbox.error).is_not(None)),
        )
        .values(recipient="", error=None)
    )
    return int(erased.rowcount)  # type: ignore[attr-defined]
