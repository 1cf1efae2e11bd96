"""send_notice for the complainant's status e-mail: in the complainant's language, it lists
what happened since the previous one, read from the read model (the workflow keeps none),
each line its date in words (Babel) and the public pages' word for it; nothing of a company
the complainant may not know of, nor the committee's own; it goes to the complainant alone.
The case runs through the real transitions and timers, as its workflow would run it."""

from __future__ import annotations

from datetime import timedelta

from activities.notify import NotifyActivities
from domain.cases import CaseState, Event
from domain.effects import Transition
from domain.enums import NoticeKind, Visibility
from domain.notices import Notice
from domain.timers import fire, next_wake
from notifications.event_word_tables import EVENT_WORDS
from notifications.event_words import Happened, event_line
from notifications.mailer import OutgoingMail, RecordingMailer
from store import cases
from store.db import session_scope
from tests.activities.test_notify import COMPLAINANT_EMAIL, SETTINGS, deliver, engine_with_case
from tests.domain.test_privacy_undisclosed import ACME, HIDDEN, SECRETARIAT, Case
from tests.factories import Database


class Timeline(Case):
    """A case against Acme and, undisclosed, Hansa, keeping every event it records, as the
    read model does, and the status e-mails its timers send."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.status_mails: list[Notice] = []
        super().__init__()

    def _planned(self, t: Transition) -> Transition:
        self.events += t.events
        self.status_mails += [n for n in t.notices if n.kind is NoticeKind.STATUS_UPDATE]
        return super()._planned(t)

    def wait(self, days: int) -> None:
        """Let the timers fire, as the workflow's would, until ``days`` after filing."""
        until = self.state.filed_at + timedelta(days=days)
        while (wake := next_wake(self.state)) is not None and wake <= until:
            self.at = wake
            self.state = self._planned(fire(self.state, wake)).state
        self.at = until

    def read_model(self, database: Database) -> NotifyActivities:
        """The case projected with all its events, its complainant reading Bengali."""
        state = self.state.model_copy(update={"events": self.events})
        engine = engine_with_case(database, state, confidential=True)
        with session_scope(engine) as session:
            record = cases.get_complainant(session=session, reference=state.reference)
            assert record is not None
            record.language = "bn"
            session.add(record)
        return NotifyActivities(engine, RecordingMailer(), SETTINGS)


async def _send(notifier: NotifyActivities, state: CaseState, notice: Notice) -> OutgoingMail:
    mailer = notifier.mailer
    assert isinstance(mailer, RecordingMailer)
    before = len(mailer.sent)
    await deliver(notifier, state.reference, notice)
    (mail,) = mailer.sent[before:]  # the complainant's alone: no company gets one
    assert mail.to == COMPLAINANT_EMAIL and mail.language == "bn"
    return mail


def _line(event: Event, state: CaseState) -> str:
    happened = Happened(at=event.at, type=event.type, summary=event.summary)
    return event_line(happened, "bn", state.procedure.timezone)


def _listed(mail: OutgoingMail) -> list[str]:
    return [line[2:] for line in mail.text.splitlines() if line.startswith("- ")]


