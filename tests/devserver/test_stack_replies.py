"""`make run` takes replies by e-mail: its notices carry a Reply-To of the local reply domain,
the banner says where to send the answer, and the receiver (a process of its own) posts it
on the case."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
import httpx
import pytest

from core.settings import Settings
from devserver.stack import LOCAL_REPLY_DOMAIN, local_settings, run_stack
from redress.cli import local_stack_parts
from tests.devserver.procs import all_gone, children, closed, descendants, needs_proc
from tests.devserver.test_stack import _until_running, needs_temporal
from tests.faults.driver import complaint


def test_the_local_stack_replies_on_a_port_beside_the_sink() -> None:
    settings = local_settings(Settings(smtp_port=3025))
    assert settings.reply_domain == LOCAL_REPLY_DOMAIN
    assert settings.inbound_smtp_port == 4525
    assert local_settings(Settings()).inbound_smtp_port == 2525
    chosen = local_settings(Settings(reply_domain="r.example", inbound_smtp_port=2600))
    assert (chosen.reply_domain, chosen.inbound_smtp_port) == ("r.example", 2600)


async def _mail(http: httpx.AsyncClient, web: str, to: str, reference: str) -> dict[str, Any]:
    """The sink's JSON view of the mail about the case to that address, once it is there."""
    while True:
        for item in (await http.get(f"{web}/api/messages", params={"to": to})).json():
            if reference in item["subject"]:
                found: dict[str, Any] = (await http.get(f"{web}/api/messages/{item['id']}")).json()
                return found
        await asyncio.sleep(0.2)


@needs_temporal
@needs_proc
async def test_a_complainant_answers_its_receipt_through_the_local_receiver(
    tmp_path: Path,
    free_ports: Callable[[int], list[int]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    temporal, smtp, web, api, inbound, texts = free_ports(6)
    settings = Settings(
        data_dir=tmp_path,
        temporal_address=f"127.0.0.1:{temporal}",
        smtp_port=smtp,
        mail_web_port=web,
        api_port=api,
        inbound_smtp_port=inbound,
        sms_web_port=texts,
        public_url=f"http://127.0.0.1:{api}",
    )
    out: list[str] = []
    before = set(descendants(os.getpid()))
    async with asyncio.timeout(150):
        task = asyncio.create_task(run_stack(settings, local_stack_parts()))
        await _until_running(task, capsys, out)
        ours = {p: argv for p, argv in children(os.getpid()).items() if p not in before}
        (receiver,) = [p for p, argv in ours.items() if "redress.cli receive-mail" in argv]
        banner = "".join(out)
        assert f"Replies      SMTP 127.0.0.1:{inbound}   (pid {receiver}:" in banner
        assert f"reply+…@{LOCAL_REPLY_DOMAIN}" in banner

        async with httpx.AsyncClient(timeout=60) as http:
            body = complaint()
            email = body["complainant"]["email"]
            filed = await http.post(f"http://127.0.0.1:{api}/api/v1/complaints", json=body)
            assert filed.status_code == 201, filed.text
            reference, code = filed.json()["reference"], filed.json()["access_code"]
            receipt = await _mail(http, f"http://127.0.0.1:{web}", email, reference)
            (reply_to,) = [v for k, v in receipt["headers"] if k == "Reply-To"]
            assert reply_to.endswith(f"@{LOCAL_REPLY_DOMAIN}")

            answer = EmailMessage()
            answer["From"] = email
            answer["To"] = reply_to
            answer["Subject"] = f"Re: {receipt['subject']}"
            answer["Message-ID"] = "<answer.1@workers.example>"
            answer.set_content("Thank you. We have more witnesses.\n\n> quoted receipt\n")
            await aiosmtplib.send(answer, hostname="127.0.0.1", port=inbound, timeout=60)

            case = await http.get(
                f"http://127.0.0.1:{api}/api/v1/cases/{reference}",
                headers={"X-Access-Code": code},
            )
            assert case.status_code == 200, case.text
            assert "Thank you. We have more witnesses." in case.text
            assert "quoted receipt" not in case.text

        signal.raise_signal(signal.SIGTERM)
        await task
    assert await all_gone([receiver])
    assert await closed(inbound)
