"""The covenants page for staff: parties, deciding body and the procedure of each version."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import SessionDep, SettingsDep
from api.pages import labels
from api.pages.errors import error_page
from api.pages.portal_base import PortalViewerDep, gettext_for, is_staff
from api.pages.templating import render
from domain.enums import Role
from store import covenants, organisations

router = APIRouter()


@router.get("/covenants", response_model=None)
def covenants_page(
    request: Request, viewer: PortalViewerDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """Every covenant with its parties, mechanism and current procedure (same data as the API)."""
    if not (is_staff(viewer) or viewer.role is Role.ADMIN):
        return error_page(request, 404)
    gettext = gettext_for(request)
    items = [
        {
            "covenant": c,
            "versions": covenants.covenant_version_numbers(session=session, slug=c.slug),
            "parties": organisations.covenant_parties(session=session, covenant=c.slug),
            "deadlines": [
                (
                    labels.word(labels.DEADLINES, name, gettext),
                    duration,
                    c.procedure.urgent_deadlines.get(name),
                )
                for name, duration in c.procedure.deadlines.items()
            ],
        }
        for c in covenants.list_covenants(session=session)
    ]
    return render(request, settings, viewer, "portal/covenants.html", {"items": items})
