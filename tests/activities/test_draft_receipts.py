"""send_draft_receipt: the receipt of an e-mailed complaint goes out once, in the draft's
language, and the sealed access code is forgotten once it went out or was refused for good."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from activities.draft_receipts import DraftReceiptActivities
from core.sealing import SealError, sealer
from core.security import keyed_hash
from core.settings import Settings
from notifications.mailer import MailRejected, OutgoingMail, RecordingMailer
from store.db import session_scope
from store.email_drafts import receipt_code_context
from store.tables import EmailDraft, Outbox
from tests.factories import Database, migrated

SETTINGS = Settings(public_url="https://redress.example", mail_domain="redress.test")
CODE = "48310927551620847730"


class RefusingMailer(RecordingMailer):
    """A mail server that says the address does not exist."""

    async def send(self, mail: OutgoingMail) -> None:
        raise MailRejected(550, "no such user")


def _draft(database: Database, language: str = "tr") -> str:
    engine = migrated(database)
    draft = EmailDraft(
        id="d1",
        message_key="k1",
        reference="GT-2026-DRFT1",
        covenant="garments-textile",
        access_code_hash=keyed_hash(SETTINGS.secret_key, CODE),
        receipt_code=sealer(SETTINGS).seal(CODE, receipt_code_context("d1")),
        sender_email="ayse@sendika.example",
        sender_name="Ayşe Yılmaz",
        language=language,
        subject="Ücretler ödenmedi",
        text="Üç aydır maaş ödenmedi.",
        received_at=datetime.now(UTC),
    )
    with session_scope(engine) as session:
        session.add(draft)
    return draft.id


def _kept(database: Database) -> EmailDraft:
    with session_scope(database.engine) as session:
        draft = session.get(EmailDraft, "d1")
        assert draft is not None
        session.expunge(draft)
        return draft


async def test_the_receipt_goes_out_once_and_the_code_is_forgotten(database: Database) -> None:
    draft_id = _draft(database)
    mailer = RecordingMailer()
    activities = DraftReceiptActivities(database.engine, mailer, SETTINGS)
    env = ActivityEnvironment()
    assert await env.run(activities.send_draft_receipt, draft_id) == 1
    assert await env.run(activities.send_draft_receipt, draft_id) == 0  # a retry: nothing
    (mail,) = mailer.sent
    assert mail.to == "ayse@sendika.example" and mail.language == "tr"
    assert "GT-2026-DRFT1" in mail.subject and "4831 0927 5516 2084 7730" in mail.text
    assert "https://redress.example/track?reference=GT-2026-DRFT1" in mail.text
    kept = _kept(database)
    assert kept.receipt_code is None and kept.receipt_sent_at is not None
    with session_scope(database.engine) as session:
        row = session.get(Outbox, mail.message_id)
        assert row is not None and row.sent_at is not None
        assert row.reference == "GT-2026-DRFT1"


async def test_a_refused_address_is_not_tried_again_and_the_code_goes(database: Database) -> None:
    draft_id = _draft(database, language="fr")
    activities = DraftReceiptActivities(database.engine, RefusingMailer(), SETTINGS)
    assert await ActivityEnvironment().run(activities.send_draft_receipt, draft_id) == 0
    kept = _kept(database)
    assert kept.receipt_code is None and kept.receipt_sent_at is None  # refused, not sent
    with session_scope(database.engine) as session:
        (row,) = session.exec(select(Outbox)).all()
        assert row.failed_at is not None and row.language == "en"  # no French receipt


def test_the_code_is_sealed_to_its_draft() -> None:
    sealed = sealer(SETTINGS).seal(CODE, receipt_code_context("d1"))
    assert CODE not in sealed
    assert sealer(SETTINGS).open(sealed, receipt_code_context("d1")) == CODE
    with pytest.raises(SealError):  # another draft's context opens nothing
        sealer(SETTINGS).open(sealed, receipt_code_context("d2"))
