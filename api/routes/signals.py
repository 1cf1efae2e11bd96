"""``POST /api/v1/signals``: anyone (rate limited) or a union reports an abuse at a location."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from api.deps import ClientDep, SessionDep, SettingsDep
from api.intake import submit_complaint
from api.routes.complaints import OPEN_FILING_RESPONSES, FilerDep
from api.schemas import INVALID, FiledOut
from domain.enums import CaseKind
from domain.filing import FileComplaintInput

router = APIRouter(prefix="/api/v1", tags=["signals"], responses=INVALID)


@router.post(
    "/signals",
    status_code=status.HTTP_201_CREATED,
    response_model=FiledOut,
    responses=OPEN_FILING_RESPONSES,
)
async def file_signal(
    body: FileComplaintInput,
    filer: FilerDep,
    request: Request,
    response: Response,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
) -> FiledOut:
    """Report an abuse at a listed production location (a signal, not yet a complaint).

    The body is a complaint's; ``respondent.production_location`` is required. The
    secretariat passes the signal on to every company of the covenant that lists the
    location, asking each for due diligence and remediation by a deadline; it may later
    turn the signal into a formal complaint under the same reference.
    """
    return await submit_complaint(
        body=body,
        filer=filer,
        request=request,
        response=response,
        session=session,
        client=client,
        settings=settings,
        kind=CaseKind.SIGNAL,
    )
