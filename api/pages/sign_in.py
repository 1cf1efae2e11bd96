"""Signing in and out of the pages: the API's password check, a session cookie."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import SessionDep, SettingsDep
from api.errors import status_of
from api.pages import forms
from api.pages.cookies import PageViewerDep, end_session, start_session
from api.pages.templating import render
from api.throttle import client_address, throttle_of
from domain.problems import Problem
from services.sign_in import CODE_NEEDED, check_sign_in

router = APIRouter(include_in_schema=False)

AFTER_LOGIN = "/portal"


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only, never another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return AFTER_LOGIN
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request, settings: SettingsDep, viewer: PageViewerDep, next: str | None = None
) -> HTMLResponse:
    """The sign-in form for staff, companies and unions."""
    context = {
        "next": safe_next(next),
        "username": "",
        "failed": None,
        "done": request.query_params.get("done"),
    }
    return render(request, settings, viewer, "public/login.html", context)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    form: forms.CheckedForm,
) -> Response:
    """Check the password; one message for every failure."""
    username = forms.text(form, "username")[:64]
    password = form.get("password")
    target = safe_next(forms.text(form, "next"))
    try:
        user, enrolling = await asyncio.to_thread(
            check_sign_in,
            session=session,
            settings=settings,
            throttle=throttle_of(request),
            address=client_address(request, settings),
            username=username,
            password=password if isinstance(password, str) else "",
            code=forms.text(form, "totp"),
        )
    except Problem as error:
        if status_of(error) == 429:
            raise  # the error page says to wait, with Retry-After
        failed = "code" if error.message == CODE_NEEDED else "password"
        context = {"next": target, "username": username, "failed": failed, "done": None}
        return render(request, settings, viewer, "public/login.html", context, status=401)
    redirect = RedirectResponse("/account/two-factor" if enrolling else target, status_code=303)
    start_session(
        session=session,
        settings=settings,
        user=user,
        request=request,
        response=redirect,
        enrolment_only=enrolling,
    )
    return redirect


@router.post("/logout")
async def logout(
    request: Request, session: SessionDep, settings: SettingsDep, form: forms.CheckedForm
) -> Response:
    """Sign out: the session's token is revoked and its cookie removed."""
    redirect = RedirectResponse("/", status_code=303)
    end_session(session=session, settings=settings, request=request, response=redirect)
    return redirect
