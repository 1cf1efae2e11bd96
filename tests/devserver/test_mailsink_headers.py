"""The mail sink's JSON view of a message carries all its headers, so replies can be built."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import httpx

from devserver.mailsink import MailSink, create_mail_app


async def test_json_view_lists_every_header_in_order_with_repeats(tmp_path: Path) -> None:
    sink = MailSink(data_dir=tmp_path, smtp_port=0, web_port=None)
    await sink.start()
    try:
        message = EmailMessage()
        message["From"] = "Redress <no-reply@redress.localhost>"
        message["To"] = "rahima@workers.example"
        message["Reply-To"] = "reply+abc123@reply.redress.localhost"
        message["Subject"] = "Message on RB-2026-0001"
        message["Message-ID"] = "<notice.1@redress.localhost>"
        message["Received"] = "from a.example by b.example"
        message["Received"] = "from c.example by a.example"
        message.set_content("A message was added to your case.")
        await aiosmtplib.send(message, hostname=sink.smtp_host, port=sink.smtp_port, timeout=10)
        transport = httpx.ASGITransport(app=create_mail_app(sink.store))
        async with httpx.AsyncClient(transport=transport, base_url="http://sink.test") as client:
            (item,) = (await client.get("/api/messages")).json()
            detail = (await client.get(f"/api/messages/{item['id']}")).json()
    finally:
        await sink.stop()
    headers = detail["headers"]
    assert ["Reply-To", "reply+abc123@reply.redress.localhost"] in headers
    assert ["Message-ID", "<notice.1@redress.localhost>"] in headers
    received = [value for name, value in headers if name == "Received"]
    assert received == ["from a.example by b.example", "from c.example by a.example"]
    names = [name for name, _ in headers]
    # The sink's envelope lines come first, then the message's own headers as sent.
    assert names.index("X-Envelope-To") < names.index("From") < names.index("Reply-To")
    assert detail["text"].strip() == "A message was added to your case."
