"""``POST /api/v1/auth/token``: exchange a username and password for a bearer token."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from sqlmodel import Session

from api.auth import authenticate, issue_token
from api.deps import SessionDep, SettingsDep
from api.schemas import INVALID, ErrorOut, LoginIn, TokenOut
from domain.enums import Role
from redress.settings import Settings
from store import queries

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=INVALID)


@router.post(
    "/token",
    response_model=TokenOut,
    responses={
        401: {"model": ErrorOut, "description": "invalid username or password"},
    },
)
async def sign_in(body: LoginIn, session: SessionDep, settings: SettingsDep) -> TokenOut:
    """Check the password (Argon2) and return a new bearer token."""
    # Argon2 is slow on purpose, and the token is written: keep both off the event loop.
    return await asyncio.to_thread(_sign_in, body, session, settings)


def _sign_in(body: LoginIn, session: Session, settings: Settings) -> TokenOut:
    user = authenticate(
        session=session, settings=settings, username=body.username, password=body.password
    )
    token, expires_at = issue_token(session=session, settings=settings, user=user)
    session.commit()
    organisation = (
        queries.get_organisation(session=session, organisation_id=user.organisation_id)
        if user.organisation_id
        else None
    )
    return TokenOut(
        access_token=token,
        role=Role(user.role),
        organisation=user.organisation_id,
        organisation_name=organisation.name if organisation else None,
        expires_at=expires_at,
    )
