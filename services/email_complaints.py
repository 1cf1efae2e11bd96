"""Complaints sent by e-mail to a covenant's intake address, ``complaints+<slug>@<reply
domain>``: each becomes a draft for the covenant's secretariat to complete and file, with a
reference and an access code allocated at once, and its sender, when verified, gets a
receipt with both.

The inbound receiver (``services.inbound_mail``) asks ``intake_covenant`` whose address a
message went to, checks size, authentication and auto-replies, then calls
``receive_complaint``. The draft is stored first (once per Message-ID), then a
``DraftReceiptWorkflow`` sends the receipt until the mail server takes it: a crash before it
started fails the delivery, and the redelivery finds the draft and starts it.

Anyone can write to the intake address and put any address in From. So a new draft is
counted against two limits first (``Throttle``): per sender (keyed by a keyed hash of the
address, never the address) and for the whole intake; over either nothing is stored
(``SenderOverLimit``, ``IntakeOverLimit``). And the receipt goes out only when the receiving
server vouched for the sender (``mail_replies.verified_sender``: its Authentication-Results
under ``REDRESS_INBOUND_AUTHSERV_ID`` record dkim, spf or dmarc pass for the From's domain):
mailing a forged From would send a stranger a reference and an access code (backscatter).
An unverified complaint is still kept, for the secretariat, marked "sender not verified" on
its page, with no receipt and no sealed code. In local mode (``make run``, no MTA in front to
check anything) ``REDRESS_INTAKE_TRUST_LOCAL`` treats every sender as verified; outside local
mode it is ignored.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import os
import secrets
from datetime import UTC, datetime
from email.message import EmailMessage
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
from domain.problems import Invalid, NotFound, Problem, TooMany, Unavailable
from services import mail_replies
from services.content import detect
from services.email_complaint_mime import EmailedComplaint, guess_language, read_complaint
from services.engine import ENGINE_DOWN
from services.filing import new_reference
from services.throttling import Rule, Throttle
from services.uploads import MAX_BYTES, TOO_LARGE, clean_filename
from store import covenants, email_drafts
from store.tables import EmailDraft, EmailDraftFile
from workflows.draft_receipt import DraftReceiptWorkflow, receipt_workflow_id

INTAKE_MAILBOX = "complaints"
MAX_FILES = mail_replies.MAX_FILES
TOO_MANY_FILES = f"more than {MAX_FILES} files"
NO_SENDER = "the message names no sender to send a receipt to"
DRAFT_FILES = "email-drafts"  # under the data directory, content-addressed
ATTEMPTS = 5

log = logging.getLogger("redress.intake")


class SenderOverLimit(TooMany):
    """Too many complaints from one sender address: refused for good (SMTP 550)."""


class IntakeOverLimit(TooMany):
    """Too many complaints to the intake as a whole: not taken now (SMTP 451)."""


def sender_rule(settings: Settings) -> Rule:
    """New drafts per sender address (``REDRESS_INTAKE_RATE_PER_SENDER_PER_HOUR``)."""
    return Rule(
        "intake-sender",
        f"{settings.intake_rate_per_sender_per_hour}/hour",
        "too many complaints from this sender",
    )


def intake_rule(settings: Settings) -> Rule:
    """New drafts on the whole intake (``REDRESS_INTAKE_RATE_PER_HOUR``)."""
    return Rule("intake", f"{settings.intake_rate_per_hour}/hour", "too many complaints received")


def _count_new_draft(throttle: Throttle, settings: Settings, sender: str) -> None:
    """Count a new draft against both limits, or refuse it (nothing counted) when either is
    spent. The sender is counted by a keyed hash: the counters hold no address."""
    per_sender, overall = sender_rule(settings), intake_rule(settings)
    key = keyed_hash(settings.secret_key, f"intake-sender:{sender.lower()}")
    try:
        throttle.refuse_if_spent(per_sender, key)
    except TooMany as spent:
        raise SenderOverLimit(str(spent), spent.retry_after) from None
    try:
        throttle.refuse_if_spent(overall, "all")
    except TooMany as spent:
        raise IntakeOverLimit(str(spent), spent.retry_after) from None
    throttle.count(per_sender, key)
    throttle.count(overall, "all")


def sender_verified(message: EmailMessage, settings: Settings) -> bool:
    """Whether a receipt may go to the message's From: the receiving server vouched for it,
    or local mode was told to trust its own mail (``REDRESS_INTAKE_TRUST_LOCAL``)."""
    if settings.local_mode and settings.intake_trust_local:
        return True
    return mail_replies.verified_sender(message, settings.inbound_authserv_id)


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


def _file(
    settings: Settings, draft_id: str, number: int, attachment: mail_replies.MailFile
) -> EmailDraftFile:
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
    session: Session,
    settings: Settings,
    throttle: Throttle,
    covenant: str,
    complaint: EmailedComplaint,
    verified: bool,
) -> tuple[str, bool]:
    """The draft of this message (its id, and whether its sender was verified), stored now
    unless a delivery before stored it (blocking). A new one is counted against the limits
    first (``SenderOverLimit``, ``IntakeOverLimit``); a redelivery is not."""
    try:
        found = email_drafts.draft_by_message(session=session, message_key=complaint.message_key)
        if found is not None:
            return found.id, found.sender_verified
        chosen = covenants.latest_covenant(session=session, slug=covenant)
        if chosen is None:
            raise NotFound(f"unknown covenant '{covenant}'")
        assert complaint.sender is not None
        _count_new_draft(throttle, settings, complaint.sender)
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
                # Sealed for the receipt only when one will be sent.
                receipt_code=(
                    sealer(settings).seal(code, email_drafts.receipt_code_context(draft_id))
                    if verified
                    else None
                ),
                sender_email=complaint.sender,
                sender_verified=verified,
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
                    "e-mailed complaint kept as draft %s (%d files, sender %s)",
                    draft.reference,
                    len(files),
                    "verified" if verified else "not verified",
                )
                return draft_id, verified
            found = email_drafts.draft_by_message(
                session=session, message_key=complaint.message_key
            )
            if found is not None:  # a redelivery at the same time stored it first
                return found.id, found.sender_verified
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
    raw: bytes,
    *,
    covenant: str,
    session: Session,
    client: Client,
    settings: Settings,
    throttle: Throttle,
) -> bool:
    """Make the e-mailed complaint (RFC 5322 bytes) a draft of the covenant's and, when its
    sender is verified, have the sender sent a receipt; a redelivered message (the same
    Message-ID) adds nothing. Whether the sender was verified (a receipt goes out).

    ``Invalid`` without exactly one sender, ``NotFound`` for an unknown covenant,
    ``SenderOverLimit`` or ``IntakeOverLimit`` past the limits (nothing stored),
    ``Unavailable`` when the receipt cannot be handed to the engine (the delivery should be
    retried: the retry finds the draft and starts the receipt).
    """
    message = mail_replies.parse(raw)
    complaint = read_complaint(message, raw)
    if complaint.sender is None:
        raise Invalid(NO_SENDER)
    verified = sender_verified(message, settings)
    draft_id, verified = await asyncio.to_thread(
        _keep_draft, session, settings, throttle, covenant, complaint, verified
    )
    if verified:
        await send_receipt(client, settings, draft_id)
    return verified
