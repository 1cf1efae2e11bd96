"""Sends the receipt of a complaint sent by e-mail: the reference and access code allocated
for its draft, in the sender's language, once (an outbox row with a deterministic
Message-ID, as every notice), and then forgets the sealed code."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import aiosmtplib
from sqlalchemy import Engine
from sqlmodel import Session
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.notify import NotifyActivities
from core.links import tracking_url
from core.sealing import SealError, sealer
from core.settings import Settings
from notifications.dates import normalise
from notifications.mailer import Mailer, MailRejected, OutgoingMail, message_id
from notifications.render import FALLBACK_LANGUAGE, TEMPLATE_DIR, render_template
from store import covenants, email_drafts
from store.db import session_scope
from store.tables import EmailDraft, Outbox

KIND = "draft_receipt"


def receipt_language(language: str) -> str:
    """The language the receipt is written in: the draft's if there are templates for it."""
    lang = normalise(language)
    return lang if (TEMPLATE_DIR / f"{KIND}.{lang}.txt").is_file() else FALLBACK_LANGUAGE


class DraftReceiptActivities:
    """The receipt activity; engine, mailer and settings are injected by the worker."""

    def __init__(self, engine: Engine, mailer: Mailer, settings: Settings) -> None:
        self.engine = engine
        self.mailer = mailer
        self.settings = settings
        self.outbox = NotifyActivities(engine, mailer, settings)  # claim, release, mark_failed

    def _mail(self, session: Session, draft: EmailDraft, code: str) -> OutgoingMail:
        covenant = covenants.latest_covenant(session=session, slug=draft.covenant)
        language = receipt_language(draft.language)
        variables = {
            "recipient_name": draft.sender_name or draft.sender_email,
            "covenant_name": covenant.name if covenant else draft.covenant,
            "reference": draft.reference,
            "subject": draft.subject or "—",
            "access_code": code,
            "status_url": tracking_url(self.settings, draft.reference),
        }
        message = render_template(KIND, language, variables)
        return OutgoingMail(
            message_id=message_id(
                email_drafts.receipt_notice_key(draft.id),
                draft.sender_email,
                self.settings.mail_domain,
            ),
            sender=self.settings.mail_from,
            to=draft.sender_email,
            subject=message.subject,
            text=message.text,
            html=message.html,
            language=message.language,
        )

    def prepare(self, draft_id: str) -> OutgoingMail | None:
        """The receipt to send, its outbox row written; None when there is none to send
        (sent or refused before: the sealed code is gone)."""
        with session_scope(self.engine) as session:
            draft = email_drafts.get_draft(session=session, draft_id=draft_id)
            if draft is None or draft.receipt_code is None:
                return None
            try:
                code = sealer(self.settings).open(
                    draft.receipt_code, email_drafts.receipt_code_context(draft.id)
                )
            except SealError as error:
                raise ApplicationError(
                    str(error), type="ReceiptCodeSealed", non_retryable=True
                ) from None
            mail = self._mail(session, draft, code)
            row = session.get(Outbox, mail.message_id)
            if row is not None and (row.sent_at is not None or row.failed_at is not None):
                # Sent (or refused) by an attempt that stopped before forgetting the code.
                email_drafts.receipt_done(session=session, draft_id=draft.id, sent_at=row.sent_at)
                return None
            if row is None:
                session.add(
                    Outbox(
                        message_id=mail.message_id,
                        reference=draft.reference,
                        notice_key=email_drafts.receipt_notice_key(draft.id),
                        recipient=draft.sender_email,
                        subject=mail.subject[:500],
                        language=mail.language,
                        created_at=datetime.now(UTC),
                    )
                )
            return mail

    def done(self, draft_id: str, mail: OutgoingMail | None, error: str | None = None) -> None:
        """Record the mail sent (or, with ``error``, refused for good) and forget the code."""
        now = datetime.now(UTC)
        if mail is not None and error is not None:
            self.outbox.mark_failed(mail.message_id, error)
        elif mail is not None:
            self.outbox.mark_sent(mail.message_id, "", clear_receipt_code=False)
        with session_scope(self.engine) as session:
            sent_at = now if error is None else None
            email_drafts.receipt_done(session=session, draft_id=draft_id, sent_at=sent_at)

    @activity.defn(name="send_draft_receipt")
    async def send_draft_receipt(self, draft_id: str) -> int:
        """Send the draft's receipt unless it went out before; how many mails went out now."""
        mail = await asyncio.to_thread(self.prepare, draft_id)
        if mail is None:
            return 0
        if not await asyncio.to_thread(self.outbox.claim, mail.message_id):
            raise ApplicationError(f"the receipt of draft {draft_id} is being sent by another try")
        try:
            await self.mailer.send(mail)
        except MailRejected as rejection:
            # The address does not take mail: nothing to retry. Logged without the address.
            activity.logger.warning(
                "receipt of draft %s refused (SMTP %d)", draft_id, rejection.code
            )
            await asyncio.to_thread(self.done, draft_id, mail, str(rejection))
            return 0
        except aiosmtplib.SMTPAuthenticationError as error:
            await asyncio.to_thread(self.outbox.release, mail.message_id)
            raise ApplicationError(
                f"the SMTP server refused our login ({error.code})", type="SmtpLoginRefused"
            ) from None
        except Exception:
            await asyncio.to_thread(self.outbox.release, mail.message_id)  # not sent: retry
            raise
        await asyncio.to_thread(self.done, draft_id, mail)
        return 1
