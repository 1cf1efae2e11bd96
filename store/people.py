"""People: users, the covenants staff work on, API and one-time tokens, purging (keyword-only)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, func, or_, true, update
from sqlmodel import Session, col, select

from domain.enums import Role
from store.listing import contains_text
from store.tables import AccountToken, ApiToken, IdempotencyKey, StaffCovenant, User


def list_users(
    *,
    session: Session,
    q: str | None = None,
    role: str | None = None,
    organisation_id: str | None = None,
    limit: int = 200,
) -> tuple[list[User], int]:
    """Users by username, filtered by a text in username, name or e-mail, role and
    organisation; and their total."""
    statement = select(User)
    if q and q.strip():
        columns = [col(User.username), col(User.display_name), col(User.email)]
        statement = statement.where(contains_text(columns, q))
    if role:
        statement = statement.where(col(User.role) == role)
    if organisation_id:
        statement = statement.where(col(User.organisation_id) == organisation_id)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(statement.order_by(col(User.username)).limit(limit)).all()
    return list(rows), int(total)


def user_with_email(*, session: Session, email: str) -> User | None:
    """The user with this e-mail address, whatever its case."""
    wanted = email.strip().lower()
    statement = select(User).where(func.lower(col(User.email)) == wanted)
    return session.exec(statement).first()


def staff_covenants(*, session: Session, user_id: int) -> frozenset[str]:
    """The covenants whose cases this member of staff works on."""
    statement = select(StaffCovenant.covenant).where(col(StaffCovenant.user_id) == user_id)
    return frozenset(session.exec(statement).all())


def set_staff_covenants(*, session: Session, user_id: int, covenants: Collection[str]) -> None:
    """Replace the covenants this member of staff works on."""
    session.execute(delete(StaffCovenant).where(col(StaffCovenant.user_id) == user_id))
    for covenant in sorted(set(covenants)):
        session.add(StaffCovenant(user_id=user_id, covenant=covenant))
    session.flush()


def signed_in(*, session: Session, token_hash: str, now: datetime) -> tuple[User, bool] | None:
    """The active user owning this unexpired bearer token, and whether the token may only
    be used to set up two-factor sign-in; None for an unknown, expired or disabled one."""
    statement = (
        select(User, ApiToken.enrolment_only)
        .join(ApiToken, col(ApiToken.user_id) == User.id)
        .where(
            col(ApiToken.token_hash) == token_hash,
            col(ApiToken.expires_at) > now,
            col(User.active),
        )
    )
    found = session.exec(statement).first()
    return (found[0], bool(found[1])) if found is not None else None


def finish_enrolment(*, session: Session, token_hash: str) -> None:
    """The bearer token becomes a full one: its user has set up two-factor sign-in."""
    session.execute(
        update(ApiToken).where(col(ApiToken.token_hash) == token_hash).values(enrolment_only=False)
    )


def revoke_user_tokens(*, session: Session, user_id: int) -> None:
    """Every bearer token of the user stops working (disabled, or a new password)."""
    session.execute(delete(ApiToken).where(col(ApiToken.user_id) == user_id))


def add_account_token(
    *,
    session: Session,
    token_hash: str,
    user_id: int,
    purpose: str,
    created_at: datetime,
    expires_at: datetime,
) -> None:
    """Store a one-time token by its keyed hash; an earlier one of that purpose stops working."""
    session.execute(
        delete(AccountToken).where(
            col(AccountToken.user_id) == user_id, col(AccountToken.purpose) == purpose
        )
    )
    session.add(
        AccountToken(
            token_hash=token_hash,
            user_id=user_id,
            purpose=purpose,
            created_at=created_at,
            expires_at=expires_at,
        )
    )
    session.flush()


def take_account_token(
    *, session: Session, token_hash: str, now: datetime
) -> tuple[User, str] | None:
    """The user and purpose of an unexpired one-time token, which is used up (deleted) now;
    None for an unknown, used or expired token. Of two concurrent uses one wins."""
    token = session.get(AccountToken, token_hash)
    if token is None or token.expires_at <= now:
        return None
    user_id, purpose = token.user_id, token.purpose
    session.expunge(token)
    taken = session.execute(delete(AccountToken).where(col(AccountToken.token_hash) == token_hash))
    if int(getattr(taken, "rowcount", 0) or 0) != 1:
        return None
    user = session.get(User, user_id)
    return (user, purpose) if user is not None else None


def purge_expired(*, session: Session, now: datetime, keys_before: datetime) -> dict[str, int]:
    """Delete expired bearer and one-time tokens, and idempotency keys older than
    ``keys_before``; how many of each."""
    counts: dict[str, int] = {}
    for name, statement in (
        ("bearer tokens", delete(ApiToken).where(col(ApiToken.expires_at) <= now)),
        ("one-time tokens", delete(AccountToken).where(col(AccountToken.expires_at) <= now)),
        (
            "idempotency keys",
            delete(IdempotencyKey).where(col(IdempotencyKey.created_at) < keys_before),
        ),
    ):
        result = session.execute(statement)
        counts[name] = int(getattr(result, "rowcount", 0) or 0)
    return counts


def find_user(*, session: Session, username: str) -> User | None:
    """The user with exactly this username, or None."""
    statement = select(User).where(col(User.username) == username.strip())
    return session.exec(statement).first()


def get_user(*, session: Session, user_id: int) -> User | None:
    """The user with this id, or None."""
    return session.get(User, user_id)


def active_user_with_role(
    *, session: Session, username: str, roles: Collection[Role]
) -> User | None:
    """The active user with exactly this username, if their role is one of ``roles``."""
    statement = select(User).where(
        col(User.username) == username.strip(),
        col(User.active) == true(),
        col(User.role).in_([role.value for role in roles]),
    )
    return session.exec(statement).first()


def users_with_role(
    *, session: Session, role: Role | str, covenant: str | None = None
) -> list[User]:
    """Active users having that role (working on that covenant, if given), by username."""
    statement = select(User).where(col(User.role) == str(role), col(User.active) == true())
    if covenant is not None:
        on_it = select(StaffCovenant.user_id).where(col(StaffCovenant.covenant) == covenant)
        statement = statement.where(col(User.id).in_(on_it))
    return list(session.exec(statement.order_by(col(User.username))).all())


def users_of_organisation(*, session: Session, organisation_id: str) -> list[User]:
    """Active users belonging to that organisation, by username."""
    statement = (
        select(User)
        .where(col(User.organisation_id) == organisation_id, col(User.active) == true())
        .order_by(col(User.username))
    )
    return list(session.exec(statement).all())


def add_token(
    *,
    session: Session,
    token_hash: str,
    user_id: int,
    created_at: datetime,
    expires_at: datetime,
    enrolment_only: bool = False,
) -> ApiToken:
    """Store a new API token by its keyed hash."""
    token = ApiToken(
        token_hash=token_hash,
        user_id=user_id,
        created_at=created_at,
        expires_at=expires_at,
        enrolment_only=enrolment_only,
    )
    session.add(token)
    session.flush()
    return token


def revoke_token(*, session: Session, token_hash: str) -> None:
    """Delete the token, if present."""
    session.execute(delete(ApiToken).where(col(ApiToken.token_hash) == token_hash))


def use_totp_step(*, session: Session, user_id: int, step: int) -> bool:
    """Record ``step`` as the time step of the user's last accepted authenticator code,
    unless that step or a later one was accepted already; whether it was recorded. One
    conditional UPDATE, so of two sign-ins with the same code only one wins."""
    used = session.execute(
        update(User)
        .where(
            col(User.id) == user_id,
            or_(col(User.totp_last_step).is_(None), col(User.totp_last_step) < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(used, "rowcount", 0) or 0) == 1


def totp_secrets(*, session: Session) -> list[str]:
    """Every stored authenticator secret, confirmed or offered, as stored (sealed, or plain
    from before sealing): to tell which keys still seal some."""
    confirmed = session.exec(select(User.totp_secret).where(col(User.totp_secret).is_not(None)))
    offered = session.exec(select(User.totp_pending).where(col(User.totp_pending).is_not(None)))
    return [value for value in [*confirmed, *offered] if value is not None]
