"""Who the caller is and what they may see of a case (pure: no I/O)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, replace
from enum import StrEnum

from sqlmodel import Session

from core.access_codes import canonical
from core.security import keyed_hash
from core.settings import Settings
from domain.cases import Actor, CaseState
from domain.enums import Role, Side, Visibility
from domain.privacy import identity_visible, shown_to_respondents, with_neutral_names
from domain.problems import case_not_found
from domain.rules import steering_group_decides
from services.listing_matches import hide_undisclosed
from store import case_content, cases, people
from store.cases import CaseFilter

# Roles that see every case of their covenants (but one they are recused from); a mediator
# sees only the cases assigned to them, a steering group the disputes its covenant has it
# decide. The admin manages people and organisations, not cases: it sees none.
ALL_CASES_ROLES = frozenset({Role.SECRETARIAT, Role.CHAIR, Role.COMMITTEE})
COVENANT_STAFF = ALL_CASES_ROLES | {Role.MEDIATOR, Role.STEERING_GROUP}
PARTY_ROLES = frozenset({Role.COMPANY, Role.UNION})
ACCESS_CODE_USER = "complainant"


@dataclass(frozen=True)
class Viewer:
    """The caller: a signed-in user, the holder of one case's access code, or anonymous."""

    user_id: int | None = None
    username: str | None = None
    display_name: str | None = None
    email: str | None = None
    role: Role | None = None
    organisation_id: str | None = None
    code_for: str | None = None  # the case whose access code was presented and matched
    complainant: int | None = None  # whose code it is, on a case with several (1: the filer)
    covenants: frozenset[str] = frozenset()  # staff: the covenants whose cases they work on
    enrolling: bool = False  # signed in, but must set up two-factor sign-in before anything

    @property
    def signed_in(self) -> bool:
        """Whether the caller presented a valid bearer token."""
        return self.user_id is not None


ANONYMOUS = Viewer()


class Standing(StrEnum):
    """How the caller stands to a case they may see."""

    STAFF = "staff"
    COMPLAINANT = "complainant"
    RESPONDENT = "respondent"


def standing(viewer: Viewer, state: CaseState) -> Standing | None:
    """The caller's standing in the case, or None when they may not see it at all."""
    if viewer.role in COVENANT_STAFF:
        if state.covenant not in viewer.covenants:
            return None  # another covenant's committee handles it
        if viewer.username in {r.member for r in state.recusals}:
            return None  # a conflict of interest: the case is closed to them
    if viewer.role in ALL_CASES_ROLES:
        return Standing.STAFF
    if viewer.role is Role.MEDIATOR:
        assigned = state.mediator is not None and state.mediator == viewer.username
        return Standing.STAFF if assigned else None
    if viewer.role is Role.STEERING_GROUP:
        return Standing.STAFF if steering_group_decides(state.kind, state.deciding_body) else None
    # A case split off against companies routed to through their confidential lists alone
    # is not the complainant's to learn of (``Party.disclosed``): 404, as for no case.
    complainants_see = state.split_from is None or any(p.disclosed for p in state.respondents)
    if viewer.code_for is not None and viewer.code_for == state.reference:
        return Standing.COMPLAINANT if complainants_see else None
    organisation = viewer.organisation_id
    if organisation is not None and viewer.role in PARTY_ROLES:
        if organisation in {state.complainant_organisation_id, *state.joined_organisations}:
            # its own complaint, or one merged into this
            return Standing.COMPLAINANT if complainants_see else None
        if any(p.organisation_id == organisation for p in state.respondents):
            # Before registration the company gets 404, as for an unknown case.
            return Standing.RESPONDENT if shown_to_respondents(state) else None
    return None


def actor_for(viewer: Viewer, standing_: Standing) -> Actor:
    """The workflow's Actor for this caller: staff by role, parties by side."""
    side = {Standing.COMPLAINANT: Side.COMPLAINANT, Standing.RESPONDENT: Side.RESPONDENT}.get(
        standing_
    )
    return Actor(
        user=viewer.username or ACCESS_CODE_USER,
        role=viewer.role,
        organisation_id=viewer.organisation_id,
        side=side,
        # Which complainant acts (its access code's, or its union's record): on a case with
        # several, each withdraws, consents and asks for itself, and is answered alone.
        complainant=viewer.complainant if side is Side.COMPLAINANT else None,
    )


def as_complainant(session: Session, viewer: Viewer, state: CaseState) -> Viewer:
    """The viewer with its complainant number on this case, for a union's signed-in user (an
    access code's holder has it already): its own complaint is number 1, one merged in is
    the record its organisation's user filed (left unknown when none did)."""
    organisation = viewer.organisation_id
    if viewer.complainant is not None or viewer.role is not Role.UNION or organisation is None:
        return viewer
    if organisation == state.complainant_organisation_id:
        return replace(viewer, complainant=1)
    if organisation not in state.joined_organisations:
        return viewer
    users = {
        u.id for u in people.users_of_organisation(session=session, organisation_id=organisation)
    }
    filed = [
        c.number
        for c in cases.case_complainants(session=session, reference=state.reference)
        if c.filer_user_id is not None and c.filer_user_id in users
    ]
    return replace(viewer, complainant=filed[0]) if filed else viewer


