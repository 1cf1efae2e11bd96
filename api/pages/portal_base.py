"""What every portal page shares: the signed-in viewer, the case they may see, error pages."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import SessionDep, SettingsDep, visible_case
from api.errors import ApiError
from api.pages.errors import error_page
from api.pages.i18n import negotiate, translations
from api.pages.labels import Gettext
from api.pages.session import page_viewer
from api.pages.templating import render
from core.settings import Settings
from domain.problems import Problem
from services.access import COVENANT_STAFF, Viewer, VisibleCase

STAFF_ROLES = COVENANT_STAFF


def gettext_for(request: Request) -> Gettext:
    """The gettext of the request's language."""
    return translations(negotiate(request)).gettext


def portal_viewer(request: Request, session: SessionDep, settings: SettingsDep) -> Viewer:
    """The signed-in user of the session; otherwise a redirect to the sign-in page."""
    viewer = page_viewer(session=session, settings=settings, request=request)
    if not viewer.signed_in:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        location = f"/login?next={quote(target, safe='')}"
        raise ApiError(303, "sign in first", headers={"Location": location})
    if viewer.enrolling:
        raise ApiError(303, "set up two-factor first", headers={"Location": "/account/two-factor"})
    return viewer


PortalViewerDep = Annotated[Viewer, Depends(portal_viewer)]


def is_staff(viewer: Viewer) -> bool:
    """Whether the viewer works on cases for the mechanism (``services.access.COVENANT_STAFF``)."""
    return viewer.role in STAFF_ROLES


def case_for(reference: str, session: SessionDep, viewer: Viewer) -> VisibleCase | None:
    """The case as this viewer may see it, or None when unknown or not theirs to see."""
    try:
        return visible_case(reference, session, viewer)
    except Problem:
        return None


def message_page(
    request: Request,
    settings: Settings,
    viewer: Viewer,
    *,
    status: int,
    title: str,
    text: str,
) -> HTMLResponse:
    """A short page saying what went wrong (or right), with the given status."""
    return render(
        request,
        settings,
        viewer,
        "portal/message.html",
        {"title": title, "text": text},
        status=status,
    )


def not_found_page(request: Request, settings: Settings, viewer: Viewer) -> HTMLResponse:
    """404: the same page for an unknown case and one the viewer may not see."""
    _ = gettext_for(request)
    return message_page(
        request,
        settings,
        viewer,
        status=404,
        title=_("Not found"),
        text=_("There is no such case, or it is not yours to see."),
    )


def csrf_refused_page(request: Request) -> Response:
    """403 for a form posted without this session's CSRF token (the site's error page)."""
    return error_page(request, 403, "csrf")
