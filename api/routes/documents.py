"""``/api/v1/cases/{reference}/documents``: upload (parties, staff) and download a file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile, status
from fastapi.responses import FileResponse

from api.deps import ClientDep, IdempotencyKey, SessionDep, SettingsDep, VisibleCaseDep
from api.files import attachment
from api.schemas import BODY, CASE, ENGINE, INVALID, ErrorOut, responses, too_many
from api.throttle import throttle_of
from domain.enums import Channel, Side, Visibility
from services.case_models import DocumentOut
from services.case_views import document_url
from services.content import ACCEPTED
from services.uploads import add_document, document_file

router = APIRouter(prefix="/api/v1/cases", tags=["documents"], responses=INVALID)
BINARY = {"type": "string", "format": "binary"}


@router.post(
    "/{reference}/documents",
    status_code=status.HTTP_201_CREATED,
    response_model=DocumentOut,
    responses=responses(
        {
            403: {
                "model": ErrorOut,
                "description": "the caller may not add documents, or not set `party`",
            },
            409: {"model": ErrorOut, "description": "the case is closed or suspended"},
            413: {"model": ErrorOut, "description": "larger than 20 MB"},
            415: {"model": ErrorOut, "description": "the content is not of an accepted type"},
        },
        CASE,
        BODY,
        ENGINE,
        too_many("too many uploads from this caller"),
    ),
)
async def upload_document(
    reference: str,
    file: Annotated[
        UploadFile, File(description="a document or recording; its content decides its type")
    ],
    visibility: Annotated[Visibility, Form(description="who may see the document")],
    case: VisibleCaseDep,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
    request: Request,
    party: Annotated[
        str | None,
        Form(
            max_length=64,
            description="staff only: the one respondent company (organisation id) it "
            "concerns; the other respondents do not see it",
        ),
    ] = None,
    idempotency_key: IdempotencyKey = None,
) -> DocumentOut:
    """Store an uploaded file and put it on the case's timeline."""
    document = await add_document(
        case=case,
        upload=file,
        visibility=visibility,
        party=party or None,
        session=session,
        client=client,
        settings=settings,
        throttle=throttle_of(request),
        channel=Channel.API,
        idempotency_key=idempotency_key,
    )
    return DocumentOut(
        id=document.id,
        filename=document.filename,
        visibility=visibility,
        party=document.party,
        uploaded_at=document.uploaded_at,
        by_side=Side(document.side) if document.side else None,
        content_type=document.content_type,
        size=document.size,
        url=document_url(settings, reference, document.id),
    )


@router.get(
    "/{reference}/documents/{id}",
    response_class=FileResponse,
    responses={
        200: {
            "content": {kind: {"schema": BINARY} for kind in sorted(set(ACCEPTED.values()))},
            "description": "the file, as the type its content was found to be",
        },
        **CASE,
    },
)
def download_document(
    id: str, case: VisibleCaseDep, session: SessionDep, settings: SettingsDep
) -> FileResponse:
    """The file as an attachment, if the caller may see it."""
    return attachment(document_file(case=case, document_id=id, session=session, settings=settings))
