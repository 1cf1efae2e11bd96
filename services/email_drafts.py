"""The secretariat's side of complaints sent by e-mail: the drafts of the covenants they
work on, filing one (the case takes the draft's reference and access code, its files become
the complainant's documents, its filing event's channel is e-mail) or discarding it, each
read and change in the audit trail; and what the tracking page shows the draft's sender."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import BinaryIO

from sqlmodel import Session
from temporalio.client import Client

from core.access_codes import canonical
from core.security import keyed_hash
from core.settings import Settings
from domain.enums import Channel, Role, Visibility
from domain.filing import FileComplaintInput
from domain.problems import Conflict, NotFound, NotPermitted, Unavailable
from services import audit
from services.access import ANONYMOUS, Standing, Viewer, VisibleCase, standing
from services.email_complaints import draft_file_path
from services.filing import Drafted, Filed, file_case
from services.filing_keys import FilingRequest
from services.intake import complaint_filing
from services.listing_matches import ListingMatch, send_note_later
from services.throttling import Throttle
from services.uploads import add_document
from store import case_content, email_drafts
from store.email_drafts import DISCARDED, FILED, RECEIVED
from store.tables import EmailDraft, EmailDraftFile

SECRETARIAT_ONLY = "only the secretariat handles complaints sent by e-mail"
DRAFT_NOT_FOUND = "e-mailed complaint not found"
CLOSED = "this e-mailed complaint has been filed or discarded already"
NOT_YET = (
    "the case {reference} was filed but has not shown up yet, so the e-mail's files are not "
    "on it: file the e-mailed complaint again in a minute (nothing is filed twice)"
)
FILING_CALLER = "email-draft"  # whose filing keys a draft's filings are, one per draft


@dataclass(frozen=True)
class DraftView:
    """A draft as the secretariat reads it, with the files it came with."""

    draft: EmailDraft
    files: list[EmailDraftFile]


def _secretariat(viewer: Viewer) -> None:
    if viewer.role is not Role.SECRETARIAT:
        raise NotPermitted(SECRETARIAT_ONLY)


def open_drafts(*, session: Session, viewer: Viewer) -> list[EmailDraft]:
    """The drafts waiting in the covenants the secretary works on, oldest first."""
    _secretariat(viewer)
    return email_drafts.open_drafts(session=session, covenants=viewer.covenants)


def _draft(session: Session, viewer: Viewer, draft_id: str) -> EmailDraft:
    _secretariat(viewer)
    draft = email_drafts.get_draft(session=session, draft_id=draft_id)
    if draft is None or draft.covenant not in viewer.covenants:
        raise NotFound(DRAFT_NOT_FOUND)
    return draft


def read_draft(*, session: Session, viewer: Viewer, draft_id: str) -> DraftView:
    """One draft of the secretary's covenants (``NotFound`` otherwise), the read audited."""
    draft = _draft(session, viewer, draft_id)
    files = email_drafts.draft_files(session=session, draft_id=draft.id)
    audit.record(session, viewer, draft.reference, "email_draft_read")
    return DraftView(draft, files)


def _drop_files(session: Session, settings: Settings, files: list[EmailDraftFile]) -> None:
    """Delete a closed draft's stored files (filed: the case has its own copies; discarded:
    nobody needs them), unless a draft still waiting holds the same content (blocking)."""
    for kept in files:
        if kept.sha256 and not email_drafts.content_waiting(session=session, sha256=kept.sha256):
            draft_file_path(settings, kept.sha256).unlink(missing_ok=True)


def discard_draft(
    *, session: Session, settings: Settings, viewer: Viewer, draft_id: str, reason: str
) -> None:
    """Discard an open draft with a reason (spam, a duplicate …); its sender hears nothing,
    and the files it came with are deleted."""
    draft = _draft(session, viewer, draft_id)
    closed = email_drafts.close_draft(
        session=session,
        draft_id=draft.id,
        state=DISCARDED,
        by=viewer.username or "",
        at=datetime.now(UTC),
        reason=reason.strip()[:2000] or None,
    )
    if not closed:
        session.rollback()
        raise Conflict(CLOSED)
    session.commit()
    audit.record(session, viewer, draft.reference, "email_draft_discarded")
    _drop_files(session, settings, email_drafts.draft_files(session=session, draft_id=draft.id))


