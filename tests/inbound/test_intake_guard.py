"""The intake address is guarded: a receipt goes only to a sender the receiving server
vouched for (otherwise the draft is kept, marked, and nobody is mailed), and new drafts are
limited per sender and for the whole intake (over a limit: refused or deferred, nothing
stored, the log naming no address)."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, select
from temporalio.service import RPCError, RPCStatusCode

from api.pages.cookies import SESSION_COOKIE
from core.settings import Settings
from devserver.stack import local_settings
from redress.mail_receiver import LATER, REFUSED, handler_for, smtp_answer
from services.inbound_mail import TOLD_TOO_MANY, Outcome
from services.throttling import Throttle
from store.seed import DEMO_PASSWORD
from store.tables import EmailDraft
from tests.inbound.conftest import AUTHSERV_ID, MailStack
from workflows.draft_receipt import receipt_workflow_id

INTAKE = "complaints+garments-textile@reply.redress.test"


def emailed(sender: str, results: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = INTAKE
    message["Subject"] = "Unpaid wages"
    message["Message-ID"] = make_msgid(domain="union.example")
    if results is not None:
        message["Authentication-Results"] = results
    message.set_content("Wages were not paid in November.")
    return message


def drafts_of(stack: MailStack, sender: str) -> list[EmailDraft]:
    with Session(stack.engine) as session:
        found = select(EmailDraft).where(col(EmailDraft.sender_email) == sender)
        return list(session.exec(found).all())


async def no_receipt_started(stack: MailStack, draft: EmailDraft) -> None:
    handle = stack.client.get_workflow_handle(receipt_workflow_id(draft.id))
    with pytest.raises(RPCError) as raised:
        await handle.describe()
    assert raised.value.status is RPCStatusCode.NOT_FOUND


async def test_an_unvouched_sender_gets_no_receipt_and_its_draft_is_marked(
    mail_stack: MailStack,
) -> None:
    plain = "nobody-checked@union.example"
    await mail_stack.send(emailed(plain))  # no Authentication-Results at all: accepted
    # A header the sender wrote itself, under another server's id, vouches for nothing; nor
    # does our server's pass for a domain that is not the From's.
    forged = "forged@union.example"
    await mail_stack.send(emailed(forged, "mx.union.example; dkim=pass header.d=union.example"))
    elsewhere = "elsewhere@union.example"
    await mail_stack.send(emailed(elsewhere, f"{AUTHSERV_ID}; dkim=pass header.d=spammer.example"))
    for sender in (plain, forged, elsewhere):
        (draft,) = drafts_of(mail_stack, sender)
        assert not draft.sender_verified and draft.receipt_code is None, sender
        await no_receipt_started(mail_stack, draft)

    (draft,) = drafts_of(mail_stack, plain)
    token = await mail_stack.http.post(
        "/api/v1/auth/token", json={"username": "secretariat", "password": DEMO_PASSWORD}
    )
    async with httpx.AsyncClient(
        transport=mail_stack.http._transport, base_url="http://testserver"
    ) as secretariat:
        secretariat.cookies.set(SESSION_COOKIE, token.json()["access_token"])
        page = await secretariat.get(f"/portal/email-drafts/{draft.id}")
    assert page.status_code == 200 and "Sender not verified" in page.text

    vouched = "vouched@union.example"
    await mail_stack.send(emailed(vouched, f"{AUTHSERV_ID}; spf=pass smtp.mailfrom={vouched}"))
    (draft,) = drafts_of(mail_stack, vouched)
    assert draft.sender_verified
    receipt = await mail_stack.notice(vouched, draft.reference)
    assert draft.reference in receipt["subject"]


async def test_the_intake_is_limited_per_sender_and_in_all(
    mail_stack: MailStack, caplog: pytest.LogCaptureFixture
) -> None:
    Throttle(mail_stack.engine).storage.reset()  # counters of earlier tests aside
    settings = mail_stack.settings.model_copy(
        update={"intake_rate_per_sender_per_hour": 2, "intake_rate_per_hour": 3}
    )
    handle = handler_for(mail_stack.engine, mail_stack.client, settings)
    eager, other, late = "eager@union.example", "other@union.example", "late@union.example"
    caplog.set_level(logging.INFO)

    answers = [await handle(emailed(eager).as_bytes(), INTAKE) for _ in range(3)]
    assert [a.outcome for a in answers] == [Outcome.POSTED, Outcome.POSTED, Outcome.REFUSED]
    assert smtp_answer(answers[2:]) == f"{REFUSED}: {TOLD_TOO_MANY}"  # 550, and why
    assert len(drafts_of(mail_stack, eager)) == 2

    assert (await handle(emailed(other).as_bytes(), INTAKE)).outcome is Outcome.POSTED
    over = await handle(emailed(late).as_bytes(), INTAKE)  # the intake's third draft was
    assert over.outcome is Outcome.RETRY and smtp_answer([over]) == LATER  # 451: later
    assert drafts_of(mail_stack, late) == []

    # A redelivery of a kept draft is not a new one: not refused, not counted.
    first = emailed(other)
    Throttle(mail_stack.engine).storage.reset()
    assert (await handle(first.as_bytes(), INTAKE)).outcome is Outcome.POSTED
    for _ in range(3):
        assert (await handle(first.as_bytes(), INTAKE)).outcome is Outcome.POSTED
    assert (await handle(emailed(other).as_bytes(), INTAKE)).outcome is Outcome.POSTED
    assert len(drafts_of(mail_stack, other)) == 3

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "over the sender's limit" in logged and "over the intake's limit" in logged
    for address in (eager, other, late, "union.example"):
        assert address not in logged


def test_make_run_trusts_its_own_senders_unless_told_not_to(tmp_path: Path) -> None:
    assert local_settings(Settings(data_dir=tmp_path)).intake_trust_local
    told = Settings(data_dir=tmp_path, intake_trust_local=False)
    assert not local_settings(told).intake_trust_local
    assert not Settings().intake_trust_local  # outside make run: off
