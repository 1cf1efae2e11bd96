"""send_notice for the complainant's status e-mail: in the complainant's language, with what
happened since (the quoted ``status_sent`` event, read from the read model) and the next due
date; it goes to the complainant alone."""

from __future__ import annotations

from datetime import UTC, datetime

from activities.notify import NotifyActivities
from domain.cases import Event
from domain.enums import Audience, NoticeKind, Stage, Visibility
from domain.notices import Notice
from domain.words import DEADLINES
from notifications.mailer import RecordingMailer
from store import cases
from store.db import session_scope
from tests.activities.test_notify import COMPLAINANT_EMAIL, SETTINGS, deliver, engine_with_case
from tests.activities.test_notify_languages import DUE, WORDS
from tests.factories import Database, case_state, deadline

SINCE = "- 2026-03-02: Message\n- 2026-03-20: Deadline missed: Register the complaint"


async def test_the_status_email_reaches_the_complainant_in_its_language(
    database: Database,
) -> None:
    register = deadline("register", DUE).model_copy(update={"label": DEADLINES["register"]})
    state = case_state(stage=Stage.SCREENING, deadlines=[register], confidential=True)
    seq = state.last_seq + 1
    state.events.append(
        Event(
            seq=seq,
            at=datetime(2026, 3, 31, 9, tzinfo=UTC),
            type="status_sent",
            summary="Status update sent to the complainant",
            visibility=Visibility.COMMITTEE,
            actor_role="system",
            text=SINCE,
        )
    )
    engine = engine_with_case(database, state, confidential=True)
    with session_scope(engine) as session:
        record = cases.get_complainant(session=session, reference=state.reference)
        assert record is not None
        record.language = "bn"
        session.add(record)
    mailer = RecordingMailer()
    notice = Notice(
        key=f"{state.reference}/{seq}/status_update/0",
        kind=NoticeKind.STATUS_UPDATE,
        audiences=[Audience.COMPLAINANT],
        stage=Stage.SCREENING,
        deadline="register",
        due=DUE,
        quote=seq,
    )
    await deliver(NotifyActivities(engine, mailer, SETTINGS), state.reference, notice)
    by_address = {m.to: m for m in mailer.sent}
    assert COMPLAINANT_EMAIL in by_address
    assert not any("noorderlicht" in address for address in by_address), "companies get none"
    mail = by_address[COMPLAINANT_EMAIL]
    assert mail.language == "bn"
    assert mail.subject == f"কেস {state.reference}-এর অবস্থা: প্রাথমিক যাচাই"
    assert "আগের হালনাগাদের পর যা ঘটেছে" in mail.text
    assert "- 2026-03-20: Deadline missed: Register the complaint" in mail.text
    assert WORDS["bn"]["date"] in mail.text
    # Sent once: a retry finds the outbox row.
    await deliver(NotifyActivities(engine, mailer, SETTINGS), state.reference, notice)
    assert sum(m.to == COMPLAINANT_EMAIL for m in mailer.sent) == 1
