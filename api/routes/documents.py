"""``/api/v1/cases/{reference}/documents``: upload (parties, staff) and download a file."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import unicodedata
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, File, Form, Request, Response, UploadFile, status
from fastapi.responses import FileResponse
from fastapi.routing import APIRoute
from sqlmodel import Session

from api.access import actor_for, may_see
from api.deps import ClientDep, SessionDep, SettingsDep, VisibleCaseDep
from api.errors import ApiError, not_found
from api.schemas import INVALID, DocumentOut, ErrorOut
from api.views import document_url
from api.workflow import EngineTimeout, refused, run_action
from domain import rules
from domain.actions import ActionRequest, AddDocument
from domain.enums import Visibility
from domain.errors import ActionRefused
from store import access, auth_queries
from store.tables import Document

MAX_BYTES = 20 * 1024 * 1024
CHUNK = 1024 * 1024
# What a multipart body may add to the file: boundaries, part headers, the visibility field.
MULTIPART_OVERHEAD = 64 * 1024
TOO_LARGE = f"the file is larger than {MAX_BYTES // CHUNK} MB"
CONTENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "video/mp4",
        "audio/ogg",
        "video/ogg",
        "application/ogg",
    }
)
DOCUMENT_NOT_FOUND = "document not found"


def clean_filename(name: str | None) -> str:
    """The file's base name without path parts or control characters, at most 255 long."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[-255:] or "document"


def refuse_oversized(request: Request) -> None:
    """413 when the declared body is larger than any upload may be, before reading it."""
    declared = request.headers.get("content-length")
    if declared is None:
        return  # a chunked body: the count while storing still stops it at the limit
    try:
        size = int(declared)
    except ValueError:
        raise ApiError(400, "invalid Content-Length header") from None
    if size > MAX_BYTES + MULTIPART_OVERHEAD:
        raise ApiError(413, TOO_LARGE)


class SizeCheckedRoute(APIRoute):
    """Checks ``Content-Length`` before FastAPI parses a multipart body.

    A dependency cannot do this: FastAPI reads the whole form (spooling files to disk)
    before it solves any dependency of the route.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, behind the size check."""
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            refuse_oversized(request)
            return await handler(request)

        return checked


router = APIRouter(
    prefix="/api/v1/cases", tags=["documents"], responses=INVALID, route_class=SizeCheckedRoute
)


def _store(source: BinaryIO, directory: Path) -> tuple[str, int]:
    """Write the upload content-addressed under ``directory``; its sha256 and size (blocking)."""
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".upload-{secrets.token_hex(8)}"
    digest, size = hashlib.sha256(), 0
    try:
        with partial.open("wb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ApiError(413, TOO_LARGE)
                digest.update(chunk)
                out.write(chunk)
        sha256 = digest.hexdigest()
        os.replace(partial, directory / sha256)
        return sha256, size
    finally:
        partial.unlink(missing_ok=True)


def _forget(session: Session, document: Document, path: Path) -> None:
    """Drop the document's row, and its file unless another document has the same content."""
    access.remove_document(session=session, document_id=document.id)
    session.commit()
    # An upload of the same bytes racing this check (file written, row not yet) could lose
    # its file, and its download would answer 404; rare enough not to lock for.
    if not auth_queries.content_in_use(session=session, sha256=document.sha256):
        path.unlink(missing_ok=True)


@router.post(
    "/{reference}/documents",
    status_code=status.HTTP_201_CREATED,
    response_model=DocumentOut,
    responses={
        403: {"model": ErrorOut, "description": "the caller may not add documents"},
        404: {"model": ErrorOut, "description": "unknown, or not the caller's to see"},
        409: {"model": ErrorOut, "description": "the case is closed or suspended"},
        413: {"model": ErrorOut, "description": "larger than 20 MB"},
        415: {"model": ErrorOut, "description": "content type not accepted"},
    },
)
async def upload_document(
    reference: str,
    file: Annotated[UploadFile, File(description="pdf, jpeg, png, txt, docx, xlsx, mp4 or ogg")],
    visibility: Annotated[Visibility, Form(description="who may see the document")],
    case: VisibleCaseDep,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
) -> DocumentOut:
    """Store an uploaded file and put it on the case's timeline."""
    content_type = (file.content_type or "").split(";")[0].strip().lower()
    if content_type not in CONTENT_TYPES:
        accepted = ", ".join(sorted(CONTENT_TYPES))
        raise ApiError(415, f"content type '{content_type}' is not accepted; use one of {accepted}")
    filename = clean_filename(file.filename)
    actor = actor_for(case.viewer, case.standing)
    document_id = secrets.token_hex(12)
    action = AddDocument(
        action="add_document", document_id=document_id, filename=filename, visibility=visibility
    )
    try:
        rules.check(case.state, actor, action, datetime.now(UTC))
    except ActionRefused as error:
        raise refused(error) from None
    directory = Path(settings.data_dir) / "documents"
    sha256, size = await asyncio.to_thread(_store, file.file, directory)
    document = Document(
        id=document_id,
        reference=reference,
        filename=filename,
        content_type=content_type,
        size=size,
        sha256=sha256,
        storage_path=f"documents/{sha256}",
        visibility=visibility.value,
        uploaded_by=actor.user,
        side=actor.side.value if actor.side else None,
        uploaded_at=datetime.now(UTC),
    )
    auth_queries.add_document(session=session, document=document)
    session.commit()
    try:
        await run_action(
            client,
            session=session,
            reference=reference,
            request=ActionRequest(actor=actor, action=action),
        )
    except EngineTimeout:
        raise  # the engine may still record it: keep the row and the file it would name
    except ApiError:
        _forget(session, document, directory / sha256)
        raise
    return DocumentOut(
        id=document_id,
        filename=filename,
        visibility=visibility,
        uploaded_at=document.uploaded_at,
        by_side=actor.side,
        content_type=content_type,
        size=size,
        url=document_url(settings, reference, document_id),
    )


@router.get(
    "/{reference}/documents/{id}",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "the file"},
        404: {"model": ErrorOut, "description": "unknown, or not the caller's to see"},
    },
)
def download_document(
    id: str, case: VisibleCaseDep, session: SessionDep, settings: SettingsDep
) -> FileResponse:
    """The file as an attachment, if the caller may see it."""
    document = auth_queries.get_document(
        session=session, reference=case.state.reference, document_id=id
    )
    if document is None or not may_see(case.standing, Visibility(document.visibility)):
        raise not_found(DOCUMENT_NOT_FOUND)
    path = Path(settings.data_dir) / document.storage_path
    if not path.is_file():
        raise not_found(DOCUMENT_NOT_FOUND)
    return FileResponse(
        path,
        media_type=document.content_type,
        filename=document.filename,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff"},
    )
