"""``/api/v1/cases``: the list, one case, its allowed actions, taking an action, and the
case's audit trail."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel

from api.deps import (
    ClientDep,
    IdempotencyKey,
    SessionDep,
    SettingsDep,
    SignedInDep,
    VisibleCaseDep,
)
from api.errors import ApiError
from api.schemas import (
    BODY,
    CASE,
    ENGINE,
    INVALID,
    MAX_PAGE,
    MAX_SEQ,
    SIGNED_IN,
    AllowedOut,
    ConflictOut,
    ErrorOut,
    responses,
    too_many,
)
from domain.actions import ActionInput, AddDocument
from domain.enums import Channel, Stage
from domain.privacy import renamed_events
from services import audit
from services.access import Standing, list_scope, standing
from services.acting import REPLY_EVENT_BYTES, act_on_case, allowed_now
from services.case_models import CaseListOut, CaseOut, EventsPageOut
from services.case_views import case_summary, events_view
from services.reading import present_case
from store import audit as audit_store
from store import case_content, cases
from store.listing import MAX_PAGE_SIZE

router = APIRouter(prefix="/api/v1/cases", tags=["cases"], responses=INVALID)


@router.get("", response_model=CaseListOut, responses=SIGNED_IN)
def list_cases(
    viewer: SignedInDep,
    session: SessionDep,
    covenant: Annotated[str | None, Query(max_length=64)] = None,
    stage: Stage | None = None,
    overdue: bool | None = None,
    q: Annotated[
        str | None, Query(max_length=200, description="text in reference or subject")
    ] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> CaseListOut:
    """The cases the caller may see, newest first, filtered and paged."""
    scope = list_scope(viewer)
    if scope.nothing:
        return CaseListOut(items=[], total=0, page=page, page_size=page_size)
    where = replace(
        scope.case_filter,
        covenant=covenant,
        stage=stage.value if stage else None,
        overdue=overdue,
        q=q,
    )
    rows, total = cases.list_cases(
        session=session,
        where=where,
        page=page,
        page_size=page_size,
    )
    return CaseListOut(
        items=[case_summary(row) for row in rows], total=total, page=page, page_size=page_size
    )


@router.get("/{reference}", response_model=CaseOut, responses=CASE)
def read_case(case: VisibleCaseDep, session: SessionDep, settings: SettingsDep) -> CaseOut:
    """The case as the caller may see it, from the read model (the read is audited)."""
    audit.record_read(session, case.viewer, case.state, case.standing, "api")
    return present_case(
        session=session,
        settings=settings,
        state=case.state,
        standing=case.standing,
        organisation=case.viewer.organisation_id,
        complainant=case.viewer.complainant,
    )


@router.get("/{reference}/events", response_model=EventsPageOut, responses=CASE)
def read_events(
    case: VisibleCaseDep,
    session: SessionDep,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_SEQ, description="events before this sequence number")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> EventsPageOut:
    """A page of the case's events the caller may see, oldest first, for long cases."""
    audit.record_read(session, case.viewer, case.state, case.standing, "api-events")
    found = case_content.case_events(
        session=session, reference=case.state.reference, limit=limit, before=before
    )
    earlier = found[0].seq if found and found[0].seq > 1 else None
    if case.standing is Standing.RESPONDENT:
        found = renamed_events(found, case.state)
    items = events_view(found, case.standing, case.viewer.organisation_id)
    return EventsPageOut(items=items, before=earlier)


@router.get("/{reference}/actions", response_model=AllowedOut, responses=CASE)
def read_allowed_actions(case: VisibleCaseDep) -> AllowedOut:
    """The actions the caller may take on the case now."""
    return AllowedOut(allowed=allowed_now(case))


@router.post(
    "/{reference}/actions",
    response_model=CaseOut,
    responses=responses(
        {
            403: {"model": ErrorOut, "description": "the caller's role may not take this action"},
            409: {"model": ConflictOut, "description": "not possible in this stage"},
        },
        CASE,
        BODY,
        ENGINE,
    ),
)
async def take_action(
    reference: str,
    action: Annotated[ActionInput, Body(description="the action, named by `action`")],
    case: VisibleCaseDep,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut:
    """Take an action on the case; nothing changes when it is refused. The answer is the
    case with its latest events up to 256 KB of text; ``events_before`` pages the rest."""
    if isinstance(action, AddDocument):
        raise ApiError(
            422,
            f"documents are added by uploading them to /api/v1/cases/{reference}/documents",
            errors=[],
        )
    state = await act_on_case(
        case=case,
        action=action,
        session=session,
        client=client,
        channel=Channel.API,
        idempotency_key=idempotency_key,
    )
    after = standing(case.viewer, state) or case.standing
    return present_case(
        session=session,
        settings=settings,
        state=state,
        standing=after,
        organisation=case.viewer.organisation_id,
        events_bytes=REPLY_EVENT_BYTES,
        complainant=case.viewer.complainant,
    )


class AuditItemOut(BaseModel):
    """One row of the trail: who, when, what (``read``, ``download``, ``identity_shown``,
    ``add_document``, ``audit_read`` or an action's name) and its details."""

    at: datetime
    user: str
    role: str
    organisation: str | None
    action: str
    detail: dict[str, Any]


class AuditOut(BaseModel):
    items: list[AuditItemOut]


@router.get(
    "/{reference}/audit",
    response_model=AuditOut,
    responses=responses(
        {
            403: {"model": ErrorOut, "description": "only the chair and the admin read it"},
            404: CASE[404],
        },
        SIGNED_IN,
        too_many("too many wrong access codes for this case or from this address"),
    ),
)
def read_audit(reference: str, viewer: SignedInDep, session: SessionDep) -> AuditOut:
    """Every read, download, display of the confidential identity and change of the case,
    oldest first (reading it is recorded too)."""
    state = audit.readable_trail(session, viewer, reference)
    audit.record(session, viewer, state.reference, "audit_read")
    rows = audit_store.entries(session=session, reference=state.reference)
    return AuditOut(
        items=[
            AuditItemOut(
                at=r.at,
                user=r.username,
                role=r.role,
                organisation=r.organisation,
                action=r.action,
                detail=json.loads(r.detail),
            )
            for r in rows
        ]
    )
