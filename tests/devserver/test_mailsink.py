"""The mail sink stores real SMTP deliveries and shows them in HTML and JSON."""

from __future__ import annotations

from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import httpx
import pytest

from devserver.mailsink import MailSink, create_mail_app
from notifications.mailbox import sanitize

HTML_BODY = '<html lang="nl"><p class="x">Hallo & "welkom"</p><script>alert(1)</script></html>'


def _message(message_id: str = "<receipt.abc-123@redress.localhost>") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Redress <no-reply@redress.localhost>"
    msg["To"] = "union@example.org"
    msg["Subject"] = "Ontvangstbevestiging RB-2025-0001"
    msg["Message-ID"] = message_id
    msg["Date"] = "Mon, 03 Mar 2025 10:00:00 +0100"
    msg["Content-Language"] = "nl"
    msg.set_content("Uw klacht is ontvangen.\nToegangscode: XYZ")
    msg.add_alternative(HTML_BODY, subtype="html")
    return msg


@pytest.fixture
async def sink(tmp_path: Path) -> AsyncIterator[MailSink]:
    sink = MailSink(data_dir=tmp_path, smtp_port=0, web_port=None)
    await sink.start()
    try:
        yield sink
    finally:
        await sink.stop()


def _client(sink: MailSink) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_mail_app(sink.store))
    return httpx.AsyncClient(transport=transport, base_url="http://sink.test")


async def _send(sink: MailSink, msg: EmailMessage) -> None:
    await aiosmtplib.send(msg, hostname=sink.smtp_host, port=sink.smtp_port, timeout=10)


async def test_received_message_is_stored_as_eml(sink: MailSink) -> None:
    await _send(sink, _message())
    files = list(sink.store.directory.glob("*.eml"))
    assert len(files) == 1
    assert files[0].name.endswith("_receipt.abc-123@redress.localhost.eml")
    raw = files[0].read_bytes()
    assert b"X-Envelope-To: union@example.org" in raw
    assert b"Subject: Ontvangstbevestiging RB-2025-0001" in raw


async def test_web_view_lists_and_shows_the_message(sink: MailSink) -> None:
    await _send(sink, _message())
    async with _client(sink) as client:
        listing = await client.get("/")
        assert listing.status_code == 200
        assert "Ontvangstbevestiging RB-2025-0001" in listing.text
        assert "union@example.org" in listing.text
        assert "<td>nl</td>" in listing.text

        (message_id,) = sink.store.ids()
        page = await client.get(f"/messages/{message_id}")
        assert page.status_code == 200
        assert "Toegangscode: XYZ" in page.text
        assert 'sandbox=""' in page.text
        # The HTML part only ever appears escaped inside srcdoc, never as live markup.
        assert "<script>alert(1)</script>" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "Hallo &amp; &quot;welkom&quot;" in page.text

        assert (await client.get("/messages/..%2Fetc%2Fpasswd")).status_code == 404
        assert (await client.get("/messages/nope")).status_code == 404


async def test_json_endpoint_returns_the_message(sink: MailSink) -> None:
    await _send(sink, _message())
    async with _client(sink) as client:
        response = await client.get("/api/messages")
        assert response.status_code == 200
        (item,) = response.json()
        assert item["to"] == "union@example.org"
        assert item["subject"] == "Ontvangstbevestiging RB-2025-0001"
        assert item["message_id"] == "<receipt.abc-123@redress.localhost>"
        assert item["date"].startswith("2025-03-03T10:00:00")
        assert item["language"] == "nl"

        detail = await client.get(f"/api/messages/{item['id']}")
        assert "Toegangscode: XYZ" in detail.json()["text"]
        assert (await client.get("/api/messages", params={"to": "nobody@"})).json() == []


async def test_redelivered_message_id_is_visible(sink: MailSink) -> None:
    await _send(sink, _message())
    await _send(sink, _message())
    await _send(sink, _message("<other@redress.localhost>"))
    names = sorted(p.name for p in sink.store.directory.glob("*.eml"))
    assert sum("receipt.abc-123@redress.localhost" in n for n in names) == 2
    async with _client(sink) as client:
        listing = (await client.get("/")).text
        assert listing.count('<span class="badge">redelivered</span>') == 2
        subjects = [m["message_id"] for m in (await client.get("/api/messages")).json()]
        assert subjects[0] == "<other@redress.localhost>"  # newest first


async def test_web_view_over_real_http(tmp_path: Path) -> None:
    sink = MailSink(data_dir=tmp_path, smtp_port=0, web_port=0)
    await sink.start()
    try:
        await _send(sink, _message())
        assert sink.web_url is not None
        async with httpx.AsyncClient(base_url=sink.web_url, timeout=10) as client:
            (item,) = (await client.get("/api/messages")).json()
            assert item["subject"] == "Ontvangstbevestiging RB-2025-0001"
    finally:
        await sink.stop()


def test_sanitize_keeps_message_ids_readable() -> None:
    assert sanitize("<a.b-c@x.org>") == "a.b-c@x.org"
    assert sanitize("<../../etc/passwd>") == "etc_passwd"
    assert sanitize("") == "no-message-id"


async def test_a_mailer_with_a_login_is_accepted(sink: MailSink) -> None:
    await aiosmtplib.send(
        _message(),
        hostname=sink.smtp_host,
        port=sink.smtp_port,
        username="redress",
        password="secret",
        start_tls=False,
        timeout=10,
    )
    assert len(sink.store.ids()) == 1
