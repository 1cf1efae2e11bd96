"""``redress create-admin``, ``redress users`` and ``redress organisations``: bringing
people and organisations into service from the operator's terminal (the same rules as
the API, recorded as changes by ``operator``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from core.settings import Settings
from domain.enums import Role
from domain.problems import Problem
from notifications.mailer import SmtpMailer
from services import organisations as organising
from services import people
from services.access import Viewer
from store import organisations
from store import people as account_store
from store.db import engine_from_settings

OPERATOR = Viewer(user_id=0, username="operator", display_name="The operator", role=Role.ADMIN)


def _contact_list(values: Sequence[str]) -> list[dict[str, str]]:
    found = []
    for value in values:
        email, _, language = value.partition(":")
        found.append({"email": email.strip(), "language": language.strip() or "en"})
    return found


def create_admin(
    session: Session, settings: Settings, *, email: str, username: str, name: str
) -> str:
    """The admin with this address (created if needed) and a one-time link to set its
    password; an earlier link stops working."""
    user = account_store.user_with_email(session=session, email=email)
    if user is not None and user.role != Role.ADMIN.value:
        raise ValueError(f"{email} belongs to '{user.username}', who is not an admin")
    if user is None:
        user = people.create_user(
            session,
            people.OPERATOR,
            username=username,
            email=email,
            role=Role.ADMIN,
            organisation_id=None,
            language="en",
            display_name=name,
        )
    user.active = True
    session.add(user)
    link = people.one_time_link(session, settings, user, "invitation")
    people.record(session, people.OPERATOR, "admin_link_issued", user.username, {})
    session.commit()
    return link


def run(settings: Settings, console: Console, command: str, work: Callable[[Session], int]) -> int:
    """``work`` in a session; what the rules refuse is printed as ``command: why``, status 2."""
    engine = engine_from_settings(settings)
    try:
        with Session(engine) as session:
            return work(session)
    except (Problem, ValueError) as error:  # pydantic's ValidationError is a ValueError
        console.print(f"{command}: {getattr(error, 'message', error)}", style="red")
        return 2
    finally:
        engine.dispose()


def print_admin_link(
    session: Session, settings: Settings, console: Console, *, email: str, username: str, name: str
) -> int:
    """``create-admin``: the one-time link, printed."""
    link = create_admin(session, settings, email=email, username=username, name=name)
    hours = settings.invitation_ttl_hours
    console.print(f"Open this link within {hours} hours to set the password:")
    console.print(link, soft_wrap=True, highlight=False)
    return 0


def list_users(session: Session, settings: Settings, console: Console) -> int:
    """``users list``: everyone who signs in."""
    table = Table(title="Users")
    for column in ("username", "name", "e-mail", "role", "organisation", "active"):
        table.add_column(column)
    for u in account_store.list_users(session=session, limit=10_000)[0]:
        table.add_row(
            u.username,
            u.display_name,
            u.email or "",
            u.role,
            u.organisation_id or "",
            "yes" if u.active else "no",
        )
    console.print(table)
    return 0


def invite_user(
    session: Session,
    settings: Settings,
    console: Console,
    *,
    username: str,
    email: str,
    role: str,
    organisation: str | None,
    language: str,
    name: str | None,
    covenant: Sequence[str] = (),
) -> int:
    """``users invite``: a new user (staff work on the ``covenant`` ones, or on all), and
    the invitation e-mailed; 1 when it was not sent."""
    user = people.create_user(
        session,
        people.OPERATOR,
        username=username,
        email=email,
        role=Role(role),
        organisation_id=organisation,
        language=language,
        display_name=name,
        covenants=list(covenant) or None,
    )
    mailer = SmtpMailer.from_settings(settings)
    sent = asyncio.run(people.send_invitation(mailer, session, settings, people.OPERATOR, user))
    console.print(
        f"{user.username} invited; "
        + ("the e-mail went out." if sent else "[red]the e-mail could not be sent[/red].")
    )
    return 0 if sent else 1


def set_user_active(
    session: Session, settings: Settings, console: Console, username: str, *, active: bool
) -> int:
    """``users enable`` and ``users disable`` (which ends every sign-in now)."""
    user_found = account_store.find_user(session=session, username=username)
    if user_found is None:
        raise ValueError(f"no user '{username}'")
    people.change_user(session, people.OPERATOR, user_found, changes={"active": active})
    session.commit()
    console.print(f"{user_found.username}: {'enabled' if user_found.active else 'disabled'}")
    return 0


# The organisation commands go through the same services as the API and the pages, as an
# admin called "operator": the same checks and records.


def list_organisations(
    session: Session, settings: Settings, console: Console, *, q: str | None
) -> int:
    """``organisations list``: by name, with their contacts."""
    table = Table(title="Organisations")
    for column in ("id", "name", "kind", "country", "contacts"):
        table.add_column(column)
    for o in organisations.list_organisations(session=session, q=q, limit=10_000)[0]:
        rows = organisations.organisation_contacts(session=session, organisation_id=o.id)
        shown = ", ".join(f"{c.email} ({c.language})" for c in rows)
        table.add_row(o.id, o.name, o.kind, o.country or "", shown)
    console.print(table)
    return 0


def add_organisation(
    session: Session,
    settings: Settings,
    console: Console,
    *,
    name: str,
    kind: str,
    country: str | None,
    contact: Sequence[str] = (),
) -> int:
    """``organisations add``, each ``contact`` as ``EMAIL[:LANGUAGE]``."""
    body = {"name": name, "kind": kind, "country": country, "contacts": _contact_list(contact)}
    made = organising.create_organisation(
        session, OPERATOR, organising.OrganisationIn.model_validate(body)
    )
    console.print(f"added {made.name} as '{made.id}'")
    return 0


def set_contacts(
    session: Session,
    settings: Settings,
    console: Console,
    organisation_id: str,
    contacts: Sequence[str],
) -> int:
    """``organisations contacts``: replace them all."""
    given = _contact_list(contacts)
    patch = organising.OrganisationPatch.model_validate({"contacts": given})
    organising.change_organisation(session, OPERATOR, organisation_id, patch)
    console.print(f"{organisation_id}: {len(given)} contact(s)")
    return 0


def add_party(
    session: Session, settings: Settings, console: Console, organisation_id: str, covenant: str
) -> int:
    """``organisations party``: make the organisation a party to the covenant."""
    organising.add_covenant_party(session, OPERATOR, covenant, organisation_id)
    console.print(f"{organisation_id} is a party to {covenant}")
    return 0
