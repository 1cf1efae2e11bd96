"""Who a notice reaches: its audiences resolved to addresses, each named as it may know."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlmodel import Session

from domain.cases import CaseState
from domain.enums import Audience, Role
from domain.notices import Notice
from domain.privacy import identity_visible, shown_to_respondents
from store import covenants, organisations, people
from store.tables import Complainant, User

# The mechanism's own people: like the complainant, they may know who complains.
STAFF_AUDIENCES = frozenset(
    {Audience.SECRETARIAT, Audience.CHAIR, Audience.COMMITTEE, Audience.MEDIATOR}
)
STAFF_AUDIENCE_ROLES = {
    Audience.SECRETARIAT: Role.SECRETARIAT,
    Audience.CHAIR: Role.CHAIR,
    Audience.COMMITTEE: Role.COMMITTEE,
}
STEERING_GROUP_LANGUAGE = "nl"  # the covenants' steering groups sit in the Netherlands


@dataclass(frozen=True)
class Recipient:
    """One address to write to, and as whom."""

    address: str
    name: str
    language: str
    audience: Audience
    # The complainant's own contact address: the only one that gets the access code.
    is_complainant_contact: bool = False
    # Which complainant of the case it is (1: the filer; more on a case others merged into).
    complainant: int = 1
    # Whose address it is, for a reply by e-mail to act as them (services/inbound_mail.py):
    # a user account, or (without one) a contact address of this organisation.
    user_id: int | None = None
    organisation_id: str | None = None


def may_know_identity(audience: Audience, confidential: bool) -> bool:
    """Whether this audience may learn who the complainant is (``domain.privacy``'s rule)."""
    return identity_visible(
        confidential=confidential,
        to_staff=audience in STAFF_AUDIENCES,
        to_complainant=audience is Audience.COMPLAINANT,
    )


def complainant_display(
    state: CaseState,
    complainant: Complainant | None,
    organisation_name: str | None,
    audience: Audience,
) -> str:
    """How the complainant is named to this audience: the pseudonym unless it may know."""
    if not may_know_identity(audience, state.confidential):
        return state.pseudonym
    if complainant is not None:
        if complainant.organisation:
            return f"{complainant.name} ({complainant.organisation})"
        return complainant.name
    return organisation_name or state.pseudonym


def _users(users: list[User], audience: Audience, exclude: set[str]) -> list[Recipient]:
    return [
        Recipient(
            u.email,
            u.display_name,
            u.language,
            audience,
            user_id=u.id,
            organisation_id=u.organisation_id,
        )
        for u in users
        if u.email and u.username not in exclude
    ]


def _assigned_mediator(session: Session, state: CaseState) -> User | None:
    """The case's mediator if that name is an active user with the mediator role."""
    if not state.mediator:
        return None
    user = people.find_user(session=session, username=state.mediator)
    if user is None or not user.active or user.role != Role.MEDIATOR:
        return None
    return user


def _organisation(
    session: Session, organisation_id: str, name: str, audience: Audience
) -> list[Recipient]:
    """An organisation's users and contacts, each in its own language."""
    users = people.users_of_organisation(session=session, organisation_id=organisation_id)
    contacts = organisations.organisation_contacts(session=session, organisation_id=organisation_id)
    return _users(users, audience, set()) + [
        Recipient(c.email, name, c.language, audience, organisation_id=organisation_id)
        for c in contacts
    ]


def unreached_respondents(*, session: Session, state: CaseState, notice: Notice) -> list[str]:
    """The respondent companies the notice is for that have no one to write to."""
    if Audience.RESPONDENTS not in notice.audiences or not shown_to_respondents(state):
        return []
    return [
        p.name
        for p in state.respondents
        if notice.party in (None, p.organisation_id)
        and not _organisation(session, p.organisation_id, p.name, Audience.RESPONDENTS)
    ]


def _filed_by(merged: Sequence[Complainant], users: list[User]) -> int:
    """The number of the merged-in complainant one of these users filed (0: none known)."""
    ids = {u.id for u in users}
    return next((c.number for c in merged if c.filer_user_id in ids), 0)


def resolve_recipients(
    *,
    session: Session,
    state: CaseState,
    complainant: Complainant | None,
    notice: Notice,
    merged: Sequence[Complainant] = (),
) -> list[Recipient]:
    """The people each audience of the notice stands for, one entry per address.

    ``merged`` are the complainants of cases merged into this one: each is written to in
    its own language, as the complainant it is (``Recipient.complainant``)."""
    recused = {r.member for r in state.recusals}
    found: list[Recipient] = []
    for audience in notice.audiences:
        if audience is Audience.COMPLAINANT:
            for each in (complainant, *merged):
                if each is not None and each.email:
                    found.append(
                        Recipient(
                            each.email,
                            each.name,
                            each.language,
                            audience,
                            is_complainant_contact=True,
                            complainant=each.number,
                        )
                    )
            if state.complainant_organisation_id:
                users = people.users_of_organisation(
                    session=session, organisation_id=state.complainant_organisation_id
                )
                found += _users(users, audience, set())
            for joined in state.joined_organisations:  # their complaints were merged in
                users = people.users_of_organisation(session=session, organisation_id=joined)
                number = _filed_by(merged, users)
                found += [replace(r, complainant=number) for r in _users(users, audience, set())]
        elif audience is Audience.RESPONDENTS and not shown_to_respondents(state):
            continue  # the companies hear of a case only once it is registered
        elif audience is Audience.RESPONDENTS:
            # A notice about one company's own deadline goes to that company alone.
            parties = [p for p in state.respondents if notice.party in (None, p.organisation_id)]
            for party in parties:
                found += _organisation(session, party.organisation_id, party.name, audience)
        elif audience in STAFF_AUDIENCE_ROLES:
            role = STAFF_AUDIENCE_ROLES[audience]
            users = people.users_with_role(session=session, role=role, covenant=state.covenant)
            found += _users(users, audience, recused)
        elif audience is Audience.MEDIATOR:
            mediator = _assigned_mediator(session, state)
            reached = _users([mediator], audience, recused) if mediator is not None else []
            if not reached:
                # Never all mediators: a case not assigned to them is confidential to them.
                users = people.users_with_role(
                    session=session, role=Role.SECRETARIAT, covenant=state.covenant
                )
                reached = _users(users, Audience.SECRETARIAT, recused)
            found += reached
        elif audience is Audience.STEERING_GROUP:
            members = people.users_with_role(
                session=session, role=Role.STEERING_GROUP, covenant=state.covenant
            )
            found += _users(members, audience, recused)
            covenant = covenants.latest_covenant(session=session, slug=state.covenant)
            if covenant is not None and covenant.steering_group_email:
                name = f"Steering group, {state.covenant_name}"
                found.append(
                    Recipient(
                        covenant.steering_group_email, name, STEERING_GROUP_LANGUAGE, audience
                    )
                )
    return _deduplicate(_narrowed(found, state, notice), state.confidential)


def _narrowed(found: list[Recipient], state: CaseState, notice: Notice) -> list[Recipient]:
    """Leave out the complainants the notice is not for: those that withdrew from the case,
    and all but the one it answers (``Notice.complainant``) on a case with several."""
    gone = set(state.withdrawn_complainants)

    def kept(r: Recipient) -> bool:
        if r.audience is not Audience.COMPLAINANT:
            return True
        if r.complainant in gone:
            return False
        return notice.complainant is None or r.complainant == notice.complainant

    return [r for r in found if kept(r)]


def _deduplicate(recipients: list[Recipient], confidential: bool) -> list[Recipient]:
    """One entry per address (case-blind); if any entry must not see the identity, none does."""
    by_address: dict[str, Recipient] = {}
    for recipient in recipients:
        key = recipient.address.strip().lower()
        kept = by_address.get(key)
        if kept is None:
            by_address[key] = recipient
        elif (
            not may_know_identity(recipient.audience, confidential)
            and not kept.is_complainant_contact
        ):
            by_address[key] = replace(kept, audience=recipient.audience)
    return list(by_address.values())
