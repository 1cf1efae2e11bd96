"""Loads what a case view needs beyond the snapshot: the intake records and file metadata.

A case that absorbed others (``merge_into``) has several complainants; each is shown its
own identity, never another's, and a company sees a confidential one only by pseudonym.
"""

from __future__ import annotations

from sqlmodel import Session

from core.settings import Settings
from domain.cases import CaseState
from domain.privacy import identity_visible
from services.access import Standing, sees_identity
from services.case_models import (
    CaseOut,
    ComplainantDetails,
    ComplainantOut,
    NamedComplainant,
    PseudonymousComplainant,
)
from services.case_views import FileInfo, Identity, case_view
from store import cases, documents
from store.tables import Complainant


def _own(
    rows: list[Complainant], standing: Standing, complainant: int | None, filer: bool = False
) -> Complainant | None:
    """The record this caller reads as 'the complainant': the filer's, or for a complainant
    their own (by the number of the code they hold, or ``filer``: a user of the organisation
    that filed); None when which of several is unknown."""
    if standing is Standing.COMPLAINANT:
        if complainant is not None:
            return next((r for r in rows if r.number == complainant), None)
        if len(rows) > 1 and not filer:
            return None
    return next((r for r in rows if r.number == 1), None)


def _identity(row: Complainant) -> Identity:
    return Identity(
        name=row.name,
        organisation=row.organisation,
        represents=row.represents,
        email=row.email,
        phone=row.phone,
        language=row.language,
    )


def identity_of(
    *, session: Session, state: CaseState, standing: Standing, complainant: int | None = None
) -> Identity | None:
    """The complainant's identity, read only when this caller may see it: for the holder of
    one complainant's code (``complainant``), that complainant's own."""
    if not sees_identity(standing, state.confidential):
        return None
    rows = cases.case_complainants(session=session, reference=state.reference)
    own = _own(rows, standing, complainant)
    return _identity(own) if own is not None else None


def complainant_as_seen(state: CaseState, row: Complainant, standing: Standing) -> ComplainantOut:
    """One complainant of the case as this caller may see them, by their own confidentiality;
    to a complainant, any other complainant is a pseudonym only."""
    pseudonym = row.pseudonym or state.pseudonym
    may_know = standing is not Standing.COMPLAINANT and identity_visible(
        confidential=row.confidential, to_staff=standing is Standing.STAFF, to_complainant=False
    )
    if not may_know:
        return PseudonymousComplainant(pseudonym=pseudonym, confidential=row.confidential)
    named = NamedComplainant(
        name=row.name,
        organisation=row.organisation,
        represents=row.represents,
        confidential=row.confidential,
        pseudonym=pseudonym,
    )
    if standing is Standing.STAFF:
        return ComplainantDetails(
            **named.model_dump(), email=row.email, phone=row.phone, language=row.language
        )
    return named


def present_case(
    *,
    session: Session,
    settings: Settings,
    state: CaseState,
    standing: Standing,
    organisation: str | None,
    events_bytes: int | None = None,
    complainant: int | None = None,
) -> CaseOut:
    """The case as a caller of this standing (and organisation, if any) may see it; with
    ``events_bytes``, only the latest events whose texts fit in that many bytes. For the
    holder of a complainant's code, ``complainant`` is whose (``Viewer.complainant``)."""
    files = {
        d.id: FileInfo(content_type=d.content_type, size=d.size)
        for d in documents.list_documents(session=session, reference=state.reference)
    }
    rows = cases.case_complainants(session=session, reference=state.reference)
    filer = organisation is not None and organisation == state.complainant_organisation_id
    own = _own(rows, standing, complainant, filer)
    identity = None
    if own is not None and sees_identity(standing, state.confidential):
        identity = _identity(own)
    out = case_view(
        state,
        standing,
        organisation=organisation,
        identity=identity,
        files=files,
        settings=settings,
        events_bytes=events_bytes,
    )
    shown_as = own or next((r for r in rows if r.number == 1), None)
    updates: dict[str, object] = {
        "merged_into": state.merged_into,
        "merged_from": list(state.merged_from),
        "other_complainants": [
            complainant_as_seen(state, row, standing) for row in rows if row is not shown_as
        ],
    }
    if own is not None and own.number != 1:  # a complainant merged in, reading its own case
        updates["complainant"] = ComplainantDetails(
            name=own.name,
            organisation=own.organisation,
            represents=own.represents,
            confidential=own.confidential,
            pseudonym=own.pseudonym or state.pseudonym,
            email=own.email,
            phone=own.phone,
            language=own.language,
        )
    return out.model_copy(update=updates)