async def test_the_status_emails_list_in_bengali_what_happened_since_the_last_one(
    database: Database,
) -> None:
    case = Timeline()
    case.to_response()
    case.act(HIDDEN, action="submit_response", text="Hansa Textil GmbH answers")
    case.act(HIDDEN, action="add_message", text="We will look into it", visibility="parties")
    case.act(ACME, action="submit_response", text="Our answer")
    case.wait(days=100)
    case.act(SECRETARIAT, action="add_message", text="We are checking the wages")
    case.wait(days=185)
    state = case.state
    assert "status_digest" not in state.model_dump()  # the workflow keeps no content
    first, second = case.status_mails
    sent = [e for e in case.events if e.type == "status_sent"]
    assert [e.seq for e in sent] == [first.quote, second.quote]
    assert all(e.text is None for e in sent)
    notifier = case.read_model(database)

    mail = await _send(notifier, state, first)
    assert mail.subject.startswith(f"কেস {state.reference}-এর অবস্থা")
    listed = _listed(mail)
    # Since filing: the filing, the stages, Acme's response; nothing of Hansa's.
    filed = next(e for e in case.events if e.type == "filed")
    assert listed[0] == _line(filed, state)
    assert listed[0].startswith("শনিবার, ৩০ জানুয়ারী, ২০২৭ — ")  # Babel's date, Bengali digits
    assert EVENT_WORDS["filed"]["bn"] in listed[0]
    responses = [line for line in listed if EVENT_WORDS["response_submitted"]["bn"] in line]
    assert len(responses) == 1, "Hansa's response is not listed, Acme's is"
    assert not [line for line in listed if line.endswith(EVENT_WORDS["message"]["bn"])]  # Hansa's
    before_first = [e for e in case.events if e.seq < sent[0].seq]
    assert listed == _seen(before_first, state)
    assert len(listed) < len(before_first)  # some were the committee's or Hansa's own
    _no_english_nor_hansa(mail, case.events)

    mail = await _send(notifier, state, second)
    listed = _listed(mail)
    message = next(e for e in case.events if e.text == "We are checking the wages")
    # Only what happened since the first: the secretariat's message, not the filing again.
    assert _line(message, state) in listed
    assert EVENT_WORDS["filed"]["bn"] not in mail.text
    assert all(e.seq > sent[0].seq for e in case.events if _line(e, state) in listed)
    _no_english_nor_hansa(mail, case.events)


def _seen(events: list[Event], state: CaseState) -> list[str]:
    """The lines of the events the complainant may see: not the committee's, nor Hansa's."""
    return [
        _line(e, state)
        for e in events
        if e.visibility is not Visibility.COMMITTEE
        and e.party != "hidden"
        and "Hansa" not in e.summary
    ]


def _no_english_nor_hansa(mail: OutgoingMail, events: list[Event]) -> None:
    for body in (mail.text, mail.html):
        assert "Hansa" not in body
        for event in events:
            assert event.summary not in body, event.summary


async def test_the_status_email_lists_the_latest_thirty(database: Database) -> None:
    case = Timeline()
    case.to_response()
    for n in range(40):
        case.act(SECRETARIAT, action="add_message", text=f"Note {n}")
    case.wait(days=100)
    (status,) = case.status_mails
    notifier = case.read_model(database)
    listed = _listed(await _send(notifier, case.state, status))
    (sent,) = [e for e in case.events if e.type == "status_sent"]
    expected = _seen([e for e in case.events if e.seq < sent.seq], case.state)
    assert len(expected) > 40 and listed == expected[-30:]


async def test_an_email_queued_before_the_read_model_held_what_happened_lists_it_too(
    database: Database,
) -> None:
    """A status e-mail queued by an older version quoted nothing when nothing was new and
    its status_sent carried an English digest: the notifier ignores that text, and without a
    quote it lists up to the latest status_sent."""
    case = Timeline()
    case.to_response()
    case.act(ACME, action="submit_response", text="Our answer")
    case.wait(days=100)
    (status,) = case.status_mails
    for event in case.events:
        if event.type == "status_sent":
            event.text = "- 2027-01-30: Acme Apparel B.V. has submitted its response."
    notifier = case.read_model(database)
    old = status.model_copy(update={"quote": None, "key": f"{status.key}-old"})
    mail = await _send(notifier, case.state, old)
    (sent,) = [e for e in case.events if e.type == "status_sent"]
    assert _listed(mail) == _seen([e for e in case.events if e.seq < sent.seq], case.state)
    assert EVENT_WORDS["response_submitted"]["bn"] in mail.text
    assert "Acme Apparel B.V. has submitted" not in mail.text + mail.html
