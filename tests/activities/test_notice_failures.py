"""send_notice when things go wrong: never twice to one address, no retry that cannot help."""

from __future__ import annotations

import asyncio

import aiosmtplib
import jinja2
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.notify import NoticeRequest, NotifyActivities
from domain.enums import Audience, NoticeKind
from notifications.mailer import OutgoingMail, RecordingMailer
from tests.activities.test_notify import SETTINGS, deliver, engine_with_case, notice_of
from tests.factories import Database, case_state


class GatedMailer(RecordingMailer):
    """Holds the first mail until released, as a slow SMTP server would."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def send(self, mail: OutgoingMail) -> None:
        if not self.entered.is_set():
            self.entered.set()
            await self.release.wait()
        await super().send(mail)


async def test_two_tries_at_once_mail_each_address_once(database: Database) -> None:
    state = case_state()
    mailer = GatedMailer()
    notifier = NotifyActivities(engine_with_case(database, state), mailer, SETTINGS)
    notice = notice_of(NoticeKind.STAGE_CHANGED, Audience.COMPLAINANT, Audience.RESPONDENTS)
    first = asyncio.create_task(deliver(notifier, state.reference, notice))
    await mailer.entered.wait()  # the first try is handing its first mail to the server
    with pytest.raises(ApplicationError, match="being sent by another try"):
        await deliver(notifier, state.reference, notice)  # sends the others, not that one
    mailer.release.set()
    with pytest.raises(ApplicationError, match="being sent by another try"):
        await first  # finds the others sent by the second try
    assert await deliver(notifier, state.reference, notice) == 0  # the next retry: all done
    addresses = [m.to for m in mailer.sent]
    assert len(addresses) == len(set(addresses)) == 4


async def test_a_broken_template_is_not_retried(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = case_state()
    mailer = RecordingMailer()
    notifier = NotifyActivities(engine_with_case(database, state), mailer, SETTINGS)

    def broken(*args: object) -> None:
        raise jinja2.UndefinedError("'deadline' is undefined")

    monkeypatch.setattr("activities.notify.render", broken)
    notice = notice_of(NoticeKind.STAGE_CHANGED, Audience.COMPLAINANT)
    with pytest.raises(ApplicationError) as raised:
        await deliver(notifier, state.reference, notice)
    assert raised.value.non_retryable and raised.value.type == "NoticeTemplateError"
    assert not mailer.sent


class LoginRefused(RecordingMailer):
    async def send(self, mail: OutgoingMail) -> None:
        raise aiosmtplib.SMTPAuthenticationError(535, "5.7.8 Authentication credentials invalid")


async def test_a_refused_login_is_not_retried_and_the_mail_stays_to_send(
    database: Database,
) -> None:
    state = case_state()
    engine = engine_with_case(database, state)
    notice = notice_of(NoticeKind.STAGE_CHANGED, Audience.COMPLAINANT)
    request = NoticeRequest(reference=state.reference, notice=notice)
    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(
            NotifyActivities(engine, LoginRefused(), SETTINGS).send_notice, request
        )
    assert raised.value.non_retryable and raised.value.type == "SmtpLoginRefused"
    fixed = RecordingMailer()  # the operator fixes the password; staff send it again
    assert await deliver(NotifyActivities(engine, fixed, SETTINGS), state.reference, notice) == 2


async def test_a_notice_quotes_its_event_from_the_read_model(database: Database) -> None:
    state = case_state(events=2)
    state.events[1].text = "শ্রমিকদের মজুরি তিন মাস ধরে বকেয়া রয়েছে।"
    mailer = RecordingMailer()
    notifier = NotifyActivities(engine_with_case(database, state), mailer, SETTINGS)
    notice = notice_of(NoticeKind.MESSAGE, Audience.SECRETARIAT).model_copy(
        update={"text": "A message on the case:", "quote": 2}
    )
    assert await deliver(notifier, state.reference, notice) == 1
    (mail,) = mailer.sent
    assert "A message on the case:" in mail.text and "বকেয়া রয়েছে" in mail.text
    ahead = notice.model_copy(update={"key": "GT-2026-0001/9", "quote": 9})
    with pytest.raises(ApplicationError) as raised:  # not projected yet: tried again later
        await deliver(notifier, state.reference, ahead)
    assert not raised.value.non_retryable
