"""send_notice: recipients per audience, identity masking, receipts, at-most-once sending."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from activities.notify import NoticeRequest, NotifyActivities
from activities.records import RecordActivities
from core.links import portal_url, tracking_url
from core.settings import Settings
from domain.cases import CaseState, Recusal
from domain.enums import Audience, CaseKind, NoticeKind, Stage
from domain.notices import Notice
from notifications.mailer import OutgoingMail, RecordingMailer
from store import cases, outbox, people
from store.db import session_scope
from store.seed import seed_session
from store.tables import Organisation, OrganisationContact, Outbox, StaffCovenant, User
from tests.factories import (
    FILED,
    Database,
    case_state,
    complainant,
    deadline,
    migrated,
    project_state,
)

DAY = timedelta(days=1)
SETTINGS = Settings(public_url="https://redress.example", mail_domain="redress.test")
COMPLAINANT_EMAIL = "rahima.akter@mail.example"
ACCESS_CODE = "Zq3-very-secret-access-code-4Xk"
STAFF = {
    "secretariat@redress.localhost",
    "chair@redress.localhost",
    "committee@redress.localhost",
}


def engine_with_case(
    database: Database,
    state: CaseState,
    *,
    confidential: bool = False,
    receipt_code: str | None = None,
    email: str | None = COMPLAINANT_EMAIL,
) -> Engine:
    engine = migrated(database)
    with session_scope(engine) as session:
        seed_session(session=session, mail_domain="redress.localhost")
        session.add(
            complainant(
                state.reference, confidential=confidential, receipt_code=receipt_code, email=email
            )
        )
    project_state(RecordActivities(engine), state)
    return engine


def notice_of(kind: NoticeKind, *audiences: Audience, key: str = "GT-2026-0001/1") -> Notice:
    return Notice(
        key=key,
        kind=kind,
        audiences=list(audiences),
        stage=Stage.RESPONSE,
        deadline="response",
        due=FILED + 30 * DAY,
        text="Please respond to the complaint.",
    )


async def deliver(notifier: NotifyActivities, reference: str, notice: Notice) -> int:
    request = NoticeRequest(reference=reference, notice=notice)
    return await ActivityEnvironment().run(notifier.send_notice, request)


def _to(mails: list[OutgoingMail]) -> set[str]:
    return {m.to for m in mails}


def _all_text(mail: OutgoingMail) -> str:
    return "\n".join([mail.subject, mail.text, mail.html])


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (Audience.COMPLAINANT, {COMPLAINANT_EMAIL, "union@redress.localhost"}),
        (
            Audience.RESPONDENTS,
            {"company@redress.localhost", "csr@noorderlicht-fashion.example"},
        ),
        (Audience.SECRETARIAT, {"secretariat@redress.localhost"}),
        (Audience.CHAIR, {"chair@redress.localhost"}),
        (Audience.COMMITTEE, {"committee@redress.localhost"}),
        (Audience.MEDIATOR, {"mediator@redress.localhost"}),
        (Audience.STEERING_GROUP, {"steering-group@garments-textile.example"}),
    ],
)
async def test_each_audience_reaches_its_people(
    database: Database, audience: Audience, expected: set[str]
) -> None:
    state = case_state(
        stage=Stage.RESPONSE,
        deadlines=[deadline("response", FILED + 30 * DAY)],
        mediator="mediator",  # an assigned mediator; without one the secretariat is told
    )
    mailer = RecordingMailer()
    notifier = NotifyActivities(engine_with_case(database, state), mailer, SETTINGS)
    assert await deliver(
        notifier, state.reference, notice_of(NoticeKind.STAGE_CHANGED, audience)
    ) == len(expected)
    assert _to(mailer.sent) == expected
    for mail in mailer.sent:
        assert mail.message_id.endswith("@redress.test>")
        assert "The response step" in mail.text  # the deadline's label from the state


async def test_links_languages_and_deduplication(database: Database) -> None:
    state = case_state(respondents=("noorderlicht-fashion", "delta-denim"))
    mailer = RecordingMailer()
    engine = engine_with_case(database, state)
    with session_scope(engine) as session:
        company2 = people.find_user(session=session, username="company2")
        assert company2 is not None
        company2.email = "COMPANY@redress.localhost"  # the same person under two addresses' case
    notifier = NotifyActivities(engine, mailer, SETTINGS)
    notice = notice_of(
        NoticeKind.MESSAGE,
        Audience.COMPLAINANT,
        Audience.RESPONDENTS,
        Audience.SECRETARIAT,
        Audience.SECRETARIAT,
    )
    sent = await deliver(notifier, state.reference, notice)
    addresses = [m.to.lower() for m in mailer.sent]
    assert sent == len(addresses) == len(set(addresses))
    assert "company@redress.localhost" in addresses
    by_to = {m.to: m for m in mailer.sent}
    tracking = "https://redress.example/track?reference=GT-2026-0001"
    portal = "https://redress.example/portal/cases/GT-2026-0001"
    assert by_to[COMPLAINANT_EMAIL].text.count(tracking) >= 1
    assert portal in by_to["secretariat@redress.localhost"].text
    assert by_to["csr@noorderlicht-fashion.example"].language == "nl"
    assert by_to["compliance@delta-denim.example"].language == "en"


async def test_every_mail_links_to_the_right_page(database: Database) -> None:
    state = case_state()
    mailer = RecordingMailer()
    notifier = NotifyActivities(engine_with_case(database, state), mailer, SETTINGS)
    notice = notice_of(
        NoticeKind.MESSAGE, Audience.COMPLAINANT, Audience.RESPONDENTS, Audience.SECRETARIAT
    )
    await deliver(notifier, state.reference, notice)
    assert len(mailer.sent) == 5
    for mail in mailer.sent:
        # The complainant's own address follows the case with its code; accounts sign in.
        own = mail.to == COMPLAINANT_EMAIL
        url = (tracking_url if own else portal_url)(SETTINGS, state.reference)
        assert url in mail.text and url in mail.html, mail.to
        assert "/api/v1/" not in mail.text + mail.html


async def test_a_retried_notice_sends_nothing_new(database: Database) -> None:
    state = case_state()
    mailer = RecordingMailer()
    engine = engine_with_case(database, state)
    notifier = NotifyActivities(engine, mailer, SETTINGS)
    notice = notice_of(NoticeKind.STAGE_CHANGED, Audience.COMPLAINANT, Audience.RESPONDENTS)
    first = await deliver(notifier, state.reference, notice)
    assert first == len(mailer.sent) == 4
    assert await deliver(notifier, state.reference, notice) == 0
    assert len(mailer.sent) == 4
    with session_scope(engine) as session:
        rows = session.exec(select(Outbox)).all()
        assert len(rows) == 4 and all(r.sent_at is not None for r in rows)
        assert {r.message_id for r in rows} == {m.message_id for m in mailer.sent}
    # Another notice (another key) is another mail.
    assert (
        await deliver(
            notifier,
            state.reference,
            notice_of(NoticeKind.STAGE_CHANGED, Audience.COMPLAINANT, key="GT-2026-0001/2"),
        )
        == 2
    )


class FlakyMailer(RecordingMailer):
    """Fails on the n-th send, once."""

    def __init__(self, fail_at: int) -> None:
        super().__init__()
        self.fail_at = fail_at
        self.calls = 0

    async def send(self, mail: OutgoingMail) -> None:
        self.calls += 1
        if self.calls == self.fail_at:
            raise ConnectionError("SMTP server went away")
        await super().send(mail)


@pytest.mark.parametrize("fail_at", [1, 2])
async def test_a_failed_send_is_retried_without_duplicates(
    database: Database, fail_at: int
) -> None:
    state = case_state()
    mailer = FlakyMailer(fail_at=fail_at)
    engine = engine_with_case(database, state, receipt_code=ACCESS_CODE)
    notifier = NotifyActivities(engine, mailer, SETTINGS)
    notice = notice_of(NoticeKind.RECEIPT, Audience.COMPLAINANT, Audience.SECRETARIAT)
    with pytest.raises(ConnectionError):
        await deliver(notifier, state.reference, notice)
    assert len(mailer.sent) == fail_at - 1
    assert await deliver(notifier, state.reference, notice) == 4 - fail_at
    assert sorted(m.to for m in mailer.sent) == sorted(
        {COMPLAINANT_EMAIL, "union@redress.localhost", "secretariat@redress.localhost"}
    )
    receipt = next(m for m in mailer.sent if m.to == COMPLAINANT_EMAIL)
    assert ACCESS_CODE in receipt.text
    with session_scope(engine) as session:
        record = cases.get_complainant(session=session, reference=state.reference)
        assert record is not None and record.receipt_code is None


async def test_confidential_case_never_identifies_the_complainant_to_the_company(
    database: Database,
) -> None:
    state = case_state(confidential=True)
    mailer = RecordingMailer()
    engine = engine_with_case(database, state, confidential=True)
    notifier = NotifyActivities(engine, mailer, SETTINGS)
    notice = notice_of(
        NoticeKind.COMPANY_NOTICE,
        Audience.RESPONDENTS,
        Audience.STEERING_GROUP,
        Audience.SECRETARIAT,
    )
    await deliver(notifier, state.reference, notice)
    masked = [m for m in mailer.sent if m.to not in STAFF]
    assert _to(masked) == {
        "company@redress.localhost",
        "csr@noorderlicht-fashion.example",
        "steering-group@garments-textile.example",
    }
    secrets = [
        "Rahima",
        "Akter",
        "Rupali Workers Committee",
        COMPLAINANT_EMAIL,
        "+8801711000000",
        "37 dismissed workers",
    ]
    for mail in masked:
        body = _all_text(mail)
        for secret in secrets:
            assert secret not in body, (mail.to, secret)
        assert state.pseudonym in body
    staff = next(m for m in mailer.sent if m.to == "secretariat@redress.localhost")
    assert "Rahima Akter (Rupali Workers Committee)" in staff.text


async def test_open_case_names_the_complainant_to_the_company(database: Database) -> None:
    state = case_state(confidential=False)
    mailer = RecordingMailer()
    notifier = NotifyActivities(engine_with_case(database, state), mailer, SETTINGS)
    await deliver(
        notifier, state.reference, notice_of(NoticeKind.COMPANY_NOTICE, Audience.RESPONDENTS)
    )
    assert mailer.sent and all("Rahima Akter" in m.text for m in mailer.sent)


async def test_receipt_carries_the_access_code_once_then_forgets_it(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    state = case_state()
    mailer = RecordingMailer()
    engine = engine_with_case(database, state, receipt_code=ACCESS_CODE)
    notifier = NotifyActivities(engine, mailer, SETTINGS)
    notice = notice_of(NoticeKind.RECEIPT, Audience.COMPLAINANT, Audience.SECRETARIAT)
    caplog.set_level("DEBUG")
    assert await deliver(notifier, state.reference, notice) == 3
    by_to = {m.to: m for m in mailer.sent}
    assert ACCESS_CODE in by_to[COMPLAINANT_EMAIL].text
    assert ACCESS_CODE in by_to[COMPLAINANT_EMAIL].html
    # Only the complainant's own address gets the code.
    assert ACCESS_CODE not in _all_text(by_to["union@redress.localhost"])
    assert ACCESS_CODE not in _all_text(by_to["secretariat@redress.localhost"])
    assert ACCESS_CODE not in caplog.text
    with session_scope(engine) as session:
        record = cases.get_complainant(session=session, reference=state.reference)
        assert record is not None and record.receipt_code is None
        outbox = session.exec(select(Outbox)).all()
        assert all(ACCESS_CODE not in f"{row.subject}{row.recipient}" for row in outbox)


async def test_receipt_without_an_address_still_forgets_the_code(database: Database) -> None:
    state = case_state(complainant_organisation_id=None)
    mailer = RecordingMailer()
    engine = engine_with_case(database, state, receipt_code=ACCESS_CODE, email=None)
    notifier = NotifyActivities(engine, mailer, SETTINGS)
    assert (
        await deliver(
            notifier, state.reference, notice_of(NoticeKind.RECEIPT, Audience.COMPLAINANT)
        )
        == 0
    )
    with session_scope(engine) as session:
        record = cases.get_complainant(session=session, reference=state.reference)
        assert record is not None and record.receipt_code is None


async def test_mediator_and_recusals(database: Database) -> None:
    state = case_state(mediator="mediator2")
    state.recusals = [Recusal(member="committee", reason="Conflict", at=FILED)]
    mailer = RecordingMailer()
    engine = engine_with_case(database, state)
    with session_scope(engine) as session:
        for name in ("mediator2", "committee2", "committee3"):
            user = User(
                username=name,
                display_name=name,
                email=f"{name}@redress.localhost",
                role="mediator" if name.startswith("mediator") else "committee",
                password_hash="x",
            )
            session.add(user)
            session.flush()
            assert user.id is not None
            if name != "committee3":  # on the stone covenant only
                session.add(StaffCovenant(user_id=user.id, covenant=state.covenant))
            else:
                session.add(StaffCovenant(user_id=user.id, covenant="natural-stone"))
    notifier = NotifyActivities(engine, mailer, SETTINGS)
    await deliver(
        notifier,
        state.reference,
        notice_of(NoticeKind.MESSAGE, Audience.MEDIATOR, Audience.COMMITTEE),
    )
    # The assigned mediator only; the recused committee member and the member of another
    # covenant's committee are left out.
    assert _to(mailer.sent) == {"mediator2@redress.localhost", "committee2@redress.localhost"}


@pytest.mark.parametrize(
    "mediator", [None, "nobody-by-that-name", "company", "retired-mediator"], ids=str
)
async def test_without_a_valid_assigned_mediator_the_secretariat_is_told(
    database: Database, mediator: str | None
) -> None:
    state = case_state(mediator=mediator)
    mailer = RecordingMailer()
    engine = engine_with_case(database, state)
    with session_scope(engine) as session:
        session.add(
            User(
                username="retired-mediator",
                display_name="Retired",
                email="retired-mediator@redress.localhost",
                role="mediator",
                password_hash="x",
                active=False,
            )
        )
    notifier = NotifyActivities(engine, mailer, SETTINGS)
    await deliver(notifier, state.reference, notice_of(NoticeKind.MESSAGE, Audience.MEDIATOR))
    # Never every mediator: they would learn of a case that is not theirs.
    assert _to(mailer.sent) == {"secretariat@redress.localhost"}


async def test_unknown_case_is_retried_later(database: Database) -> None:
    migrated(database)
    notifier = NotifyActivities(database.engine, RecordingMailer(), SETTINGS)
    with pytest.raises(Exception, match="not projected yet"):
        await deliver(notifier, "GT-2099-0001", notice_of(NoticeKind.MESSAGE, Audience.CHAIR))


async def test_a_notice_for_one_respondent_reaches_that_company_alone(database: Database) -> None:
    state = case_state(respondents=("noorderlicht-fashion", "delta-denim"))
    mailer = RecordingMailer()
    notifier = NotifyActivities(engine_with_case(database, state), mailer, SETTINGS)
    notice = notice_of(NoticeKind.COMPANY_NOTICE, Audience.RESPONDENTS).model_copy(
        update={"party": "delta-denim"}
    )
    await deliver(notifier, state.reference, notice)
    assert _to(mailer.sent) == {"company2@redress.localhost", "compliance@delta-denim.example"}


async def test_a_signal_notice_names_the_company_own_deadline_and_no_confidential_reporter(
    database: Database,
) -> None:
    due = FILED + 60 * DAY
    deadlines = [
        deadline("due_diligence", due, owner=Audience.RESPONDENTS).model_copy(
            update={"id": f"due_diligence-{n}", "party": org, "label": f"Due diligence by {org}"}
        )
        for n, org in enumerate(("noorderlicht-fashion", "delta-denim"), start=1)
    ]
    state = case_state(
        stage=Stage.SIGNAL,
        respondents=("noorderlicht-fashion", "delta-denim"),
        confidential=True,
        deadlines=deadlines,
    ).model_copy(update={"kind": CaseKind.SIGNAL, "forwarded_at": FILED + DAY})
    mailer = RecordingMailer()
    notifier = NotifyActivities(
        engine_with_case(database, state, confidential=True), mailer, SETTINGS
    )
    notice = Notice(
        key=f"{state.reference}/2/signal_notice/1",
        kind=NoticeKind.SIGNAL_NOTICE,
        audiences=[Audience.RESPONDENTS],
        stage=Stage.SIGNAL,
        deadline="due_diligence",
        due=due,
        party="delta-denim",
    )
    await deliver(notifier, state.reference, notice)
    assert _to(mailer.sent) == {"company2@redress.localhost", "compliance@delta-denim.example"}
    for mail in mailer.sent:
        text = _all_text(mail)
        assert "Due diligence by delta-denim" in text and "noorderlicht" not in text
        assert state.pseudonym in text
        assert "Rahima" not in text and "Workers Committee" not in text
        assert COMPLAINANT_EMAIL not in text


async def test_no_notice_reaches_a_company_before_registration(database: Database) -> None:
    state = case_state(stage=Stage.SCREENING)  # filed, screened for reprisal risks
    mailer = RecordingMailer()
    notifier = NotifyActivities(engine_with_case(database, state), mailer, SETTINGS)
    notice = notice_of(NoticeKind.MESSAGE, Audience.RESPONDENTS, Audience.SECRETARIAT)
    await deliver(notifier, state.reference, notice)
    assert {m.to for m in mailer.sent} == {"secretariat@redress.localhost"}


async def test_a_company_is_written_to_at_each_contact_in_its_language(database: Database) -> None:
    state = case_state(respondents=("noorderlicht-fashion",))
    engine = engine_with_case(database, state)
    with session_scope(engine) as session:
        session.add(
            OrganisationContact(
                organisation_id="noorderlicht-fashion",
                email="juridisch@noorderlicht.example",
                language="nl",
            )
        )
    mailer = RecordingMailer()
    notice = notice_of(NoticeKind.COMPANY_NOTICE, Audience.RESPONDENTS)
    await deliver(NotifyActivities(engine, mailer, SETTINGS), state.reference, notice)
    languages = {m.to: m.language for m in mailer.sent}
    assert languages["juridisch@noorderlicht.example"] == "nl"
    assert "company@redress.localhost" in languages  # its users too


async def test_a_company_with_no_one_to_write_to_is_flagged_not_dropped(database: Database) -> None:
    state = case_state(respondents=("noorderlicht-fashion", "imported-brand"))
    engine = engine_with_case(database, state)
    with session_scope(engine) as session:  # as `redress import-locations` creates it
        session.add(Organisation(id="imported-brand", name="Imported Brand B.V.", kind="company"))
    mailer = RecordingMailer()
    notice = notice_of(NoticeKind.COMPANY_NOTICE, Audience.RESPONDENTS)
    await deliver(NotifyActivities(engine, mailer, SETTINGS), state.reference, notice)
    assert mailer.sent  # the company that has addresses is written to
    with session_scope(engine) as session:
        (parked,) = outbox.parked_notices(session=session, reference=state.reference)
        assert parked.key == notice.key and "Imported Brand" in parked.error


async def test_a_second_escalation_reaches_the_covenants_steering_group_members(
    database: Database,
) -> None:
    state = case_state()
    mailer = RecordingMailer()
    engine = engine_with_case(database, state)
    with session_scope(engine) as session:
        for name, covenant in (("karin", state.covenant), ("other", "natural-stone")):
            user = User(
                username=name,
                display_name=name,
                email=f"{name}@steering.example",
                role="steering_group",
                password_hash="x",
            )
            session.add(user)
            session.flush()
            assert user.id is not None
            session.add(StaffCovenant(user_id=user.id, covenant=covenant))
    notifier = NotifyActivities(engine, mailer, SETTINGS)
    await deliver(notifier, state.reference, notice_of(NoticeKind.MESSAGE, Audience.STEERING_GROUP))
    assert _to(mailer.sent) == {"karin@steering.example", "steering-group@garments-textile.example"}
