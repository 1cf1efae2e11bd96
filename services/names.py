"""The people an action names (assign, recuse) must be active users of the right role."""

from __future__ import annotations

from collections.abc import Iterator

from sqlmodel import Session

from domain.actions import ActionInput, Assign, Recuse
from domain.enums import Role
from domain.problems import invalid_field
from store import people

MEDIATORS = (Role.MEDIATOR,)
OFFICERS = (Role.SECRETARIAT, Role.CHAIR)
MEMBERS = (Role.CHAIR, Role.COMMITTEE)


def _named(action: ActionInput) -> Iterator[tuple[str, str | None, tuple[Role, ...]]]:
    """(field, username, roles it must have) for each person the action names."""
    match action:
        case Assign():
            yield "mediator", action.mediator, MEDIATORS
            yield "officer", action.officer, OFFICERS
        case Recuse():
            yield "member", action.member, MEMBERS
        case _:
            return


def check_named_people(*, session: Session, action: ActionInput) -> None:
    """``Invalid`` on the first named person who is not an active user of a fitting role."""
    for field, username, roles in _named(action):
        if not username:
            continue
        if people.active_user_with_role(session=session, username=username, roles=roles):
            continue
        wanted = " or ".join(role.value for role in roles)
        raise invalid_field(
            ["body", field], f"'{username}' is not an active user with role {wanted}"
        )
