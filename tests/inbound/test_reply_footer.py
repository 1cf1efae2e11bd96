"""A notice with a reply address says that an answer reaches the case; one without, that
replies are not read."""

from __future__ import annotations

from activities.notify import NotifyActivities
from domain.enums import Audience, NoticeKind, Stage
from notifications.mailer import RecordingMailer
from tests.activities.test_notify import deliver, engine_with_case, notice_of
from tests.factories import Database, case_state
from tests.inbound.test_reply_addresses import SETTINGS

# The footer's sentence in the languages the demo company reads.
ANSWER = {"en": "You can answer this e-mail", "nl": "U kunt op deze e-mail antwoorden"}
NOT_READ = {"en": "replies to this address are not read", "nl": "antwoorden op dit adres"}


async def test_the_footer_says_whether_a_reply_reaches_the_case(database: Database) -> None:
    state = case_state(stage=Stage.RESPONSE)
    engine = engine_with_case(database, state)
    for settings, said, unsaid in (
        (SETTINGS, ANSWER, NOT_READ),
        (SETTINGS.model_copy(update={"reply_domain": ""}), NOT_READ, ANSWER),
    ):
        mailer = RecordingMailer()
        notice = notice_of(
            NoticeKind.STAGE_CHANGED, Audience.RESPONDENTS, key=settings.reply_domain
        )
        await deliver(NotifyActivities(engine, mailer, settings), state.reference, notice)
        assert mailer.sent and {m.language for m in mailer.sent} <= set(said)
        for mail in mailer.sent:
            assert said[mail.language] in mail.text and said[mail.language] in mail.html
            assert unsaid[mail.language] not in mail.text + mail.html
