"""What every portal page shares: the signed-in viewer, the case they may see, error pages."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from api.deps import SessionDep, SettingsDep, visible_case
from api.errors import ApiError
from api.pages.cookies import page_viewer
from api.pages.errors import PageError
from api.pages.i18n import negotiate, translations
from api.pages.labels import Gettext
from api.pages.templating import render
from core.settings import Settings
from domain.enums import Role
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


class PortalViewerOf:
    """Dependency of a page for some roles only: the signed-in viewer if theirs is one of
    ``roles``, else the 404 page; declared before the form, so it answers before the form's
    CSRF token is checked."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)

    def __call__(self, viewer: PortalViewerDep) -> Viewer:
        if viewer.role not in self.roles:
            raise PageError(404)
        return viewer


def is_staff(viewer: Viewer) -> bool:
    """Whether the viewer works on cases for the mechanism (``services.access.COVENANT_STAFF``)."""
    return viewer.role in STAFF_ROLES


def case_for(reference: str, session: SessionDep, viewer: Viewer) -> VisibleCase | None:
    """The case as this viewer may see it, or None when unknown or not theirs to see."""
    try:
        return visible_case(reference, session, viewer)
    except Problem:
        return None


class CaseNotFound(Exception):
    """The page's case is unknown or not the viewer's to see (``CaseRoute`` answers 404)."""

    def __init__(self, viewer: Viewer) -> None:
        super().__init__("no such case")
        self.viewer = viewer


def portal_case(reference: str, session: SessionDep, viewer: PortalViewerDep) -> VisibleCase:
    """The dependency of every portal page on a case: the ``{reference}`` case as the
    signed-in viewer may see it, or the portal's 404 page (on a ``CaseRoute``)."""
    case = case_for(reference, session, viewer)
    if case is None:
        raise CaseNotFound(viewer)
    return case


PortalCaseDep = Annotated[VisibleCase, Depends(portal_case)]


class CaseRoute(APIRoute):
    """The route class of routers whose pages take ``PortalCaseDep``: an unknown case, or
    one the viewer may not see, gets the same 404 page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except CaseNotFound as missing:
                settings = request.app.state.settings
                assert isinstance(settings, Settings)
                return not_found_page(request, settings, missing.viewer)

        return handle


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
