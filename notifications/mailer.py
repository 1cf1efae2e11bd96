"""Outgoing mail: the message model, MIME building and the mailers (SMTP and recording)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Protocol

import aiosmtplib
from pydantic import BaseModel

from core.settings import Settings


class OutgoingMail(BaseModel):
    """One e-mail to one recipient, ready to send."""

    message_id: str
    sender: str
    to: str
    subject: str
    text: str
    html: str
    language: str
    # The recipient's own reply address on the case (``reply+<token>@…``); None: no replies.
    reply_to: str | None = None


def message_id(key: str, recipient: str, domain: str) -> str:
    """A deterministic Message-ID for (key, recipient), so a retried send keeps its id."""
    # The separator keeps ("ab", "c") and ("a", "bc") apart; addresses compare case-blind.
    material = f"{key}\x1f{recipient.strip().lower()}".encode()
    return f"<{hashlib.sha256(material).hexdigest()[:40]}@{domain}>"


def to_mime(mail: OutgoingMail) -> EmailMessage:
    """A multipart/alternative MIME message (plain text first, then HTML) for ``mail``."""
    message = EmailMessage()
    message["From"] = mail.sender
    message["To"] = mail.to
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps non-ASCII text intact on servers without 8BITMIME.
    message.set_content(mail.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
    # Set after the body: set_content and add_alternative move or drop Content-* headers.
    message["Content-Language"] = mail.language
    return message


class MailRejected(Exception):
    """The server refused this mail for good (SMTP 5xx): sending it again cannot help."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code} {reason}")
        self.code = code
        self.reason = reason  # the server's words; may name the address, so not for logs


class Mailer(Protocol):
    """Something that delivers an outgoing mail."""

    async def send(self, mail: OutgoingMail) -> None:
        """Deliver ``mail``; raise ``MailRejected`` when refused for good, else any error."""
        ...


def permanent_refusal(error: Exception) -> MailRejected | None:
    """The refusal of this one message for good, or None when a retry may succeed.

    Only a 5xx answer to the recipient (RCPT) or to the message (DATA) counts: 4xx is
    "try again later", and a refused connection, greeting, login or sender is about the
    server or our own settings, which an operator can fix while Temporal keeps retrying.
    """
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [refusal.code for refusal in error.recipients]
        if codes and all(code >= 500 for code in codes):
            reason = "; ".join(f"{r.code} {r.message}" for r in error.recipients)
            return MailRejected(max(codes), reason)
        return None
    if isinstance(error, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError):
        return MailRejected(error.code, error.message) if error.code >= 500 else None
    return None


class SmtpMailer:
    """Delivers mail through an SMTP server with aiosmtplib."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 30,
    ) -> None:
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailer:
        """An SMTP mailer configured from the ``REDRESS_SMTP_*`` settings."""
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_tls,
            timeout=30,
        )

    async def send(self, mail: OutgoingMail) -> None:
        """Send ``mail`` over one SMTP connection; a 5xx refusal of it is ``MailRejected``."""
        try:
            await aiosmtplib.send(
                to_mime(mail),
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                start_tls=self.starttls,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPException as error:
            rejected = permanent_refusal(error)
            if rejected is None:
                raise
            raise rejected from None

    def __repr__(self) -> str:
        # Never show the password in logs or tracebacks.
        return f"SmtpMailer(host={self.host!r}, port={self.port!r}, starttls={self.starttls!r})"


class RecordingMailer:
    """Keeps every mail it is asked to send, for tests and local runs."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []

    async def send(self, mail: OutgoingMail) -> None:
        """Record ``mail`` instead of sending it."""
        self.sent.append(mail)
