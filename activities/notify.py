"""Sends a case's notices by e-mail: audiences to people, identity masked, sent at most once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiosmtplib
import jinja2
from sqlalchemy import Engine, func, not_, or_, update
from sqlmodel import Session, col, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.recipients import (
    Recipient,
    complainant_display,
    resolve_recipients,
    unreached_respondents,
)
from activities.records import park
from activities.reply_to import reply_to_for
from activities.texts import NoticeTexts
from core.links import portal_url, tracking_url
from core.settings import Settings
from domain.cases import CaseState
from domain.enums import DeadlineState, NoticeKind, Visibility
from domain.notices import Notice, NoticeRequest, ParkedNotice
from domain.status_updates import KEPT, SENT, hidden_companies
from notifications.event_words import Happened
from notifications.mailer import Mailer, MailRejected, OutgoingMail, message_id
from notifications.render import NoticeContext, render
from notifications.sms_gateway import gateway_from_settings
from store import case_content, cases, organisations
from store.db import session_scope
from store.tables import CaseEvent, Complainant, Outbox

# How long an attempt's claim on a mail holds: longer than any attempt runs (2 minutes), so
# a claim this old belongs to an attempt that died, and another may send the mail.
CLAIM_LEASE = timedelta(minutes=3)

__all__ = ["NoticeRequest", "NotifyActivities", "Recipient", "resolve_recipients"]


def _deadline_label(state: CaseState, notice: Notice) -> str | None:
    if notice.deadline is None:
        return None
    # A notice for one company names that company's own deadline (each has its own label).
    matching = [
        d
        for d in state.deadlines
        if d.name == notice.deadline and (notice.party is None or d.party in (None, notice.party))
    ]
    open_first = sorted(matching, key=lambda d: d.state is not DeadlineState.OPEN)
    return open_first[0].label if open_first else notice.deadline.replace("_", " ")


@dataclass(frozen=True)
class PreparedMail:
    mail: OutgoingMail
    is_complainant_contact: bool


def _text_of(session: Session, request: NoticeRequest) -> str | None:
    """The notice's lead, then the text of the event it quotes (from the read model)."""
    notice = request.notice
    quoted = None
    if notice.quote is not None:
        event = session.get(CaseEvent, (request.reference, notice.quote))
        if event is None:  # projected before the notice is queued: not there yet is a retry
            raise ApplicationError(f"event {notice.quote} of {request.reference} not projected")
        quoted = event.text
    return "\n\n".join(part for part in (notice.text, quoted) if part) or None


def _happened(session: Session, request: NoticeRequest, state: CaseState) -> list[Happened]:
    """What the complainant's status e-mail lists: the latest ``KEPT`` events since the
    previous status e-mail (or filing) up to its own ``status_sent`` (the quoted event; the
    latest, for an e-mail queued without a quote), those the complainant may see and none
    about a company it may not know of (``domain.status_updates``). Read from the read
    model: the workflow keeps no content."""
    reference = request.reference
    sent_types = (col(CaseEvent.reference) == reference, col(CaseEvent.type) == SENT)
    sent = request.notice.quote
    if sent is None:
        sent = session.exec(select(func.max(CaseEvent.seq)).where(*sent_types)).one()
    elif session.get(CaseEvent, (reference, sent)) is None:
        raise ApplicationError(f"event {sent} of {reference} not projected")
    if sent is None:
        raise ApplicationError(f"the status e-mail of {reference} is not projected yet")
    previous = session.exec(
        select(func.max(CaseEvent.seq)).where(*sent_types, col(CaseEvent.seq) < sent)
    ).one()
    hidden = hidden_companies(state)
    statement = select(CaseEvent).where(
        col(CaseEvent.reference) == reference,
        col(CaseEvent.seq) > (previous or 0),
        col(CaseEvent.seq) < sent,
        col(CaseEvent.visibility) != Visibility.COMMITTEE.value,
    )
    if hidden:
        statement = statement.where(
            or_(col(CaseEvent.party).is_(None), col(CaseEvent.party).not_in(list(hidden)))
        )
    for name in hidden.values():
        statement = statement.where(
            not_(col(CaseEvent.summary).contains(name, autoescape=True)),
            or_(
                col(CaseEvent.text).is_(None),
                not_(col(CaseEvent.text).contains(name, autoescape=True)),
            ),
        )
    rows = session.exec(statement.order_by(col(CaseEvent.seq).desc()).limit(KEPT)).all()
    return [Happened(at=r.at, type=r.type, summary=r.summary) for r in reversed(rows)]


