"""Recording who read, downloaded, saw an identity in, or changed a case (``store.audit``),
and who may read that record: the case's chair and the admin."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from domain.cases import CaseState
from domain.enums import Role
from domain.problems import NotPermitted, case_not_found
from services.access import ACCESS_CODE_USER, Standing, Viewer, sees_identity, standing
from store import audit, case_content

READERS = frozenset({Role.CHAIR, Role.ADMIN})


def who(viewer: Viewer) -> audit.Who:
    """The person as the trail names them (a complainant by access code is "complainant")."""
    if viewer.username is None:
        return audit.Who(ACCESS_CODE_USER, ACCESS_CODE_USER)
    role = viewer.role.value if viewer.role else ""
    return audit.Who(viewer.username, role, viewer.organisation_id)


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    assert isinstance(bind, Engine)
    return bind


def record(session: Session, viewer: Viewer, reference: str, action: str, **detail: Any) -> None:
    """Append a row for this caller and case (its own transaction, committed at once)."""
    audit.append(
        _engine(session), reference=reference, who=who(viewer), action=action, detail=detail
    )


def record_read(
    session: Session, viewer: Viewer, state: CaseState, standing_: Standing, where: str
) -> None:
    """A read of the case, and the display of its confidential complainant's identity when
    this caller is shown it."""
    record(session, viewer, state.reference, "read", where=where)
    if state.confidential and sees_identity(standing_, True):
        record(session, viewer, state.reference, "identity_shown", where=where)


def readable_trail(session: Session, viewer: Viewer, reference: str) -> CaseState:
    """The case whose trail this caller may read: the admin any case, the chair the cases
    it may see; ``NotFound`` when unknown or invisible, ``NotPermitted`` for others who see it."""
    state = case_content.load_state(session=session, reference=reference)
    if state is None:
        raise case_not_found()
    if viewer.role is Role.ADMIN:
        return state
    seen = standing(viewer, state)
    if seen is None:
        raise case_not_found()
    if viewer.role is not Role.CHAIR:
        raise NotPermitted("only the chair and the admin read a case's audit trail")
    return state
