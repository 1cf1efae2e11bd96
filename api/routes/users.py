"""``/api/v1/users``: the admin invites people, changes their role or organisation, and
disables or re-enables them (API.md, Administration)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel

from api.deps import SessionDep, SettingsDep, SignedInDep
from api.routes.organisations import REFUSED, WRITE
from api.schemas import INVALID, ErrorOut
from domain.enums import Role
from notifications.mailer import Mailer
from services import users
from services.users import UserIn, UserOut, UserPatch, user_out

__all__ = ["UserIn", "UserOut", "UserPatch", "router", "user_out"]

router = APIRouter(prefix="/api/v1/users", tags=["administration"], responses=INVALID)

NOT_FOUND: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorOut, "description": "no such user"}
}


class UserListOut(BaseModel):
    items: list[UserOut]
    total: int


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
    items, total = users.list_users(session, viewer, q=q, role=role, organisation=organisation)
    return UserListOut(items=items, total=total)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=UserOut, responses=WRITE)
async def create_user(
    body: UserIn, request: Request, viewer: SignedInDep, session: SessionDep, settings: SettingsDep
) -> UserOut:
    """Invite a person: the user exists at once, and signs in after setting a password
    through the e-mailed link (72 hours). ``invitation_sent: false`` means the mail could
    not go: send it again with ``POST /api/v1/users/{username}/invitation``."""
    return await users.invite_user(session, settings, _mailer(request), viewer, body)


@router.patch("/{username}", response_model=UserOut, responses={**WRITE, **NOT_FOUND})
def change_user(
    username: str, body: UserPatch, viewer: SignedInDep, session: SessionDep
) -> UserOut:
    """Disable or re-enable a user, or change its role, organisation, covenants, name or
    language; disabling or a new role ends its sign-ins at once."""
    return users.change_user(session, viewer, username, body)


@router.post(
    "/{username}/invitation",
    response_model=UserOut,
    responses={
        **REFUSED,
        **NOT_FOUND,
        409: {"model": ErrorOut, "description": "the user is disabled; enable the user first"},
    },
)
async def invite_again(
    username: str, request: Request, viewer: SignedInDep, session: SessionDep, settings: SettingsDep
) -> UserOut:
    """A new invitation link by e-mail; the earlier one stops working."""
    return await users.invite_again(session, settings, _mailer(request), viewer, username)
