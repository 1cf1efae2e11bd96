"""Filing a complaint or a signal (for the JSON API and the complaint form alike), or a
dispute: the covenant and parties checked, then filed once per ``Idempotency-Key``.

Complaints and signals take the same body; they differ only in the kind of case that starts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from sqlmodel import Session
from temporalio.client import Client

from core.settings import Settings
from domain.cases import Party
from domain.enums import CaseKind, Channel, Role
from domain.filing import FileComplaintInput, FileDisputeInput
from domain.problems import NotPermitted, invalid_field
from domain.procedure import Covenant
from services.access import Viewer
from services.filing import Filed, Filer, Filing, file_case
from services.filing_keys import filing_request
from services.listing_matches import ListingMatch, find_matches, routed, send_note_later
from services.throttling import Throttle
from services.throttling import filing as filing_rule
from store import covenants, locations, organisations
from store.tables import Organisation

LOCATION_LOC = ["body", "respondent", "production_location"]
COMPANY_LOC = ["body", "respondent", "company"]
MAY_NOT_FILE = "complaints and signals are filed anonymously or by a union account"
SIGNAL_NEEDS_LOCATION = (
    "a signal concerns a listed production location: name it, and every company of the "
    "covenant that sources there is asked for due diligence"
)


def known_covenant(*, session: Session, slug: str) -> Covenant:
    """The newest version of the covenant, or ``Invalid`` on ``covenant`` listing the known ones."""
    covenant = covenants.latest_covenant(session=session, slug=slug)
    if covenant is None:
        known = ", ".join(c.slug for c in covenants.list_covenants(session=session)) or "none"
        raise invalid_field(["body", "covenant"], f"unknown covenant '{slug}'; known: {known}")
    return covenant


def known_party(
    *,
    session: Session,
    covenant: str,
    key: str,
    loc: Sequence[str],
    kind: str | None = None,
) -> Organisation:
    """The covenant's party (of that kind) named by id or name, or ``Invalid`` on ``loc``."""
    party = organisations.covenant_party(session=session, covenant=covenant, key=key, kind=kind)
    if party is None:
        noun, role = (kind, f"{kind} party") if kind else ("organisation", "party")
        raise invalid_field(
            loc, f"unknown {noun} '{key}': not a {role} to the covenant '{covenant}'"
        )
    return party


def check_complaint_filer(viewer: Viewer) -> None:
    """``NotPermitted`` unless the caller may file a complaint or signal: a union user, or
    anonymous."""
    if viewer.signed_in and viewer.role is not Role.UNION:
        raise NotPermitted(MAY_NOT_FILE)


def count_anonymous_filing(
    throttle: Throttle, address: str, filer: Viewer, settings: Settings
) -> None:
    """Count an anonymous filing against its address; ``TooMany`` over the rate."""
    if not filer.signed_in:
        throttle.take(filing_rule(settings), address)


def respondents(
    *, session: Session, covenant: str, company_key: str | None, location_id: str | None
) -> list[Party]:
    """Who the complaint is against: the named company, or every company of the covenant
    that lists the production location (the named one first), each checked (``Invalid`` if not)."""
    company = None
    if company_key:
        company = known_party(
            session=session, covenant=covenant, key=company_key, kind="company", loc=COMPANY_LOC
        )
    if location_id is None:
        assert company is not None  # the input model asks for a company or a location
        return [Party(organisation_id=company.id, name=company.name)]
    location = locations.get_location(session=session, location_id=location_id)
    if location is None:
        raise invalid_field(LOCATION_LOC, f"unknown production location '{location_id}'")
    sourcing = locations.location_companies(
        session=session, location_id=location.id, covenant=covenant
    )
    if company is not None and all(c.id != company.id for c in sourcing):
        raise invalid_field(
            LOCATION_LOC, f"{company.name} is not known to source from '{location.name}'"
        )
    if not sourcing:
        raise invalid_field(
            LOCATION_LOC, f"no company of the covenant lists '{location.name}'; name the company"
        )
    ordered = sorted(sourcing, key=lambda c: company is None or c.id != company.id)
    return [
        Party(organisation_id=c.id, name=c.name, production_location_id=location.id)
        for c in ordered
    ]


