"""Organisations: find, list, create and change them, their contacts, covenant parties."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, delete, func, or_
from sqlmodel import Session, col, select

from domain.supplier_lists import clean, name_key
from store.listing import contains_text
from store.security_tables import AdminChange
from store.tables import CovenantMembership, Organisation, OrganisationContact


def get_organisation(*, session: Session, organisation_id: str) -> Organisation | None:
    """The organisation with this id, or None."""
    return session.get(Organisation, organisation_id)


def organisation_contacts(*, session: Session, organisation_id: str) -> list[OrganisationContact]:
    """The addresses the organisation's notices go to."""
    statement = select(OrganisationContact).where(
        col(OrganisationContact.organisation_id) == organisation_id
    )
    return list(session.exec(statement.order_by(col(OrganisationContact.email))).all())


def find_organisation(*, session: Session, key: str) -> Organisation | None:
    """The organisation whose id is ``key`` or whose name equals it, ignoring case."""
    key = key.strip()
    found = session.get(Organisation, key)
    if found is not None:
        return found
    statement = select(Organisation).where(func.lower(col(Organisation.name)) == key.lower())
    return session.exec(statement.order_by(col(Organisation.id))).first()


def covenant_parties(*, session: Session, covenant: str) -> list[Organisation]:
    """The organisations that are parties to the covenant, by name."""
    statement = (
        select(Organisation)
        .join(CovenantMembership, col(CovenantMembership.organisation_id) == Organisation.id)
        .where(col(CovenantMembership.covenant) == covenant)
        .order_by(col(Organisation.name))
    )
    return list(session.exec(statement).all())


def covenant_party(
    *, session: Session, covenant: str, key: str, kind: str | None = None
) -> Organisation | None:
    """The party to the covenant whose id is ``key`` or whose name equals it (ignoring case);
    with ``kind`` (e.g. "company") only an organisation of that kind."""
    wanted = key.strip()
    by_id = col(Organisation.id) == wanted
    statement = (
        select(Organisation)
        .join(CovenantMembership, col(CovenantMembership.organisation_id) == Organisation.id)
        .where(
            col(CovenantMembership.covenant) == covenant,
            or_(by_id, func.lower(func.trim(col(Organisation.name))) == wanted.lower()),
        )
        # An exact id wins over another organisation of that name.
        .order_by(case((by_id, 0), else_=1), col(Organisation.id))
    )
    if kind is not None:
        statement = statement.where(col(Organisation.kind) == kind)
    return session.exec(statement).first()


def is_covenant_party(*, session: Session, covenant: str, organisation_id: str) -> bool:
    """Whether the organisation is a party to the covenant."""
    return session.get(CovenantMembership, (covenant, organisation_id)) is not None


def covenant_companies(
    *, session: Session, covenant: str, q: str | None = None, limit: int = 20
) -> list[Organisation]:
    """Companies party to the covenant whose name contains the text (all without), by name."""
    statement = (
        select(Organisation)
        .join(CovenantMembership, col(CovenantMembership.organisation_id) == Organisation.id)
        .where(col(CovenantMembership.covenant) == covenant, col(Organisation.kind) == "company")
    )
    if q and q.strip():
        statement = statement.where(contains_text([col(Organisation.name)], q))
    return list(session.exec(statement.order_by(col(Organisation.name)).limit(limit)).all())


def list_organisations(
    *, session: Session, q: str | None = None, kind: str | None = None, limit: int = 100
) -> tuple[list[Organisation], int]:
    """Organisations by name, filtered by a text in name or id and by kind; and their total."""
    statement = select(Organisation)
    if q and q.strip():
        statement = statement.where(
            contains_text([col(Organisation.name), col(Organisation.id)], q)
        )
    if kind:
        statement = statement.where(col(Organisation.kind) == kind)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(statement.order_by(col(Organisation.name)).limit(limit)).all()
    return list(rows), int(total)


def named(*, session: Session, name: str) -> Organisation | None:
    """The organisation with this name, whatever its case, accents or legal form."""
    wanted = name_key(name)
    for candidate in session.exec(select(Organisation)).all():
        if name_key(candidate.name) == wanted:
            return candidate
    return None


def new_id(*, session: Session, name: str) -> str:
    """A free id made from the name."""
    base = "-".join(name_key(name).split())[:60] or "organisation"
    found, n = base, 1
    while session.get(Organisation, found) is not None:
        n += 1
        found = f"{base}-{n}"
    return found


def create(
    *,
    session: Session,
    name: str,
    kind: str,
    country: str | None,
    contacts: list[tuple[str, str]],
) -> Organisation:
    """A new organisation with its contacts (email, language)."""
    organisation = Organisation(
        id=new_id(session=session, name=name), name=clean(name), kind=kind, country=country
    )
    session.add(organisation)
    session.flush()
    set_contacts(session=session, organisation_id=organisation.id, contacts=contacts)
    return organisation


def set_contacts(
    *, session: Session, organisation_id: str, contacts: list[tuple[str, str]]
) -> None:
    """Replace the organisation's contacts (an address once, its last language)."""
    session.execute(
        delete(OrganisationContact).where(
            col(OrganisationContact.organisation_id) == organisation_id
        )
    )
    by_address = {email.strip().lower(): (email.strip(), language) for email, language in contacts}
    for email, language in by_address.values():
        session.add(
            OrganisationContact(organisation_id=organisation_id, email=email, language=language)
        )
    session.flush()


def add_party(*, session: Session, covenant: str, organisation_id: str) -> bool:
    """Make the organisation a party to the covenant; False when it already was."""
    if session.get(CovenantMembership, (covenant, organisation_id)) is not None:
        return False
    session.add(CovenantMembership(covenant=covenant, organisation_id=organisation_id))
    session.flush()
    return True


def record_change(
    *, session: Session, username: str, role: str, action: str, target: str, detail: dict[str, Any]
) -> None:
    """Record an administrative change in the caller's transaction."""
    session.add(
        AdminChange(
            at=datetime.now(UTC),
            username=username,
            role=role,
            action=action,
            target=target,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
        )
    )


def changes(*, session: Session, limit: int = 200) -> list[AdminChange]:
    """The latest administrative changes, newest first."""
    statement = select(AdminChange).order_by(col(AdminChange.at).desc(), col(AdminChange.id).desc())
    return list(session.exec(statement.limit(limit)).all())
