"""Loads what a case view needs beyond the snapshot: the intake record and file metadata."""

from __future__ import annotations

from sqlmodel import Session

from core.settings import Settings
from domain.cases import CaseState
from services.access import Standing, sees_identity
from services.case_models import CaseOut
from services.case_views import FileInfo, Identity, case_view
from store import cases, documents


def identity_of(*, session: Session, state: CaseState, standing: Standing) -> Identity | None:
    """The complainant's identity, read only when this caller may see it."""
    if not sees_identity(standing, state.confidential):
        return None
    complainant = cases.get_complainant(session=session, reference=state.reference)
    if complainant is None:
        return None
    return Identity(
        name=complainant.name,
        organisation=complainant.organisation,
        represents=complainant.represents,
        email=complainant.email,
        phone=complainant.phone,
        language=complainant.language,
    )


def present_case(
    *,
    session: Session,
    settings: Settings,
    state: CaseState,
    standing: Standing,
    organisation: str | None,
    events_bytes: int | None = None,
) -> CaseOut:
    """The case as a caller of this standing (and organisation, if any) may see it; with
    ``events_bytes``, only the latest events whose texts fit in that many bytes."""
    files = {
        d.id: FileInfo(content_type=d.content_type, size=d.size)
        for d in documents.list_documents(session=session, reference=state.reference)
    }
    return case_view(
        state,
        standing,
        organisation=organisation,
        identity=identity_of(session=session, state=state, standing=standing),
        files=files,
        settings=settings,
        events_bytes=events_bytes,
    )
