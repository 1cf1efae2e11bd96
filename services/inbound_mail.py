"""Mail received for the reply domain: a reply to a notice lands on its case as a message
(and documents) of the person the notice was sent to; a complaint sent to a covenant's
intake address becomes a draft (``services.email_complaints``); anything else is refused,
and the refusal logged with the token id and the reason only (never an address or a name).

A reply is refused, with nothing posted, when its token is forged (bad HMAC), unknown or
revoked, when it is over the size limit, when the receiving server's authentication checks
(``Authentication-Results``) say dkim, spf or dmarc failed, when its From is not the address
the notice was sent to, or when that person no longer stands where the notice found them.
An automatic reply (out of office, a bounce) is ignored. The text is cut of the quoted
notice and the signature (``services.quoted_text``); on a confidential case a complainant's
own name and addresses are taken out of it, so that a company reading it learns nothing of
who wrote. Attached files go through the upload checks (``services.uploads``). The
Message-ID is the idempotency key: a redelivered message posts once.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from enum import StrEnum
from typing import BinaryIO

from sqlmodel import Session
from temporalio.client import Client

from core.reply_tokens import reply_key, reply_token_in, token_id_of
from core.settings import Settings
from domain.actions.messages import AddMessage
from domain.enums import Channel, Visibility
from domain.problems import Problem, TooLarge, TooMany, Unavailable
from services import mail_replies
from services.access import Standing, VisibleCase
from services.acting import act_on_case
from services.content import detect
from services.email_complaints import (
    IntakeOverLimit,
    SenderOverLimit,
    intake_covenant,
    receive_complaint,
)
from services.quoted_text import MAX_CHARS, reply_text
from services.redaction import redact
from services.reply_senders import case_of_reply, viewer_for
from services.throttling import Throttle
from services.uploads import MAX_BYTES, TOO_LARGE, add_document
from store import cases, organisations, reply_addresses
from store.tables import ReplyAddress

log = logging.getLogger("redress.inbound_mail")

NOT_OURS = "not an address of the reply domain"
FORGED = "forged token"
UNKNOWN = "unknown token"
REVOKED = "revoked token"
TOO_BIG = "over the size limit"
NOT_AUTHENTIC = "failed the receiving server's authentication check"
WRONG_SENDER = "the From is not the address the notice was sent to"
NO_LONGER = "the recipient no longer stands on the case as the notice found them"
EMPTY = "nothing to post"
TOLD_NO_LONGER = "this address no longer reaches the case; use the case page"
TOLD_REFUSED = "the case does not take this message now; see the case page"
TOLD_TOO_MANY = "too many complaints from this address; write again later"
NOTE_ROOM = 1000  # of a message's characters, kept for the note on files left out


class Outcome(StrEnum):
    """What became of a received message."""

    POSTED = "posted"  # on the case (a redelivery: posted once, answered alike)
    IGNORED = "ignored"  # an automatic reply, or nothing in it to post: accepted, dropped
    REFUSED = "refused"  # not accepted, nothing posted (SMTP 550)
    RETRY = "retry"  # the engine did not answer: nothing lost, deliver again (SMTP 451)


@dataclass(frozen=True)
class Handled:
    """The outcome, why, and (posted) on which case with how many documents."""

    outcome: Outcome
    reason: str = ""
    reference: str | None = None
    documents: int = 0
    # What the sender's server may be told (its bounce says it): only for a refusal once the
    # sender is known to be the one the notice went to, and in words that name no one.
    told: str = ""


@dataclass(frozen=True)
class _File:
    """An attachment as ``services.uploads`` takes an upload."""

    file: BinaryIO
    filename: str | None
    size: int | None


def recipient_refusal(settings: Settings, address: str) -> str | None:
    """Why mail for this address is refused at RCPT time (neither a covenant's intake
    address nor a reply address, or a forged token), without a lookup; None for an intake
    address or a reply address with a genuine token."""
    address = parseaddr(address)[1] or address
    if intake_covenant(address, settings) is not None:
        return None
    token = reply_token_in(settings, address)
    if token is None:
        return NOT_OURS
    if token_id_of(reply_key(settings.secret_key), token) is None:
        return FORGED
    return None


def _refused(reason: str, token_id: str | None, *, told: str = "") -> Handled:
    log.warning("reply refused: token %s: %s", token_id or "-", reason)
    return Handled(Outcome.REFUSED, reason, told=told)


def screen(raw: bytes, settings: Settings) -> tuple[EmailMessage | None, str | None, str | None]:
    """The checks every inbound message passes first (size, the server's authentication
    checks, automatic replies): the parsed message, a refusal, or why it is ignored."""
    if len(raw) > settings.inbound_max_bytes:
        return None, TOO_BIG, None
    message = mail_replies.parse(raw)
    failed = mail_replies.authentication_failure(message, settings.inbound_authserv_id)
    if failed is not None:
        return None, f"{NOT_AUTHENTIC} ({failed})", None
    return message, None, mail_replies.automatic(message)


def _address_row(
    session: Session, settings: Settings, recipient: str
) -> tuple[ReplyAddress | None, str | None, str | None]:
    """The issued address a recipient names: the row, or the refusal and the token id."""
    token = reply_token_in(settings, parseaddr(recipient)[1] or recipient)
    if token is None:
        return None, NOT_OURS, None
    token_id = token_id_of(reply_key(settings.secret_key), token)
    if token_id is None:
        return None, FORGED, None
    row = reply_addresses.get_reply_address(session=session, token_id=token_id)
    if row is None:
        return None, UNKNOWN, token_id
    if row.revoked_at is not None:
        return None, REVOKED, token_id
    return row, None, token_id


async def receive_reply(
    raw: bytes,
    *,
    recipient: str,
    session: Session,
    client: Client,
    settings: Settings,
    throttle: Throttle,
) -> Handled:
    """Post a reply (RFC 5322 bytes) sent to ``recipient`` (``reply+<token>@…``) on its case
    as the person the token was issued to; see the module's docstring for what is refused."""
    row, refusal, token_id = await asyncio.to_thread(_address_row, session, settings, recipient)
    if row is None:
        return _refused(refusal or UNKNOWN, token_id)
    message, refusal, automatic = screen(raw, settings)
    if message is None:
        return _refused(refusal or TOO_BIG, row.id)
    if mail_replies.sender(message) != row.email:
        return _refused(WRONG_SENDER, row.id)
    if automatic is not None:
        log.info("reply ignored: token %s: automatic (%s)", row.id, automatic)
        return Handled(Outcome.IGNORED, automatic)
    case = await asyncio.to_thread(_case, session, settings, row)
    if case is None:
        return _refused(NO_LONGER, row.id, told=TOLD_NO_LONGER)
    try:
        return await _post(message, raw, row, case, session, client, settings, throttle)
    except (Unavailable, TooMany) as busy:  # the engine is down or slow: the server retries
        log.warning("reply deferred: token %s: %s", row.id, type(busy).__name__)
        return Handled(Outcome.RETRY, str(busy))
    except Problem as problem:  # the case refused the message (closed, withdrawn …)
        reason = f"the case refused it ({type(problem).__name__})"
        return _refused(reason, row.id, told=TOLD_REFUSED)


