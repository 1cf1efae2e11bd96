"""Administering users: the admin invites people, changes their role, organisation or
covenants, disables and re-enables them (``services.people`` does the work). Shared by
the JSON API and the admin pages."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, EmailStr, Field, model_validator
from sqlmodel import Session

from core.settings import Settings
from domain.cases import LANGUAGE_PATTERN
from domain.enums import Role
from domain.problems import Conflict, NotFound, NotPermitted
from notifications.mailer import Mailer
from services import people
from services.access import Viewer
from store import people as account_store
from store.tables import User

Covenants = Field(
    default=None,
    max_length=50,
    description="staff: the covenants whose cases they work on (all when left out)",
)


class UserIn(BaseModel):
    """A person to invite: the invitation e-mail carries a one-time link to set a password."""

    username: str = Field(min_length=2, max_length=64)
    email: EmailStr
    role: Role
    organisation: str | None = Field(default=None, min_length=1, max_length=64)
    language: str = Field(default="en", pattern=LANGUAGE_PATTERN)
    name: str | None = Field(default=None, max_length=200, description="the name shown")
    covenants: list[str] | None = Covenants


class UserPatch(BaseModel):
    """What to change; ``active: false`` ends the user's sign-ins at once."""

    active: bool | None = None
    role: Role | None = None
    organisation: str | None = Field(default=None, min_length=1, max_length=64)
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    covenants: list[str] | None = Covenants
    reset_two_factor: bool | None = Field(
        default=None, description="true: the user sets up two-factor sign-in again"
    )

    @model_validator(mode="after")
    def _kept_unless_given(self) -> UserPatch:
        # Null clears an organisation, a name or the covenants; these have no empty value.
        for name in ("active", "role", "language", "reset_two_factor"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null; leave it out to keep it")
        return self


class UserOut(BaseModel):
    """A user as the admin sees it (never a password or secret)."""

    username: str
    name: str
    email: str | None
    role: Role
    organisation: str | None
    language: str
    active: bool
    covenants: list[str]
    password_set: bool
    two_factor: bool
    invitation_sent: bool | None = Field(
        default=None, description="after an invitation: whether its e-mail went out"
    )


def admin(viewer: Viewer) -> people.Changer:
    """The admin making a change; NotPermitted for anyone else."""
    if viewer.role is not Role.ADMIN:
        raise NotPermitted("only the admin administers users")
    return people.Changer(viewer.username or "", Role.ADMIN.value, viewer.display_name or "")


def user_out(session: Session, user: User, invitation_sent: bool | None = None) -> UserOut:
    """The user as the admin sees it."""
    assert user.id is not None
    return UserOut(
        username=user.username,
        name=user.display_name,
        email=user.email,
        role=Role(user.role),
        organisation=user.organisation_id,
        language=user.language,
        active=user.active,
        covenants=sorted(account_store.staff_covenants(session=session, user_id=user.id)),
        password_set=user.password_hash.startswith("$"),
        two_factor=user.totp_secret is not None,
        invitation_sent=invitation_sent,
    )


def _user(session: Session, username: str) -> User:
    user = account_store.find_user(session=session, username=username)
    if user is None:
        raise NotFound(f"no user '{username}'")
    return user


def list_users(
    session: Session,
    viewer: Viewer,
    *,
    q: str | None = None,
    role: Role | None = None,
    organisation: str | None = None,
) -> tuple[list[UserOut], int]:
    """Users by username (the first 200), and how many match; the admin's only."""
    admin(viewer)
    rows, total = account_store.list_users(
        session=session, q=q, role=role.value if role else None, organisation_id=organisation
    )
    return [user_out(session, u) for u in rows], total


async def invite_user(
    session: Session, settings: Settings, mailer: Mailer, viewer: Viewer, body: UserIn
) -> UserOut:
    """Create the user and mail the invitation; ``invitation_sent`` says whether it went."""
    by = admin(viewer)
    user = people.create_user(
        session,
        by,
        username=body.username,
        email=str(body.email),
        role=body.role,
        organisation_id=body.organisation,
        language=body.language,
        display_name=body.name,
        covenants=body.covenants,
    )
    sent = await people.send_invitation(mailer, session, settings, by, user)
    return user_out(session, user, sent)


def change_user(session: Session, viewer: Viewer, username: str, body: UserPatch) -> UserOut:
    """Apply the patch to the user, recorded and committed."""
    by = admin(viewer)
    user = _user(session, username)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    if "name" in changes:
        changes["display_name"] = changes.pop("name")
    people.change_user(session, by, user, changes=changes)
    session.commit()
    return user_out(session, user)


async def invite_again(
    session: Session, settings: Settings, mailer: Mailer, viewer: Viewer, username: str
) -> UserOut:
    """A new invitation link by e-mail (the earlier one stops working); Conflict if disabled."""
    by = admin(viewer)
    user = _user(session, username)
    if not user.active:
        raise Conflict(f"'{username}' is disabled; enable the user first")
    sent = await people.send_invitation(mailer, session, settings, by, user)
    return user_out(session, user, sent)
