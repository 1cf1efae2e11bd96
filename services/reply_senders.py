"""Who a reply address stands for, now: the caller a reply by e-mail acts as, built from the
row the notice issued (``store.reply_addresses``) and checked against the people as they
are today (an account closed, a contact removed, contact details erased: no one)."""

from __future__ import annotations

from sqlmodel import Session

from core.settings import Settings
from domain.enums import Role, Side
from domain.problems import NotFound
from services.access import COVENANT_STAFF, Standing, Viewer, VisibleCase, case_for
from store import cases, organisations, people
from store.tables import ReplyAddress

CONTACT_USER = "mail"  # a contact address acts as "mail:<token id>" (it has no account)


def _same(address: str | None, issued: str) -> bool:
    return address is not None and address.strip().lower() == issued


def viewer_for(session: Session, settings: Settings, row: ReplyAddress) -> Viewer | None:
    """The caller the address's holder is today, or None when it no longer stands for
    anyone (a user inactive or with another address, a contact or complainant gone)."""
    if row.user_id is not None:
        user = people.get_user(session=session, user_id=row.user_id)
        if user is None or not user.active or not _same(user.email, row.email):
            return None
        if user.is_demo and not settings.demo_accounts:
            return None
        role = Role(user.role)
        staff = role in COVENANT_STAFF and user.id is not None
        return Viewer(
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            email=user.email,
            role=role,
            organisation_id=user.organisation_id,
            covenants=(
                people.staff_covenants(session=session, user_id=row.user_id)
                if staff
                else frozenset()
            ),
        )
    if row.complainant is not None:
        found = [
            c
            for c in cases.case_complainants(session=session, reference=row.reference)
            if c.number == row.complainant and _same(c.email, row.email)
        ]
        return Viewer(code_for=row.reference, complainant=row.complainant) if found else None
    if row.organisation_id is not None:
        organisation = organisations.get_organisation(
            session=session, organisation_id=row.organisation_id
        )
        contacts = organisations.organisation_contacts(
            session=session, organisation_id=row.organisation_id
        )
        if organisation is None or not any(_same(c.email, row.email) for c in contacts):
            return None
        return Viewer(
            username=f"{CONTACT_USER}:{row.id}",
            role=Role.COMPANY if organisation.kind == "company" else Role.UNION,
            organisation_id=organisation.id,
        )
    return None


_SIDES = {Standing.COMPLAINANT: Side.COMPLAINANT, Standing.RESPONDENT: Side.RESPONDENT}


def case_of_reply(session: Session, viewer: Viewer, row: ReplyAddress) -> VisibleCase | None:
    """The case as the address's holder may see it now, if still on the side it was written
    to as; None otherwise (``NotFound`` is not told apart from a changed side)."""
    try:
        case = case_for(session=session, reference=row.reference, viewer=viewer)
    except NotFound:
        return None
    side = _SIDES.get(case.standing)
    if (side.value if side else None) != row.side:
        return None
    return case
