"""A user's own credentials: a password set through a one-time link or changed, and an
authenticator offered and confirmed (its secrets sealed, its codes used once:
``services.two_factor``); each change ends earlier sign-ins where it must and is recorded as
the user's own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from core.security import hash_password, keyed_hash, new_totp_secret, password_problem
from core.settings import Settings
from domain.problems import Conflict, invalid_field
from services import people, two_factor
from store import people as people_store
from store.tables import User

SET_UP_ALREADY = "two-factor sign-in is set up already; the admin can reset it"
ASK_FIRST = "ask for a secret first: POST /api/v1/auth/totp"
WRONG_CODE = "this is not the app's current code"


def set_password(session: Session, settings: Settings, *, token: str, password: str) -> User:
    """Use a one-time token to set the user's password; every earlier sign-in ends.

    422 naming ``body.token`` for an unknown, used or expired token, and ``body.password``
    for a weak one. The caller commits only on success."""
    now = datetime.now(UTC)
    token_hash = keyed_hash(settings.secret_key, token.strip())
    found = people_store.take_account_token(session=session, token_hash=token_hash, now=now)
    if found is None or not found[0].active:
        raise invalid_field(("body", "token"), "this link is unknown, used or expired; ask again")
    user, purpose = found
    # A weak password raises before anything is committed: the link still works.
    _new_password(session, user, password, "password", "password_set", {"by": purpose})
    return user


def change_password(session: Session, user: User, *, password: str) -> None:
    """A signed-in user's new password (the caller checked the current one)."""
    _new_password(session, user, password, "new_password", "password_changed", {})


def _new_password(
    session: Session, user: User, password: str, field: str, action: str, detail: dict[str, Any]
) -> None:
    """Check the password policy (422 naming ``field``), store its hash, end every sign-in,
    and record the change as the user's own."""
    problem = password_problem(password, [user.username, user.email or "", "redress"])
    if problem is not None:
        raise invalid_field(("body", field), problem)
    user.password_hash = hash_password(password)
    session.add(user)
    assert user.id is not None
    people_store.revoke_user_tokens(session=session, user_id=user.id)
    by = people.Changer(user.username, user.role, user.display_name)
    people.record(session, by, action, user.username, detail)


def offer_totp(session: Session, settings: Settings, user: User) -> str:
    """A new authenticator secret offered to the user, stored sealed until it is confirmed;
    the plain secret, to show once. 409 when two-factor sign-in is set up already."""
    if user.totp_secret is not None:
        raise Conflict(SET_UP_ALREADY)
    secret = new_totp_secret()
    user.totp_pending = two_factor.seal(settings, user, secret)
    session.add(user)
    return secret


def offered_totp(settings: Settings, user: User) -> str | None:
    """The plain secret on offer (to show again beside a wrong code), or None."""
    if user.totp_pending is None:
        return None
    return two_factor.unseal(settings, user, user.totp_pending)


def confirm_totp(session: Session, settings: Settings, user: User, code: str) -> None:
    """Confirm the offered secret with a code from the app: it becomes the user's, and the
    code is used up. 409 without an offer; 422 naming ``body.code`` for a wrong or used
    code."""
    secret = offered_totp(settings, user)
    if secret is None:
        raise Conflict(ASK_FIRST)
    if not two_factor.use_code(session, user, secret, code):
        raise invalid_field(("body", "code"), WRONG_CODE)
    user.totp_secret, user.totp_pending = two_factor.seal(settings, user, secret), None
    session.add(user)
    by = people.Changer(user.username, user.role, user.display_name)
    people.record(session, by, "two_factor_set_up", user.username, {})
