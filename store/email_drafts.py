"""E-mailed complaints waiting for the secretariat: adding one once per Message-ID, the
open ones of some covenants, their files, and closing one (filed or discarded)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.tables import EmailDraft, EmailDraftFile

RECEIVED, FILED, DISCARDED = "received", "filed", "discarded"


def receipt_notice_key(draft_id: str) -> str:
    """The outbox row's key of the receipt sent to a draft's sender."""
    return f"draft_receipt:{draft_id}"


def receipt_code_context(draft_id: str) -> str:
    """What a draft's sealed access code (``receipt_code``) is bound to: this draft alone."""
    return f"email-draft:{draft_id}"


def draft_by_message(*, session: Session, message_key: str) -> EmailDraft | None:
    """The draft made from the message with this key (a hash of its Message-ID), or None."""
    statement = select(EmailDraft).where(col(EmailDraft.message_key) == message_key)
    return session.exec(statement).first()


def get_draft(*, session: Session, draft_id: str) -> EmailDraft | None:
    """One draft by its id, or None."""
    return session.get(EmailDraft, draft_id)


def draft_by_reference(*, session: Session, reference: str) -> EmailDraft | None:
    """The draft that holds this reference, or None."""
    statement = select(EmailDraft).where(col(EmailDraft.reference) == reference)
    return session.exec(statement).first()


def reference_taken(*, session: Session, reference: str) -> bool:
    """Whether a draft holds this reference (a case filed from it takes it over)."""
    return draft_by_reference(session=session, reference=reference) is not None


def draft_files(*, session: Session, draft_id: str) -> list[EmailDraftFile]:
    """The files that came with the draft, in their order."""
    statement = select(EmailDraftFile).where(col(EmailDraftFile.draft_id) == draft_id)
    return list(session.exec(statement.order_by(col(EmailDraftFile.number))).all())


def content_waiting(*, session: Session, sha256: str) -> bool:
    """Whether a draft still waiting holds a file with this content."""
    statement = (
        select(EmailDraftFile.number)
        .join(EmailDraft, col(EmailDraft.id) == col(EmailDraftFile.draft_id))
        .where(col(EmailDraftFile.sha256) == sha256, col(EmailDraft.state) == RECEIVED)
    )
    return session.exec(statement.limit(1)).first() is not None


def add_draft(*, session: Session, draft: EmailDraft, files: Sequence[EmailDraftFile]) -> bool:
    """Store the draft and its files (committed); False when a draft of the same message or
    with the same reference was stored first (a redelivery racing this one)."""
    session.add(draft)
    try:
        session.flush()  # the draft first: its files name it
        session.add_all(files)
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def open_drafts(*, session: Session, covenants: Collection[str]) -> list[EmailDraft]:
    """The drafts of these covenants waiting to be filed or discarded, oldest first."""
    if not covenants:
        return []
    statement = select(EmailDraft).where(
        col(EmailDraft.state) == RECEIVED, col(EmailDraft.covenant).in_(sorted(covenants))
    )
    return list(session.exec(statement.order_by(col(EmailDraft.received_at))).all())


def receipt_done(*, session: Session, draft_id: str, sent_at: datetime | None) -> None:
    """The receipt went out (``sent_at``), or the mail server refused it for good (None):
    either way the sealed code is forgotten (not committed)."""
    session.execute(
        update(EmailDraft)
        .where(col(EmailDraft.id) == draft_id)
        .values(receipt_code=None, receipt_sent_at=sent_at)
    )


def close_draft(
    *, session: Session, draft_id: str, state: str, by: str, at: datetime, reason: str | None
) -> bool:
    """Mark an open draft filed or discarded (not committed); False when it was not open
    (another member of staff closed it first)."""
    result = session.execute(
        update(EmailDraft)
        .where(col(EmailDraft.id) == draft_id, col(EmailDraft.state) == RECEIVED)
        .values(state=state, closed_by=by, closed_at=at, discard_reason=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1
