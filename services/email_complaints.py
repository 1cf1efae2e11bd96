"""Complaints sent by e-mail to a covenant's intake address, ``complaints+<slug>@<reply
domain>``: each becomes a draft for the covenant's secretariat to complete and file, with a
reference and an access code allocated at once, and its sender gets a receipt with both.

The inbound receiver (``services.inbound_mail``) asks ``intake_covenant`` whose address a
message went to, checks size, authentication and auto-replies, then calls
``receive_complaint``. The draft is stored first (once per Message-ID), then a
``DraftReceiptWorkflow`` sends the receipt until the mail server takes it: a crash before it
started fails the delivery, and the redelivery finds the draft and starts it.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import os
import secrets
from datetime import UTC, datetime
from email.utils import parseaddr
from functools import cache
from pathlib import Path

from sqlmodel import Session
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from core.access_codes import new_access_code
from core.sealing import sealer
from core.security import keyed_hash
from core.settings import Settings
from domain.problems import Invalid, NotFound, Problem, Unavailable
from services.content import detect
from services.email_complaint_mime import (
    Attachment,
    EmailedComplaint,
    guess_language,
    parse_complaint,
)
from services.engine import ENGINE_DOWN
from services.filing import new_reference
from services.uploads import MAX_BYTES, TOO_LARGE, clean_filename
from store import covenants, email_drafts
from store.tables import EmailDraft, EmailDraftFile
from workflows.draft_receipt import DraftReceiptWorkflow, receipt_workflow_id

INTAKE_MAILBOX = "complaints"
MAX_FILES = 10
TOO_MANY_FILES = f"more than {MAX_FILES} files"
NO_SENDER = "the message names no sender to send a receipt to"
DRAFT_FILES = "email-drafts"  # under the data directory, content-addressed
ATTEMPTS = 5

log = logging.getLogger("redress.intake")


def intake_address(settings: Settings, covenant: str) -> str | None:
    """The covenant's intake address, or None when no reply domain receives mail."""
    domain = settings.reply_domain.strip()
    return f"{INTAKE_MAILBOX}+{covenant}@{domain}" if domain else None


@cache
def _covenant_slugs() -> frozenset[str]:
    return frozenset(c.slug for c in covenants.load_covenant_files())


def intake_covenant(address: str, settings: Settings) -> str | None:
    """The covenant whose intake address this is (``complaints+<slug>@<reply domain>``,
    case-blind), or None."""
    domain = settings.reply_domain.strip().lower()
    local, _, host = parseaddr(address)[1].strip().lower().rpartition("@")
    mailbox, plus, slug = local.partition("+")
    if not domain or host != domain or mailbox != INTAKE_MAILBOX or not plus:
        return None
    return slug if slug in _covenant_slugs() else None


def draft_file_path(settings: Settings, sha256: str) -> Path:
    """Where a draft's file is kept until the draft is filed."""
    return Path(settings.data_dir) / DRAFT_FILES / sha256


def _keep_file(settings: Settings, content: bytes) -> str:
    """Write the content under its sha256 (blocking); the hash."""
    sha256 = hashlib.sha256(content).hexdigest()
    path = draft_file_path(settings, sha256)
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".part-{secrets.token_hex(8)}")
        partial.write_bytes(content)
        os.replace(partial, path)
    return sha256


def _file(settings: Settings, draft_id: str, number: int, attachment: Attachment) -> EmailDraftFile:
    """The attachment checked as an upload is (size, sniffed type) and kept, or its refusal."""
    row = EmailDraftFile(
        draft_id=draft_id,
        number=number,
        filename=clean_filename(attachment.filename),
        size=len(attachment.content),
    )
    if number > MAX_FILES:
        row.problem = TOO_MANY_FILES
    elif len(attachment.content) > MAX_BYTES:
        row.problem = TOO_LARGE
    else:
        try:
            row.content_type = detect(io.BytesIO(attachment.content))
        except Problem as refused:
            row.problem = str(refused)[:200]
        else:
            row.sha256 = _keep_file(settings, attachment.content)
    return row


def _keep_draft(
    session: Session, settings: Settings, covenant: str, complaint: EmailedComplaint
) -> str:
    """The draft of this message, stored now unless a delivery before stored it (blocking)."""
    try:
        found = email_drafts.draft_by_message(session=session, message_key=complaint.message_key)
        if found is not None:
            return found.id
        chosen = covenants.latest_covenant(session=session, slug=covenant)
        if chosen is None:
            raise NotFound(f"unknown covenant '{covenant}'")
        assert complaint.sender is not None
        now = datetime.now(UTC)
        for _ in range(ATTEMPTS):
            draft_id = secrets.token_hex(12)
            code = new_access_code()
            draft = EmailDraft(
                id=draft_id,
                message_key=complaint.message_key,
                reference=new_reference(session=session, covenant=chosen, now=now),
                covenant=chosen.slug,
                access_code_hash=keyed_hash(settings.secret_key, code),
                receipt_code=sealer(settings).seal(code, f"email-draft:{draft_id}"),
                sender_email=complaint.sender,
                sender_name=complaint.name,
                language=guess_language(f"{complaint.subject}\n{complaint.text}"),
                subject=complaint.subject,
                text=complaint.text,
                received_at=now,
            )
            files = [
                _file(settings, draft_id, number, attachment)
                for number, attachment in enumerate(complaint.attachments, start=1)
            ]
            if email_drafts.add_draft(session=session, draft=draft, files=files):
                log.info(
                    "e-mailed complaint kept as draft %s (%d files)", draft.reference, len(files)
                )
                return draft_id
            found = email_drafts.draft_by_message(
                session=session, message_key=complaint.message_key
            )
            if found is not None:  # a redelivery at the same time stored it first
                return found.id
        raise Unavailable("could not allocate a reference for the e-mailed complaint; try again")
    finally:
        session.commit()  # end the read: no connection held while Temporal is called


async def send_receipt(client: Client, settings: Settings, draft_id: str) -> None:
    """Have the draft's receipt sent (once: a draft's workflow never runs twice)."""
    try:
        await client.start_workflow(
            DraftReceiptWorkflow.run,
            draft_id,
            id=receipt_workflow_id(draft_id),
            task_queue=settings.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
    except WorkflowAlreadyStartedError:
        pass  # it ran already for an earlier delivery
    except RPCError as exc:
        log.error("could not start the receipt of draft %s: RPC %s", draft_id, exc.status.name)
        raise Unavailable(ENGINE_DOWN) from None


async def receive_complaint(
    raw: bytes, *, covenant: str, session: Session, client: Client, settings: Settings
) -> None:
    """Make the e-mailed complaint (RFC 5322 bytes) a draft of the covenant's and have its
    sender sent a receipt; a redelivered message (the same Message-ID) adds nothing.

    ``Invalid`` without a sender, ``NotFound`` for an unknown covenant, ``Unavailable`` when
    the receipt cannot be handed to the engine (the delivery should be retried: the retry
    finds the draft and starts the receipt).
    """
    complaint = parse_complaint(raw)
    if complaint.sender is None:
        raise Invalid(NO_SENDER)
    draft_id = await asyncio.to_thread(_keep_draft, session, settings, covenant, complaint)
    await send_receipt(client, settings, draft_id)
