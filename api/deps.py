"""Annotated dependencies: settings, database session, Temporal client, the caller, the case."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlmodel import Session
from temporalio.client import Client

from api.errors import ApiError
from api.throttle import client_address, throttle_of
from core.settings import Settings
from core.temporal_client import connect
from domain.problems import NotPermitted, NotSignedIn, Unavailable
from services.access import ANONYMOUS, Viewer, VisibleCase, case_for, code_viewer
from services.engine import CONNECT_TIMEOUT, ENGINE_DOWN
from services.sign_in import token_viewer
from services.throttling import CODE_ADDRESS, CODE_CASE

log = logging.getLogger("redress.api")

bearer_scheme = HTTPBearer(
    scheme_name="bearerToken",
    auto_error=False,
    description="A token from POST /api/v1/auth/token",
)
access_code_scheme = APIKeyHeader(
    name="X-Access-Code",
    scheme_name="accessCode",
    auto_error=False,
    description="A complainant's access code for the case in the path",
)


def get_settings(request: Request) -> Settings:
    """The application's settings."""
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


def get_engine(request: Request) -> Engine:
    """The read model's engine, created at startup."""
    engine = request.app.state.engine
    assert isinstance(engine, Engine)
    return engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """A session for one request; routes commit what they write."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


async def get_client(request: Request) -> Client:
    """The Temporal client; connects on first use if Temporal was down at startup."""
    state = request.app.state
    if state.temporal is None:
        async with state.temporal_lock:
            if state.temporal is None:
                try:
                    state.temporal = await asyncio.wait_for(
                        connect(state.settings), CONNECT_TIMEOUT
                    )
                except Exception as exc:
                    log.warning("Temporal is unreachable: %s", type(exc).__name__)
                    raise Unavailable(ENGINE_DOWN) from None
    client = state.temporal
    assert isinstance(client, Client)
    return client


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
ClientDep = Annotated[Client, Depends(get_client)]


# What a sign-in that must first set up two-factor sign-in may reach.
ENROLMENT_PATHS = frozenset(
    {"/api/v1/auth/totp", "/api/v1/auth/totp/confirm", "/api/v1/auth/logout"}
)


def _user_viewer(request: Request, session: Session, settings: Settings, token: str) -> Viewer:
    viewer = token_viewer(session=session, settings=settings, token=token)
    if viewer is None:
        raise ApiError(
            401,
            "invalid or expired token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    if viewer.enrolling and request.url.path not in ENROLMENT_PATHS:
        raise NotPermitted(
            "set up two-factor sign-in first: POST /api/v1/auth/totp, then "
            "POST /api/v1/auth/totp/confirm with a code from your authenticator app",
        )
    return viewer


def guessed_code(
    request: Request, session: Session, settings: Settings, reference: str, code: str
) -> Viewer:
    """``code_viewer``, with wrong codes counted per case and per address: past the limits
    (``api.throttle``) 429, before the code is even compared."""
    throttle, address = throttle_of(request), client_address(request, settings)
    throttle.refuse_if_spent(CODE_CASE, reference)
    throttle.refuse_if_spent(CODE_ADDRESS, address)
    holder = code_viewer(session, settings, reference, code)
    if holder.code_for is None:
        throttle.count(CODE_CASE, reference)
        throttle.count(CODE_ADDRESS, address)
    return holder


def get_viewer(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    access_code: Annotated[str | None, Depends(access_code_scheme)],
) -> Viewer:
    """The caller: a bearer token's user, the holder of the case's access code, or anonymous."""
    if bearer is not None:
        return _user_viewer(request, session, settings, bearer.credentials)
    reference = request.path_params.get("reference")
    if access_code and isinstance(reference, str):
        return guessed_code(request, session, settings, reference, access_code.strip())
    return ANONYMOUS


ViewerDep = Annotated[Viewer, Depends(get_viewer)]


def signed_in_viewer(viewer: ViewerDep) -> Viewer:
    """The caller, who must have signed in (401 otherwise)."""
    if not viewer.signed_in:
        raise NotSignedIn("sign in first")  # WWW-Authenticate: Bearer, from api.errors
    return viewer


SignedInDep = Annotated[Viewer, Depends(signed_in_viewer)]


def visible_case(reference: str, session: SessionDep, viewer: ViewerDep) -> VisibleCase:
    """The case in the path from the read model; 404 when unknown or not the caller's to see."""
    return case_for(session=session, reference=reference, viewer=viewer)


VisibleCaseDep = Annotated[VisibleCase, Depends(visible_case)]


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="a key of the caller's choosing: a retry with the same key and body "
        "takes effect once and answers as the first call did; another body answers 422",
    ),
]