def complaint_filing(
    *,
    session: Session,
    body: FileComplaintInput,
    filer: Viewer,
    kind: CaseKind = CaseKind.COMPLAINT,
    matched: list[ListingMatch] | None = None,
) -> Filing:
    """The filing of a complaint (or signal), its covenant, company and location checked
    (``Invalid`` if not); routed also to the companies whose confidential lists name its
    factory (added to ``matched``)."""
    if kind is CaseKind.SIGNAL and body.respondent.production_location is None:
        raise invalid_field(LOCATION_LOC, SIGNAL_NEEDS_LOCATION, "missing")
    covenant = known_covenant(session=session, slug=body.covenant)
    parties = respondents(
        session=session,
        covenant=covenant.slug,
        company_key=body.respondent.company,
        location_id=body.respondent.production_location,
    )
    matches = find_matches(
        session=session,
        covenant=covenant.slug,
        texts=[body.subject, body.description, body.remedy_sought],
        location_id=body.respondent.production_location,
    )
    if matched is not None:
        matched.extend(matches)
    parties = routed(parties, matches)
    person = body.complainant
    return Filing(
        kind=kind,
        covenant=covenant,
        respondents=parties,
        filer=Filer(
            name=person.name,
            organisation=person.organisation,
            email=str(person.email) if person.email else None,
            phone=person.phone,
            represents=person.represents,
            language=person.language,
            user_id=filer.user_id,
            notices=person.notices,
        ),
        complainant_organisation_id=filer.organisation_id if filer.signed_in else None,
        confidential=person.confidential,
        subject=body.subject,
        description=body.description,
        issues=body.issues,
        remedy_sought=body.remedy_sought,
        urgent=body.urgent,
    )


def _read(session: Session, check: Callable[[], Filing]) -> Filing:
    """Run the checks, then end their transaction (blocking): a pooled connection must not
    stay checked out while the request awaits a thread or Temporal, or a burst of filings
    holds every connection while the threads that would release them wait for one."""
    try:
        return check()
    finally:
        session.commit()


async def submit_complaint(
    *,
    body: FileComplaintInput,
    filer: Viewer,
    throttle: Throttle,
    address: str,
    session: Session,
    client: Client,
    settings: Settings,
    channel: Channel,
    kind: CaseKind = CaseKind.COMPLAINT,
    idempotency_key: str | None = None,
) -> Filed:
    """Check and file a complaint (or signal) from ``address`` that came by ``channel``; a
    retry under the same ``idempotency_key`` files nothing more and answers as the first."""
    check_complaint_filer(filer)
    matched: list[ListingMatch] = []
    check = partial(
        complaint_filing, session=session, body=body, filer=filer, kind=kind, matched=matched
    )
    filing = replace(await asyncio.to_thread(_read, session, check), channel=channel)
    once = filing_request(
        settings=settings, viewer=filer, key=idempotency_key, kind=kind, body=body
    )
    # Only a filing that is about to start counts (not a retry, nor a filer fixing a form).
    admit = partial(count_anonymous_filing, throttle, address, filer, settings)
    filed = await file_case(
        session=session, client=client, settings=settings, filing=filing, once=once, admit=admit
    )
    if matched:
        send_note_later(client, session=session, reference=filed.answer.reference, matches=matched)
    return filed


async def submit_dispute(
    *,
    body: FileDisputeInput,
    viewer: Viewer,
    session: Session,
    client: Client,
    settings: Settings,
    channel: Channel,
    idempotency_key: str | None = None,
) -> Filed:
    """Check and file a party's dispute; once per ``idempotency_key``, as complaints are."""
    filing = await asyncio.to_thread(
        _read, session, partial(dispute_filing, session=session, body=body, viewer=viewer)
    )
    filing = replace(filing, channel=channel)
    once = filing_request(
        settings=settings, viewer=viewer, key=idempotency_key, kind=CaseKind.DISPUTE, body=body
    )
    return await file_case(
        session=session, client=client, settings=settings, filing=filing, once=once
    )


def dispute_filing(*, session: Session, body: FileDisputeInput, viewer: Viewer) -> Filing:
    """A party's dispute against another party to the same covenant, both checked."""
    covenant = known_covenant(session=session, slug=body.covenant)
    own_id = viewer.organisation_id
    if own_id is None or not organisations.is_covenant_party(
        session=session, covenant=covenant.slug, organisation_id=own_id
    ):
        raise NotPermitted(f"only a party to the covenant '{covenant.slug}' may bring a dispute")
    own = organisations.get_organisation(session=session, organisation_id=own_id)
    assert own is not None
    loc = ["body", "respondent", "organisation"]
    other = known_party(
        session=session, covenant=covenant.slug, key=body.respondent.organisation, loc=loc
    )
    if other.id == own.id:
        raise invalid_field(loc, "a party cannot bring a dispute against itself")
    return Filing(
        kind=CaseKind.DISPUTE,
        covenant=covenant,
        respondents=[Party(organisation_id=other.id, name=other.name)],
        filer=Filer(
            name=viewer.display_name or own.name,
            organisation=own.name,
            email=viewer.email,
            language=body.language,
            user_id=viewer.user_id,
        ),
        complainant_organisation_id=own.id,
        subject=body.subject,
        description=body.description,
        remedy_sought=body.remedy_sought,
    )
