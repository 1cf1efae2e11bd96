"""The case as the caller may see it (pure: built from the snapshot and the intake record)."""

from __future__ import annotations

from dataclasses import dataclass

from core.links import api_case_url
from core.settings import Settings
from domain.cases import CaseState, Event
from domain.enums import CaseKind, CaseStatus, Outcome, Stage
from services.access import Standing, may_see, sees_identity
from services.case_models import (
    CaseOut,
    CaseSummaryOut,
    ComplainantDetails,
    ComplainantOut,
    DeadlineOut,
    DocumentOut,
    EventOut,
    NamedComplainant,
    OrderOut,
    PseudonymousComplainant,
    RespondentOut,
)
from store.tables import CaseRow


@dataclass(frozen=True)
class Identity:
    """The complainant's identity and contact, from the intake record."""

    name: str
    organisation: str | None = None
    represents: str | None = None
    email: str | None = None
    phone: str | None = None
    language: str = "en"


@dataclass(frozen=True)
class FileInfo:
    """What the document table adds to a timeline's document reference."""

    content_type: str
    size: int


def complainant_view(
    state: CaseState, standing: Standing, identity: Identity | None
) -> ComplainantOut:
    """The complainant as this caller may see them: a pseudonym unless they may know."""
    if identity is None or not sees_identity(standing, state.confidential):
        return PseudonymousComplainant(pseudonym=state.pseudonym, confidential=state.confidential)
    named = {
        "name": identity.name,
        "organisation": identity.organisation,
        "represents": identity.represents,
        "confidential": state.confidential,
        "pseudonym": state.pseudonym,
    }
    if standing is Standing.RESPONDENT:
        return NamedComplainant(**named)
    return ComplainantDetails(
        **named, email=identity.email, phone=identity.phone, language=identity.language
    )


def document_url(settings: Settings, reference: str, document_id: str) -> str:
    """Where a document can be downloaded (an API address, also once pages exist)."""
    return f"{api_case_url(settings, reference)}/documents/{document_id}"


def case_view(
    state: CaseState,
    standing: Standing,
    *,
    organisation: str | None,
    identity: Identity | None,
    files: dict[str, FileInfo],
    settings: Settings,
    events_bytes: int | None = None,
) -> CaseOut:
    """The case for a caller of this standing (and respondent ``organisation``).

    Committee-only items only for staff; an item for one respondent not for the others.
    With ``events_bytes``, only the latest events whose texts fit in that many bytes.
    """
    events = events_view(state.events, standing, organisation)
    earlier = state.events[0].seq if state.events and state.events[0].seq > 1 else None
    if events_bytes is not None:
        kept = latest_within(events, events_bytes)
        if len(kept) < len(events):
            events, earlier = kept, kept[0].seq
    return CaseOut(
        reference=state.reference,
        kind=state.kind,
        covenant=state.covenant,
        covenant_name=state.covenant_name,
        stage=state.stage,
        status=state.status,
        outcome=state.outcome,
        respondent=[
            RespondentOut(
                organisation_id=p.organisation_id,
                name=p.name,
                production_location_id=p.production_location_id,
            )
            for p in state.respondents
        ],
        complainant=complainant_view(state, standing, identity),
        subject=state.subject,
        description=state.description,
        issues=[str(i) for i in state.issues],
        remedy_sought=state.remedy_sought,
        urgent=state.urgent,
        filed_at=state.filed_at,
        target_at=state.target_at,
        closed_at=state.closed_at,
        overdue=state.overdue,
        deadlines=[
            DeadlineOut(name=d.name, label=d.label, due=d.due, overdue=d.overdue)
            for d in state.open_deadlines()
            if for_caller(d.party, standing, organisation)
        ],
        events=events,
        events_before=earlier,
        orders=[
            OrderOut(
                number=o.number, text=o.text, due=o.due, status=o.status, respondent=o.respondent
            )
            for o in state.orders
            if for_caller(o.respondent, standing, organisation)
        ],
        documents=[
            DocumentOut(
                id=d.id,
                filename=d.filename,
                visibility=d.visibility,
                party=d.party,
                uploaded_at=d.at,
                by_side=d.by_side,
                content_type=files[d.id].content_type if d.id in files else None,
                size=files[d.id].size if d.id in files else None,
                url=document_url(settings, state.reference, d.id),
            )
            for d in state.documents
            if may_see(standing, d.visibility, party=d.party, organisation=organisation)
        ],
    )


def for_caller(party: str | None, standing: Standing, organisation: str | None) -> bool:
    """Whether an order or deadline of one respondent (``party``) is shown to this caller: a
    company sees only its own and those of every company, never another company's."""
    return standing is not Standing.RESPONDENT or party in (None, organisation)


def events_view(
    events: list[Event], standing: Standing, organisation: str | None
) -> list[EventOut]:
    """The events this caller may see."""
    return [
        EventOut(
            seq=e.seq,
            at=e.at,
            type=e.type,
            summary=e.summary,
            visibility=e.visibility,
            text=e.text,
            party=e.party,
            channel=e.channel,
        )
        for e in events
        if may_see(standing, e.visibility, party=e.party, organisation=organisation)
    ]


def latest_within(events: list[EventOut], budget: int) -> list[EventOut]:
    """The latest events whose summaries and texts fit in ``budget`` bytes (UTF-8), oldest
    first; the newest one always, however long."""
    kept: list[EventOut] = []
    used = 0
    for event in reversed(events):
        used += len(event.summary.encode()) + len((event.text or "").encode())
        if kept and used > budget:
            break
        kept.append(event)
    return kept[::-1]


def case_summary(row: CaseRow) -> CaseSummaryOut:
    """One line of the case list; it names no complainant."""
    return CaseSummaryOut(
        reference=row.reference,
        kind=CaseKind(row.kind),
        covenant=row.covenant,
        stage=Stage(row.stage),
        status=CaseStatus(row.status),
        outcome=Outcome(row.outcome) if row.outcome else None,
        subject=row.subject,
        filed_at=row.filed_at,
        overdue=row.overdue,
        next_deadline=row.next_deadline_name,
        next_due=row.next_due,
    )