def withdrawn(viewer: Viewer, state: CaseState) -> bool:
    """Whether the viewer is a complainant that withdrew from the case (it reads, no more)."""
    return viewer.complainant is not None and viewer.complainant in state.withdrawn_complainants


def may_see(
    standing_: Standing,
    visibility: Visibility,
    *,
    party: str | None = None,
    organisation: str | None = None,
) -> bool:
    """Whether an item of that visibility is shown to a caller of that standing.

    An item for one respondent (``party``) is hidden from the other respondents: a
    respondent sees it only when the caller's ``organisation`` is that party.
    """
    if visibility is Visibility.COMMITTEE:
        return standing_ is Standing.STAFF
    if party is not None and standing_ is Standing.RESPONDENT:
        return organisation == party
    return True


def sees_identity(standing_: Standing, confidential: bool) -> bool:
    """Whether the complainant's name and organisation are shown to this caller."""
    return identity_visible(
        confidential=confidential,
        to_staff=standing_ is Standing.STAFF,
        to_complainant=standing_ is Standing.COMPLAINANT,
    )


@dataclass(frozen=True)
class ListScope:
    """The restriction on the case list for a caller."""

    organisation_id: str | None = None
    mediator: str | None = None
    nothing: bool = False
    recused: str | None = None  # leave out the cases this member is recused from
    covenants: frozenset[str] | None = None  # only these covenants' cases
    steering_group: bool = False  # only the disputes a steering group decides

    @property
    def case_filter(self) -> CaseFilter:
        """The scope as a case filter, for a list to narrow with ``dataclasses.replace``."""
        return CaseFilter(
            organisation_id=self.organisation_id,
            mediator=self.mediator,
            recused=self.recused,
            covenants=self.covenants,
            steering_group=self.steering_group,
        )


def list_scope(viewer: Viewer) -> ListScope:
    """Which cases the caller's list may contain."""
    if viewer.role in COVENANT_STAFF and not viewer.covenants:
        return ListScope(nothing=True)
    if viewer.role in ALL_CASES_ROLES:
        return ListScope(recused=viewer.username, covenants=viewer.covenants)
    if viewer.role is Role.MEDIATOR and viewer.username:
        return ListScope(
            mediator=viewer.username, recused=viewer.username, covenants=viewer.covenants
        )
    if viewer.role is Role.STEERING_GROUP:
        return ListScope(covenants=viewer.covenants, steering_group=True)
    if viewer.role in PARTY_ROLES and viewer.organisation_id:
        return ListScope(organisation_id=viewer.organisation_id)
    return ListScope(nothing=True)


@dataclass(frozen=True)
class VisibleCase:
    """A case the caller may see, with their standing in it (build it with ``seen``)."""

    state: CaseState
    standing: Standing
    viewer: Viewer

    @classmethod
    def seen(cls, state: CaseState, standing_: Standing, viewer: Viewer) -> VisibleCase:
        """The case as this caller sees it: a company sees the complainant's files by
        neutral names (``domain.privacy.with_neutral_names``)."""
        if standing_ is Standing.RESPONDENT:
            state = with_neutral_names(state)
        if standing_ is not Standing.STAFF:
            # A company routed to through its confidential list: staff and itself only.
            state = hide_undisclosed(state, viewer.organisation_id)
        return cls(state=state, standing=standing_, viewer=viewer)


def case_for(*, session: Session, reference: str, viewer: Viewer) -> VisibleCase:
    """The case from the read model as this viewer may see it; ``NotFound`` when unknown
    or not theirs to see (the two are not told apart)."""
    state = case_content.load_state(session=session, reference=reference)
    found = standing(viewer, state) if state is not None else None
    if state is None or found is None:
        raise case_not_found()
    if found is Standing.COMPLAINANT:
        viewer = as_complainant(session, viewer, state)
    return VisibleCase.seen(state, found, viewer)


def track_token(settings: Settings, reference: str, code_hash: str) -> str:
    """What the track cookie holds instead of the code: a keyed hash of the case's stored
    code hash, so it stops working when the code is replaced."""
    return keyed_hash(settings.secret_key, f"track:{reference}:{code_hash}")


def tracked_holder(session: Session, settings: Settings, reference: str, token: str) -> Viewer:
    """The holder of one of the case's access codes, as proven by the track cookie's token
    (made from the code's stored hash: a replaced code ends it); else anonymous."""
    for complainant in cases.case_complainants(session=session, reference=reference):
        stored = complainant.access_code_hash
        if stored is not None and hmac.compare_digest(
            track_token(settings, reference, stored), token
        ):
            return Viewer(code_for=reference, complainant=complainant.number)
    return ANONYMOUS


def code_viewer(session: Session, settings: Settings, reference: str, code: str) -> Viewer:
    """The holder of one of the case's access codes if it matches, else anonymous: a case
    that absorbed others (``merge_into``) opens to each of their complainants' codes. The
    code may be typed with spaces, dashes or another script's digits (``canonical``)."""
    presented = keyed_hash(settings.secret_key, canonical(code))
    for complainant in cases.case_complainants(session=session, reference=reference):
        stored = complainant.access_code_hash
        if stored is not None and hmac.compare_digest(stored, presented):
            return Viewer(code_for=reference, complainant=complainant.number)
    return ANONYMOUS  # a wrong code is treated as no code: the case answers 404
