"""Reply addresses on notices: one per recipient and case, signed, reused, revocable."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from activities.notify import NotifyActivities
from core.settings import Settings
from domain.enums import Audience, NoticeKind, Stage
from notifications.mailer import OutgoingMail, RecordingMailer, to_mime
from store import reply_addresses
from store.db import session_scope
from store.reply_addresses import Addressee
from store.tables import ReplyAddress
from tests.activities.test_notify import COMPLAINANT_EMAIL, deliver, engine_with_case, notice_of
from tests.factories import Database, case_state, migrated

SECRET = "reply-tests-secret-key-0123456789"
SETTINGS = Settings(
    public_url="https://redress.example",
    mail_domain="redress.test",
    reply_domain="reply.redress.test",
    secret_key=SECRET,
)
COMPANY_USER = "company@redress.localhost"
COMPANY_CONTACT = "csr@noorderlicht-fashion.example"
STEERING_GROUP = "steering-group@garments-textile.example"


def test_the_mime_message_carries_the_reply_to() -> None:
    mail = OutgoingMail(
        message_id="<m@redress.test>",
        sender="Redress <no-reply@redress.test>",
        to="x@example.org",
        subject="s",
        text="t",
        html="<p>t</p>",
        language="en",
        reply_to="reply+abc@reply.redress.test",
    )
    assert to_mime(mail)["Reply-To"] == "reply+abc@reply.redress.test"
    assert "Reply-To" not in to_mime(mail.model_copy(update={"reply_to": None}))


async def test_every_recipient_gets_its_own_reply_address_reused_by_later_notices(
    database: Database,
) -> None:
    state = case_state(stage=Stage.RESPONSE, mediator="mediator")
    engine = engine_with_case(database, state, confidential=True)
    mailer = RecordingMailer()
    notifier = NotifyActivities(engine, mailer, SETTINGS)
    audiences = (
        Audience.COMPLAINANT,
        Audience.RESPONDENTS,
        Audience.SECRETARIAT,
        Audience.STEERING_GROUP,
    )
    await deliver(notifier, state.reference, notice_of(NoticeKind.STAGE_CHANGED, *audiences))
    first = {m.to: m.reply_to for m in mailer.sent}
    # The steering group's shared mailbox acts as no one: no Reply-To.
    assert first.pop(STEERING_GROUP) is None
    assert all(first.values()) and len(set(first.values())) == len(first)
    for address in first.values():
        assert address is not None and address.endswith("@reply.redress.test")
        # The token says nothing of the case or of the (confidential) complainant.
        assert state.reference.lower() not in address and "rahima" not in address
    with session_scope(engine) as session:
        rows = {r.email: r for r in session.exec(select(ReplyAddress)).all()}
    assert set(rows) == set(first)
    complainant = rows[COMPLAINANT_EMAIL]
    assert (complainant.complainant, complainant.side, complainant.user_id) == (
        1,
        "complainant",
        None,
    )
    assert rows[COMPANY_USER].user_id is not None and rows[COMPANY_USER].side == "respondent"
    contact = rows[COMPANY_CONTACT]
    assert (contact.organisation_id, contact.user_id, contact.side) == (
        "noorderlicht-fashion",
        None,
        "respondent",
    )
    assert rows["secretariat@redress.localhost"].side is None
    assert rows["secretariat@redress.localhost"].role == "secretariat"

    # A later notice of the case (and so any retry) reuses each person's address.
    mailer.sent.clear()
    later = notice_of(NoticeKind.STAGE_CHANGED, *audiences, key=f"{state.reference}/2")
    await deliver(notifier, state.reference, later)
    assert {m.to: m.reply_to for m in mailer.sent if m.to != STEERING_GROUP} == first
    with session_scope(engine) as session:
        assert len(session.exec(select(ReplyAddress)).all()) == len(first)

    # Revoked, the address stops being issued; the next notice carries a new one.
    token_id = rows[COMPANY_CONTACT].id
    with session_scope(engine) as session:
        assert reply_addresses.revoke_reply_addresses(
            session=session, now=datetime.now(UTC), token_id=token_id
        )
    mailer.sent.clear()
    third = notice_of(NoticeKind.STAGE_CHANGED, Audience.RESPONDENTS, key=f"{state.reference}/3")
    await deliver(notifier, state.reference, third)
    renewed = {m.to: m.reply_to for m in mailer.sent}
    assert renewed[COMPANY_USER] == first[COMPANY_USER]
    assert renewed[COMPANY_CONTACT] not in (None, first[COMPANY_CONTACT])


async def test_without_a_reply_domain_notices_carry_no_reply_to(database: Database) -> None:
    state = case_state(stage=Stage.RESPONSE)
    mailer = RecordingMailer()
    settings = SETTINGS.model_copy(update={"reply_domain": ""})
    notifier = NotifyActivities(engine_with_case(database, state), mailer, settings)
    notice = notice_of(NoticeKind.STAGE_CHANGED, Audience.COMPLAINANT, Audience.RESPONDENTS)
    await deliver(notifier, state.reference, notice)
    assert mailer.sent and all(m.reply_to is None for m in mailer.sent)


def test_an_erased_address_is_blanked_and_revoked(database: Database) -> None:
    engine = migrated(database)
    now = datetime.now(UTC)
    ids = iter(["a" * 16, "b" * 16, "c" * 16])
    with session_scope(engine) as session:
        for reference, email in (
            ("GT-2026-0001", "Rahima@Workers.example"),
            ("GT-2026-0001", "csr@company.example"),
            ("GT-2026-0002", "rahima@workers.example"),
        ):
            reply_addresses.issue_reply_address(
                session=session,
                reference=reference,
                addressee=Addressee(email=email, role="complainant", complainant=1),
                now=now,
                new_id=lambda: next(ids),
            )
    with session_scope(engine) as session:
        assert (
            reply_addresses.forget_address(
                session=session, reference="GT-2026-0001", email="RAHIMA@workers.example", now=now
            )
            == 1
        )
    with session_scope(engine) as session:
        rows = {r.id: r for r in session.exec(select(ReplyAddress)).all()}
    assert (rows["a" * 16].email, rows["a" * 16].revoked_at) == ("", now)
    assert rows["b" * 16].email == "csr@company.example" and rows["b" * 16].revoked_at is None
    assert rows["c" * 16].email == "rahima@workers.example"  # another case's: untouched
