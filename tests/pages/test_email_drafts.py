"""A complaint sent by e-mail to a covenant's intake address, end to end over real parts (a
Temporal dev server and worker, SQLite, the app, and the SMTP sink the worker sends to): it
becomes a draft once however often it is delivered, its sender's receipt (in the language it
was written in) carries the reference and access code, the tracking page shows the draft,
and the secretariat files it from the portal under the same reference and code, with the
e-mail's file on the case. No one but the secretariat sees the drafts."""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, select
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from api.pages.cookies import SESSION_COOKIE
from core.settings import Settings
from devserver.mailsink import MailSink
from domain.problems import Unavailable
from notifications.mailbox import body_parts
from notifications.mailer import SmtpMailer
from redress.app import create_app
from services.email_complaints import draft_file_path, intake_covenant, receive_complaint
from services.throttling import Throttle
from store.security_tables import AuditEntry
from store.seed import DEMO_PASSWORD
from store.tables import Document, EmailDraft, EmailDraftFile
from tests.pages.portal import CSRF
from tests.stack import Backend, running_backend

URL = "http://testserver"
SENDER = "rahima.akter@workers.example"
INTAKE = "complaints+garments-textile@replies.redress.example"
BODY = (
    "আমাদের কারখানায় তিন মাস ধরে বেতন দেওয়া হয়নি। ইউনিয়নের সদস্যদের ছাঁটাই করা হয়েছে। "
    "আমরা ন্যায্য বেতন ও পুনর্বহাল চাই।"
)
# The sender's signature: the secretariat reads it, the company never (the description is
# prefilled without it, the complainant confidential until the secretariat learns otherwise).
SIGNATURE = "\n\n-- \nRahima Akter\nRupali Workers Committee, +880 1711 000999\n"
STATEMENT = b"Statement of the workers of Rupali Knit, 2 December 2026.\n"
CODE = re.compile(r"আপনার অ্যাক্সেস কোড: ([0-9 ]{24})")
PREPARED = "Received by e-mail, being prepared by the secretariat."


@dataclass
class Stack:
    """The app over a running engine, and the sink that took the worker's mail."""

    backend: Backend
    settings: Settings
    sink: MailSink
    http: httpx.AsyncClient

    async def as_user(self, username: str) -> httpx.AsyncClient:
        """A browser-like client whose session cookie signs in ``username``."""
        answer = await self.http.post(
            "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        client = httpx.AsyncClient(transport=self.http._transport, base_url=URL, timeout=40)
        client.cookies.set(SESSION_COOKIE, answer.json()["access_token"])
        return client

    def receipts(self, sender: str = SENDER) -> list[EmailMessage]:
        """The mails the sink holds for the sender."""
        found = []
        for message_id in self.sink.store.ids():
            message = self.sink.store.load(message_id)
            if message is not None and sender in str(message["To"]):
                found.append(message)
        return found

    def session(self) -> Session:
        return Session(self.backend.engine)


@pytest.fixture(scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    tmp: Path = tmp_path_factory.mktemp("email-drafts")
    sink = MailSink(data_dir=tmp, smtp_port=0, web_port=None)
    await sink.start()
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'redress.db'}",
        data_dir=tmp,
        demo_accounts=True,
        local_mode=True,
        task_queue="email-draft-tests",
        public_url=URL,
        secret_key="email-draft-tests-secret-key-0123",
        smtp_port=sink.smtp_port,
        smtp_starttls=False,  # the sink speaks plain SMTP
        reply_domain="replies.redress.example",
        require_mfa=False,
        intake_trust_local=True,  # local mode, no MTA: its senders count as verified
    )
    mailer = SmtpMailer.from_settings(settings)
    try:
        async with running_backend(settings, mailer=mailer) as backend:
            app = create_app(settings, engine=backend.engine, client=backend.client, mailer=mailer)
            transport = httpx.ASGITransport(app=app)
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(transport=transport, base_url=URL, timeout=40) as http,
            ):
                yield Stack(backend, settings, sink, http)
    finally:
        await sink.stop()


def _emailed(message_id: str, sender: str = SENDER) -> bytes:
    message = EmailMessage()
    message["From"] = f"Rahima Akter <{sender}>"
    message["To"] = INTAKE
    message["Subject"] = "বেতন দেওয়া হয়নি"
    message["Message-ID"] = message_id
    message.set_content(BODY + SIGNATURE)
    message.add_attachment(STATEMENT, maintype="text", subtype="plain", filename="statement.txt")
    return message.as_bytes()


async def _receive(stack: Stack, raw: bytes, client: Client | None = None) -> None:
    covenant = intake_covenant(INTAKE, stack.settings)
    assert covenant == "garments-textile"
    with stack.session() as session:
        await receive_complaint(
            raw,
            covenant=covenant,
            session=session,
            client=client or stack.backend.client,
            settings=stack.settings,
            throttle=Throttle(stack.backend.engine),
        )


