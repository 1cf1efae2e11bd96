"""``POST /api/v1/complaints``: anyone (rate limited) or a union files a complaint."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status

from api.access import Viewer
from api.deps import ClientDep, SessionDep, SettingsDep, ViewerDep
from api.filing import ACCEPTED
from api.intake import check_complaint_filer, submit_complaint
from api.schemas import INVALID, ErrorOut, FiledOut
from domain.filing import FileComplaintInput

router = APIRouter(prefix="/api/v1", tags=["complaints"], responses=INVALID)


def complaint_filer(viewer: ViewerDep) -> Viewer:
    """The caller if they may file: a union user, or an anonymous caller (rate limited)."""
    check_complaint_filer(viewer)
    return viewer


FilerDep = Annotated[Viewer, Depends(complaint_filer)]
# What filing open to anyone (a complaint or a signal) may answer besides 201 and 422.
OPEN_FILING_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ACCEPTED,
    403: {"model": ErrorOut, "description": "signed in with a role that may not file"},
    429: {"model": ErrorOut, "description": "rate limited; see Retry-After"},
    503: {"model": ErrorOut, "description": "the case engine is unavailable"},
}


@router.post(
    "/complaints",
    status_code=status.HTTP_201_CREATED,
    response_model=FiledOut,
    responses=OPEN_FILING_RESPONSES,
)
async def file_complaint(
    body: FileComplaintInput,
    filer: FilerDep,
    request: Request,
    response: Response,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
) -> FiledOut:
    """File a complaint; the answer carries the reference and, once, the access code."""
    return await submit_complaint(
        body=body,
        filer=filer,
        request=request,
        response=response,
        session=session,
        client=client,
        settings=settings,
    )