def _filing_request(settings: Settings, draft: EmailDraft) -> FilingRequest:
    """One filing per draft, whoever files it and however often: a second one answers as
    the first did, and one cut short is taken up again (``services.filing_keys``)."""
    return FilingRequest(
        caller=FILING_CALLER,
        key=draft.id,
        key_hash=keyed_hash(settings.secret_key, f"filing-key\0{FILING_CALLER}\0{draft.id}"),
        digest=hashlib.sha256(draft.id.encode()).hexdigest(),
    )


@dataclass(frozen=True)
class _StoredFile:
    """A draft's kept file, as ``services.uploads.add_document`` reads an upload."""

    file: BinaryIO
    filename: str
    size: int


async def _attach(
    session: Session,
    client: Client,
    settings: Settings,
    throttle: Throttle,
    reference: str,
    files: list[EmailDraftFile],
    visibility: Visibility,
) -> None:
    """Put the draft's files on the case as its complainant's documents (each once)."""
    state = await asyncio.to_thread(case_content.load_state, session=session, reference=reference)
    complainant = Viewer(code_for=reference, complainant=1)
    if state is None or standing(complainant, state) is not Standing.COMPLAINANT:
        raise Unavailable(NOT_YET.format(reference=reference))
    case = VisibleCase.seen(state, Standing.COMPLAINANT, complainant)
    for kept in files:
        if kept.sha256 is None:
            continue  # refused at receipt (type, size): the draft page said so
        path = draft_file_path(settings, kept.sha256)
        with path.open("rb") as source:
            await add_document(
                case=case,
                upload=_StoredFile(source, kept.filename, kept.size),
                visibility=visibility,
                session=session,
                client=client,
                settings=settings,
                throttle=throttle,
                channel=Channel.EMAIL,
                idempotency_key=f"email-draft-{kept.draft_id}-file-{kept.number}",
            )


async def file_draft(
    *,
    session: Session,
    client: Client,
    settings: Settings,
    throttle: Throttle,
    viewer: Viewer,
    draft_id: str,
    body: FileComplaintInput,
    visibility: Visibility,
) -> Filed:
    """File the completed complaint of an open draft, as its sender's, under the draft's
    reference and access code; the e-mail's files become the complainant's documents with
    ``visibility``. ``Invalid`` for a company, location or field that does not fit (the
    draft stays open), ``Conflict`` once filed or discarded."""
    view = await asyncio.to_thread(read_draft, session=session, viewer=viewer, draft_id=draft_id)
    draft = view.draft
    if draft.state != RECEIVED:
        raise Conflict(CLOSED)
    body = body.model_copy(update={"covenant": draft.covenant})
    matched: list[ListingMatch] = []
    check = partial(complaint_filing, session=session, body=body, filer=ANONYMOUS, matched=matched)
    try:
        filing = await asyncio.to_thread(check)
    finally:
        await asyncio.to_thread(session.commit)  # end the checks' read before Temporal
    filing = replace(
        filing,
        channel=Channel.EMAIL,
        drafted=Drafted(reference=draft.reference, access_code_hash=draft.access_code_hash),
    )
    once = _filing_request(settings, draft)
    filed = await file_case(
        session=session, client=client, settings=settings, filing=filing, once=once
    )
    if matched:
        send_note_later(client, session=session, reference=draft.reference, matches=matched)
    await _attach(session, client, settings, throttle, draft.reference, view.files, visibility)
    await asyncio.to_thread(_filed, session, settings, viewer, draft, view.files)
    return filed


def _filed(
    session: Session,
    settings: Settings,
    viewer: Viewer,
    draft: EmailDraft,
    files: list[EmailDraftFile],
) -> None:
    now = datetime.now(UTC)
    by = viewer.username or ""
    email_drafts.close_draft(
        session=session, draft_id=draft.id, state=FILED, by=by, at=now, reason=None
    )
    session.commit()
    audit.record(session, viewer, draft.reference, "email_draft_filed")
    _drop_files(session, settings, files)


def draft_for_code(
    *, session: Session, settings: Settings, reference: str, code: str
) -> EmailDraft | None:
    """The draft still waiting under this reference whose access code this is, or None
    (once filed, the case answers to the same code)."""
    draft = email_drafts.draft_by_reference(session=session, reference=reference)
    if draft is None or draft.state != RECEIVED:
        return None
    presented = keyed_hash(settings.secret_key, canonical(code))
    return draft if hmac.compare_digest(draft.access_code_hash, presented) else None
