"""Filing a case: what complaints and disputes share, from the lookups to the workflow."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session
from temporalio.client import Client

from core.links import api_case_url
from core.security import keyed_hash, new_secret, pseudonym
from core.settings import Settings
from domain.cases import CaseStart, Party
from domain.enums import CaseKind, IssueKind, Stage
from domain.problems import Problem, Unavailable, invalid_field
from domain.procedure import Covenant
from domain.transitions import start_case
from services.case_models import FiledOut
from services.engine import begin_case, until_synced
from store import access, covenants, organisations
from store.tables import Complainant, Organisation

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_ATTEMPTS = 20

log = logging.getLogger("redress.api")


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


def reference_prefix(slug: str) -> str:
    """The covenant's reference prefix: the initials of its slug, e.g. GT."""
    return "".join(part[0] for part in slug.split("-") if part).upper() or "RX"


def new_reference(*, session: Session, covenant: Covenant, now: datetime) -> str:
    """A fresh reference like ``GT-2026-4K7Q9``, retried on the (rare) collision."""
    year = now.astimezone(ZoneInfo(covenant.procedure.timezone)).year
    for _ in range(REFERENCE_ATTEMPTS):
        code = "".join(secrets.choice(CROCKFORD) for _ in range(5))
        reference = f"{reference_prefix(covenant.slug)}-{year}-{code}"
        if not access.reference_taken(session=session, reference=reference):
            return reference
    raise Unavailable("could not allocate a case reference; try again")


@dataclass(frozen=True)
class Filer:
    """Who files, as the intake record keeps them (identity and contact, never in Temporal)."""

    name: str
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None
    represents: str | None = None
    language: str = "en"
    user_id: int | None = None


@dataclass(frozen=True)
class Filing:
    """What a filing route establishes; ``file_case`` adds what every new case shares."""

    kind: CaseKind
    covenant: Covenant
    respondents: list[Party]
    filer: Filer
    subject: str
    description: str
    complainant_organisation_id: str | None = None
    confidential: bool = False
    remedy_sought: str = ""
    issues: list[IssueKind] = field(default_factory=list)
    urgent: bool = False


def _case_start(filing: Filing, reference: str, now: datetime) -> CaseStart:
    covenant = filing.covenant
    return CaseStart(
        reference=reference,
        kind=filing.kind,
        covenant=covenant.slug,
        covenant_name=covenant.name,
        procedure=covenant.procedure,
        confidential=filing.confidential,
        pseudonym=pseudonym(reference),
        complainant_organisation_id=filing.complainant_organisation_id,
        respondents=filing.respondents,
        subject=filing.subject,
        description=filing.description,
        issues=filing.issues,
        remedy_sought=filing.remedy_sought,
        urgent=filing.urgent,
        filed_at=now,
    )


def _intake(filing: Filing, reference: str, access_code_hash: str, code: str) -> Complainant:
    filer = filing.filer
    return Complainant(
        reference=reference,
        name=filer.name,
        organisation=filer.organisation,
        email=filer.email,
        phone=filer.phone,
        represents=filer.represents,
        language=filer.language,
        confidential=filing.confidential,
        filer_user_id=filer.user_id,
        access_code_hash=access_code_hash,
        # The receipt e-mail carries the code once; the notifier clears it after sending.
        receipt_code=code,
    )


@dataclass(frozen=True)
class Filed:
    """A filed case's answer, and whether its workflow confirmed the filing in time."""

    answer: FiledOut
    confirmed: bool


async def file_case(
    *,
    session: Session,
    client: Client,
    settings: Settings,
    filing: Filing,
) -> Filed:
    """Write the intake record, start the workflow, wait (bounded) for its first projection
    (``confirmed`` is false when the workflow started but did not confirm in time)."""
    now = datetime.now(UTC)
    code = new_secret()
    reference = await asyncio.to_thread(_take_reference, session, settings, filing, code, now)
    start = _case_start(filing, reference, now)
    try:
        handle = await begin_case(client, task_queue=settings.task_queue, start=start)
    except Problem:
        await asyncio.to_thread(_give_back, session, reference)
        raise
    try:
        state = await until_synced(handle, reference)
    except Problem:
        # The workflow has started and will run: answering an error now would lose the
        # access code (shown only here) and invite a second filing of the same case.
        log.warning("case %s started but not yet confirmed", reference)
        stage = start_case(start).state.stage  # the pure first step the workflow takes
        return Filed(_answer(settings, reference, code, stage), confirmed=False)
    return Filed(_answer(settings, reference, code, state.stage), confirmed=True)


def _take_reference(
    session: Session, settings: Settings, filing: Filing, code: str, now: datetime
) -> str:
    """A new reference, with the complainant's intake record written under it (blocking)."""
    reference = new_reference(session=session, covenant=filing.covenant, now=now)
    intake = _intake(filing, reference, keyed_hash(settings.secret_key, code), code)
    access.add_complainant(session=session, complainant=intake)
    session.commit()
    return reference


def _give_back(session: Session, reference: str) -> None:
    """Drop the intake record of a case whose workflow could not start (blocking)."""
    access.remove_complainant(session=session, reference=reference)
    session.commit()


def _answer(settings: Settings, reference: str, code: str, stage: Stage) -> FiledOut:
    return FiledOut(
        reference=reference,
        access_code=code,
        stage=stage,
        status_url=api_case_url(settings, reference),
    )
