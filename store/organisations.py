"""Administering organisations: create, change, contacts, covenant parties (keyword-only)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from domain.registry import clean, name_key
from store.queries import contains_text
from store.security_tables import AdminChange
from store.tables import CovenantMembership, Organisation, OrganisationContact


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
