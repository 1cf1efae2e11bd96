"""Mail building and delivery, including a real SMTP round trip through aiosmtpd."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import aiosmtplib
import pytest
from aiosmtpd.controller import Controller

from core.settings import Settings
from domain.enums import Audience, NoticeKind, Stage
from notifications.mailer import (
    Mailer,
    MailRejected,
    OutgoingMail,
    RecordingMailer,
    SmtpMailer,
    message_id,
    permanent_refusal,
    to_mime,
)
from notifications.render import NoticeContext, render

DUTCH = "De termijnen zijn opgeschort; de stuurgroep is geïnformeerd vóór één uur."
BENGALI = "অভিযোগ গ্রহণ করা হয়েছে — শ্রমিকদের ছাঁটাই"


class Collector:
    """An aiosmtpd handler that keeps every envelope it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.refuse: str | None = None  # an answer to every RCPT instead of accepting it

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse is not None:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Collector, int]]:
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield collector, port
    finally:
        controller.stop()


def make_mail(**overrides: Any) -> OutgoingMail:
    context = NoticeContext(
        reference="RB-2026-0042",
        covenant_name="Convenant Duurzame Kleding en Textiel",
        subject="Ontslag van vakbondsleden",
        stage=Stage.MEDIATION,
        audience=Audience.COMPLAINANT,
        recipient_name="Rahima Begum",
        complainant_display="Rahima Begum",
        text=f"{DUTCH}\n{BENGALI}",
        status_url="https://redress.example/cases/RB-2026-0042",
    )
    rendered = render(NoticeKind.MESSAGE, "nl", context)
    to = "rahima@example.org"
    values: dict[str, Any] = {
        "message_id": message_id("case-RB-2026-0042/event-7/message", to, "redress.example"),
        "sender": "Redress secretariaat <no-reply@redress.example>",
        "to": to,
        "subject": f"{rendered.subject} – {BENGALI}",
        "text": rendered.text,
        "html": rendered.html,
        "language": rendered.language,
    }
    values.update(overrides)
    return OutgoingMail(**values)


def test_message_id_is_deterministic() -> None:
    first = message_id("case-RB-1/event-3/receipt", "a@example.org", "redress.example")

    assert first == message_id("case-RB-1/event-3/receipt", "a@example.org", "redress.example")
    assert first == message_id("case-RB-1/event-3/receipt", " A@Example.org", "redress.example")
    assert first.startswith("<") and first.endswith("@redress.example>")
    assert first != message_id("case-RB-1/event-4/receipt", "a@example.org", "redress.example")
    assert first != message_id("case-RB-1/event-3/receipt", "b@example.org", "redress.example")
    # The key and the recipient are kept apart, so shifting characters changes the id.
    assert message_id("ab", "c", "d") != message_id("a", "bc", "d")


def test_to_mime_builds_multipart_alternative_with_headers() -> None:
    mail = make_mail()
    mime = to_mime(mail)

    assert mime.get_content_type() == "multipart/alternative"
    assert mime["Message-ID"] == mail.message_id
    assert mime["Content-Language"] == "nl"
    assert mime["Auto-Submitted"] == "auto-generated"
    assert mime["Date"]
    parts = [part.get_content_type() for part in mime.iter_parts()]
    assert parts == ["text/plain", "text/html"]


async def test_smtp_mailer_delivers_to_a_real_server(smtp_server: tuple[Collector, int]) -> None:
    collector, port = smtp_server
    mail = make_mail()
    mailer: Mailer = SmtpMailer("127.0.0.1", port, timeout=10)

    await mailer.send(mail)

    assert len(collector.envelopes) == 1
    envelope = collector.envelopes[0]
    assert envelope.mail_from == "no-reply@redress.example"
    assert envelope.rcpt_tos == ["rahima@example.org"]
    received = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert isinstance(received, EmailMessage)
    assert received["To"] == "rahima@example.org"
    assert received["Subject"] == mail.subject
    assert BENGALI in received["Subject"]
    assert received["Message-ID"] == mail.message_id
    assert received["Content-Language"] == "nl"
    assert received["Auto-Submitted"] == "auto-generated"
    assert received.get_content_type() == "multipart/alternative"
    plain = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    plain_text = plain.get_content()
    html_text = html.get_content()
    assert DUTCH in plain_text and BENGALI in plain_text
    assert DUTCH in html_text and BENGALI in html_text
    assert "RB-2026-0042" in plain_text
    assert '<html lang="nl">' in html_text


async def test_retried_send_keeps_the_same_message_id(smtp_server: tuple[Collector, int]) -> None:
    collector, port = smtp_server
    mailer = SmtpMailer("127.0.0.1", port, timeout=10)

    await mailer.send(make_mail())
    await mailer.send(make_mail())

    ids = [
        email.message_from_bytes(env.content, policy=email.policy.default)["Message-ID"]
        for env in collector.envelopes
    ]
    assert len(ids) == 2 and ids[0] == ids[1]


async def test_recording_mailer_keeps_sent_mail() -> None:
    mailer = RecordingMailer()
    first, second = make_mail(), make_mail(to="other@example.org")

    await mailer.send(first)
    await mailer.send(second)

    assert mailer.sent == [first, second]


def test_smtp_mailer_from_settings_does_not_leak_the_password() -> None:
    settings = Settings(
        smtp_host="mail.example.org",
        smtp_port=2525,
        smtp_username="redress",
        smtp_password="hunter2-very-secret",
        smtp_starttls=True,
    )
    mailer = SmtpMailer.from_settings(settings)

    assert (mailer.host, mailer.port) == ("mail.example.org", 2525)
    assert (mailer.username, mailer.password, mailer.starttls) == (
        "redress",
        "hunter2-very-secret",
        True,
    )
    assert "hunter2" not in repr(mailer)


def _refused(code: int, address: str = "x@example.org") -> aiosmtplib.SMTPRecipientRefused:
    return aiosmtplib.SMTPRecipientRefused(code, "refused", address)


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (aiosmtplib.SMTPRecipientsRefused([_refused(550)]), True),
        (aiosmtplib.SMTPRecipientsRefused([_refused(550), _refused(451)]), False),
        (aiosmtplib.SMTPRecipientsRefused([_refused(452)]), False),
        (_refused(553), True),
        (aiosmtplib.SMTPDataError(552, "message too large"), True),
        (aiosmtplib.SMTPDataError(451, "local error"), False),
        # About the server or our own settings: retried until an operator fixes them.
        (aiosmtplib.SMTPAuthenticationError(535, "bad credentials"), False),
        (aiosmtplib.SMTPSenderRefused(550, "no", "no-reply@redress.example"), False),
        (aiosmtplib.SMTPConnectError("connection refused"), False),
        (aiosmtplib.SMTPServerDisconnected("gone"), False),
    ],
)
def test_only_a_5xx_refusal_of_the_message_is_permanent(error: Exception, permanent: bool) -> None:
    rejected = permanent_refusal(error)
    assert (rejected is not None) is permanent
    if rejected is not None:
        assert isinstance(rejected, MailRejected) and rejected.code >= 500


async def test_smtp_mailer_reports_a_550_as_rejected(
    smtp_server: tuple[Collector, int],
) -> None:
    collector, port = smtp_server
    collector.refuse = "550 5.1.1 mailbox unavailable"
    with pytest.raises(MailRejected) as raised:
        await SmtpMailer("127.0.0.1", port, timeout=10).send(make_mail())
    assert raised.value.code == 550 and "mailbox unavailable" in raised.value.reason
    assert collector.envelopes == []
