"""``/api/v1/auth``: exchange a username and password for a bearer token; revoke it."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from fastapi.security import HTTPAuthorizationCredentials
from sqlmodel import Session

from api.auth import authenticate, issue_token
from api.deps import SessionDep, SettingsDep, SignedInDep, bearer_scheme
from api.schemas import INVALID, ErrorOut, LoginIn, TokenOut
from domain.enums import Role
from redress.security import keyed_hash
from redress.settings import Settings
from store import auth_queries, queries

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


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={401: {"model": ErrorOut, "description": "not signed in"}},
)
def sign_out(
    viewer: SignedInDep,
    session: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Response:
    """Revoke the bearer token: from now on it answers 401."""
    assert bearer is not None  # a signed-in caller came with its token
    token_hash = keyed_hash(settings.secret_key, bearer.credentials)
    auth_queries.revoke_token(session=session, token_hash=token_hash)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
