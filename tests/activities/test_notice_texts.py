"""send_notice's texts when the SMS gateway fails: the e-mail goes once and the receipt's
access code is forgotten all the same; a text not sent now is parked for the secretariat
(whose sending again sends it alone), one refused for good keeps the gateway's code only."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import Session, select
from temporalio.exceptions import ApplicationError

from activities.notify import NotifyActivities
from activities.texts import TEXTS_UNSENT, text_key
from core.settings import Settings
from devserver.sms_gateway import LOCAL_ACCOUNT_SID, LOCAL_AUTH_TOKEN, FakeSmsGateway
from domain.enums import Audience, NoticeKind
from notifications.mailer import RecordingMailer
from store import cases, sms
from store.db import session_scope
from store.tables import NoticeParked, Organisation, SmsOutbox
from tests.activities.test_notify import (
    ACCESS_CODE,
    COMPLAINANT_EMAIL,
    SETTINGS,
    deliver,
    engine_with_case,
    notice_of,
)
from tests.factories import Database, case_state

PHONE = "+8801711000777"
RECEIPT = notice_of(NoticeKind.RECEIPT, Audience.COMPLAINANT)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
async def gateway() -> AsyncIterator[FakeSmsGateway]:
    """The fake gateway on a port of its own, not started: down until a test starts it."""
    fake = FakeSmsGateway(
        account_sid=LOCAL_ACCOUNT_SID,
        auth_token=LOCAL_AUTH_TOKEN,
        number="+3197010000009",
        webhook_url="http://127.0.0.1:9/unused",
        port=free_port(),
    )
    try:
        yield fake
    finally:
        await fake.stop()


def settings_for(fake: FakeSmsGateway, token: str = LOCAL_AUTH_TOKEN) -> Settings:
    return SETTINGS.model_copy(
        update={
            "sms_gateway": "twilio",
            "sms_base_url": fake.url,
            "sms_account_sid": LOCAL_ACCOUNT_SID,
            "sms_auth_token": SecretStr(token),
            "sms_from": fake.number,
        }
    )


def texted_case(
    database: Database,
    phone: str = PHONE,
    respondents: tuple[str, ...] = (),
    email: str | None = COMPLAINANT_EMAIL,
) -> tuple[Engine, str]:
    """A case whose complainant has an e-mail address, chose SMS too, and a receipt due."""
    state = case_state(complainant_organisation_id=None, respondents=respondents)
    engine = engine_with_case(database, state, receipt_code=ACCESS_CODE, email=email)
    with session_scope(engine) as session:
        person = cases.get_complainant(session=session, reference=state.reference)
        assert person is not None
        person.notices, person.phone = "sms", phone
        session.add(person)
        # A company the case names that no one can be written to at (as an import makes it).
        session.add(Organisation(id="imported-brand", name="Imported Brand B.V.", kind="company"))
    return engine, state.reference


def receipt_code(engine: Engine, reference: str) -> str | None:
    with session_scope(engine) as session:
        person = cases.get_complainant(session=session, reference=reference)
        assert person is not None
        return person.receipt_code


def parked(engine: Engine) -> list[NoticeParked]:
    with Session(engine) as session:
        return list(session.exec(select(NoticeParked)).all())


def texts(engine: Engine) -> list[SmsOutbox]:
    with Session(engine) as session:
        return list(session.exec(select(SmsOutbox)).all())


@pytest.mark.parametrize("fault", ["down", "login refused"])
async def test_a_failing_gateway_parks_the_texts_and_never_the_mail(
    database: Database,
    gateway: FakeSmsGateway,
    fault: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    engine, reference = texted_case(database)
    mailer = RecordingMailer()
    if fault == "login refused":
        await gateway.start()
    token = "not-our-token" if fault == "login refused" else LOCAL_AUTH_TOKEN
    notifier = NotifyActivities(engine, mailer, settings_for(gateway, token))
    caplog.set_level("DEBUG")

    assert await deliver(notifier, reference, RECEIPT) == 1  # no error: not retried
    assert [m.to for m in mailer.sent] == [COMPLAINANT_EMAIL]
    assert ACCESS_CODE in mailer.sent[0].text
    assert receipt_code(engine, reference) is None  # the sealed code does not linger
    (notice,) = parked(engine)
    assert notice.key == RECEIPT.key and notice.retried_at is None
    assert notice.error.startswith(f"{TEXTS_UNSENT}: the SMS gateway ")
    assert ("account" in notice.error) is (fault == "login refused")
    (text,) = texts(engine)
    assert (text.sent_at, text.failed_at, text.claimed_at) == (None, None, None)  # to send
    assert not [t for t in gateway.texts if t.direction == "out"]
    for said in (caplog.text, notice.error):
        assert "1711000777" not in said and ACCESS_CODE not in said

    # The secretariat sends the parked notice again once the gateway is fixed: the text
    # goes, the e-mail is not sent twice.
    if fault == "down":
        await gateway.start()
    notifier = NotifyActivities(engine, mailer, settings_for(gateway))
    assert await deliver(notifier, reference, RECEIPT) == 1
    assert [m.to for m in mailer.sent] == [COMPLAINANT_EMAIL]
    (sent,) = [t for t in gateway.texts if t.direction == "out"]
    assert sent.to == PHONE and reference in sent.body and ACCESS_CODE not in sent.body
    (text,) = texts(engine)
    assert text.sent_at is not None and text.provider_id == sent.sid


async def test_the_texts_reason_joins_a_reason_the_notice_was_parked_for_already(
    database: Database, gateway: FakeSmsGateway
) -> None:
    engine, reference = texted_case(database, respondents=("imported-brand",))
    notifier = NotifyActivities(engine, RecordingMailer(), settings_for(gateway))
    notice = notice_of(NoticeKind.STAGE_CHANGED, Audience.COMPLAINANT, Audience.RESPONDENTS)
    for _ in range(2):  # a retry of the activity states each reason once
        await deliver(notifier, reference, notice)
        (parked_notice,) = parked(engine)
        company, text = parked_notice.error.split("; ")
        assert company.startswith("no address for Imported Brand")
        assert text.startswith(f"{TEXTS_UNSENT}: the SMS gateway failed (ConnectError)")


async def test_a_receipt_forgets_its_code_before_a_text_another_try_holds(
    database: Database, gateway: FakeSmsGateway
) -> None:
    # No e-mail address: no mail sent forgets the code, and the text is another try's.
    engine, reference = texted_case(database, email=None)
    with session_scope(engine) as session:
        key = text_key(RECEIPT.key, 1)
        now = datetime.now(UTC)
        sms.text_to_send(
            session=session, key=key, reference=reference, recipient=PHONE, language="en", now=now
        )
        session.flush()
        assert sms.claim_text(session=session, key=key, now=now)
    await gateway.start()
    notifier = NotifyActivities(engine, RecordingMailer(), settings_for(gateway))
    with pytest.raises(ApplicationError, match="being sent"):  # retried later, for the text
        await deliver(notifier, reference, RECEIPT)
    assert receipt_code(engine, reference) is None


async def test_a_text_refused_for_good_keeps_the_gateways_code_and_not_its_words(
    database: Database, gateway: FakeSmsGateway, caplog: pytest.LogCaptureFixture
) -> None:
    # The fake refuses a number without its +, quoting it, as Twilio's 21211 does.
    engine, reference = texted_case(database, phone="8801711000777")
    await gateway.start()
    mailer = RecordingMailer()
    notifier = NotifyActivities(engine, mailer, settings_for(gateway))
    caplog.set_level("DEBUG")
    assert await deliver(notifier, reference, RECEIPT) == 1
    assert await deliver(notifier, reference, RECEIPT) == 0  # refused for good: not retried
    assert len(mailer.sent) == 1 and parked(engine) == []
    (text,) = texts(engine)
    assert text.failed_at is not None and text.error == "21211"
    assert "1711000777" not in caplog.text
