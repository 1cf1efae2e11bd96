"""``/portal``: the signed-in user's dashboard, the deadlines view, and the portal's routers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from api.pages import (
    administration,
    audit_trail,
    case_page,
    covenants,
    dispute,
    labels,
    mail,
    parked_notices,
    people_admin,
    stats,
    supplier_lists,
)
from api.pages.errors import error_page
from api.pages.labels import Gettext
from api.pages.portal_base import PortalViewerDep, gettext_for, is_staff
from api.pages.templating import SEAT_ZONE, render
from domain.cases import CaseState
from domain.enums import Audience, Role, Stage
from services.access import Viewer, list_scope
from store import cases, organisations, outbox
from store import covenants as covenant_store
from store import deadlines as deadline_store
from store.tables import CaseRow

router = APIRouter(prefix="/portal", include_in_schema=False)
PAGE_SIZE = 20
# Whose deadlines a party user answers for.
OWN_AUDIENCE = {Role.COMPANY: Audience.RESPONDENTS, Role.UNION: Audience.COMPLAINANT}


def end_of_week(now: datetime) -> datetime:
    """The end of the current week (Sunday night) at the seat."""
    local = now.astimezone(SEAT_ZONE)
    sunday = local.date() + timedelta(days=6 - local.weekday())
    return datetime.combine(sunday + timedelta(days=1), time(0), tzinfo=SEAT_ZONE)


def _deadline_view(
    state: CaseState, owner: Audience | None, gettext: Gettext, now: datetime, party: str | None
) -> Any:
    for d in state.open_deadlines():
        mine = owner is None or (d.owner is owner and d.party in (None, party))
        if mine:
            return {
                "label": labels.deadline_label(d.name, d.label, gettext),
                "due": d.due,
                "overdue": d.overdue or d.due < now,
            }
    return None


def _row_view(row: CaseRow, viewer: Viewer, gettext: Gettext, now: datetime) -> dict[str, Any]:
    state = CaseState.model_validate_json(row.snapshot)
    own = OWN_AUDIENCE.get(viewer.role) if viewer.role else None
    return {
        "row": row,
        "stage": labels.word(labels.STAGES, row.stage, gettext),
        "status": labels.word(labels.STATUSES, row.status, gettext),
        "outcome": labels.word(labels.OUTCOMES, row.outcome, gettext) if row.outcome else None,
        "next": _deadline_view(state, None, gettext, now, None),
        "yours": _deadline_view(state, own, gettext, now, viewer.organisation_id) if own else None,
    }


def _notices(session: Session, viewer: Viewer) -> list[Any]:
    if viewer.role is not Role.COMPANY or not viewer.organisation_id:
        return []
    contacts = organisations.organisation_contacts(
        session=session, organisation_id=viewer.organisation_id
    )
    addresses = [viewer.email or "", *(c.email for c in contacts)]
    return outbox.notices_to(
        session=session, addresses=addresses, organisation_id=viewer.organisation_id
    )


@router.get("", response_class=HTMLResponse)
def dashboard(
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
    covenant: Annotated[str | None, Query(max_length=64)] = None,
    stage: Annotated[str | None, Query(max_length=32)] = None,
    overdue: Annotated[str | None, Query(max_length=8)] = None,
    week: Annotated[str | None, Query(max_length=8)] = None,
    mine: Annotated[str | None, Query(max_length=8)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """The cases this user may see, filtered and paged; notices for a company."""
    gettext = gettext_for(request)
    now = datetime.now(UTC)
    scope = list_scope(viewer)
    stage = stage if stage in {s.value for s in Stage} else None
    staff = is_staff(viewer)
    rows: list[CaseRow] = []
    total = 0
    if not scope.nothing:
        where = replace(
            scope.case_filter,
            covenant=covenant or None,
            stage=stage,
            overdue=True if overdue else None,
            q=q or None,
            due_before=end_of_week(now) if week else None,
            assigned_to=viewer.username if (mine and staff) else None,
        )
        rows, total = cases.list_cases(
            session=session,
            where=where,
            page=page,
            page_size=PAGE_SIZE,
        )
    filters = {
        "covenant": covenant or "",
        "stage": stage or "",
        "overdue": "1" if overdue else "",
        "week": "1" if week else "",
        "mine": "1" if mine and staff else "",
        "q": q or "",
    }
    kept = {key: value for key, value in filters.items() if value}
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    context = {
        "staff": staff,
        "role": viewer.role.value if viewer.role else "",
        "cases": [_row_view(row, viewer, gettext, now) for row in rows],
        "total": total,
        "page": page,
        "pages": pages,
        "previous_url": f"?{urlencode({**kept, 'page': page - 1})}" if page > 1 else None,
        "next_url": f"?{urlencode({**kept, 'page': page + 1})}" if page < pages else None,
        "filters": filters,
        "filtered": bool(kept),
        "covenants": covenant_store.list_covenants(session=session),
        "stages": [(s.value, labels.word(labels.STAGES, s, gettext)) for s in Stage],
        "notices": _notices(session, viewer),
        "may_dispute": dispute.may_dispute(session, viewer),
    }
    return render(request, settings, viewer, "portal/dashboard.html", context)


@router.get("/deadlines", response_model=None)
def deadlines(
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Every open deadline of the cases this staff member sees, soonest first."""
    gettext = gettext_for(request)
    if not is_staff(viewer):
        return error_page(request, 404)
    now = datetime.now(UTC)
    scope = list_scope(viewer)
    found = (
        []
        if scope.nothing
        else deadline_store.deadlines_due(session=session, where=scope.case_filter)
    )
    items = [
        {
            "deadline": d,
            "case": case,
            "label": labels.deadline_label(d.name, d.label, gettext),
            "owner": labels.word(labels.OWNERS, d.owner, gettext),
            "stage": labels.word(labels.STAGES, case.stage, gettext),
            "overdue": d.overdue or d.due < now,
            "this_week": d.due < end_of_week(now),
        }
        for d, case in found
    ]
    context = {"items": items, "overdue_count": sum(1 for i in items if i["overdue"])}
    return render(request, settings, viewer, "portal/deadlines.html", context)


router.include_router(case_page.router)
router.include_router(dispute.router)
router.include_router(mail.router)
router.include_router(supplier_lists.router)
router.include_router(covenants.router)
router.include_router(parked_notices.router)
router.include_router(people_admin.router)
router.include_router(administration.router)
router.include_router(audit_trail.router)
router.include_router(stats.router)
