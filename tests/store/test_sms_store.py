"""The store's side of notices by SMS: whom a number's text is from, each text sent once,
and a complainant's number forgotten on the texts when its contact details are erased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from activities.records import RecordActivities
from domain.enums import CaseStatus
from store import sms
from store.tables import SmsOutbox
from tests.factories import FILED, Database, case_state, complainant, migrated, project_state

NUMBER = "+8801711000401"
NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


def _case(database: Database, reference: str, *, days: int, closed: bool = False) -> None:
    state = case_state(reference, filed_at=FILED + timedelta(days=days))
    if closed:
        state = state.model_copy(update={"status": CaseStatus.CLOSED})
    project_state(RecordActivities(database.engine), state)


def test_a_number_is_the_open_cases_of_those_who_chose_sms_oldest_first(
    database: Database,
) -> None:
    migrated(database)
    for reference, days, closed in [
        ("GT-2026-0002", 2, False),
        ("GT-2026-0001", 1, False),
        ("GT-2026-0003", 3, True),
        ("GT-2026-0004", 4, False),
    ]:
        _case(database, reference, days=days, closed=closed)
    with Session(database.engine) as session:
        for reference in ("GT-2026-0001", "GT-2026-0002", "GT-2026-0003", "GT-2026-0004"):
            person = complainant(reference)
            person.phone = NUMBER
            # The fourth gave the number but chose e-mail: its texts are not taken as its.
            person.notices = "email" if reference == "GT-2026-0004" else "sms"
            session.add(person)
        session.commit()
        found = sms.open_cases_of_number(session=session, phone=NUMBER)
        assert [c.reference for c in found] == ["GT-2026-0001", "GT-2026-0002"]
        assert sms.open_cases_of_number(session=session, phone="+8801711000499") == []
        assert [
            c.reference for c in sms.texted_complainants(session=session, reference="GT-2026-0001")
        ] == ["GT-2026-0001"]
        assert sms.texted_complainants(session=session, reference="GT-2026-0004") == []


def test_a_text_is_claimed_once_and_not_sent_again_once_sent(database: Database) -> None:
    migrated(database)
    key = "notice:GT-2026-0001:receipt:1"
    with Session(database.engine) as session:
        mine = {"key": key, "reference": "GT-2026-0001", "recipient": NUMBER, "language": "bn"}
        assert sms.text_to_send(session=session, now=NOW, **mine)
        session.commit()
        assert sms.claim_text(session=session, key=key, now=NOW)
        assert not sms.claim_text(session=session, key=key, now=NOW)  # another attempt holds it
        later = NOW + sms.CLAIM_LEASE + timedelta(seconds=1)
        assert sms.claim_text(session=session, key=key, now=later)  # that attempt died
        sms.finish_text(session=session, key=key, now=later, provider_id="SM1")
        session.commit()
        assert not sms.text_to_send(session=session, now=later, **mine)  # a retry sends none
        assert not sms.claim_text(session=session, key=key, now=later + timedelta(hours=1))


def test_an_erased_number_is_blanked_on_its_cases_texts_and_the_questions_back(
    database: Database,
) -> None:
    migrated(database)
    older = "+8801711000409"  # the number the complainant had before it gave NUMBER
    with Session(database.engine) as session:
        rows = [
            ("notice:GT-2026-0001/1/receipt/0:1", "GT-2026-0001", older, "21211"),
            ("notice:GT-2026-0001/3/stage_changed/0:1", "GT-2026-0001", NUMBER, None),
            ("ask:SM1", None, NUMBER, "SmsRejected"),
            ("ask:SM2", None, older, None),  # asked on the number it had then
            ("notice:GT-2026-0002/1/receipt/0:1", "GT-2026-0002", NUMBER, None),  # another case
            ("notice:GT-2026-0001/1/receipt/0:2", "GT-2026-0001", "+8801711000402", "30003"),
            ("notice:GT-2026-0001/1/receipt/0:11", "GT-2026-0001", "+8801711000411", None),
            ("ask:SM3", None, "+8801711000402", None),  # another complainant's
        ]
        for key, reference, number, error in rows:
            sms.text_to_send(
                session=session,
                key=key,
                reference=reference,
                recipient=number,
                language="en",
                now=NOW,
            )
            session.flush()
            if error is not None:
                sms.finish_text(session=session, key=key, now=NOW, error=error)
        session.commit()
        assert (
            sms.forget_number(
                session=session, reference="GT-2026-0001", phone=NUMBER, complainant=1
            )
            == 4
        )
        session.commit()
        kept = {r.key: (r.recipient, r.error) for r in session.exec(select(SmsOutbox))}
        assert kept == {
            "notice:GT-2026-0001/1/receipt/0:1": ("", None),
            "notice:GT-2026-0001/3/stage_changed/0:1": ("", None),
            "ask:SM1": ("", None),
            "ask:SM2": ("", None),
            "notice:GT-2026-0002/1/receipt/0:1": (NUMBER, None),
            "notice:GT-2026-0001/1/receipt/0:2": ("+8801711000402", "30003"),
            "notice:GT-2026-0001/1/receipt/0:11": ("+8801711000411", None),
            "ask:SM3": ("+8801711000402", None),
        }
        # Erased once more (or a record with no number left): nothing holds one any more.
        assert (
            sms.forget_number(session=session, reference="GT-2026-0001", phone=None, complainant=1)
            == 0
        )


def test_without_its_record_the_erasure_finds_it_by_the_number_it_holds_now(
    database: Database,
) -> None:
    migrated(database)
    _case(database, "GT-2026-0001", days=1)
    with Session(database.engine) as session:
        person = complainant("GT-2026-0001")
        person.phone = NUMBER
        session.add(person)
        for key, number in [("notice:GT-2026-0001/1/receipt/0:1", "+8801711000409")]:
            sms.text_to_send(
                session=session,
                key=key,
                reference="GT-2026-0001",
                recipient=number,
                language="en",
                now=NOW,
            )
        session.commit()
        assert sms.forget_number(session=session, reference="GT-2026-0001", phone=NUMBER) == 1
        session.commit()
        assert [r.recipient for r in session.exec(select(SmsOutbox))] == [""]


def test_a_text_still_to_send_goes_to_the_number_recorded_now(database: Database) -> None:
    migrated(database)
    key = "notice:GT-2026-0001/1/receipt/0:1"
    with Session(database.engine) as session:

        def write(number: str, language: str) -> bool:
            return sms.text_to_send(
                session=session,
                key=key,
                reference="GT-2026-0001",
                recipient=number,
                language=language,
                now=NOW,
            )

        assert write("+8801711000409", "en")
        session.commit()
        # The gateway was down; meanwhile the complainant gave another number.
        assert write(NUMBER, "bn")
        session.commit()
        row = session.get(SmsOutbox, key)
        assert row is not None and (row.recipient, row.language) == (NUMBER, "bn")