class EngineDown:
    """A Temporal client whose server cannot be reached (a crash or an outage)."""

    async def start_workflow(self, *args: Any, **kwargs: Any) -> None:
        raise RPCError("connection refused", RPCStatusCode.UNAVAILABLE, b"")


async def _receipt(stack: Stack, sender: str = SENDER) -> EmailMessage:
    for _ in range(300):  # the worker sends it: poll, bounded
        found = stack.receipts(sender)
        if found:
            return found[0]
        await asyncio.sleep(0.1)
    raise AssertionError("no receipt reached the sink")


async def _track(http: httpx.AsyncClient, reference: str, code: str) -> httpx.Response:
    form = await http.get("/track")
    token = CSRF.search(form.text)
    assert token
    data = {"csrf_token": token.group(1), "reference": reference, "code": code}
    return await http.post("/track", data=data)


async def test_an_emailed_complaint_is_received_tracked_and_filed(stack: Stack) -> None:
    raw = _emailed("<wages-2026-12@workers.example>")
    await _receive(stack, raw)
    await _receive(stack, raw)  # the sending server delivers it again
    with stack.session() as session:
        drafts = session.exec(
            select(EmailDraft).where(col(EmailDraft.sender_email) == SENDER)
        ).all()
        assert len(drafts) == 1
        draft = drafts[0]
        assert (draft.sender_email, draft.sender_name, draft.language) == (
            SENDER,
            "Rahima Akter",
            "bn",
        )
        assert draft.text.startswith("আমাদের কারখানায়") and draft.covenant == "garments-textile"
        reference, draft_id = draft.reference, draft.id

    receipt = await _receipt(stack)
    text, html = body_parts(receipt)
    assert text is not None and html is not None
    assert reference in str(receipt["Subject"]) and "ই-মেইলে অভিযোগ" in str(receipt["Subject"])
    found = CODE.search(text)
    assert found, text
    code = found.group(1)
    assert f"/track?reference={reference}" in text
    kept = None
    for _ in range(50):  # the code is forgotten once the receipt went out: poll, bounded
        with stack.session() as session:
            kept = session.get(EmailDraft, draft_id)
        if kept is not None and kept.receipt_code is None:
            break
        await asyncio.sleep(0.1)
    assert kept is not None and kept.receipt_code is None and kept.receipt_sent_at is not None
    assert code.replace(" ", "") not in kept.model_dump_json()
    assert len(stack.receipts()) == 1  # one receipt for the two deliveries

    visitor = httpx.AsyncClient(transport=stack.http._transport, base_url=URL)
    tracked = await _track(visitor, reference, code)
    assert tracked.status_code == 200 and PREPARED in tracked.text
    wrong = await _track(visitor, reference, "1234 5678 9012 3456 7890")
    assert wrong.status_code == 404 and PREPARED not in wrong.text

    kept_file = draft_file_path(stack.settings, hashlib.sha256(STATEMENT).hexdigest())
    assert kept_file.read_bytes() == STATEMENT
    secretariat = await stack.as_user("secretariat")
    listed = await secretariat.get("/portal/email-drafts")
    assert listed.status_code == 200 and reference in listed.text
    page = await secretariat.get(f"/portal/email-drafts/{draft_id}")
    assert page.status_code == 200 and "আমাদের কারখানায়" in page.text
    assert "Sender not verified" not in page.text  # a receipt went to a verified sender
    assert 'value="rahima.akter@workers.example"' in page.text and "statement.txt" in page.text
    assert page.text.count("+880 1711 000999") == 1  # in the e-mail shown, not the description
    description = page.text.split('<textarea id="f-description"')[1].split("</textarea>")[0]
    assert "আমাদের কারখানায়" in description and "000999" not in description
    assert re.search(r'name="confidential"[^>]*checked', page.text)
    token = CSRF.search(page.text)
    assert token
    form = {
        "csrf_token": token.group(1),
        "respondent": "noorderlicht-fashion",
        "issues": "living_wage",
        "subject": "Wages not paid for three months",
        "description": BODY,
        "name": "Rahima Akter",
        "email": SENDER,
        "language": "bn",
        "evidence_visibility": "committee",
    }
    missing = await secretariat.post(
        f"/portal/email-drafts/{draft_id}/file", data={**form, "issues": ""}
    )
    assert missing.status_code == 422 and "Nothing was filed" in missing.text
    filed = await secretariat.post(f"/portal/email-drafts/{draft_id}/file", data=form)
    assert filed.status_code == 303, filed.text
    assert filed.headers["location"] == f"/portal/cases/{reference}"
    again = await secretariat.post(f"/portal/email-drafts/{draft_id}/file", data=form)
    assert again.status_code == 409  # filed once

    as_sender = {"X-Access-Code": code}
    case = await stack.http.get(f"/api/v1/cases/{reference}", headers=as_sender)
    assert case.status_code == 200, case.text
    body = case.json()
    assert body["reference"] == reference and body["subject"] == "Wages not paid for three months"
    assert body["complainant"]["email"] == SENDER
    token_answer = await stack.http.post(
        "/api/v1/auth/token", json={"username": "secretariat", "password": DEMO_PASSWORD}
    )
    as_staff = {"Authorization": f"Bearer {token_answer.json()['access_token']}"}
    staff_view = (await stack.http.get(f"/api/v1/cases/{reference}", headers=as_staff)).json()
    assert [d["filename"] for d in staff_view["documents"]] == ["statement.txt"]
    filing = min(body["events"], key=lambda e: e["seq"])
    assert filing["type"] == "filed" and filing["channel"] == "email"
    with stack.session() as session:
        document = session.exec(select(Document).where(col(Document.reference) == reference)).one()
        assert document.side == "complainant"
        trail = session.exec(
            select(AuditEntry.action).where(col(AuditEntry.reference) == reference)
        ).all()
        assert {"email_draft_read", "email_draft_filed"} <= set(trail)
    assert reference not in (await secretariat.get("/portal/email-drafts")).text
    assert not kept_file.exists()  # the case has its own copy
    tracked = await _track(visitor, reference, code)
    assert tracked.status_code == 303 and tracked.headers["location"] == f"/track/{reference}"