class NotifyActivities:
    """The notification activity; engine, mailer and settings are injected by the worker."""

    def __init__(self, engine: Engine, mailer: Mailer, settings: Settings) -> None:
        self.engine = engine
        self.mailer = mailer
        self.settings = settings
        # Notices by SMS, to the complainants that chose them, besides the e-mail.
        self.texts = NoticeTexts(engine, settings, gateway_from_settings(settings))

    def prepare(self, request: NoticeRequest) -> list[PreparedMail]:
        """Render the notice per recipient and record each in the outbox; unsent ones back.

        A respondent company it cannot reach (no user, no contact) is flagged to the
        secretariat: the notice is parked until someone adds a contact and sends it again.
        """
        notice = request.notice
        now = datetime.now(UTC)
        with session_scope(self.engine) as session:
            state = case_content.load_state(
                session=session, reference=request.reference, content=False
            )
            if state is None:
                # The projection runs before the notice; retry until it is there.
                raise ApplicationError(f"case {request.reference} is not projected yet")
            complainants = cases.case_complainants(session=session, reference=request.reference)
            complainant = next((c for c in complainants if c.number == 1), None)
            whose = {c.number: c for c in complainants}
            organisation = (
                organisations.get_organisation(
                    session=session, organisation_id=state.complainant_organisation_id
                )
                if state.complainant_organisation_id
                else None
            )
            status = notice.kind is NoticeKind.STATUS_UPDATE
            # The status e-mail lists what happened in the reader's words, not quoted text
            # (a status_sent recorded before carries an English digest: not shown).
            text = notice.text if status else _text_of(session, request)
            happened = _happened(session, request, state) if status else []
            recipients = resolve_recipients(
                session=session,
                state=state,
                complainant=complainant,
                notice=notice,
                merged=[c for c in complainants if c.number != 1],
            )
            unreached = unreached_respondents(session=session, state=state, notice=notice)
            if unreached:
                reason = f"no address for {', '.join(unreached)}: add a contact, then send again"
                park(session, ParkedNotice(request=request, error=reason, at=now))
            prepared: list[PreparedMail] = []
            for recipient in recipients:
                mid = message_id(notice.key, recipient.address, self.settings.mail_domain)
                row = session.get(Outbox, mid)
                if row is not None and (row.sent_at is not None or row.failed_at is not None):
                    continue  # sent, or refused for good, by an earlier attempt
                reply_to = reply_to_for(session, self.settings, state.reference, recipient)
                access_code = None
                if notice.kind is NoticeKind.RECEIPT and recipient.is_complainant_contact:
                    own = whose.get(recipient.complainant)  # its own code, never another's
                    access_code = own.receipt_code if own else None
                context = NoticeContext(
                    reference=state.reference,
                    covenant_name=state.covenant_name,
                    subject=state.subject,
                    stage=notice.stage,
                    audience=recipient.audience,
                    recipient_name=recipient.name,
                    # A complainant merged in is named to itself as itself, never as another.
                    complainant_display=complainant_display(
                        state,
                        whose.get(recipient.complainant),
                        organisation.name if organisation and recipient.complainant == 1 else None,
                        recipient.audience,
                    ),
                    deadline_label=_deadline_label(state, notice),
                    due=notice.due,
                    text=text,
                    happened=happened,
                    status_url=(tracking_url if recipient.is_complainant_contact else portal_url)(
                        self.settings, state.reference
                    ),
                    access_code=access_code,
                    timezone=state.procedure.timezone,
                    case_kind=state.kind.value,
                    replies=reply_to is not None,
                )
                try:
                    message = render(notice.kind, recipient.language, context)
                except jinja2.TemplateError as error:
                    # A broken template stays broken: park the notice (the workflow does).
                    raise ApplicationError(
                        f"notice {notice.kind} cannot be rendered: {type(error).__name__}: {error}",
                        type="NoticeTemplateError",
                        non_retryable=True,
                    ) from None
                if row is None:
                    session.add(
                        Outbox(
                            message_id=mid,
                            reference=state.reference,
                            notice_key=notice.key,
                            recipient=recipient.address,
                            subject=message.subject[:500],
                            language=message.language,
                            created_at=now,
                        )
                    )
                mail = OutgoingMail(
                    message_id=mid,
                    sender=self.settings.mail_from,
                    to=recipient.address,
                    subject=message.subject,
                    text=message.text,
                    html=message.html,
                    language=message.language,
                    reply_to=reply_to,
                )
                prepared.append(PreparedMail(mail, recipient.is_complainant_contact))
        return prepared

    def claim(self, message_id: str) -> bool:
        """Take the mail for this attempt; False when it is sent or another attempt holds it."""
        now = datetime.now(UTC)
        with session_scope(self.engine) as session:
            claimed = session.execute(
                update(Outbox)
                .where(
                    col(Outbox.message_id) == message_id,
                    col(Outbox.sent_at).is_(None),
                    col(Outbox.failed_at).is_(None),
                    or_(
                        col(Outbox.claimed_at).is_(None),
                        col(Outbox.claimed_at) < now - CLAIM_LEASE,
                    ),
                )
                .values(claimed_at=now)
            )
            return bool(claimed.rowcount)  # type: ignore[attr-defined]

    def release(self, message_id: str) -> None:
        """Give the claim up: the server did not take the mail, a retry may send it at once."""
        with session_scope(self.engine) as session:
            session.execute(
                update(Outbox).where(col(Outbox.message_id) == message_id).values(claimed_at=None)
            )

    def mark_sent(self, message_id: str, reference: str, clear_receipt_code: bool) -> None:
        """Record that the mailer accepted the mail (and drop a receipt's plaintext code)."""
        with session_scope(self.engine) as session:
            session.execute(
                update(Outbox)
                .where(col(Outbox.message_id) == message_id)
                .values(sent_at=datetime.now(UTC))
            )
            if clear_receipt_code:
                self.clear_receipt_code(session, reference)

    def mark_failed(self, message_id: str, error: str) -> None:
        """Record that the server refused the mail for good, so no retry sends it again."""
        with session_scope(self.engine) as session:
            session.execute(
                update(Outbox)
                .where(col(Outbox.message_id) == message_id)
                .values(failed_at=datetime.now(UTC), error=error[:500])
            )

    @staticmethod
    def clear_receipt_code(session: Session, reference: str) -> None:
        """Forget the plaintext access code kept for the receipt."""
        session.execute(
            update(Complainant)
            .where(col(Complainant.reference) == reference)
            .values(receipt_code=None)
        )

    def _finish_receipt(self, reference: str) -> None:
        with session_scope(self.engine) as session:
            self.clear_receipt_code(session, reference)

    @activity.defn(name="send_notice")
    async def send_notice(self, request: NoticeRequest) -> int:
        """Send the notice to everyone it concerns; returns how many mails went out now."""
        prepared = await asyncio.to_thread(self.prepare, request)
        key, reference = request.notice.key, request.reference
        is_receipt = request.notice.kind is NoticeKind.RECEIPT
        sent = refused = held = 0
        for item in prepared:
            if not await asyncio.to_thread(self.claim, item.mail.message_id):
                held += 1  # another attempt is sending it (or just sent it): never twice
                continue
            try:
                await self.mailer.send(item.mail)
            except aiosmtplib.SMTPAuthenticationError as error:
                await asyncio.to_thread(self.release, item.mail.message_id)
                # Our credentials are wrong: no retry helps until an operator fixes them.
                raise ApplicationError(
                    f"the SMTP server refused our login ({error.code})",
                    type="SmtpLoginRefused",
                    non_retryable=True,
                ) from None
            except MailRejected as rejection:
                # One bad address must not hold up this notice, nor the case's later ones
                # (the workflow sends them in order). Transient errors still raise: retried.
                # Logged by Message-ID and code only: the address is personal data.
                activity.logger.warning(
                    "notice %s of %s: mail %s refused for good (SMTP %d); not retried",
                    key,
                    reference,
                    item.mail.message_id,
                    rejection.code,
                )
                await asyncio.to_thread(self.mark_failed, item.mail.message_id, str(rejection))
                refused += 1
                continue
            except Exception:
                await asyncio.to_thread(self.release, item.mail.message_id)  # not sent: retry
                raise
            await asyncio.to_thread(
                self.mark_sent,
                item.mail.message_id,
                reference,
                is_receipt and item.is_complainant_contact,
            )
            sent += 1
        if held:
            raise ApplicationError(f"{held} mail(s) of notice {key} are being sent by another try")
        if is_receipt:
            # Also when there was no address to send the code to: it must not linger. Before
            # the texts, which never carry the code and may be left to send later.
            await asyncio.to_thread(self._finish_receipt, reference)
        # A text's failure never fails the notice, whose mails are sent: the texts left are
        # parked for the secretariat to send again (activities/texts.py).
        sent += await self.texts.send(request)
        activity.logger.info(
            "notice %s of %s: %d mail(s) sent, %d refused", key, reference, sent, refused
        )
        return sent
