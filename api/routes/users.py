"""``/api/v1/users``: the admin invites people, changes their role or organisation, and
disables or re-enables them (API.md, Administration)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, EmailStr, Field
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep, SignedInDep
from api.routes.organisations import REFUSED
from api.schemas import INVALID, ErrorOut
from domain.cases import LANGUAGE_PATTERN
from domain.enums import Role
from domain.problems import Conflict, NotFound, NotPermitted
from notifications.mailer import Mailer
from services import people
from services.access import Viewer
from store import people as account_store
from store.tables import User

router = APIRouter(prefix="/api/v1/users", tags=["administration"], responses=INVALID)

NOT_FOUND: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorOut, "description": "no such user"}
}
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
    organisation: str | None = Field(default=None, max_length=64)
    language: str = Field(default="en", pattern=LANGUAGE_PATTERN)
    name: str | None = Field(default=None, max_length=200, description="the name shown")
    covenants: list[str] | None = Covenants


class UserPatch(BaseModel):
    """What to change; ``active: false`` ends the user's sign-ins at once."""

    active: bool | None = None
    role: Role | None = None
    organisation: str | None = Field(default=None, max_length=64)
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    covenants: list[str] | None = Covenants
    reset_two_factor: bool | None = Field(
        default=None, description="true: the user sets up two-factor sign-in again"
    )


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


class UserListOut(BaseModel):
    items: list[UserOut]
    total: int


def _admin(viewer: Viewer) -> people.Changer:
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


def _mailer(request: Request) -> Mailer:
    mailer: Mailer = request.app.state.mailer
    return mailer


@router.get("", response_model=UserListOut, responses=REFUSED)
def list_users(
    viewer: SignedInDep,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200, description="text in name or e-mail")] = None,
    role: Role | None = None,
    organisation: Annotated[str | None, Query(max_length=64)] = None,
) -> UserListOut:
    """Users by username (the first 200)."""
    _admin(viewer)
    rows, total = account_store.list_users(
        session=session, q=q, role=role.value if role else None, organisation_id=organisation
    )
    return UserListOut(items=[user_out(session, u) for u in rows], total=total)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=UserOut, responses=REFUSED)
async def create_user(
    body: UserIn, request: Request, viewer: SignedInDep, session: SessionDep, settings: SettingsDep
) -> UserOut:
    """Invite a person: the user exists at once, and signs in after setting a password
    through the e-mailed link (72 hours). ``invitation_sent: false`` means the mail could
    not go: send it again with ``POST /api/v1/users/{username}/invitation``."""
    by = _admin(viewer)
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
    sent = await people.send_invitation(_mailer(request), session, settings, by, user)
    return user_out(session, user, sent)


def _user(session: Session, username: str) -> User:
    user = account_store.find_user(session=session, username=username)
    if user is None:
        raise NotFound(f"no user '{username}'")
    return user


@router.patch("/{username}", response_model=UserOut, responses={**REFUSED, **NOT_FOUND})
def change_user(
    username: str, body: UserPatch, viewer: SignedInDep, session: SessionDep
) -> UserOut:
    """Disable or re-enable a user, or change its role, organisation, covenants, name or
    language; disabling or a new role ends its sign-ins at once."""
    by = _admin(viewer)
    user = _user(session, username)
    changes = body.model_dump(exclude_unset=True)
    if "name" in changes:
        changes["display_name"] = changes.pop("name")
    people.change_user(session, by, user, changes=changes)
    session.commit()
    return user_out(session, user)


@router.post("/{username}/invitation", response_model=UserOut, responses={**REFUSED, **NOT_FOUND})
async def invite_again(
    username: str, request: Request, viewer: SignedInDep, session: SessionDep, settings: SettingsDep
) -> UserOut:
    """A new invitation link by e-mail; the earlier one stops working."""
    by = _admin(viewer)
    user = _user(session, username)
    if not user.active:
        raise Conflict(f"'{username}' is disabled; enable the user first")
    sent = await people.send_invitation(_mailer(request), session, settings, by, user)
    return user_out(session, user, sent)
