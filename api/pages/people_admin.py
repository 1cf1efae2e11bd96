"""The admin pages of people: invite, change, disable. Each form goes through the same
services as the API's routes, so both answer alike."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from api.deps import SessionDep, SettingsDep
from api.errors import status_of
from api.pages import forms
from api.pages.errors import error_page
from api.pages.portal_base import PortalViewerDep, PortalViewerOf
from api.pages.templating import render
from domain.enums import Role
from domain.problems import Problem
from services import users as user_service
from services.access import Viewer
from services.users import UserIn, UserPatch, user_out
from store import covenants as covenant_store
from store import organisations
from store import people as account_store

router = APIRouter()
# The viewer of a form that only they post (anyone else: 404, before the form is read).
AdminDep = Annotated[Viewer, Depends(PortalViewerOf(Role.ADMIN))]


def _users_context(session: SessionDep, request: Request) -> dict[str, Any]:
    rows, total = account_store.list_users(session=session, q=request.query_params.get("q"))
    return {
        "users": [user_out(session, u) for u in rows],
        "total": total,
        "roles": [r.value for r in Role],
        "organisations": organisations.list_organisations(session=session, limit=1000)[0],
        "covenants": covenant_store.list_covenants(session=session),
        "q": request.query_params.get("q") or "",
        "form": {},
        "problem": None,
        "done": request.query_params.get("done"),
    }


@router.get("/users", response_model=None)
def users_page(
    request: Request, viewer: PortalViewerDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """Everyone who signs in, and the form to invite a person."""
    if viewer.role is not Role.ADMIN:
        return error_page(request, 404)
    context = _users_context(session, request)
    return render(request, settings, viewer, "portal/users.html", context)


def _user_body(form: FormData, *, new: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": forms.optional(form, "name"),
        "role": forms.text(form, "role"),
        "organisation": forms.optional(form, "organisation"),
        "language": forms.text(form, "language") or "en",
        "covenants": [str(c) for c in form.getlist("covenants")] or None,
    }
    if new:
        body.update(username=forms.text(form, "username"), email=forms.text(form, "email"))
    return body


@router.post("/users", response_model=None)
async def invite_user(
    request: Request,
    viewer: AdminDep,
    session: SessionDep,
    settings: SettingsDep,
    form: forms.CheckedForm,
) -> Response:
    """Invite a person; the form comes back with the problem when something is wrong."""
    body = _user_body(form, new=True)
    try:
        made = await user_service.invite_user(
            session, settings, request.app.state.mailer, viewer, UserIn.model_validate(body)
        )
    except (Problem, ValidationError) as error:
        session.rollback()
        context = {
            **_users_context(session, request),
            "form": body,
            "problem": forms.problem_text(error, request),
        }
        return render(request, settings, viewer, "portal/users.html", context, status=422)
    done = "invited" if made.invitation_sent else "not_sent"
    return RedirectResponse(f"/portal/users/{made.username}?done={done}", status_code=303)


def _user_page(
    request: Request,
    viewer: Viewer,
    session: SessionDep,
    settings: SettingsDep,
    username: str,
    problem: str | None = None,
) -> Response:
    user = account_store.find_user(session=session, username=username)
    if user is None:
        return error_page(request, 404)
    context = {
        "user": user_out(session, user),
        "roles": [r.value for r in Role],
        "organisations": organisations.list_organisations(session=session, limit=1000)[0],
        "covenants": covenant_store.list_covenants(session=session),
        "problem": problem,
        "done": request.query_params.get("done"),
    }
    return render(
        request, settings, viewer, "portal/user.html", context, status=422 if problem else 200
    )


@router.get("/users/{username}", response_model=None)
def user_page(
    username: str,
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """One user: change role, organisation, covenants; disable; invite again."""
    if viewer.role is not Role.ADMIN:
        return error_page(request, 404)
    return _user_page(request, viewer, session, settings, username)


@router.post("/users/{username}", response_model=None)
async def change_user(
    username: str,
    request: Request,
    viewer: AdminDep,
    session: SessionDep,
    settings: SettingsDep,
    form: forms.CheckedForm,
) -> Response:
    """Apply one of the user forms (``do``: change, disable, enable, reset_two_factor, invite)."""
    do = forms.text(form, "do")
    body: dict[str, Any] = {
        "change": _user_body(form, new=False),
        "disable": {"active": False},
        "enable": {"active": True},
        "reset_two_factor": {"reset_two_factor": True},
    }.get(do, {})
    try:
        if do == "invite":
            mailer = request.app.state.mailer
            await user_service.invite_again(session, settings, mailer, viewer, username)
        elif body:
            if body.get("covenants") is None and do == "change":
                body["covenants"] = []
            patch = UserPatch.model_validate(body)
            user_service.change_user(session, viewer, username, patch)
        else:
            return error_page(request, 400)
    except (Problem, ValidationError) as error:
        if isinstance(error, Problem) and status_of(error) == 404:
            return error_page(request, 404)
        session.rollback()
        return _user_page(
            request, viewer, session, settings, username, forms.problem_text(error, request)
        )
    return RedirectResponse(f"/portal/users/{username}?done={do}", status_code=303)
