"""Signing in: Argon2 password check (only here), bearer tokens stored as keyed hashes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlmodel import Session

from api.errors import ApiError
from redress.security import hash_password, keyed_hash, new_secret, verify_password
from redress.settings import Settings
from store import auth_queries, queries
from store.tables import User

INVALID_LOGIN = "invalid username or password"


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verified against when the user is unknown, so a miss takes as long as a wrong password.
    return hash_password(new_secret())


def authenticate(*, session: Session, settings: Settings, username: str, password: str) -> User:
    """The active user with this username and password; the same 401 for every failure."""
    user = queries.find_user(session=session, username=username)
    password_hash = user.password_hash if user is not None else _dummy_hash()
    matches = verify_password(password, password_hash)
    if user is None or not matches or not user.active:
        raise ApiError(401, INVALID_LOGIN, headers={"WWW-Authenticate": "Bearer"})
    if user.is_demo and not settings.demo_accounts:
        raise ApiError(401, INVALID_LOGIN, headers={"WWW-Authenticate": "Bearer"})
    return user


def issue_token(*, session: Session, settings: Settings, user: User) -> tuple[str, datetime]:
    """A new bearer token for the user and its expiry; only its keyed hash is stored."""
    assert user.id is not None
    token = new_secret()
    now = datetime.now(UTC)
    expires_at = now + timedelta(hours=settings.token_ttl_hours)
    auth_queries.add_token(
        session=session,
        token_hash=keyed_hash(settings.secret_key, token),
        user_id=user.id,
        created_at=now,
        expires_at=expires_at,
    )
    return token, expires_at