def _case(session: Session, settings: Settings, row: ReplyAddress) -> VisibleCase | None:
    viewer = viewer_for(session, settings, row)
    return case_of_reply(session, viewer, row) if viewer is not None else None


def _identity_terms(session: Session, case: VisibleCase, message: EmailMessage) -> list[str]:
    """What names a confidential complainant: its record's name, organisation, addresses
    and phone, its account's name and organisation, and how its mail program signs."""
    reference, viewer = case.state.reference, case.viewer
    terms = [mail_replies.sender(message) or "", mail_replies.sender_name(message)]
    for each in cases.case_complainants(session=session, reference=reference):
        if viewer.complainant in (None, each.number):
            terms += [each.name, each.organisation or "", each.email or "", each.phone or ""]
    if viewer.display_name:
        terms.append(viewer.display_name)
    if viewer.organisation_id:
        found = organisations.get_organisation(
            session=session, organisation_id=viewer.organisation_id
        )
        terms.append(found.name if found else "")
    return [t for t in terms if t]


def _checked_files(found: Iterable[mail_replies.MailFile]) -> tuple[list[_File], list[str]]:
    """The attachments that pass the upload checks, and why each other one does not."""
    files: list[_File] = []
    refused: list[str] = []
    for number, attachment in enumerate(found):
        if number >= mail_replies.MAX_FILES:
            refused.append(f"more than {mail_replies.MAX_FILES} files")
            continue
        if len(attachment.content) > MAX_BYTES:
            refused.append(TOO_LARGE)
            continue
        upload = _File(io.BytesIO(attachment.content), attachment.filename, len(attachment.content))
        try:
            detect(upload.file)
        except Problem as problem:
            refused.append(str(problem))
            continue
        files.append(upload)
    return files, refused


def _note(refused: list[str]) -> str:
    """What the message says of the files left out (reasons only: a name may identify)."""
    if not refused:
        return ""
    reasons = "; ".join(dict.fromkeys(refused))
    return f"[{len(refused)} attached file(s) not added: {reasons}]"


