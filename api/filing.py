"""Filing a case: covenant lookup, reference, intake record, then the workflow."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session
from temporalio.client import Client

from api.errors import ApiError, field_error
from api.schemas import FiledOut
from api.workflow import begin_case, until_synced
from domain.cases import CaseStart
from domain.enums import Stage
from domain.procedure import Covenant
from domain.transitions import start_case
from redress.links import case_url
from redress.security import keyed_hash, new_secret
from redress.settings import Settings
from store import access, queries
from store.tables import Complainant

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_ATTEMPTS = 20

log = logging.getLogger("redress.api")


def covenant_or_422(*, session: Session, slug: str) -> Covenant:
    """The newest version of the covenant, or 422 on ``covenant`` listing the known ones."""
    covenant = queries.latest_covenant(session=session, slug=slug)
    if covenant is None:
        known = ", ".join(c.slug for c in queries.list_covenants(session=session)) or "none"
        raise field_error(["body", "covenant"], f"unknown covenant '{slug}'; known: {known}")
    return covenant


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
    raise ApiError(503, "could not allocate a case reference; try again")


@dataclass(frozen=True)
class Filed:
    """The filing answer, and whether the engine confirmed the case in time (201, else 202)."""

    out: FiledOut
    confirmed: bool


ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {
        "model": FiledOut,
        "description": "filed, but the case engine has not confirmed it yet: keep the access "
        "code; the case appears at status_url shortly",
    }
}


async def file_case(
    *,
    session: Session,
    client: Client,
    settings: Settings,
    start: CaseStart,
    complainant: Complainant,
) -> Filed:
    """Write the intake record, then start the workflow and wait for its first projection."""
    code = new_secret()
    complainant.reference = start.reference
    complainant.access_code_hash = keyed_hash(settings.secret_key, code)
    # The receipt e-mail carries the code once; the notifier clears it after sending.
    complainant.receipt_code = code
    access.add_complainant(session=session, complainant=complainant)
    session.commit()
    try:
        handle = await begin_case(client, task_queue=settings.task_queue, start=start)
    except ApiError:
        access.remove_complainant(session=session, reference=start.reference)
        session.commit()
        raise
    try:
        state = await until_synced(handle, start.reference)
    except ApiError:
        # The workflow has started and will run: answering an error now would lose the
        # access code (shown only here) and invite a second filing of the same case.
        log.warning("case %s started but not yet confirmed; answering 202", start.reference)
        stage = start_case(start).state.stage  # the pure first step the workflow takes
        return Filed(_answer(settings, start.reference, code, stage), confirmed=False)
    return Filed(_answer(settings, state.reference, code, state.stage), confirmed=True)


def _answer(settings: Settings, reference: str, code: str, stage: Stage) -> FiledOut:
    return FiledOut(
        reference=reference,
        access_code=code,
        stage=stage,
        status_url=case_url(settings, reference),
    )
