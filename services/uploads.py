"""Documents of a case, for the JSON API and the pages alike: checks, storage, download."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol

from pydantic import ValidationError
from sqlmodel import Session
from temporalio.client import Client

from core.settings import Settings
from domain import rules
from domain.actions import ActionRequest, AddDocument
from domain.enums import Channel, Visibility
from domain.errors import ActionRefused
from domain.problems import NotFound, Problem, TooLarge, invalid_field
from services import audit, idempotency
from services.access import VisibleCase, actor_for, may_see
from services.content import detect
from services.engine import EngineTimeout, refused, run_action
from services.throttling import UPLOAD, Throttle
from store import access, documents
from store.tables import Document

MAX_BYTES = 20 * 1024 * 1024
CHUNK = 1024 * 1024
# What a multipart body may add to the file: boundaries, part headers, the small fields.
MULTIPART_OVERHEAD = 64 * 1024
# The largest body that is not a form with files (JSON actions with the longest texts).
OTHER_BODY = 4 * 1024 * 1024
TOO_LARGE = f"the file is larger than {MAX_BYTES // CHUNK} MB"
# What a multipart form may carry in all, by path (each file at most MAX_BYTES); one
# file's worth everywhere else. Counted while the body streams (api.body_limit).
FORM_BYTES = {"/complaint": 2 * MAX_BYTES, "/portal/registry": MAX_BYTES}
# What a file input's ``accept`` attribute lists, matching ``services.content.ACCEPTED``.
ACCEPT = (
    ".pdf,.jpg,.jpeg,.png,.webp,.heic,.heif,.docx,.xlsx,.odt,.txt,"
    ".mp3,.m4a,.ogg,.oga,.wav,.amr,.aac,.mp4,.webm,.mov,.3gp"
)
DOCUMENT_NOT_FOUND = "document not found"


class Upload(Protocol):
    """An uploaded file as a front end received it (starlette's ``UploadFile`` is one)."""

    @property
    def file(self) -> BinaryIO: ...

    @property
    def filename(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...


@dataclass(frozen=True)
class StoredFile:
    """A stored document as one reader may download it."""

    path: Path
    media_type: str
    filename: str


def clean_filename(name: str | None) -> str:
    """The file's base name without path parts or control characters, at most 255 long."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[-255:] or "document"


def check_upload(upload: Upload) -> str:
    """The type of the upload's content (``services.content.detect``); 415 for a type not
    accepted, 413 over the size limit."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise TooLarge(TOO_LARGE)
    return detect(upload.file)


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
                    raise TooLarge(TOO_LARGE)
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
    _drop_unused(session, path)


def _drop_unused(session: Session, path: Path) -> None:
    """Delete the stored content unless a document names it."""
    # An upload of the same bytes racing this check (file written, row not yet) could lose
    # its file, and its download would answer 404; rare enough not to lock for.
    if not documents.content_in_use(session=session, sha256=path.name):
        path.unlink(missing_ok=True)


async def add_document(
    *,
    case: VisibleCase,
    upload: Upload,
    visibility: Visibility,
    party: str | None = None,
    session: Session,
    client: Client,
    settings: Settings,
    throttle: Throttle,
    channel: Channel,
    idempotency_key: str | None = None,
) -> Document:
    """Check, store and put an uploaded file on the case's timeline; a ``Problem`` if refused.

    With ``party`` (staff only) the file concerns that one respondent company. With an
    idempotency key, a retry of the same upload answers the same document, added once.
    ``channel`` is how it came (its event records it).
    """
    actor = actor_for(case.viewer, case.standing)
    uploader = case.viewer.username or f"code:{case.state.reference}"
    throttle.take(UPLOAD, uploader)
    content_type = check_upload(upload)
    filename = clean_filename(upload.filename)
    directory = Path(settings.data_dir) / "documents"
    if idempotency_key is None:
        action = _action(secrets.token_hex(12), filename, visibility, party)
        _check(case, action)
        sha256, size = await asyncio.to_thread(_store, upload.file, directory)
        document = _document(case, action, content_type, sha256, size)
        await _record(case, action, document, session, client, directory, channel=channel)
        return document
    sha256, size = await asyncio.to_thread(_store, upload.file, directory)
    try:
        record, _ = await asyncio.to_thread(
            idempotency.claim,
            session,
            reference=case.state.reference,
            caller=actor.user,
            key=idempotency_key,
            request_digest=idempotency.digest(sha256, filename, visibility.value, party or ""),
        )
    except Problem:  # the key named another upload: keep no file for this one
        await asyncio.to_thread(_drop_unused, session, directory / sha256)
        raise
    earlier = (
        await asyncio.to_thread(
            documents.get_document,
            session=session,
            reference=case.state.reference,
            document_id=record.document_id,
        )
        if record.document_id
        else None
    )
    if earlier is not None and record.done:
        return earlier
    if earlier is None:  # the first try of this upload (or one that stopped before its row)
        action = _action(secrets.token_hex(12), filename, visibility, party)
        try:
            _check(case, action)
        except Problem:
            await asyncio.to_thread(idempotency.release, session, record)
            await asyncio.to_thread(_drop_unused, session, directory / sha256)
            raise
        record.document_id = action.document_id
        earlier = _document(case, action, content_type, sha256, size)
    else:  # a retry of an upload the engine did not answer in time: the same update
        action = _action(earlier.id, filename, visibility, party)
    try:
        await _record(
            case, action, earlier, session, client, directory, channel=channel, key=idempotency_key
        )
    except EngineTimeout:
        raise
    except Problem:
        await asyncio.to_thread(idempotency.release, session, record)
        raise
    await asyncio.to_thread(idempotency.finish, session, record)
    return earlier


def _action(
    document_id: str, filename: str, visibility: Visibility, party: str | None
) -> AddDocument:
    try:
        return AddDocument(
            action="add_document",
            document_id=document_id,
            filename=filename,
            visibility=visibility,
            party=party,
        )
    except ValidationError as invalid:  # only ``party`` comes unchecked from the caller
        raise invalid_field(("body", "party"), invalid.errors()[0]["msg"]) from None


def _check(case: VisibleCase, action: AddDocument) -> None:
    actor = actor_for(case.viewer, case.standing)
    try:
        rules.check(case.state, actor, action, datetime.now(UTC))
    except ActionRefused as error:
        raise refused(error) from None


def _document(
    case: VisibleCase, action: AddDocument, content_type: str, sha256: str, size: int
) -> Document:
    actor = actor_for(case.viewer, case.standing)
    return Document(
        id=action.document_id,
        reference=case.state.reference,
        filename=action.filename,
        content_type=content_type,
        size=size,
        sha256=sha256,
        storage_path=f"documents/{sha256}",
        visibility=action.visibility.value,
        party=action.party,
        uploaded_by=actor.user,
        side=actor.side.value if actor.side else None,
        uploaded_at=datetime.now(UTC),
    )


async def _record(
    case: VisibleCase,
    action: AddDocument,
    document: Document,
    session: Session,
    client: Client,
    directory: Path,
    *,
    channel: Channel,
    key: str | None = None,
) -> None:
    """Keep the document's row, then put it on the case; forget both if refused."""
    await asyncio.to_thread(_keep, session, document)
    actor = actor_for(case.viewer, case.standing).model_copy(update={"channel": channel})
    try:
        await run_action(
            client,
            session=session,
            reference=case.state.reference,
            request=ActionRequest(actor=actor, action=action),
            idempotency_key=key,
        )
    except EngineTimeout:
        raise  # the engine may still record it: keep the row and the file it would name
    except Problem:
        await asyncio.to_thread(_forget, session, document, directory / document.sha256)
        raise
    reference = case.state.reference
    await asyncio.to_thread(audit.record, session, case.viewer, reference, "add_document")


def _keep(session: Session, document: Document) -> None:
    if session.get(Document, document.id) is None:
        documents.add_document(session=session, document=document)
    session.commit()


def document_file(
    *, case: VisibleCase, document_id: str, session: Session, settings: Settings
) -> StoredFile:
    """The case's file if this caller may see it, by the name they see; ``NotFound``
    otherwise."""
    document = documents.get_document(
        session=session, reference=case.state.reference, document_id=document_id
    )
    if document is None or not may_see(
        case.standing,
        Visibility(document.visibility),
        party=document.party,
        organisation=case.viewer.organisation_id,
    ):
        raise NotFound(DOCUMENT_NOT_FOUND)
    audit.record(session, case.viewer, case.state.reference, "download", document=document.id)
    path = Path(settings.data_dir) / document.storage_path
    if not path.is_file():
        raise NotFound(DOCUMENT_NOT_FOUND)
    # The name as this caller sees it (a neutral one for the other side's files).
    shown = next((d.filename for d in case.state.documents if d.id == document.id), None)
    return StoredFile(
        path=path, media_type=document.content_type, filename=shown or document.filename
    )
