"""Checking an authenticator (TOTP) code at sign-in, and the sealing of authenticator
secrets: stored sealed with the server's key and bound to their user (``core.sealing``).
Each code works once: the time step of the last one accepted is recorded. (Offering and
confirming a secret: ``services.credentials``.)"""

from __future__ import annotations

import logging

from sqlmodel import Session

from core.sealing import sealer
from core.security import totp_step
from core.settings import Settings
from store import people as people_store
from store.tables import User

log = logging.getLogger(__name__)


def seal(settings: Settings, user: User, secret: str) -> str:
    """The user's authenticator secret as stored: sealed with the current key."""
    return sealer(settings).seal(secret, _bound_to(user))


def unseal(settings: Settings, user: User, stored: str) -> str:
    """The plain secret of a stored one (sealed, or plain from before sealing)."""
    return sealer(settings).open(stored, _bound_to(user))


def check_code(session: Session, settings: Settings, user: User, code: str) -> bool:
    """Whether the code is the user's authenticator's, of a time step not used before (it
    is used up now). A secret stored in plain text or sealed with an older key is sealed
    again with the current one."""
    assert user.totp_secret is not None
    box = sealer(settings)
    secret = box.open(user.totp_secret, _bound_to(user))
    if not use_code(session, user, secret, code):
        return False
    if not box.is_current(user.totp_secret):
        user.totp_secret = box.seal(secret, _bound_to(user))
        session.add(user)
    return True


def use_code(session: Session, user: User, secret: str, code: str) -> bool:
    """Whether the code is the secret's now (or 30 seconds either side) and of a later time
    step than any code the user had accepted before; if so that step is used up."""
    step = totp_step(secret, code)
    if step is None:
        return False
    assert user.id is not None
    if people_store.use_totp_step(session=session, user_id=user.id, step=step):
        return True
    # Someone may have seen the code (over a shoulder, through a proxy): worth a look.
    log.warning("refused an authenticator code already used, signing in as %s", user.username)
    return False


def _bound_to(user: User) -> str:
    """The associated data of the user's sealed secrets: they open for this user only."""
    assert user.id is not None
    return f"users.totp:{user.id}"
