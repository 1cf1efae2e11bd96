"""``/account``: choosing a password from an e-mailed link, asking for a reset, changing a
password, and setting up two-factor sign-in (the same rules as ``/api/v1/auth``)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote

import segno
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import SessionDep, SettingsDep
from api.errors import ApiError
from api.pages import forms
from api.pages.cookies import SESSION_COOKIE, PageViewerDep
from api.pages.portal_base import gettext_for, message_page
from api.pages.templating import render
from core.security import keyed_hash, totp_uri, verify_password
from core.settings import Settings
from domain.problems import Problem
from services import credentials, people
from services.access import Viewer
from store import people as account_store
from store.tables import User

router = APIRouter(prefix="/account", include_in_schema=False)
LOGIN_AGAIN = "/login?done=password"


def _field(error: Problem) -> str:
    """The body field an ``api.errors.field_error`` names."""
    errors = error.extra.get("errors") or [{}]
    loc = errors[0].get("loc") or ["", ""]
    return str(loc[-1])


@router.get("/password", response_class=HTMLResponse)
def password_form(
    request: Request, settings: SettingsDep, viewer: PageViewerDep, token: str = ""
) -> HTMLResponse:
    """Choose a password with the token of an invitation or reset link."""
    context = {"token": token[:200], "error": None}
    return render(request, settings, viewer, "portal/set_password.html", context)


@router.post("/password", response_class=HTMLResponse)
async def set_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    form: forms.CheckedForm,
) -> Response:
    """Set the password; a weak one, a mismatch or a used link says so next to the field."""
    token = forms.text(form, "token")[:200]
    password = str(form.get("password") or "")
    if password != str(form.get("confirm") or ""):
        context = {"token": token, "error": "mismatch"}
        return render(request, settings, viewer, "portal/set_password.html", context, status=422)

    def run() -> None:
        credentials.set_password(session, settings, token=token, password=password)
        session.commit()

    try:
        await asyncio.to_thread(run)
    except Problem as error:
        context = {"token": token, "error": _field(error)}
        return render(request, settings, viewer, "portal/set_password.html", context, status=422)
    return RedirectResponse(LOGIN_AGAIN, status_code=303)


@router.get("/reset", response_class=HTMLResponse)
def reset_form(request: Request, settings: SettingsDep, viewer: PageViewerDep) -> HTMLResponse:
    """Ask for a link to choose a new password."""
    return render(request, settings, viewer, "portal/reset.html", {"sent": False})


@router.post("/reset", response_class=HTMLResponse)
async def ask_reset(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    form: forms.CheckedForm,
) -> HTMLResponse:
    """The same answer whether or not the address belongs to an account."""
    email = forms.text(form, "email")[:254]
    user = account_store.user_with_email(session=session, email=email) if "@" in email else None
    if user is not None and user.active and not (user.is_demo and not settings.demo_accounts):
        link = people.one_time_link(session, settings, user, "reset")
        session.commit()
        mail = people.account_mail(settings, user, "reset", link, inviter="")
        await people.send_account_mail(request.app.state.mailer, mail)
    return render(request, settings, viewer, "portal/reset.html", {"sent": True})


def account_user(request: Request, session: SessionDep, viewer: PageViewerDep) -> User:
    """The signed-in user of the account pages; otherwise to the sign-in page and back."""
    user = (
        account_store.get_user(session=session, user_id=viewer.user_id) if viewer.user_id else None
    )
    if user is None:
        location = f"/login?next={quote(request.url.path, safe='')}"
        raise ApiError(303, "sign in first", headers={"Location": location})
    return user


AccountUserDep = Annotated[User, Depends(account_user)]


def _account_page(
    request: Request, settings: Settings, viewer: Viewer, user: User, **extra: Any
) -> HTMLResponse:
    context = {"user": user, "error": None, "done": request.query_params.get("done"), **extra}
    return render(request, settings, viewer, "portal/account.html", context, status=200)


@router.get("", response_model=None)
def account_page(
    request: Request,
    settings: SettingsDep,
    viewer: PageViewerDep,
    user: AccountUserDep,
) -> Response:
    """One's own account: change the password; whether two-factor sign-in is set up."""
    return _account_page(request, settings, viewer, user)


@router.post("/password-change", response_model=None)
async def change_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    user: AccountUserDep,
    form: forms.CheckedForm,
) -> Response:
    """Check the current password, set the new one; every sign-in ends, so sign in again."""
    current = str(form.get("current_password") or "")
    new = str(form.get("new_password") or "")

    def run() -> str | None:
        if not verify_password(current, user.password_hash):
            return "current_password"
        if new != str(form.get("confirm") or ""):
            return "mismatch"
        try:
            credentials.change_password(session, user, password=new)
        except Problem:
            return "password"
        session.commit()
        return None

    error = await asyncio.to_thread(run)
    if error is not None:
        response = _account_page(request, settings, viewer, user, error=error)
        response.status_code = 422
        return response
    redirect = RedirectResponse(LOGIN_AGAIN, status_code=303)
    redirect.delete_cookie(SESSION_COOKIE, path="/")
    return redirect


@router.get("/two-factor", response_model=None)
def two_factor_form(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    user: AccountUserDep,
) -> Response:
    """A new secret as a QR code and as text, and a field for the app's first code."""
    if user.totp_secret is not None:
        return RedirectResponse("/account", status_code=303)
    secret = credentials.offer_totp(session, settings, user)
    session.commit()
    return _two_factor_page(request, settings, viewer, user, secret, error=False)


def _two_factor_page(
    request: Request, settings: Settings, viewer: Viewer, user: User, secret: str, *, error: bool
) -> HTMLResponse:
    uri = totp_uri(secret, user.username)
    qr = segno.make(uri, error="m").svg_inline(scale=5, title="QR")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    context = {"qr": qr, "secret": grouped, "error": error}
    return render(
        request, settings, viewer, "portal/two_factor.html", context, status=422 if error else 200
    )


@router.post("/two-factor", response_model=None)
async def confirm_two_factor(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    user: AccountUserDep,
    form: forms.CheckedForm,
) -> Response:
    """Confirm with a code: two-factor sign-in is on, and this sign-in may do everything."""
    secret = credentials.offered_totp(settings, user)
    if secret is None:
        return RedirectResponse("/account", status_code=303)
    try:
        credentials.confirm_totp(session, settings, user, forms.text(form, "code"))
    except Problem:  # a wrong or used code: the same secret, and the field says so
        return _two_factor_page(request, settings, viewer, user, secret, error=True)
    token = request.cookies.get(SESSION_COOKIE) or ""
    account_store.finish_enrolment(
        session=session, token_hash=keyed_hash(settings.secret_key, token)
    )
    session.commit()
    _ = gettext_for(request)
    return message_page(
        request,
        settings,
        viewer,
        status=200,
        title=_("Two-factor sign-in is set up"),
        text=_("From now on, sign in with your password and a code from your authenticator app."),
    )
