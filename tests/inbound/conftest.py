"""A fresh database per test, on every backend that is available; and for the end-to-end
tests one stack of Temporal, worker, mail sink, API and inbound SMTP receiver."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
import httpx
import pytest
from sqlalchemy import Engine
from temporalio.client import Client

from core.settings import Settings
from devserver.mailsink import MailSink, create_mail_app
from notifications.mailer import SmtpMailer
from redress.app import create_app
from redress.mail_receiver import MailReceiver, handler_for
from tests.factories import BACKENDS, Database, open_database
from tests.stack import demo_headers, running_backend

REPLY_DOMAIN = "reply.redress.test"
INBOUND_MAX_BYTES = 512 * 1024
COMPLAINANT_EMAIL = "rahima@workers.example"


def complaint() -> dict[str, Any]:
    """A valid complaint against Noorderlicht Fashion (the demo company)."""
    return {
        "covenant": "garments-textile",
        "respondent": {
            "company": "Noorderlicht Fashion B.V.",
            "production_location": "demo-bd-meghna",
        },
        "complainant": {
            "name": "Rahima Khatun",
            "organisation": "Rupali Workers Committee",
            "email": COMPLAINANT_EMAIL,
            "phone": "+880 1711 000000",
            "confidential": False,
            "represents": "sewing operators of Rupali Knit",
            "language": "en",
        },
        "subject": "Dismissal of union organisers",
        "description": "Twelve organisers were dismissed after registering a union.",
        "issues": ["freedom_of_association"],
        "remedy_sought": "Reinstatement and back pay.",
        "urgent": False,
    }


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database (SQLite file, or a PostgreSQL schema of its own)."""
    yield from open_database(request.param, tmp_path)


@dataclass
class MailStack:
    """Temporal, a worker that mails through SMTP to a real mail sink, the API, and the
    inbound SMTP receiver: a notice's recipient answers it as a mail program would."""

    settings: Settings
    engine: Engine
    client: Client
    http: httpx.AsyncClient
    sink: MailSink
    receiver: MailReceiver
    tokens: dict[str, str] = field(default_factory=dict)

    async def headers(self, username: str) -> dict[str, str]:
        """Bearer headers for a demo user, signing in once per session."""
        return await demo_headers(self.http, self.tokens, username)

    async def file(self, **complainant: Any) -> str:
        """File a complaint anonymously (``complainant`` replaces its fields); the reference."""
        body = complaint()
        body["complainant"] = {**body["complainant"], **complainant}
        response = await self.http.post("/api/v1/complaints", json=body)
        assert response.status_code == 201, response.text
        reference: str = response.json()["reference"]
        return reference

    async def register(self, reference: str) -> None:
        """Register the case as the secretariat: the company is told of it."""
        response = await self.http.post(
            f"/api/v1/cases/{reference}/actions",
            json={"action": "register"},
            headers=await self.headers("secretariat"),
        )
        assert response.status_code == 200, response.text

    async def notice(self, to: str, reference: str) -> dict[str, Any]:
        """The latest mail about the case to that address, as the sink's JSON view shows it
        (headers included); notices go out in the background, so wait for it."""
        transport = httpx.ASGITransport(app=create_mail_app(self.sink.store))
        async with httpx.AsyncClient(transport=transport, base_url="http://sink.test") as sink:
            for _ in range(300):
                listed = (await sink.get("/api/messages", params={"to": to})).json()
                for item in listed:
                    if reference in item["subject"]:
                        detail: dict[str, Any] = (
                            await sink.get(f"/api/messages/{item['id']}")
                        ).json()
                        return detail
                await asyncio.sleep(0.1)
        raise AssertionError(f"no mail about {reference} to {to}")

    async def send(self, message: EmailMessage) -> None:
        """Deliver a message to the receiver over SMTP (raises on a 4xx/5xx answer)."""
        await aiosmtplib.send(
            message, hostname=self.receiver.host, port=self.receiver.port, timeout=60
        )


# The receiving MTA's Authentication-Results id: only its headers count.
AUTHSERV_ID = "mx.redress.test"


@pytest.fixture(scope="session")
async def mail_stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[MailStack]:
    """The stack of the replies-by-e-mail tests, shared by the session."""
    tmp: Path = tmp_path_factory.mktemp("inbound")
    sink = MailSink(data_dir=tmp, smtp_port=0, web_port=None)
    await sink.start()
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'redress.db'}",
        data_dir=tmp,
        demo_accounts=True,
        task_queue="inbound-tests",
        public_url="http://testserver",
        secret_key="inbound-tests-secret-key-0123456789",
        complaint_rate_per_hour=1000,
        require_mfa=False,
        smtp_host=sink.smtp_host,
        smtp_port=sink.smtp_port,
        smtp_starttls=False,
        reply_domain=REPLY_DOMAIN,
        inbound_max_bytes=INBOUND_MAX_BYTES,
        inbound_authserv_id=AUTHSERV_ID,
    )
    try:
        mailer = SmtpMailer.from_settings(settings)
        async with running_backend(settings, mailer=mailer) as backend:
            app = create_app(settings, engine=backend.engine, client=backend.client, mailer=mailer)
            handle = handler_for(backend.engine, backend.client, settings)
            receiver = MailReceiver(handle, settings, host="127.0.0.1", port=0)
            await receiver.start()
            transport = httpx.ASGITransport(app=app)
            try:
                async with (
                    app.router.lifespan_context(app),
                    httpx.AsyncClient(transport=transport, base_url="http://testserver") as http,
                ):
                    yield MailStack(settings, backend.engine, backend.client, http, sink, receiver)
            finally:
                await receiver.stop()
    finally:
        await sink.stop()
