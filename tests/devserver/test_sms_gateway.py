"""The local fake SMS gateway: Twilio's REST endpoint for Redress's texts, its page, and
answers delivered to the webhook signed as Twilio signs them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response

from core.settings import Settings
from devserver.sms_gateway import (
    LOCAL_ACCOUNT_SID,
    LOCAL_AUTH_TOKEN,
    LOCAL_NUMBER,
    FakeSmsGateway,
    runs_fake,
)
from devserver.stack import local_settings
from devserver.web import WebServer
from notifications.sms_gateway import (
    InboundRequest,
    SmsLoginRefused,
    SmsRejected,
    TwilioGateway,
    gateway_from_settings,
)


@pytest.fixture
async def webhook() -> AsyncIterator[tuple[str, list[InboundRequest]]]:
    """A stand-in for Redress's webhook that keeps what it was posted."""
    received: list[InboundRequest] = []
    app = FastAPI()

    @app.post("/api/v1/sms/twilio")
    async def hook(request: Request) -> Response:
        form = await request.form()
        params = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
        headers = {k.lower(): v for k, v in request.headers.items()}
        received.append(InboundRequest(str(request.url), params, headers))
        return Response("<Response></Response>", media_type="text/xml")

    server = WebServer(app, host="127.0.0.1", port=0, name="webhook")
    await server.start()
    try:
        yield f"http://127.0.0.1:{server.port}/api/v1/sms/twilio", received
    finally:
        await server.stop()


async def test_the_fake_takes_redress_texts_and_signs_answers_as_twilio(
    webhook: tuple[str, list[InboundRequest]],
) -> None:
    url, received = webhook
    fake = FakeSmsGateway(
        account_sid=LOCAL_ACCOUNT_SID,
        auth_token=LOCAL_AUTH_TOKEN,
        number=LOCAL_NUMBER,
        webhook_url=url,
        port=0,
    )
    await fake.start()
    try:
        adapter = TwilioGateway(
            base_url=fake.url,
            account_sid=LOCAL_ACCOUNT_SID,
            auth_token=LOCAL_AUTH_TOKEN,
            sender=LOCAL_NUMBER,
        )
        sid = await adapter.send("+8801711000201", "GT-2026-4K7Q9: প্রাথমিক যাচাই।")
        (text,) = fake.texts
        assert (text.sid, text.to, text.sender, text.direction) == (
            sid,
            "+8801711000201",
            LOCAL_NUMBER,
            "out",
        )
        with pytest.raises(SmsRejected):
            await adapter.send("01711", "no country code")
        wrong = TwilioGateway(
            base_url=fake.url, account_sid=LOCAL_ACCOUNT_SID, auth_token="wrong", sender="+1"
        )
        with pytest.raises(SmsLoginRefused):
            await wrong.send("+8801711000201", "hi")
        assert len(fake.texts) == 1

        async with httpx.AsyncClient(base_url=fake.url) as http:
            page = await http.get("/")
            assert "প্রাথমিক যাচাই" in page.text and "+8801711000201" in page.text
            sent = await http.post(
                "/send", data={"sender": "+8801711000201", "body": "উত্তর"}, follow_redirects=False
            )
            assert sent.status_code == 303
        (inbound,) = received
        assert adapter.verify(inbound)  # signed with the token, over the webhook's URL
        form = dict(inbound.params)
        assert (form["From"], form["To"], form["Body"]) == ("+8801711000201", LOCAL_NUMBER, "উত্তর")
        assert fake.texts[-1].delivered == "HTTP 200"
    finally:
        await fake.stop()


def test_the_local_stack_sends_texts_to_the_fake_unless_a_gateway_is_set(tmp_path: Path) -> None:
    local = local_settings(Settings(data_dir=tmp_path, sms_web_port=9026))
    assert runs_fake(local)
    assert local.sms_base_url == "http://127.0.0.1:9026"
    assert isinstance(gateway_from_settings(local), TwilioGateway)
    real = local_settings(
        Settings(data_dir=tmp_path, sms_gateway="twilio", sms_account_sid="AC9", sms_from="+31")
    )
    assert not runs_fake(real) and real.sms_base_url == "https://api.twilio.com"
    assert not runs_fake(Settings(data_dir=tmp_path))  # outside local mode: never
