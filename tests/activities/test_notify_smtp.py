"""send_notice over real SMTP (aiosmtpd): a bad address is recorded, not retried forever."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import aiosmtplib
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from activities.notify import NoticeRequest, NotifyActivities
from activities.records import RecordActivities
from core.settings import Settings
from domain.enums import Audience, NoticeKind, Stage
from domain.notices import Notice
from notifications.mailer import SmtpMailer
from store.db import session_scope
from store.seed import seed_session
from store.tables import Outbox
from tests.factories import Database, case_state, complainant, migrated, project_state

SETTINGS = Settings(public_url="https://redress.example", mail_domain="redress.test")
BAD = "no-such-person@mail.example"
GOOD = {"union@redress.localhost", "secretariat@redress.localhost"}


class Picky:
    """An aiosmtpd handler that answers RCPT for chosen addresses with a chosen refusal."""

    def __init__(self, refusals: dict[str, str]) -> None:
        self.refusals = refusals
        self.attempts: list[str] = []
        self.delivered: list[str] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self.attempts.append(address)
        refusal = self.refusals.get(address.lower())
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.delivered.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Picky, int]]:
    handler = Picky({})
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _setup(database: Database) -> tuple[Engine, str]:
    engine = migrated(database)
    state = case_state()
    with session_scope(engine) as session:
        seed_session(session=session, mail_domain="redress.localhost")
        session.add(complainant(state.reference, email=BAD))
    project_state(RecordActivities(engine), state)
    return engine, state.reference


def _notice() -> Notice:
    return Notice(
        key="GT-2026-0001/7",
        kind=NoticeKind.MESSAGE,
        audiences=[Audience.COMPLAINANT, Audience.SECRETARIAT],
        stage=Stage.SCREENING,
        text="A new message.",
    )


async def _send(notifier: NotifyActivities, reference: str) -> int:
    request = NoticeRequest(reference=reference, notice=_notice())
    return await ActivityEnvironment().run(notifier.send_notice, request)


def _outbox(engine: Engine) -> dict[str, Outbox]:
    with session_scope(engine) as session:
        return {row.recipient: row for row in session.exec(select(Outbox)).all()}


async def test_a_permanently_refused_address_is_recorded_and_the_others_still_get_theirs(
    database: Database, smtp: tuple[Picky, int], caplog: pytest.LogCaptureFixture
) -> None:
    handler, port = smtp
    handler.refusals[BAD] = "550 5.1.1 <no-such-person@mail.example>: mailbox unavailable"
    engine, reference = _setup(database)
    notifier = NotifyActivities(engine, SmtpMailer("127.0.0.1", port), SETTINGS)
    caplog.set_level("DEBUG")

    assert await _send(notifier, reference) == 2  # no exception: the notice is done
    assert set(handler.delivered) == GOOD
    rows = _outbox(engine)
    assert rows[BAD].failed_at is not None and rows[BAD].sent_at is None
    assert rows[BAD].error is not None and rows[BAD].error.startswith("550")
    assert all(rows[a].sent_at is not None and rows[a].failed_at is None for a in GOOD)
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail"))
    assert "refused for good (SMTP 550)" in ours
    assert "no-such-person" not in ours  # aiosmtpd's own "mail.log" is the server's, not ours

    # A retry (or a replay) neither resends the delivered mails nor knocks again.
    assert await _send(notifier, reference) == 0
    assert handler.attempts.count(BAD) == 1 and len(handler.delivered) == 2


async def test_a_temporary_refusal_raises_so_temporal_retries(
    database: Database, smtp: tuple[Picky, int]
) -> None:
    handler, port = smtp
    handler.refusals[BAD] = "451 4.3.0 try again later"
    engine, reference = _setup(database)
    notifier = NotifyActivities(engine, SmtpMailer("127.0.0.1", port), SETTINGS)

    with pytest.raises(aiosmtplib.SMTPRecipientsRefused):
        await _send(notifier, reference)
    assert _outbox(engine)[BAD].failed_at is None

    del handler.refusals[BAD]  # the server recovers: the retry delivers what is left
    assert await _send(notifier, reference) == 3
    assert set(handler.delivered) == GOOD | {BAD}


async def test_an_unreachable_server_raises_so_temporal_retries(database: Database) -> None:
    engine, reference = _setup(database)
    notifier = NotifyActivities(engine, SmtpMailer("127.0.0.1", _free_port(), timeout=5), SETTINGS)
    with pytest.raises(aiosmtplib.SMTPConnectError):
        await _send(notifier, reference)
    assert all(row.failed_at is None for row in _outbox(engine).values())
