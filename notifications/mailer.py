"""Outgoing mail: the message model, MIME building and the mailers (SMTP and recording)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Protocol

import aiosmtplib
from pydantic import BaseModel

from redress.settings import Settings


class OutgoingMail(BaseModel):
    """One e-mail to one recipient, ready to send."""

    message_id: str
    sender: str
    to: str
    subject: str
    text: str
    html: str
    language: str


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


class Mailer(Protocol):
    """Something that delivers an outgoing mail."""

    async def send(self, mail: OutgoingMail) -> None:
        """Deliver ``mail`` or raise."""
        ...


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
            starttls=settings.smtp_starttls,
            timeout=30,
        )

    async def send(self, mail: OutgoingMail) -> None:
        """Send ``mail`` over one SMTP connection; SMTP errors propagate to the caller."""
        await aiosmtplib.send(
            to_mime(mail),
            hostname=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            start_tls=self.starttls,
            timeout=self.timeout,
        )

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
