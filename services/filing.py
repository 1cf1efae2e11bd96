"""Filing a case: what complaints and disputes share, from the reference to the workflow."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session
from temporalio.client import Client

from core.access_codes import new_access_code
from core.links import api_case_url
from core.security import keyed_hash, pseudonym
from core.settings import Settings
from domain.cases import CaseStart, Party
from domain.enums import CaseKind, Channel, IssueKind, Stage
from domain.problems import Problem, Unavailable
from domain.procedure import Covenant
from domain.transitions import start_case
from services import filing_keys
from services.case_models import FiledOut
from services.engine import open_case
from services.filing_keys import Claim, ClaimLost, FilingRequest, Replay
from store import access, email_drafts
from store.tables import Complainant

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_ATTEMPTS = 20
# What a keyed filing's first answer was, as the API's status: a retry answers the same.
CONFIRMED, UNCONFIRMED = 201, 202

log = logging.getLogger("redress.api")


def reference_prefix(slug: str) -> str:
    """The covenant's reference prefix: the initials of its slug, e.g. GT."""
    return "".join(part[0] for part in slug.split("-") if part).upper() or "RX"


def new_reference(*, session: Session, covenant: Covenant, now: datetime) -> str:
    """A fresh reference like ``GT-2026-4K7Q9``, retried on the (rare) collision."""
    year = now.astimezone(ZoneInfo(covenant.procedure.timezone)).year
    for _ in range(REFERENCE_ATTEMPTS):
        code = "".join(secrets.choice(CROCKFORD) for _ in range(5))
        reference = f"{reference_prefix(covenant.slug)}-{year}-{code}"
        taken = access.reference_taken(session=session, reference=reference)
        if not taken and not email_drafts.reference_taken(session=session, reference=reference):
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
    notices: str = "email"  # or "sms": texts to ``phone`` besides the e-mail


@dataclass(frozen=True)
class Drafted:
    """The reference and access code a complaint sent by e-mail was given at receipt (its
    draft's): the case takes both; the code went to the sender then, only its hash is here."""

    reference: str
    access_code_hash: str


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
    channel: Channel | None = None  # how it came: its filing event records it
    drafted: Drafted | None = None  # filed from an e-mailed complaint's draft


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
        per_company=True,  # mediation consent, plans and orders per company
        channel=filing.channel,
    )


def _intake(filing: Filing, reference: str, access_code_hash: str, code: str | None) -> Complainant:
    filer = filing.filer
    return Complainant(
        reference=reference,
        name=filer.name,
        organisation=filer.organisation,
        email=filer.email,
        phone=filer.phone,
        represents=filer.represents,
        language=filer.language,
        notices=filer.notices,
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
    once: FilingRequest | None = None,
    admit: Callable[[], None] | None = None,
) -> Filed:
    """Write the intake record, start the workflow, wait (bounded) for its first projection
    (``confirmed`` is false when the workflow started but did not confirm in time).

    Under an idempotency key (``once``) a retry files nothing more and answers as the first
    request did; ``admit`` (a rate limit) is asked only when a case is about to be filed.
    """
    if once is None:
        if admit is not None:
            admit()
        return await _file_new(session, client, settings, filing, None)
    held = await filing_keys.claim(session=session, settings=settings, request=once)
    if isinstance(held, Replay):
        stage = Stage(held.stage)
        answer = _answer(settings, held.reference, held.access_code, stage)
        return Filed(answer, confirmed=held.status_code == CONFIRMED)
    try:
        if held.reference is None:
            if admit is not None:
                await asyncio.to_thread(_admit_or_forget, session, once, held, admit)
            filed = await _file_new(session, client, settings, filing, (once, held))
        else:
            filed = await _resume(session, client, settings, filing, once, held)
    except Problem:
        raise
    except BaseException:  # cancelled, or a fault: let a retry take the filing up at once
        _let_go(session, once, held)
        raise
    status_code = CONFIRMED if filed.confirmed else UNCONFIRMED
    answer = filed.answer
    try:
        await asyncio.to_thread(
            filing_keys.keep_answer, session, once, answer.reference, answer.stage, status_code
        )
    except Exception as exc:
        # The case is filed and its reference and sealed code are kept: answer now; a retry
        # takes the filing over when the claim lapses and answers the same.
        log.warning("case %s filed, its answer not kept: %s", answer.reference, type(exc).__name__)
    return filed


