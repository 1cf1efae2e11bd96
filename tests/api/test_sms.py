"""Notices by SMS and texts back, end to end over real HTTP: the API served by uvicorn, a
worker on a Temporal dev server, and the local fake Twilio gateway in between."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, select

from activities.texts import NoticeTexts
from core.settings import Settings
from devserver.sms_gateway import LOCAL_ACCOUNT_SID, LOCAL_AUTH_TOKEN, FakeSmsGateway, Text
from devserver.web import WebServer
from domain.enums import Audience, NoticeKind, Stage
from domain.notices import Notice, NoticeRequest
from notifications.mailer import RecordingMailer
from notifications.sms_gateway import gateway_from_settings, twilio_signature
from notifications.sms_texts import segments
from redress.app import create_app
from store.tables import CaseEvent, SmsOutbox
from tests.api.conftest import complaint
from tests.stack import running_backend

OUR_NUMBER = "+3197010000009"
WEBHOOK = "/api/v1/sms/twilio"


@dataclass
class SmsStack:
    """The API at ``url`` (real HTTP), its worker and the fake gateway texts go through."""

    url: str
    settings: Settings
    http: httpx.AsyncClient
    gateway: FakeSmsGateway
    mailer: RecordingMailer
    backend_engine: Any

    async def file(self, phone: str, **person: Any) -> dict[str, Any]:
        """File a complaint whose complainant chose notices by SMS to ``phone``."""
        body = complaint()
        body["complainant"] = {**body["complainant"], "phone": phone, "notices": "sms", **person}
        answer = await self.http.post("/api/v1/complaints", json=body)
        assert answer.status_code == 201, answer.text
        filed: dict[str, Any] = answer.json()
        return filed

    async def texts_to(self, number: str, at_least: int = 1) -> list[Text]:
        """The texts the gateway carried to ``number`` (notices go out in the background)."""
        found: list[Text] = []
        for _ in range(150):
            found = [t for t in self.gateway.texts if t.direction == "out" and t.to == number]
            if len(found) >= at_least:
                return found
            await asyncio.sleep(0.1)
        raise AssertionError(f"{len(found)} text(s) to {number}")

    async def messages(self, reference: str) -> list[dict[str, Any]]:
        """The case's messages as the secretariat reads them."""
        token = await self.http.post(
            "/api/v1/auth/token", json={"username": "secretariat", "password": "demo"}
        )
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        answer = await self.http.get(f"/api/v1/cases/{reference}", headers=headers)
        assert answer.status_code == 200, answer.text
        return [e for e in answer.json()["events"] if e["type"] == "message"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
async def sms_stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[SmsStack]:
    tmp: Path = tmp_path_factory.mktemp("sms")
    api_port = free_port()
    url = f"http://127.0.0.1:{api_port}"
    gateway = FakeSmsGateway(
        account_sid=LOCAL_ACCOUNT_SID,
        auth_token=LOCAL_AUTH_TOKEN,
        number=OUR_NUMBER,
        webhook_url=f"{url}{WEBHOOK}",
        port=0,
    )
    await gateway.start()
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'redress.db'}",
        data_dir=tmp,
        demo_accounts=True,
        task_queue="sms-tests",
        public_url=url,
        secret_key="sms-tests-secret-key-0123456789",
        complaint_rate_per_hour=1000,
        require_mfa=False,
        sms_gateway="twilio",
        sms_base_url=gateway.url,
        sms_account_sid=LOCAL_ACCOUNT_SID,
        sms_auth_token=LOCAL_AUTH_TOKEN,
        sms_from=OUR_NUMBER,
    )
    mailer = RecordingMailer()
    try:
        async with running_backend(settings, mailer=mailer) as backend:
            app = create_app(settings, engine=backend.engine, client=backend.client, mailer=mailer)
            server = WebServer(app, host="127.0.0.1", port=api_port, name="api")
            await server.start()
            try:
                async with httpx.AsyncClient(base_url=url, timeout=60) as http:
                    yield SmsStack(url, settings, http, gateway, mailer, backend.engine)
            finally:
                await server.stop()
    finally:
        await gateway.stop()


