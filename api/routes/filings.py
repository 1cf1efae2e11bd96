"""``POST /api/v1/complaints``, ``/signals`` and ``/disputes``: filing a new case.

Complaints and signals are open to anyone (rate limited per address) and to union
accounts; a dispute is brought by a signed-in party to a covenant against another. Each
takes an ``Idempotency-Key``: a retry files nothing more and answers as the first request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status

from api.deps import (
    ClientDep,
    IdempotencyKey,
    SessionDep,
    SettingsDep,
    SignedInDep,
    ViewerDep,
)
from api.schemas import (
    BODY,
    ENGINE,
    INVALID,
    SIGNED_IN,
    TOKEN,
    ErrorOut,
    Responses,
    responses,
    too_many,
)
from api.throttle import client_address, throttle_of
from domain.enums import CaseKind, Channel
from domain.filing import FileComplaintInput, FileDisputeInput
from services.access import Viewer
from services.case_models import FiledOut
from services.filing import Filed
from services.intake import check_complaint_filer, submit_complaint, submit_dispute

router = APIRouter(prefix="/api/v1", responses=INVALID)

# What every filing may answer besides 201 and 422.
FILING_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: {
        "model": FiledOut,
        "description": "filed, but the case engine has not confirmed it yet: keep the access "
        "code; the case appears at status_url shortly",
    },
    # Only under an Idempotency-Key, while the first request with that key is still filing.
    409: {
        "model": ErrorOut,
        "description": "a filing with the same Idempotency-Key is still under way: retry "
        "with the same key and body shortly",
    },
}
# What filing open to anyone (a complaint or a signal) may answer besides 201 and 422.
OPEN_FILING_RESPONSES: Responses = responses(
    FILING_RESPONSES,
    {403: {"model": ErrorOut, "description": "signed in with a role that may not file"}},
    too_many("too many filings from this address"),
    TOKEN,
    BODY,
    ENGINE,
)


def complaint_filer(viewer: ViewerDep) -> Viewer:
    """The caller if they may file: a union user, or an anonymous caller (rate limited)."""
    check_complaint_filer(viewer)
    return viewer


FilerDep = Annotated[Viewer, Depends(complaint_filer)]


def _answer(filed: Filed, response: Response) -> FiledOut:
    """201, or 202 when the workflow has not confirmed the filing yet."""
    if not filed.confirmed:
        response.status_code = status.HTTP_202_ACCEPTED
    return filed.answer


@dataclass(frozen=True)
class OpenFiling:
    """What filing a complaint or a signal takes besides its body: the caller, where it
    comes from (for the rate limit), and the request's parts."""

    filer: FilerDep
    request: Request
    response: Response
    session: SessionDep
    client: ClientDep
    settings: SettingsDep
    idempotency_key: IdempotencyKey = None

    async def file(self, body: FileComplaintInput, kind: CaseKind) -> FiledOut:
        """File it as a case of ``kind``: 201, or 202 when not confirmed yet."""
        filed = await submit_complaint(
            body=body,
            filer=self.filer,
            throttle=throttle_of(self.request),
            address=client_address(self.request, self.settings),
            session=self.session,
            client=self.client,
            settings=self.settings,
            channel=Channel.API,
            kind=kind,
            idempotency_key=self.idempotency_key,
        )
        return _answer(filed, self.response)


OpenFilingDep = Annotated[OpenFiling, Depends()]


@router.post(
    "/complaints",
    status_code=status.HTTP_201_CREATED,
    response_model=FiledOut,
    responses=OPEN_FILING_RESPONSES,
    tags=["complaints"],
)
async def file_complaint(body: FileComplaintInput, filing: OpenFilingDep) -> FiledOut:
    """File a complaint; the answer carries the reference and, once, the access code."""
    return await filing.file(body, CaseKind.COMPLAINT)


@router.post(
    "/signals",
    status_code=status.HTTP_201_CREATED,
    response_model=FiledOut,
    responses=OPEN_FILING_RESPONSES,
    tags=["signals"],
)
async def file_signal(body: FileComplaintInput, filing: OpenFilingDep) -> FiledOut:
    """Report an abuse at a listed production location (a signal, not yet a complaint).

    The body is a complaint's; ``respondent.production_location`` is required. The
    secretariat passes the signal on to every company of the covenant that lists the
    location, asking each for due diligence and remediation by a deadline; it may later
    turn the signal into a formal complaint under the same reference.
    """
    return await filing.file(body, CaseKind.SIGNAL)


@router.post(
    "/disputes",
    status_code=status.HTTP_201_CREATED,
    response_model=FiledOut,
    responses=responses(
        FILING_RESPONSES,
        {403: {"model": ErrorOut, "description": "the caller's organisation is not a party"}},
        SIGNED_IN,
        BODY,
        ENGINE,
    ),
    tags=["disputes"],
)
async def file_dispute(
    body: FileDisputeInput,
    viewer: SignedInDep,
    response: Response,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> FiledOut:
    """File a dispute against another party to the same covenant."""
    filed = await submit_dispute(
        body=body,
        viewer=viewer,
        session=session,
        client=client,
        settings=settings,
        channel=Channel.API,
        idempotency_key=idempotency_key,
    )
    return _answer(filed, response)
