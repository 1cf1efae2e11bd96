"""The audit trail of a case for its chair and the admin (a page, and the same as CSV),
and the secretariat's replacement of a complainant's access code."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from api.errors import status_of
from api.pages import forms
from api.pages.errors import error_page
from api.pages.portal_base import CaseRoute, PortalCaseDep, PortalViewerDep, gettext_for
from api.pages.templating import render
from core.access_codes import spaced
from domain.cases import CaseState
from domain.problems import Problem
from services import access_codes, audit
from services.access import Viewer
from store import audit as audit_store
from store.security_tables import AuditEntry

router = APIRouter(route_class=CaseRoute)
COLUMNS = ("at", "user", "role", "organisation", "action", "detail")


def _trail(
    session: Session, viewer: Viewer, reference: str, where: str
) -> tuple[CaseState, list[AuditEntry]]:
    """The case and its trail, if this viewer may read it (``services.audit.readable_trail``);
    the reading is recorded too."""
    state = audit.readable_trail(session, viewer, reference)
    audit.record(session, viewer, state.reference, "audit_read", where=where)
    return state, audit_store.entries(session=session, reference=state.reference)


@router.get("/audit", response_model=None)
def find_trail(request: Request, viewer: PortalViewerDep, reference: str = "") -> Response:
    """The admin's way to a case's trail (it opens no case page): by its reference."""
    wanted = reference.strip().upper()[:32]
    if not wanted:
        return error_page(request, 404)
    return RedirectResponse(f"/portal/cases/{quote(wanted, safe='')}/audit", status_code=303)


@router.get("/cases/{reference}/audit", response_model=None)
def audit_page(
    reference: str,
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Who read, downloaded, saw the identity in or changed the case, oldest first."""
    try:
        state, rows = _trail(session, viewer, reference, "portal")
    except Problem as error:
        return error_page(request, status_of(error))
    context = {"state": state, "rows": [(r, json.loads(r.detail)) for r in rows]}
    return render(request, settings, viewer, "portal/audit.html", context)


@router.post("/cases/{reference}/access-code", response_model=None)
async def replace_code(
    reference: str,
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
    form: forms.CheckedForm,
    case: PortalCaseDep,
) -> Response:
    """A new access code, shown once on the page; the old one stops working at once."""
    try:
        code = access_codes.replace_access_code(session, settings, case)
    except Problem as error:
        return error_page(request, status_of(error))
    _ = gettext_for(request)
    return render(
        request,
        settings,
        viewer,
        "portal/message.html",
        {
            "title": _("New access code for %(reference)s") % {"reference": reference},
            "text": _(
                "The new code is %(code)s. It is shown only now: pass it to the complainant "
                "by a safe way. The old code no longer opens the case."
            )
            % {"code": spaced(code)},  # in groups, to be read out over the phone
        },
    )


@router.get("/cases/{reference}/audit.csv", response_model=None)
def audit_csv(
    reference: str, request: Request, viewer: PortalViewerDep, session: SessionDep
) -> Response:
    """The trail as CSV (UTF-8 with a byte-order mark, so spreadsheets read it right)."""
    try:
        state, rows = _trail(session, viewer, reference, "csv")
    except Problem as error:
        return error_page(request, status_of(error))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [r.at.isoformat(), r.username, r.role, r.organisation or "", r.action, r.detail]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="audit-{state.reference}.csv"'},
    )
