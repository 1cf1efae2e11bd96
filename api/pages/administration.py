"""The admin pages of organisations with their contacts and covenants (also for the
secretariat), and the record of administrative changes (people: ``people_admin``). Each form
goes through the same services as the API's routes, so both answer alike."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from api.deps import SessionDep, SettingsDep
from api.errors import status_of
from api.pages import forms
from api.pages.errors import error_page
from api.pages.portal_base import PortalViewerDep, PortalViewerOf
from api.pages.templating import render
from domain.enums import Role
from domain.problems import Problem
from services import organisations as organisation_service
from services.access import Viewer
from services.organisations import KINDS, OrganisationIn, OrganisationPatch, organisation_out
from store import covenants as covenant_store
from store import organisations
from store import people as account_store

router = APIRouter()
ORGANISERS = (Role.ADMIN, Role.SECRETARIAT)
# The viewer of a form that only they post (anyone else: 404, before the form is read).
AdminDep = Annotated[Viewer, Depends(PortalViewerOf(Role.ADMIN))]
OrganiserDep = Annotated[Viewer, Depends(PortalViewerOf(*ORGANISERS))]


def _contacts(text: str) -> list[dict[str, str]]:
    """Contacts from lines of "address language" (the language defaults to English)."""
    found = []
    for line in text.splitlines():
        parts = line.replace(",", " ").split()
        if parts:
            found.append({"email": parts[0], "language": parts[1] if len(parts) > 1 else "en"})
    return found


def _organiser(viewer: Viewer) -> bool:
    return viewer.role in ORGANISERS


def _organisations_context(session: SessionDep, request: Request) -> dict[str, Any]:
    q = request.query_params.get("q")
    rows, total = organisations.list_organisations(session=session, q=q)
    return {
        "organisations": rows,
        "total": total,
        "kinds": KINDS,
        "q": q or "",
        "form": {},
        "problem": None,
    }


@router.get("/organisations", response_model=None)
def organisations_page(
    request: Request, viewer: PortalViewerDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """Organisations (companies, unions, NGOs …) and the form to add one."""
    if not _organiser(viewer):
        return error_page(request, 404)
    context = _organisations_context(session, request)
    return render(request, settings, viewer, "portal/organisations.html", context)


@router.post("/organisations", response_model=None)
async def add_organisation(
    request: Request,
    viewer: OrganiserDep,
    session: SessionDep,
    settings: SettingsDep,
    form: forms.CheckedForm,
) -> Response:
    """Add an organisation with its contacts."""
    body = {
        "name": forms.text(form, "name"),
        "kind": forms.text(form, "kind"),
        "country": forms.optional(form, "country"),
        "contacts": _contacts(forms.text(form, "contacts")),
    }
    try:
        made = organisation_service.create_organisation(
            session, viewer, OrganisationIn.model_validate(body)
        )
    except (Problem, ValidationError) as error:
        session.rollback()
        shown = {**body, "contacts": forms.text(form, "contacts")}
        context = {
            **_organisations_context(session, request),
            "form": shown,
            "problem": forms.problem_text(error, request),
        }
        return render(request, settings, viewer, "portal/organisations.html", context, status=422)
    return RedirectResponse(f"/portal/organisations/{made.id}?done=created", status_code=303)


def _organisation_page(
    request: Request,
    viewer: Viewer,
    session: SessionDep,
    settings: SettingsDep,
    id: str,
    problem: str | None = None,
) -> Response:
    organisation = organisations.get_organisation(session=session, organisation_id=id)
    if organisation is None:
        return error_page(request, 404)
    covenants = covenant_store.list_covenants(session=session)
    context = {
        "organisation": organisation_out(session, organisation),
        "contacts_text": "\n".join(
            f"{c.email} {c.language}"
            for c in organisations.organisation_contacts(session=session, organisation_id=id)
        ),
        "covenants": covenants,
        "party_of": [
            c
            for c in covenants
            if organisations.is_covenant_party(session=session, covenant=c.slug, organisation_id=id)
        ],
        "users": account_store.list_users(session=session, organisation_id=id)[0],
        "problem": problem,
        "done": request.query_params.get("done"),
    }
    return render(
        request,
        settings,
        viewer,
        "portal/organisation.html",
        context,
        status=422 if problem else 200,
    )


@router.get("/organisations/{id}", response_model=None)
def organisation_page(
    id: str, request: Request, viewer: PortalViewerDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """One organisation: its name, country, contacts, covenants and users."""
    if not _organiser(viewer):
        return error_page(request, 404)
    return _organisation_page(request, viewer, session, settings, id)


@router.post("/organisations/{id}", response_model=None)
async def change_organisation(
    id: str,
    request: Request,
    viewer: OrganiserDep,
    session: SessionDep,
    settings: SettingsDep,
    form: forms.CheckedForm,
) -> Response:
    """Change the organisation (``do=change``) or make it a covenant party (``do=party``)."""
    do = forms.text(form, "do")
    try:
        if do == "party":
            covenant = forms.text(form, "covenant")
            organisation_service.add_covenant_party(session, viewer, covenant, id)
        elif do == "change":
            body = {
                "name": forms.text(form, "name"),
                "country": forms.optional(form, "country"),
                "contacts": _contacts(forms.text(form, "contacts")),
            }
            patch = OrganisationPatch.model_validate(body)
            organisation_service.change_organisation(session, viewer, id, patch)
        else:
            return error_page(request, 400)
    except (Problem, ValidationError) as error:
        if isinstance(error, Problem) and status_of(error) in (403, 404):
            return error_page(request, status_of(error))
        session.rollback()
        return _organisation_page(
            request, viewer, session, settings, id, forms.problem_text(error, request)
        )
    return RedirectResponse(f"/portal/organisations/{id}?done={do}", status_code=303)


@router.get("/changes", response_model=None)
def changes_page(
    request: Request, viewer: PortalViewerDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """Every administrative change, newest first: who, when, what."""
    if viewer.role is not Role.ADMIN:
        return error_page(request, 404)
    items = [
        {"change": c, "detail": json.loads(c.detail)}
        for c in organisations.changes(session=session)
    ]
    return render(request, settings, viewer, "portal/changes.html", {"items": items})
