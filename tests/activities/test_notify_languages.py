"""send_notice in the reader's language: a complainant's own, a company's, staff's, else English."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from activities.notify import NotifyActivities
from domain.enums import Audience, NoticeKind, Stage
from domain.notices import Notice
from domain.words import DEADLINES
from notifications.mailer import OutgoingMail, RecordingMailer
from notifications.phrases import DEADLINE_PHRASES
from store import cases
from store.db import session_scope
from tests.activities.test_notify import (
    ACCESS_CODE,
    COMPLAINANT_EMAIL,
    SETTINGS,
    deliver,
    engine_with_case,
)
from tests.factories import Database, case_state, deadline

# 23:59:59 in Amsterdam on Wednesday 1 April 2026 (CEST, UTC+2): a day-based deadline.
DUE = datetime(2026, 4, 1, 21, 59, 59, tzinfo=UTC)
# Babel's words for that date in each language, and each language's words for the mail.
WORDS = {
    "bn": {
        "date": "বুধবার, ১ এপ্রিল, ২০২৬",
        "receipt": "অভিযোগ পাওয়া গেছে",
        "code": "আপনার অ্যাক্সেস কোড",
        "stage": "কেস GT-2026-0001 এখন এই ধাপে: মধ্যস্থতা",
    },
    "tr": {
        "date": "1 Nisan 2026 Çarşamba",
        "receipt": "Şikâyetiniz alındı",
        "code": "ERİŞİM KODUNUZ",
        "stage": "GT-2026-0001 numaralı dosyanın yeni aşaması: arabuluculuk",
    },
    "zh": {
        "date": "2026年4月1日星期三",
        "receipt": "投诉已收到",
        "code": "您的查询码",
        "stage": "案件 GT-2026-0001 已进入新阶段：调解",
    },
}
# The confidential complainant's identity, which no company copy may carry in any language.
IDENTITY = ("Rahima", "Akter", "rahima.akter", "Rupali Workers Committee", "+8801711000000")


def _case_in(database: Database, language: str, *, confidential: bool = True) -> Engine:
    """A registered case whose complainant filed in ``language``, with standard deadlines."""
    standard = [
        deadline(name, DUE).model_copy(update={"label": DEADLINES[name]})
        for name in ("register", "mediation")
    ]
    state = case_state(deadlines=standard, confidential=confidential)
    engine = engine_with_case(database, state, confidential=confidential, receipt_code=ACCESS_CODE)
    with session_scope(engine) as session:
        record = cases.get_complainant(session=session, reference=state.reference)
        assert record is not None
        record.language = language
        session.add(record)
    return engine


def _notice(kind: NoticeKind, stage: Stage, name: str, *audiences: Audience) -> Notice:
    return Notice(
        key=f"GT-2026-0001/{kind.value}",
        kind=kind,
        audiences=list(audiences),
        stage=stage,
        deadline=name,
        due=DUE,
    )


def _everything(mail: OutgoingMail) -> str:
    return "\n".join([mail.subject, mail.text, mail.html])


@pytest.mark.parametrize("language", ["bn", "tr", "zh"])
async def test_a_complainant_gets_the_receipt_in_the_language_filed_in(
    database: Database, language: str
) -> None:
    mailer = RecordingMailer()
    notifier = NotifyActivities(_case_in(database, language), mailer, SETTINGS)
    notice = _notice(
        NoticeKind.RECEIPT, Stage.SCREENING, "register", Audience.COMPLAINANT, Audience.SECRETARIAT
    )
    await deliver(notifier, "GT-2026-0001", notice)

    by_to = {m.to: m for m in mailer.sent}
    receipt = by_to[COMPLAINANT_EMAIL]
    words = WORDS[language]
    assert receipt.language == language
    assert receipt.subject.startswith(words["receipt"])
    assert f"{words['code']}: {ACCESS_CODE}" in receipt.text.replace("：", ": ")
    assert words["date"] in receipt.text and words["date"] in receipt.html
    assert "Dear" not in receipt.text and "Kind regards" not in receipt.text
    # The secretariat reads its own language (English), whatever the complainant's.
    staff = by_to["secretariat@redress.localhost"]
    assert staff.language == "en" and staff.subject.startswith("Complaint received")


@pytest.mark.parametrize("language", ["bn", "tr", "zh"])
async def test_a_stage_change_reaches_each_party_in_its_own_language(
    database: Database, language: str
) -> None:
    mailer = RecordingMailer()
    notifier = NotifyActivities(_case_in(database, language), mailer, SETTINGS)
    notice = _notice(
        NoticeKind.STAGE_CHANGED,
        Stage.MEDIATION,
        "mediation",
        Audience.COMPLAINANT,
        Audience.RESPONDENTS,
    )
    await deliver(notifier, "GT-2026-0001", notice)

    by_to = {m.to: m for m in mailer.sent}
    mine = by_to[COMPLAINANT_EMAIL]
    words = WORDS[language]
    assert mine.language == language and mine.subject == words["stage"]
    assert words["date"] in mine.text and words["date"] in mine.html
    # The standard deadline's label is written in the reader's words too.
    assert DEADLINE_PHRASES["mediation"][language] in mine.text
    assert ACCESS_CODE not in _everything(mine)  # only the receipt carries the code
    # The companies: Noorderlicht reads Dutch, Delta Denim's contacts are not in the case.
    company = by_to["csr@noorderlicht-fashion.example"]
    assert company.language == "nl"
    assert company.subject == "Zaak GT-2026-0001 is nu in de fase: bemiddeling"
    assert DEADLINE_PHRASES["mediation"]["nl"] in company.text


@pytest.mark.parametrize("language", ["bn", "tr", "zh"])
async def test_a_company_never_learns_a_confidential_complainant_in_any_language(
    database: Database, language: str
) -> None:
    mailer = RecordingMailer()
    notifier = NotifyActivities(_case_in(database, language), mailer, SETTINGS)
    notice = _notice(NoticeKind.COMPANY_NOTICE, Stage.RESPONSE, "register", Audience.RESPONDENTS)
    await deliver(notifier, "GT-2026-0001", notice)

    assert mailer.sent
    for mail in mailer.sent:
        assert mail.language in {"nl", "en"}  # the company's language, not the complainant's
        for word in IDENTITY:
            assert word not in _everything(mail), (mail.to, word)


async def test_an_unsupported_language_falls_back_to_english(database: Database) -> None:
    mailer = RecordingMailer()
    notifier = NotifyActivities(_case_in(database, "my"), mailer, SETTINGS)
    notice = _notice(NoticeKind.RECEIPT, Stage.SCREENING, "register", Audience.COMPLAINANT)
    await deliver(notifier, "GT-2026-0001", notice)

    receipt = next(m for m in mailer.sent if m.to == COMPLAINANT_EMAIL)
    assert receipt.language == "en"
    assert receipt.subject.startswith("Complaint received")
    assert "Wednesday 1 April 2026" in receipt.text