async def test_sms_notices_reach_the_complainant_in_bengali_and_no_company(
    sms_stack: SmsStack,
) -> None:
    number = "+8801711000101"
    filed = await sms_stack.file(
        "+880 1711-000101", language="bn", confidential=True, name="Shirin Akter"
    )
    reference = filed["reference"]
    (receipt,) = await sms_stack.texts_to(number)
    assert receipt.sender == OUR_NUMBER
    assert receipt.body.startswith(f"{reference}: পাওয়া গেছে।")  # the stage, in Bengali
    assert receipt.body.endswith(f"{sms_stack.url}/t/{reference}")
    assert segments(receipt.body) <= 2
    assert filed["access_code"] not in receipt.body  # the code goes by e-mail, never by SMS
    # The text's link opens the tracking form with the reference filled in.
    link = await sms_stack.http.get(f"/t/{reference}")
    assert link.status_code == 303
    assert link.headers["location"] == f"{sms_stack.url}/track?reference={reference}"

    token = await sms_stack.http.post(
        "/api/v1/auth/token", json={"username": "secretariat", "password": "demo"}
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    registered = await sms_stack.http.post(
        f"/api/v1/cases/{reference}/actions", json={"action": "register"}, headers=headers
    )
    assert registered.status_code == 200, registered.text
    # The company is told; the complainant's number, name and address reach it nowhere.
    company_mails = []
    for _ in range(150):
        company_mails = [
            m
            for m in sms_stack.mailer.sent
            if reference in m.subject + m.text and "noorderlicht" in m.to.lower()
        ]
        if company_mails:
            break
        await asyncio.sleep(0.1)
    assert company_mails, "the company got no notice of the registered case"
    for mail in company_mails:
        for secret in ("1711", "000101", "Shirin", "rahima@workers.example"):
            assert secret not in mail.text + mail.html + mail.subject
    texts = await sms_stack.texts_to(number, at_least=2)  # the registration, in Bengali too
    assert all(segments(t.body) <= 2 for t in texts)
    # Texts go to the numbers complainants gave (this module's), never to a company or staff.
    sent = [t for t in sms_stack.gateway.texts if t.direction == "out"]
    assert sent and all(t.to.startswith("+8801711000") for t in sent)


async def test_a_retried_notice_sends_its_text_once(sms_stack: SmsStack) -> None:
    number = "+8801711000102"
    filed = await sms_stack.file(number)
    reference = filed["reference"]
    await sms_stack.texts_to(number)
    notice = Notice(
        key=f"{reference}:retry-test",
        kind=NoticeKind.MESSAGE,
        audiences=[Audience.COMPLAINANT],
        stage=Stage.SCREENING,
    )
    request = NoticeRequest(reference=reference, notice=notice)
    texts = NoticeTexts(
        sms_stack.backend_engine, sms_stack.settings, gateway_from_settings(sms_stack.settings)
    )
    assert await texts.send(request) == 1
    assert await texts.send(request) == 0  # a retry finds the text sent
    assert len(await sms_stack.texts_to(number)) == 2  # the receipt and this one, once
    with Session(sms_stack.backend_engine) as session:
        rows = session.exec(select(SmsOutbox).where(col(SmsOutbox.reference) == reference)).all()
        assert sorted(r.key.rsplit(":", 1)[-1] for r in rows) == ["1", "1"]
        assert all(r.sent_at is not None and r.provider_id for r in rows)


async def test_the_webhook_refuses_a_bad_signature_and_posts_nothing(sms_stack: SmsStack) -> None:
    number = "+8801711000103"
    filed = await sms_stack.file(number)
    reference = filed["reference"]
    form = {"MessageSid": "SMforged", "From": number, "To": OUR_NUMBER, "Body": "forged text"}
    url = f"{sms_stack.url}{WEBHOOK}"
    for signature in ("", twilio_signature("not-the-token", url, list(form.items()))):
        answer = await sms_stack.http.post(
            WEBHOOK, data=form, headers={"X-Twilio-Signature": signature}
        )
        assert answer.status_code == 403, answer.text
    # Signed right, but for another URL (a replay against another deployment): refused too.
    elsewhere = twilio_signature(LOCAL_AUTH_TOKEN, "https://other.example/x", list(form.items()))
    answer = await sms_stack.http.post(
        WEBHOOK, data=form, headers={"X-Twilio-Signature": elsewhere}
    )
    assert answer.status_code == 403
    assert await sms_stack.messages(reference) == []


async def test_a_text_delivered_twice_lands_once_as_the_complainants_message(
    sms_stack: SmsStack,
) -> None:
    number = "+8801711000104"
    filed = await sms_stack.file(number)
    reference = filed["reference"]
    first = await sms_stack.gateway.deliver(number, "The gate was locked again today.")
    assert first.delivered == "HTTP 200"
    again = await sms_stack.gateway.deliver(number, first.body, sid=first.sid)
    assert again.delivered == "HTTP 200"
    (message,) = await sms_stack.messages(reference)
    assert message["text"] == "The gate was locked again today."
    assert (message["channel"], message["visibility"]) == ("sms", "committee")
    with Session(sms_stack.backend_engine) as session:
        row = session.get(CaseEvent, (reference, message["seq"]))
        assert row is not None and row.actor_role == "complainant"  # the complainant wrote it


async def test_a_number_with_two_open_cases_is_asked_which_unless_the_text_names_one(
    sms_stack: SmsStack,
) -> None:
    number = "+8801711000105"
    one = (await sms_stack.file(number))["reference"]
    two = (await sms_stack.file(number, language="nl"))["reference"]
    await sms_stack.texts_to(number, at_least=2)  # both receipts
    asked = await sms_stack.gateway.deliver(number, "Which case is this for?")
    assert asked.delivered == "HTTP 200"
    question = (await sms_stack.texts_to(number, at_least=3))[-1]
    assert one in question.body and two in question.body
    assert await sms_stack.messages(one) == [] and await sms_stack.messages(two) == []
    # Delivered again, the question is not asked twice.
    await sms_stack.gateway.deliver(number, asked.body, sid=asked.sid)
    assert len([t for t in sms_stack.gateway.texts if t.to == number]) == 3

    await sms_stack.gateway.deliver(number, f"{two.lower()}: wages were paid late")
    (message,) = await sms_stack.messages(two)
    assert message["text"] == "wages were paid late"
    assert await sms_stack.messages(one) == []


async def test_a_text_from_an_unknown_number_is_answered_and_ignored(sms_stack: SmsStack) -> None:
    before = len(sms_stack.gateway.texts)
    text = await sms_stack.gateway.deliver("+8801711999999", "hello")
    assert text.delivered == "HTTP 200"
    assert len(sms_stack.gateway.texts) == before + 1  # the inbound one only: no text back


async def test_sms_notices_need_a_valid_mobile_number(sms_stack: SmsStack) -> None:
    body = complaint()
    body["complainant"] = {**body["complainant"], "phone": "01711 000106", "notices": "sms"}
    answer = await sms_stack.http.post("/api/v1/complaints", json=body)
    assert answer.status_code == 422
    assert "international form" in answer.text
    assert "complainant" in answer.text and "phone" in answer.text


async def test_a_gateway_that_is_not_set_up_has_no_webhook(sms_stack: SmsStack) -> None:
    form = {"MessageSid": "SMx", "From": "+8801711000107", "Body": "hi"}
    signature = twilio_signature(LOCAL_AUTH_TOKEN, f"{sms_stack.url}/api/v1/sms/other", [])
    answer = await sms_stack.http.post(
        "/api/v1/sms/other", data=form, headers={"X-Twilio-Signature": signature}
    )
    assert answer.status_code == 404
    # The one set up answers a signed text with empty TwiML, as Twilio expects.
    url = f"{sms_stack.url}{WEBHOOK}"
    good = twilio_signature(LOCAL_AUTH_TOKEN, url, list(form.items()))
    answer = await sms_stack.http.post(WEBHOOK, data=form, headers={"X-Twilio-Signature": good})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/xml")
    assert answer.text.endswith("<Response></Response>")
