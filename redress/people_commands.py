"""``redress create-admin``, ``redress users`` and ``redress organisations``: the operator's
commands for people and organisations (the work is in ``redress.people``)."""

from __future__ import annotations

from typing import Any

import click

from domain.enums import Role
from redress import people
from redress.command_support import Listed, described, people_tool


@click.command(
    "create-admin",
    cls=click.Command,
    **described(
        "create the first admin (or a new link for an admin) and print a one-time link to "
        "set its password",
        "EMAIL: the admin's e-mail address",
    ),
)
@click.argument("email")
@click.option("--username", default="admin", help="default: admin")
@click.option("--name", default="Administrator", help="the name shown")
def create_admin(**params: Any) -> int:
    return people_tool("create-admin", people.print_admin_link, **params)


@click.group("users", cls=Listed, **described("list, invite, disable or enable users"))
def _users() -> None:
    pass


@_users.command("list", help="everyone who signs in")
def _users_list() -> int:
    return people_tool("users", people.list_users)


ROLES = [r.value for r in Role]


@_users.command(
    "invite", help=f"create a user and e-mail the invitation\n\nROLE: {', '.join(ROLES)}"
)
@click.argument("username")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES), metavar="ROLE")
@click.option("--organisation", help="the organisation's id")
@click.option("--language", default="en")
@click.option("--name", help="the name shown")
@click.option(
    "--covenant", multiple=True, help="staff: a covenant they work on (repeat; default all)"
)
def _users_invite(**params: Any) -> int:
    return people_tool("users", people.invite_user, **params)


@_users.command("disable", help="end every sign-in now")
@click.argument("username")
def _users_disable(username: str) -> int:
    return people_tool("users", people.set_user_active, username, active=False)


@_users.command("enable", help="allow sign-in again")
@click.argument("username")
def _users_enable(username: str) -> int:
    return people_tool("users", people.set_user_active, username, active=True)


@click.group(
    "organisations",
    cls=Listed,
    **described("list or add organisations, set their contacts, make them covenant parties"),
)
def _organisations() -> None:
    pass


@_organisations.command("list", help="organisations by name")
@click.option("--q", help="text in the name or id")
def _organisations_list(q: str | None) -> int:
    return people_tool("organisations", people.list_organisations, q=q)


KINDS = ["company", "union", "ngo", "business_association", "government", "mechanism"]


@_organisations.command("add", help="add an organisation")
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice(KINDS))
@click.option("--country", help="ISO 3166 alpha-2")
@click.option("--contact", multiple=True, metavar="EMAIL[:LANGUAGE]")
def _organisations_add(**params: Any) -> int:
    return people_tool("organisations", people.add_organisation, **params)


@_organisations.command("contacts", help="replace an organisation's contacts")
@click.argument("organisation_id", metavar="ID")
@click.argument("contacts", nargs=-1, metavar="[EMAIL[:LANGUAGE]]...")
def _organisations_contacts(organisation_id: str, contacts: tuple[str, ...]) -> int:
    return people_tool("organisations", people.set_contacts, organisation_id, contacts)


@_organisations.command("party", help="make an organisation a party to a covenant")
@click.argument("organisation_id", metavar="ID")
@click.argument("covenant")
def _organisations_party(organisation_id: str, covenant: str) -> int:
    return people_tool("organisations", people.add_party, organisation_id, covenant)


# In the order the help lists them.
COMMANDS = (create_admin, _users, _organisations)
