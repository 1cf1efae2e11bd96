"""Retention of complaints e-mailed in (``email_drafts``): once a draft is filed (the case's
complainant record holds the sender from then on, under the case's own retention) or
discarded (spam, or not a complaint), its copy of the sender's name, address and words is
erased after the covenant's contact period, counted from that day. A draft still waiting for
the secretariat keeps everything. The row stays, blank, so the reference stays taken; the
outbox row of the receipt sent to the sender loses its address with it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from store import audit
from store.email_drafts import receipt_notice_key
from store.retention_due import Policy
from store.tables import EmailDraft, Outbox

ERASED = "erased"  # what a blanked draft's sender address reads


def drafts_due(
    *, session: Session, covenant: str, cutoff: datetime, limit: int
) -> list[EmailDraft]:
    """The covenant's drafts filed or discarded at or before ``cutoff`` that still hold the
    sender's details, oldest first."""
    statement = (
        select(EmailDraft)
        .where(col(EmailDraft.covenant) == covenant)
        .where(col(EmailDraft.state) != "received")
        .where(col(EmailDraft.closed_at) <= cutoff)
        .where(col(EmailDraft.sender_email) != ERASED)
        .order_by(col(EmailDraft.closed_at))
        .limit(limit)
    )
    return list(session.exec(statement).all())


def erase_drafts(
    engine: Engine, policy: Policy, now: datetime, *, limit: int, dry: bool, who: audit.Who
) -> tuple[int, bool]:
    """Erase what is due of the covenant's closed drafts, each logged in the audit trail
    first: (how many, whether the batch was full)."""
    cutoff = policy.contacts_cutoff(now)
    with Session(engine) as session:
        due = [
            (d.id, d.reference)
            for d in drafts_due(
                session=session, covenant=policy.covenant, cutoff=cutoff, limit=limit
            )
        ]
    if dry:
        return len(due), len(due) == limit
    for draft_id, reference in due:
        audit.append(
            engine,
            reference=reference,
            who=who,
            action="draft_erased",
            detail={"draft": draft_id, "after_days": policy.contact_days},
        )
        with Session(engine) as session, session.begin():
            draft = session.get(EmailDraft, draft_id)
            if draft is not None:
                draft.sender_email, draft.sender_name = ERASED, ""
                draft.subject, draft.text, draft.discard_reason = "", "", None
                session.add(draft)
            session.execute(
                update(Outbox)
                .where(col(Outbox.notice_key) == receipt_notice_key(draft_id))
                .values(recipient="")
            )
    return len(due), len(due) == limit
