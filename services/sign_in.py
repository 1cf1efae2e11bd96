"""Signing in: Argon2 password check (only here), the second factor (TOTP), bearer tokens
stored as keyed hashes, and the viewer a token stands for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlmodel import Session

from core.security import hash_password, keyed_hash, new_secret, verify_password
from core.settings import Settings
from domain.enums import Role
from domain.problems import NotSignedIn, Problem
from services import two_factor
from services.access import COVENANT_STAFF, Viewer
from services.throttling import SIGN_IN_ACCOUNT, SIGN_IN_ADDRESS, Throttle
from store import people
from store.tables import User

INVALID_LOGIN = "invalid username or password"
CODE_NEEDED = "enter the six-digit code from your authenticator app (field totp)"
INVALID_CODE = "invalid username, password or authenticator code"
# The roles that see complainants' identities sign in with a second factor when it is on.
MFA_ROLES = frozenset({Role.SECRETARIAT, Role.CHAIR, Role.COMMITTEE, Role.MEDIATOR, Role.ADMIN})


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verified against when the user is unknown, so a miss takes as long as a wrong password.
    return hash_password(new_secret())


def authenticate(*, session: Session, settings: Settings, username: str, password: str) -> User:
    """The active user with this username and password; the same ``NotSignedIn`` for every
    failure."""
    user = people.find_user(session=session, username=username)
    password_hash = user.password_hash if user is not None else _dummy_hash()
    matches = verify_password(password, password_hash)
    if user is None or not matches or not user.active:
        raise NotSignedIn(INVALID_LOGIN)
    if user.is_demo and not settings.demo_accounts:
        raise NotSignedIn(INVALID_LOGIN)
    return user


def mfa_required(settings: Settings, user: User) -> bool:
    """Whether this user must sign in with a second factor."""
    return settings.mfa_on and Role(user.role) in MFA_ROLES


def second_factor(*, session: Session, settings: Settings, user: User, code: str | None) -> bool:
    """Check the authenticator code of a user whose password matched (a code works once: a
    used one is refused like a wrong one); whether the token to issue may only set up
    two-factor sign-in (required, but not set up yet)."""
    if user.totp_secret:
        if not code or not code.strip():
            raise NotSignedIn(CODE_NEEDED, mfa_required=True)
        if not two_factor.check_code(session, settings, user, code):
            raise NotSignedIn(INVALID_CODE, mfa_required=True)
        return False
    return mfa_required(settings, user)


def check_sign_in(
    *,
    session: Session,
    settings: Settings,
    throttle: Throttle,
    address: str,
    username: str,
    password: str,
    code: str | None,
) -> tuple[User, bool]:
    """The user signing in, and whether the token may only set up two-factor sign-in.
    Failures count per account and per address (``api.throttle``): past the limits, 429."""
    account = username.strip().lower()
    throttle.refuse_if_spent(SIGN_IN_ACCOUNT, account)
    throttle.refuse_if_spent(SIGN_IN_ADDRESS, address)
    try:
        user = authenticate(
            session=session, settings=settings, username=username, password=password
        )
        return user, second_factor(session=session, settings=settings, user=user, code=code)
    except Problem:
        # A refused sign-in writes nothing; and on SQLite the counters below could not be
        # written while this session holds the write lock of a used code's check.
        session.rollback()
        throttle.count(SIGN_IN_ACCOUNT, account)
        throttle.count(SIGN_IN_ADDRESS, address)
        raise


def issue_token(
    *, session: Session, settings: Settings, user: User, enrolment_only: bool = False
) -> tuple[str, datetime]:
    """A new bearer token for the user and its expiry; only its keyed hash is stored."""
    assert user.id is not None
    token = new_secret()
    now = datetime.now(UTC)
    expires_at = now + timedelta(hours=settings.token_ttl_hours)
    people.add_token(
        session=session,
        token_hash=keyed_hash(settings.secret_key, token),
        user_id=user.id,
        created_at=now,
        expires_at=expires_at,
        enrolment_only=enrolment_only,
    )
    return token, expires_at


def token_viewer(*, session: Session, settings: Settings, token: str) -> Viewer | None:
    """The signed-in user a bearer token stands for, or None when it does not count."""
    found = people.signed_in(
        session=session, token_hash=keyed_hash(settings.secret_key, token), now=datetime.now(UTC)
    )
    if found is None:
        return None
    user, enrolling = found
    if user.id is None or (user.is_demo and not settings.demo_accounts):
        return None
    role = Role(user.role)
    covenants = (
        people.staff_covenants(session=session, user_id=user.id)
        if role in COVENANT_STAFF
        else frozenset[str]()
    )
    return Viewer(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        email=user.email,
        role=role,
        organisation_id=user.organisation_id,
        covenants=covenants,
        enrolling=enrolling,
    )
