"""The register's actions and the secretariat's redaction terms: the content publishing a
summary, recording a lesson and the complainant's word on being named record, and the list
of terms removed from what the register shows (``services.register`` reads it).

Content, not state (``domain.actions.register``): these actions are written here, checked by
the same pure rules as every action, audited by the caller (``services.acting``), and never
sent to a workflow, so they are taken alike on an open case and on a closed one whose
workflow has finished.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from domain import rules
from domain.actions import ConsentToNaming, PublishSummary, RecordLesson, RegisterAction
from domain.cases import Actor, CaseState
from domain.enums import Role
from domain.problems import NotFound, NotPermitted, case_not_found, invalid_field
from store import audit, case_content, lessons
from store import register as rows

# Who keeps a case's redaction list.
KEEPERS = frozenset({Role.SECRETARIAT.value, Role.CHAIR.value})


def take(session: Session, *, reference: str, actor: Actor, action: RegisterAction) -> None:
    """Record a register action on the case (checked again on the stored state; blocking)."""
    session.expire_all()
    state = case_content.load_state(session=session, reference=reference, content=False)
    if state is None:
        raise case_not_found()
    now = datetime.now(UTC)
    rules.check(state, actor, action, now)
    match action:
        case PublishSummary(summary=summary, named=named):
            rows.publish(
                session=session,
                reference=reference,
                covenant=state.covenant,
                summary=summary,
                named=named,
                at=now,
                by=actor.user,
            )
        case RecordLesson(text=text, addressed_to=addressed_to):
            lessons.record_lesson(
                session=session,
                reference=reference,
                covenant=state.covenant,
                addressed_to=addressed_to,
                text=text,
                at=now,
                by=actor.user,
            )
        case ConsentToNaming(agreed=agreed):
            rows.set_consent(session=session, reference=reference, agreed=agreed, at=now)
    session.commit()


# --- Redaction terms (the secretariat's list per case and per covenant) -------------------


@dataclass(frozen=True)
class Term:
    """A redaction term as staff see it."""

    id: int
    term: str
    scope: str  # "case" or "covenant"
    added_at: datetime
    added_by: str


def _keeper(who: audit.Who) -> str:
    if who.role not in KEEPERS:
        raise NotPermitted("only the secretariat and the chair keep the redaction list")
    return who.username


def _audit(session: Session, who: audit.Who, reference: str, action: str, **detail: Any) -> None:
    bind = session.get_bind()
    assert isinstance(bind, Engine)
    audit.append(bind, reference=reference, who=who, action=action, detail=detail)


def terms(session: Session, *, state: CaseState) -> list[Term]:
    """The case's redaction terms, its covenant's after its own."""
    found = rows.terms_of(session=session, reference=state.reference, covenant=state.covenant)
    return [
        Term(
            id=t.id or 0,
            term=t.term,
            scope="case" if t.reference else "covenant",
            added_at=t.added_at,
            added_by=t.added_by,
        )
        for t in found
    ]


def add_term(
    session: Session, *, who: audit.Who, state: CaseState, term: str, scope: str = "case"
) -> Term:
    """Add a term to the case's list (``scope`` "covenant": to every case of its covenant);
    ``who`` is the staff member, as the audit trail names them (``services.audit.who``)."""
    by = _keeper(who)
    clean = " ".join(unicodedata.normalize("NFC", term).split())
    if len(clean) < 2:
        raise invalid_field(("body", "term"), "write at least 2 characters")
    if scope not in ("case", "covenant"):
        raise invalid_field(("body", "scope"), "'case' or 'covenant'")
    row = rows.add_term(
        session=session,
        covenant=state.covenant,
        reference=state.reference if scope == "case" else None,
        term=clean,
        at=datetime.now(UTC),
        by=by,
    )
    session.commit()
    _audit(session, who, state.reference, "redaction_term_added", scope=scope)
    return Term(id=row.id or 0, term=row.term, scope=scope, added_at=row.added_at, added_by=by)


def remove_term(session: Session, *, who: audit.Who, state: CaseState, term_id: int) -> None:
    """Remove a term of the case's list or its covenant's."""
    _keeper(who)
    removed = rows.remove_term(session=session, covenant=state.covenant, term_id=term_id)
    if removed is None or removed.reference not in (None, state.reference):
        session.rollback()
        raise NotFound(f"no redaction term {term_id} on this case")
    session.commit()
    _audit(session, who, state.reference, "redaction_term_removed", term=term_id)
