"""``/api/v1/auth``: sign in (password, then the authenticator code where required) and
out; set a password with a one-time link; ask for a reset; change a password; set up
two-factor sign-in."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, EmailStr, Field
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep, SignedInDep, bearer_scheme
from api.schemas import (
    BODY,
    ENROLMENT,
    INVALID,
    SIGNED_IN,
    ErrorOut,
    LoginIn,
    TokenOut,
    responses,
    too_many,
)
from api.throttle import client_address, throttle_of
from core.security import keyed_hash, totp_uri, verify_password
from core.settings import Settings
from domain.enums import Role
from domain.problems import invalid_field
from services import credentials, people
from services.access import Viewer
from services.sign_in import check_sign_in, issue_token
from services.throttling import Throttle
from store import organisations
from store import people as account_store
from store.tables import User

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=INVALID)


@router.post(
    "/token",
    response_model=TokenOut,
    responses=responses(
        {
            401: {
                "model": ErrorOut,
                "description": "invalid username, password or authenticator code; "
                "`mfa_required: true` when the code is missing",
                "headers": ENROLMENT[401]["headers"],
            },
        },
        too_many("too many failed sign-ins for this account or from this address"),
        BODY,
    ),
)
async def sign_in(
    body: LoginIn, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenOut:
    """Check the password (Argon2) and return a new bearer token; failures are throttled
    per account and per address (429 with Retry-After)."""
    address = client_address(request, settings)
    # Argon2 is slow on purpose, and the token is written: keep both off the event loop.
    return await asyncio.to_thread(_sign_in, body, session, settings, throttle_of(request), address)


def _sign_in(
    body: LoginIn, session: Session, settings: Settings, throttle: Throttle, address: str
) -> TokenOut:
    user, enrolling = check_sign_in(
        session=session,
        settings=settings,
        throttle=throttle,
        address=address,
        username=body.username,
        password=body.password,
        code=body.totp,
    )
    token, expires_at = issue_token(
        session=session, settings=settings, user=user, enrolment_only=enrolling
    )
    session.commit()
    organisation = (
        organisations.get_organisation(session=session, organisation_id=user.organisation_id)
        if user.organisation_id
        else None
    )
    return TokenOut(
        access_token=token,
        role=Role(user.role),
        organisation=user.organisation_id,
        organisation_name=organisation.name if organisation else None,
        expires_at=expires_at,
        mfa_enrolment_required=enrolling,
    )


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=ENROLMENT)
def sign_out(
    viewer: SignedInDep,
    session: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Response:
    """Revoke the bearer token: from now on it answers 401."""
    assert bearer is not None  # a signed-in caller came with its token
    token_hash = keyed_hash(settings.secret_key, bearer.credentials)
    account_store.revoke_token(session=session, token_hash=token_hash)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class PasswordIn(BaseModel):
    """A one-time token from an invitation or reset e-mail, and the new password."""

    token: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class ResetIn(BaseModel):
    """The address of the account whose password is forgotten."""

    email: EmailStr


class PasswordChangeIn(BaseModel):
    """A signed-in user's current and new password."""

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class TotpOut(BaseModel):
    """A new authenticator secret, to be confirmed with a code from the app."""

    secret: str
    uri: str = Field(description="otpauth:// address, for a QR code")


class CodeIn(BaseModel):
    code: str = Field(min_length=6, max_length=16, description="the app's six-digit code")


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT, responses=BODY)
async def set_password(body: PasswordIn, session: SessionDep, settings: SettingsDep) -> Response:
    """Set a password with the token of an invitation or reset link; the token works once.
    A weak password answers 422 and leaves the token usable."""

    def run() -> None:
        credentials.set_password(session, settings, token=body.token, password=body.password)
        session.commit()

    await asyncio.to_thread(run)  # Argon2 and zxcvbn are slow on purpose
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED, responses=BODY)
async def ask_reset(
    body: ResetIn, request: Request, session: SessionDep, settings: SettingsDep
) -> dict[str, str]:
    """Mail a one-hour reset link to the active user with this address; the answer is the
    same whether or not the address is known."""
    user = account_store.user_with_email(session=session, email=str(body.email))
    if user is not None and user.active and not (user.is_demo and not settings.demo_accounts):
        link = people.one_time_link(session, settings, user, "reset")
        session.commit()
        mail = people.account_mail(settings, user, "reset", link, inviter="")
        await people.send_account_mail(request.app.state.mailer, mail)
    return {"detail": "if the address belongs to an account, a reset link is on its way"}


@router.post(
    "/password/change",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(SIGNED_IN, BODY),
)
async def change_password(
    body: PasswordChangeIn, viewer: SignedInDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """Change one's own password; every sign-in, this one too, ends."""

    def run() -> None:
        assert viewer.user_id is not None
        user = account_store.get_user(session=session, user_id=viewer.user_id)
        assert user is not None
        if not verify_password(body.current_password, user.password_hash):
            raise invalid_field(("body", "current_password"), "this is not your current password")
        credentials.change_password(session, user, password=body.new_password)
        session.commit()

    await asyncio.to_thread(run)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/totp",
    response_model=TotpOut,
    responses=responses(
        {409: {"model": ErrorOut, "description": "two-factor sign-in is set up already"}},
        ENROLMENT,
    ),
)
def start_totp(viewer: SignedInDep, session: SessionDep, settings: SettingsDep) -> TotpOut:
    """Offer a new authenticator secret; it counts once confirmed with a code."""
    user = _own_user(session, viewer)
    secret = credentials.offer_totp(session, settings, user)
    session.commit()
    return TotpOut(secret=secret, uri=totp_uri(secret, user.username))


@router.post(
    "/totp/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(
        {409: {"model": ErrorOut, "description": "no secret was offered: POST /totp first"}},
        ENROLMENT,
        BODY,
    ),
)
def confirm_totp(
    body: CodeIn,
    viewer: SignedInDep,
    session: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Response:
    """Confirm the offered secret with a code from the app; from now on sign-in asks for a
    code, and this sign-in may do everything its role allows."""
    user = _own_user(session, viewer)
    credentials.confirm_totp(session, settings, user, body.code)
    if bearer is not None:
        account_store.finish_enrolment(
            session=session, token_hash=keyed_hash(settings.secret_key, bearer.credentials)
        )
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _own_user(session: Session, viewer: Viewer) -> User:
    assert viewer.user_id is not None
    user = account_store.get_user(session=session, user_id=viewer.user_id)
    assert user is not None
    return user
