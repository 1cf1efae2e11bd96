"""``redress create-admin``, ``redress users`` and ``redress organisations``: bringing
people and organisations into service from the operator's terminal (the same rules as
the API, recorded as changes by ``operator``)."""

from __future__ import annotations

import argparse
import asyncio

from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from core.settings import Settings
from domain.enums import Role
from domain.problems import Problem
from notifications.mailer import SmtpMailer
from services import people
from services.access import Viewer
from store import organisations
from store import people as account_store
from store.db import engine_from_settings

OPERATOR = Viewer(user_id=0, username="operator", display_name="The operator", role=Role.ADMIN)


def add_admin_arguments(parser: argparse.ArgumentParser) -> None:
    """``create-admin EMAIL [--username U] [--name N]``."""
    parser.add_argument("email", help="the admin's e-mail address")
    parser.add_argument("--username", default="admin", help="default: admin")
    parser.add_argument("--name", default="Administrator", help="the name shown")


def add_user_arguments(parser: argparse.ArgumentParser) -> None:
    """``users list | invite | disable | enable``."""
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("list", help="everyone who signs in")
    invite = sub.add_parser("invite", help="create a user and e-mail the invitation")
    invite.add_argument("username")
    invite.add_argument("email")
    invite.add_argument("role", choices=[r.value for r in Role])
    invite.add_argument("--organisation", help="the organisation's id")
    invite.add_argument("--language", default="en")
    invite.add_argument("--name", help="the name shown")
    invite.add_argument(
        "--covenant", action="append", help="staff: a covenant they work on (repeat; default all)"
    )
    for name, what in (("disable", "end every sign-in now"), ("enable", "allow sign-in again")):
        sub.add_parser(name, help=what).add_argument("username")


def add_organisation_arguments(parser: argparse.ArgumentParser) -> None:
    """``organisations list | add | contacts | party``."""
    sub = parser.add_subparsers(dest="action", required=True)
    listing = sub.add_parser("list", help="organisations by name")
    listing.add_argument("--q", help="text in the name or id")
    add = sub.add_parser("add", help="add an organisation")
    add.add_argument("name")
    add.add_argument(
        "--kind",
        required=True,
        choices=["company", "union", "ngo", "business_association", "government", "mechanism"],
    )
    add.add_argument("--country", help="ISO 3166 alpha-2")
    add.add_argument("--contact", action="append", default=[], metavar="EMAIL[:LANGUAGE]")
    contacts = sub.add_parser("contacts", help="replace an organisation's contacts")
    contacts.add_argument("id")
    contacts.add_argument("contact", nargs="*", metavar="EMAIL[:LANGUAGE]")
    party = sub.add_parser("party", help="make an organisation a party to a covenant")
    party.add_argument("id")
    party.add_argument("covenant")


def _contacts(values: list[str]) -> list[tuple[str, str]]:
    found = []
    for value in values:
        email, _, language = value.partition(":")
        found.append((email.strip(), language.strip() or "en"))
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


def people_command(settings: Settings, args: argparse.Namespace, console: Console) -> int:
    """Run ``create-admin``, ``users`` or ``organisations``; the exit status."""
    engine = engine_from_settings(settings)
    try:
        with Session(engine) as session:
            if args.command == "create-admin":
                link = create_admin(
                    session, settings, email=args.email, username=args.username, name=args.name
                )
                hours = settings.invitation_ttl_hours
                console.print(f"Open this link within {hours} hours to set the password:")
                console.print(link, soft_wrap=True, highlight=False)
                return 0
            if args.command == "users":
                return _users(session, settings, args, console)
            return _organisations(session, args, console)
    except (Problem, ValueError) as error:  # pydantic's ValidationError is a ValueError
        console.print(f"{args.command}: {getattr(error, 'message', error)}", style="red")
        return 2
    finally:
        engine.dispose()


def _users(session: Session, settings: Settings, args: argparse.Namespace, console: Console) -> int:
    if args.action == "list":
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
    if args.action == "invite":
        user = people.create_user(
            session,
            people.OPERATOR,
            username=args.username,
            email=args.email,
            role=Role(args.role),
            organisation_id=args.organisation,
            language=args.language,
            display_name=args.name,
            covenants=args.covenant,
        )
        mailer = SmtpMailer.from_settings(settings)
        sent = asyncio.run(people.send_invitation(mailer, session, settings, people.OPERATOR, user))
        console.print(
            f"{user.username} invited; "
            + ("the e-mail went out." if sent else "[red]the e-mail could not be sent[/red].")
        )
        return 0 if sent else 1
    user_found = account_store.find_user(session=session, username=args.username)
    if user_found is None:
        raise ValueError(f"no user '{args.username}'")
    changes = {"active": args.action == "enable"}
    people.change_user(session, people.OPERATOR, user_found, changes=changes)
    session.commit()
    console.print(f"{user_found.username}: {'enabled' if user_found.active else 'disabled'}")
    return 0


def _organisations(session: Session, args: argparse.Namespace, console: Console) -> int:
    # The API's own routes, as an admin called "operator": the same checks and records.
    from api.routes import organisations as routes

    if args.action == "list":
        table = Table(title="Organisations")
        for column in ("id", "name", "kind", "country", "contacts"):
            table.add_column(column)
        for o in organisations.list_organisations(session=session, q=args.q, limit=10_000)[0]:
            rows = organisations.organisation_contacts(session=session, organisation_id=o.id)
            shown = ", ".join(f"{c.email} ({c.language})" for c in rows)
            table.add_row(o.id, o.name, o.kind, o.country or "", shown)
        console.print(table)
        return 0
    given = _contacts(getattr(args, "contact", None) or [])
    contacts = [{"email": email, "language": language} for email, language in given]
    if args.action == "add":
        body = {"name": args.name, "kind": args.kind, "country": args.country, "contacts": contacts}
        made = routes.create_organisation(
            routes.OrganisationIn.model_validate(body), OPERATOR, session
        )
        console.print(f"added {made.name} as '{made.id}'")
    elif args.action == "contacts":
        patch = routes.OrganisationPatch.model_validate({"contacts": contacts})
        routes.change_organisation(args.id, patch, OPERATOR, session)
        console.print(f"{args.id}: {len(contacts)} contact(s)")
    else:
        party = routes.PartyIn(organisation=args.id)
        routes.add_covenant_party(args.covenant, party, OPERATOR, session)
        console.print(f"{args.id} is a party to {args.covenant}")
    return 0
