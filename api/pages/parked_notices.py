"""The secretariat's page of notices that could not be sent: see them, send them again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from api.deps import ClientDep, SessionDep, SettingsDep
from api.errors import status_of
from api.pages import forms
from api.pages.errors import error_page
from api.pages.portal_base import PortalViewerDep, PortalViewerOf
from api.pages.templating import render
from domain.enums import Role
from domain.problems import Problem
from services.access import Viewer
from services.parked_notices import resend_parked
from store import outbox

router = APIRouter()
KEEPERS = (Role.SECRETARIAT, Role.CHAIR)


@router.get("/notices", response_model=None)
def parked_notices_page(
    request: Request, viewer: PortalViewerDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """Notices given up on after their retries, and addresses the mail server refused."""
    if viewer.role not in KEEPERS:
        return error_page(request, 404)
    context = {
        "parked": outbox.parked_notices(session=session),
        "refused": outbox.refused_mails(session=session),
        "resent": request.query_params.get("resent"),
    }
    return render(request, settings, viewer, "portal/notices.html", context)


@router.post("/notices/retry", response_model=None)
async def resend_notice(
    request: Request,
    viewer: Annotated[Viewer, Depends(PortalViewerOf(*KEEPERS))],
    session: SessionDep,
    settings: SettingsDep,
    client: ClientDep,
    form: forms.CheckedForm,
) -> Response:
    """Send a parked notice again; back to the list, which no longer shows it."""
    key = str(form.get("key") or "")
    try:
        await resend_parked(
            session=session,
            client=client,
            task_queue=settings.task_queue,
            key=key,
            by=viewer.username or "",
        )
    except Problem as error:
        return error_page(request, status_of(error))
    return RedirectResponse("/portal/notices?resent=1", status_code=303)