async def _file_new(
    session: Session,
    client: Client,
    settings: Settings,
    filing: Filing,
    keyed: tuple[FilingRequest, Claim] | None,
) -> Filed:
    now = datetime.now(UTC)
    # Digits a person copies by hand (issue 23); a draft's code was sent at its receipt.
    code = new_access_code() if filing.drafted is None else ""
    reference = await asyncio.to_thread(
        _take_reference, session, settings, filing, code, now, keyed
    )
    try:
        return await _start(client, settings, filing, reference, code, now)
    except Problem:
        await asyncio.to_thread(_give_back, session, reference, keyed)
        raise


async def _resume(
    session: Session,
    client: Client,
    settings: Settings,
    filing: Filing,
    once: FilingRequest,
    held: Claim,
) -> Filed:
    """Go on with a filing whose request died after taking its reference (its workflow may
    have started: starting it again is idempotent)."""
    assert held.reference is not None and held.code_cipher is not None
    code = filing_keys.unseal(settings, once, held.reference, held.code_cipher)
    log.info("resuming the filing of case %s", held.reference)
    try:
        return await _start(client, settings, filing, held.reference, code, datetime.now(UTC))
    except Problem:
        # Not given back: the workflow may have started before; the next retry goes on.
        await asyncio.to_thread(filing_keys.let_go, session, once, held)
        raise


async def _start(
    client: Client, settings: Settings, filing: Filing, reference: str, code: str, now: datetime
) -> Filed:
    """Start the case's workflow (a ``Problem`` if it cannot) and wait for its first state."""
    start = _case_start(filing, reference, now)
    state = await open_case(client, task_queue=settings.task_queue, start=start)
    if state is None:
        # The workflow has started and will run: answering an error now would lose the
        # access code (shown only here) and invite a second filing of the same case.
        log.warning("case %s started but not yet confirmed", reference)
        stage = start_case(start).state.stage  # the pure first step the workflow takes
        return Filed(_answer(settings, reference, code, stage), confirmed=False)
    return Filed(_answer(settings, reference, code, state.stage), confirmed=True)


def _admit_or_forget(
    session: Session, once: FilingRequest, held: Claim, admit: Callable[[], None]
) -> None:
    """Ask the rate limit; when it refuses, nothing was filed under the key (blocking)."""
    try:
        admit()
    except Problem:
        filing_keys.forget(session, once, held)
        session.commit()
        raise


def _let_go(session: Session, once: FilingRequest, held: Claim) -> None:
    # Its own session: the request's may still be in use by a thread the cancel left running.
    try:
        with Session(session.get_bind()) as own:
            filing_keys.let_go(own, once, held)
    except Exception as exc:  # the claim lapses by itself after its lease
        log.warning("could not release a filing claim: %s", type(exc).__name__)


def _take_reference(
    session: Session,
    settings: Settings,
    filing: Filing,
    code: str,
    now: datetime,
    keyed: tuple[FilingRequest, Claim] | None,
) -> str:
    """A new reference, with the complainant's intake record written under it, and kept
    with the idempotency key's claim if any (blocking, one transaction)."""
    try:
        if filing.drafted is None:
            reference = new_reference(session=session, covenant=filing.covenant, now=now)
            intake = _intake(filing, reference, keyed_hash(settings.secret_key, code), code)
        else:
            reference = filing.drafted.reference
            intake = _intake(filing, reference, filing.drafted.access_code_hash, None)
        access.add_complainant(session=session, complainant=intake)
        if keyed is not None:
            filing_keys.keep_reference(session, settings, *keyed, reference, code)
    except ClaimLost:
        session.rollback()  # a retry holds the filing now: it files, this request does not
        raise
    except Problem:
        session.rollback()
        if keyed is not None:
            filing_keys.forget(session, *keyed)  # nothing was filed under the key
            session.commit()
        raise
    session.commit()
    return reference


def _give_back(session: Session, reference: str, keyed: tuple[FilingRequest, Claim] | None) -> None:
    """Drop the intake record of a case whose workflow could not start, and its key, unless
    a retry took the filing over meanwhile (its workflow may have started) (blocking)."""
    if keyed is None or filing_keys.forget(session, *keyed):
        access.remove_complainant(session=session, reference=reference)
    session.commit()


def _answer(settings: Settings, reference: str, code: str, stage: Stage) -> FiledOut:
    return FiledOut(
        reference=reference,
        access_code=code,
        stage=stage,
        status_url=api_case_url(settings, reference),
    )