async def test_a_draft_is_discarded_with_a_reason_and_only_the_secretariat_sees_drafts(
    stack: Stack,
) -> None:
    spam = EmailMessage()
    spam["From"] = "offers@spam.example"
    spam["Subject"] = "Cheap watches"
    spam["Message-ID"] = "<spam-2026-12@spam.example>"
    spam.set_content("Buy now")
    spam.add_attachment(b"<html><script>x()</script></html>", "text", "html", filename="a.html")
    spam.add_attachment(b"Watches from 5 euros", "text", "plain", filename="prices.txt")
    await _receive(stack, spam.as_bytes())
    with stack.session() as session:
        draft = session.exec(select(EmailDraft).where(col(EmailDraft.state) == "received")).one()
        draft_id, reference = draft.id, draft.reference
    for who in ("company", "union", "committee", "chair", "admin"):
        client = await stack.as_user(who)
        assert (await client.get("/portal/email-drafts")).status_code == 404, who
        opened = await client.get(f"/portal/email-drafts/{draft_id}")
        assert opened.status_code == 404 and reference not in opened.text, who
        posted = await client.post(f"/portal/email-drafts/{draft_id}/discard", data={})
        assert posted.status_code == 404, who
    assert (await stack.http.get("/portal/email-drafts")).status_code == 303  # sign in first
    with stack.session() as session:
        refused, accepted = session.exec(
            select(EmailDraftFile)
            .where(col(EmailDraftFile.draft_id) == draft_id)
            .order_by(col(EmailDraftFile.number))
        ).all()
        assert refused.sha256 is None and refused.problem is not None  # checked as uploads
        assert accepted.sha256 is not None and accepted.problem is None
    prices = draft_file_path(stack.settings, accepted.sha256)
    assert prices.is_file()
    secretariat = await stack.as_user("secretariat")
    page = await secretariat.get(f"/portal/email-drafts/{draft_id}")
    assert "a.html" in page.text and "not kept" in page.text
    token = CSRF.search(page.text)
    assert token
    forged = await secretariat.post(
        f"/portal/email-drafts/{draft_id}/discard", data={"csrf_token": "x", "reason": "spam"}
    )
    assert forged.status_code == 403
    done = await secretariat.post(
        f"/portal/email-drafts/{draft_id}/discard",
        data={"csrf_token": token.group(1), "reason": "spam"},
    )
    assert done.status_code == 303 and done.headers["location"].endswith("done=discarded")
    with stack.session() as session:
        kept = session.get(EmailDraft, draft_id)
        assert kept is not None and (kept.state, kept.discard_reason) == ("discarded", "spam")
        assert kept.closed_by == "secretariat"
    assert not prices.exists()  # a discarded draft's files are deleted


async def test_a_receipt_the_engine_could_not_take_is_sent_on_redelivery(stack: Stack) -> None:
    sender = "organiser@union.example"
    raw = _emailed("<outage-2026-12@union.example>", sender)
    with pytest.raises(Unavailable):  # the receiver answers "try again later"
        await _receive(stack, raw, client=EngineDown())  # type: ignore[arg-type]
    with stack.session() as session:
        draft = session.exec(select(EmailDraft).where(col(EmailDraft.sender_email) == sender)).one()
        assert draft.receipt_code is not None  # kept, sealed, until the receipt goes out
    assert stack.receipts(sender) == []
    await _receive(stack, raw)  # the sending server delivers it again
    message = await _receipt(stack, sender)
    assert draft.reference in str(message["Subject"])
    with stack.session() as session:
        assert (
            len(
                session.exec(select(EmailDraft).where(col(EmailDraft.sender_email) == sender)).all()
            )
            == 1
        )