async def _post(
    message: EmailMessage,
    raw: bytes,
    row: ReplyAddress,
    case: VisibleCase,
    session: Session,
    client: Client,
    settings: Settings,
    throttle: Throttle,
) -> Handled:
    key = f"mail:{mail_replies.message_key(message, raw)}"
    ours = [parseaddr(settings.mail_from)[1], f"@{settings.reply_domain}"]
    language = str(message.get("Content-Language", "")).split(",")[0].strip()[:2] or None
    body = mail_replies.body_text(message)
    text = reply_text(body, language=language, ours=ours, limit=MAX_CHARS - NOTE_ROOM)
    if case.state.confidential and case.standing is Standing.COMPLAINANT:
        text = redact(text, await asyncio.to_thread(_identity_terms, session, case, message))
    files, refused = _checked_files(mail_replies.attachments(message))
    text = "\n\n".join(part for part in (text, _note(refused)) if part)
    if not text and not files:
        log.info("reply ignored: token %s: %s", row.id, EMPTY)
        return Handled(Outcome.IGNORED, EMPTY)
    # The mechanism's own people answer for the committee's eyes; the parties as they write
    # on the case page (both sides and the committee read it).
    visibility = Visibility.COMMITTEE if case.standing is Standing.STAFF else Visibility.PARTIES
    if text:
        action = AddMessage(action="add_message", text=text, visibility=visibility)
        await act_on_case(
            case=case,
            action=action,
            session=session,
            client=client,
            channel=Channel.EMAIL,
            idempotency_key=key,
        )
    for number, upload in enumerate(files, start=1):
        try:
            await add_document(
                case=case,
                upload=upload,
                visibility=visibility,
                session=session,
                client=client,
                settings=settings,
                throttle=throttle,
                channel=Channel.EMAIL,
                idempotency_key=f"{key}:{number}",
            )
        except TooLarge:
            log.warning("reply: token %s: file %d over the size limit", row.id, number)
    log.info("reply posted: token %s: case %s, %d file(s)", row.id, row.reference, len(files))
    return Handled(Outcome.POSTED, reference=row.reference, documents=len(files))


async def receive_intake(
    raw: bytes,
    *,
    covenant: str,
    session: Session,
    client: Client,
    settings: Settings,
    throttle: Throttle,
) -> Handled:
    """A complaint e-mailed to a covenant's intake address: screened like a reply (size,
    the server's checks, automatic mail), then a draft for its secretariat whose sender,
    if the receiving server vouched for it, gets a receipt (``services.email_complaints``).
    Past the sender's limit it is refused (550, the sender's server told why: it may resend
    later by hand); past the intake's limit it is not taken now (451, the server retries);
    either way nothing is stored, and the log names no address."""
    message, refusal, automatic = screen(raw, settings)
    if message is None:
        log.warning("complaint refused: intake of %s: %s", covenant, refusal)
        return Handled(Outcome.REFUSED, refusal or TOO_BIG)
    if automatic is not None:
        log.info("complaint ignored: intake of %s: automatic (%s)", covenant, automatic)
        return Handled(Outcome.IGNORED, automatic)
    try:
        verified = await receive_complaint(
            raw,
            covenant=covenant,
            session=session,
            client=client,
            settings=settings,
            throttle=throttle,
        )
    except SenderOverLimit:
        log.warning("complaint refused: intake of %s: over the sender's limit", covenant)
        return Handled(Outcome.REFUSED, "over the sender's limit", told=TOLD_TOO_MANY)
    except IntakeOverLimit:
        log.warning("complaint deferred: intake of %s: over the intake's limit", covenant)
        return Handled(Outcome.RETRY, "over the intake's limit")
    except Unavailable as busy:
        log.warning("complaint deferred: intake of %s: %s", covenant, type(busy).__name__)
        return Handled(Outcome.RETRY, str(busy))
    except Problem as problem:
        reason = f"not taken ({type(problem).__name__})"
        log.warning("complaint refused: intake of %s: %s", covenant, reason)
        return Handled(Outcome.REFUSED, reason)
    if not verified:
        log.info("complaint received: intake of %s: a draft, sender not verified", covenant)
        return Handled(Outcome.POSTED, "draft, sender not verified: no receipt")
    log.info("complaint received: intake of %s: a draft", covenant)
    return Handled(Outcome.POSTED, "draft")


async def receive(
    raw: bytes,
    *,
    recipient: str,
    session: Session,
    client: Client,
    settings: Settings,
    throttle: Throttle,
) -> Handled:
    """Handle a message received for ``recipient`` (from SMTP or a fetched mailbox): a
    complaint to a covenant's intake address, else a reply to a notice."""
    covenant = intake_covenant(parseaddr(recipient)[1] or recipient, settings)
    if covenant is not None:
        return await receive_intake(
            raw,
            covenant=covenant,
            session=session,
            client=client,
            settings=settings,
            throttle=throttle,
        )
    return await receive_reply(
        raw,
        recipient=recipient,
        session=session,
        client=client,
        settings=settings,
        throttle=throttle,
    )
