"""Parties' requests: more time asked of the chair, follow-up and meetings asked of the
secretariat, the complainant's periodic status e-mail, and writing while orders are
verified (pure rules, transitions and the domain's deadline planner)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.actions import ActionName, action_adapter
from domain.cases import Actor, CaseState
from domain.deadlines import Deadline
from domain.effects import Transition
from domain.enums import (
    Audience,
    CaseStatus,
    DeadlineState,
    NoticeKind,
    OrderStatus,
    Role,
    Side,
    Stage,
    Visibility,
)
from domain.errors import InvalidAction, WrongStage
from domain.rules import allowed_actions
from domain.status_updates import wakes
from domain.timers import fire, next_wake
from tests.domain.test_action_fields import NOW, _schedule, _take, path_to

A = ActionName
CHAIR = Actor(user="chair", role=Role.CHAIR)
SECRETARIAT = Actor(user="secretariat", role=Role.SECRETARIAT)
ACME = Actor(user="company", role=Role.COMPANY, organisation_id="acme", side=Side.RESPONDENT)
BOLT = Actor(user="company2", role=Role.COMPANY, organisation_id="bolt", side=Side.RESPONDENT)
UNION = Actor(user="union", role=Role.UNION, organisation_id="dgwu", side=Side.COMPLAINANT)
LATER = NOW + timedelta(hours=1)


def _act(state: CaseState, actor: Actor, payload: dict[str, object]) -> Transition:
    return _take(state, actor, action_adapter.validate_python(payload), LATER)


def _ask(
    state: CaseState, actor: Actor = ACME, deadline: str = "response", days: int = 30
) -> tuple[Transition, str]:
    """The party asks for ``days`` more than its deadline runs; the day asked for."""
    due = next(
        d
        for d in state.open_deadlines()
        if d.name == deadline and d.party in (None, actor.organisation_id)
    ).due
    until = (due + timedelta(days=days)).isoformat()
    payload = {
        "action": "request_extension",
        "deadline": deadline,
        "until": until,
        "reasons": "An audit is under way",
    }
    return _act(state, actor, payload), until


def _response(state: CaseState, company: str = "acme") -> Deadline:
    return next(d for d in state.open_deadlines() if d.name == "response" and d.party == company)


def test_a_granted_extension_moves_the_deadline_and_answers_the_chairs_own() -> None:
    state, _ = path_to(A.REQUEST_EXTENSION)  # registered, admissible: both companies respond
    before = _response(state)
    asked, until = _ask(state)
    s = asked.state
    assert _response(s).due == before.due, "asking moves nothing"
    (request,) = s.extension_requests
    assert (request.id, request.side, request.organisation_id) == (
        "extension-1",
        Side.RESPONDENT,
        "acme",
    )
    answer = s.deadline("extension_answer")
    assert answer is not None and answer.owner is Audience.CHAIR
    assert [n.audiences for n in asked.notices] == [[Audience.CHAIR]]
    assert asked.notices[0].text == f"{before.label}: more time is asked, until {until[:10]}."
    # The company asked about its own deadline: the other company does not read its reasons.
    assert asked.events[0].party == "acme" and asked.events[0].text == "An audit is under way"

    granted = _act(
        s, CHAIR, {"action": "grant_extension", "request": "extension-1", "reason": "Fair"}
    )
    g = granted.state
    assert _response(g).due.isoformat() == until
    assert _response(g).extensions[-1].reason == "Fair"
    assert _response(g, "bolt").due == _response(state, "bolt").due, "the other company's stays"
    assert g.deadline("extension_answer") is None
    assert g.extension_requests[0].answer == "granted"
    assert [e.type for e in granted.events] == ["extension_granted"]
    assert granted.notices[0].text == f"{before.label}: extended to {until[:10]}."
    assert granted.notices[0].party == "acme"


def test_a_refused_extension_leaves_the_deadline_where_it_was() -> None:
    state, _ = path_to(A.REQUEST_EXTENSION)
    before = _response(state)
    asked, _ = _ask(state)
    refused = _act(
        asked.state,
        CHAIR,
        {"action": "refuse_extension", "request": "extension-1", "reason": "Long enough"},
    )
    r = refused.state
    assert _response(r).due == before.due and not _response(r).extensions
    assert r.extension_requests[0].answer == "refused"
    assert r.deadline("extension_answer") is None
    (notice,) = refused.notices
    assert notice.audiences == [Audience.RESPONDENTS] and notice.party == "acme"
    assert notice.text == f"{before.label}: the extension asked for was refused."


def test_an_answered_request_cannot_be_answered_again() -> None:
    state, _ = path_to(A.REQUEST_EXTENSION)
    asked, _ = _ask(state)
    refused = _act(
        asked.state,
        CHAIR,
        {"action": "refuse_extension", "request": "extension-1", "reason": "Not now"},
    )
    # Nothing awaits the chair: neither answer is offered, and one tried says why.
    assert A.GRANT_EXTENSION not in allowed_actions(refused.state, CHAIR, LATER)
    with pytest.raises(WrongStage, match="no extension request awaits an answer"):
        _act(refused.state, CHAIR, {"action": "grant_extension", "request": "extension-1"})
    # With another request waiting, the answered one is named as answered.
    again, _ = _ask(refused.state, days=40)
    with pytest.raises(InvalidAction, match=r"extension-1 was already answered \(refused on"):
        _act(again.state, CHAIR, {"action": "grant_extension", "request": "extension-1"})
    with pytest.raises(
        InvalidAction, match="no extension request 'extension-9'; awaiting an answer: extension-2"
    ):
        _act(again.state, CHAIR, {"action": "grant_extension", "request": "extension-9"})


def test_a_request_whose_deadline_has_closed_cannot_be_granted_only_refused() -> None:
    state, _ = path_to(A.REQUEST_EXTENSION)
    asked, _ = _ask(state)
    responded = _act(asked.state, ACME, {"action": "submit_response", "text": "Our response"})
    assert all(d.party != "acme" for d in responded.state.open_deadlines() if d.name == "response")
    with pytest.raises(InvalidAction, match=r"has closed: there is nothing left to extend; refuse"):
        _act(responded.state, CHAIR, {"action": "grant_extension", "request": "extension-1"})
    refused = _act(
        responded.state,
        CHAIR,
        {"action": "refuse_extension", "request": "extension-1", "reason": "Responded"},
    )
    assert refused.state.extension_requests[0].answer == "refused"


def test_a_party_asks_only_about_its_own_deadlines_and_once_at_a_time() -> None:
    state, _ = path_to(A.REQUEST_EXTENSION)
    # The complainant has no deadline of its own while the companies respond.
    assert A.REQUEST_EXTENSION not in allowed_actions(state, UNION, LATER)
    assert A.REQUEST_EXTENSION in allowed_actions(state, BOLT, LATER)
    asked, until = _ask(state)
    repeat = {
        "action": "request_extension",
        "deadline": "response",
        "until": until,
        "reasons": "Again please",
    }
    with pytest.raises(InvalidAction, match="you already asked more time for it"):
        _act(asked.state, ACME, repeat)
    with pytest.raises(
        InvalidAction,
        match="no open deadline 'register' you may ask more time for; yours: response",
    ):
        _act(state, ACME, {**repeat, "deadline": "register"})
    early = (_response(state).due - timedelta(days=1)).isoformat()
    with pytest.raises(InvalidAction, match="the deadline already runs until"):
        _act(state, ACME, {**repeat, "until": early})


def test_the_complainant_asks_more_time_to_answer_a_question_while_the_clock_is_stopped() -> None:
    state, _ = path_to(A.REQUEST_FOLLOW_UP)  # in screening
    asked = _act(
        state,
        SECRETARIAT,
        {"action": "request_information", "from": "complainant", "question": "Names?"},
    )
    assert asked.state.status is CaseStatus.SUSPENDED
    assert A.REQUEST_EXTENSION in allowed_actions(asked.state, UNION, LATER)
    more, until = _ask(asked.state, UNION, "information")
    event = more.events[0]
    # Its reasons may name workers: the committee reads them, not the companies.
    assert event.visibility is Visibility.COMMITTEE and event.party is None
    granted = _act(more.state, CHAIR, {"action": "grant_extension", "request": "extension-1"})
    information = granted.state.deadline("information")
    assert information is not None and information.due.isoformat() == until
    assert Audience.COMPLAINANT in granted.notices[0].audiences


def test_follow_up_is_answered_by_the_secretariat_within_ten_business_days() -> None:
    state, _ = path_to(A.REQUEST_FOLLOW_UP)
    asked = _act(state, UNION, {"action": "request_follow_up", "text": "Has the company replied?"})
    s = asked.state
    deadline = s.deadline("request_answer")
    assert deadline is not None and deadline.owner is Audience.SECRETARIAT
    assert deadline.label == "Answer the complainant's request"
    assert 14 <= (deadline.due - LATER).days <= 16  # 10 business days
    (event,) = asked.events
    assert (event.type, event.visibility) == ("follow_up_requested", Visibility.COMMITTEE)
    assert [n.audiences for n in asked.notices] == [[Audience.SECRETARIAT]]
    assert A.ANSWER_REQUEST in allowed_actions(s, SECRETARIAT, LATER)
    assert A.ANSWER_REQUEST not in allowed_actions(s, CHAIR, LATER)

    second = _act(s, UNION, {"action": "request_meeting", "text": "With the buyers"})
    answered = _act(
        second.state,
        SECRETARIAT,
        {"action": "answer_request", "request": "request-1", "text": "Not yet"},
    )
    a = answered.state
    # The follow-up's deadline is met; the meeting's still runs.
    runs = [d for d in a.deadlines if d.name == "request_answer"]
    assert [d.state for d in runs] == [DeadlineState.MET, DeadlineState.OPEN]
    (notice,) = answered.notices
    assert notice.audiences == [Audience.COMPLAINANT]
    assert notice.text == "The secretariat answers your request for follow-up:"
    assert notice.quote == answered.events[0].seq and answered.events[0].text == "Not yet"
    with pytest.raises(InvalidAction, match="request-1 was already answered on"):
        _act(a, SECRETARIAT, {"action": "answer_request", "request": "request-1", "text": "Again"})
    done = _act(
        a, SECRETARIAT, {"action": "answer_request", "request": "request-2", "text": "Monday"}
    )
    assert done.notices[0].text == (
        "The secretariat answers your request for a meeting with the company's representatives:"
    )
    assert A.ANSWER_REQUEST not in allowed_actions(done.state, SECRETARIAT, LATER)


def test_a_meeting_request_tells_the_companies_without_the_complainants_words() -> None:
    state, _ = path_to(A.REQUEST_MEETING)
    asked = _act(state, UNION, {"action": "request_meeting", "text": "Rubina Akter wants to meet"})
    to_companies = [n for n in asked.notices if Audience.RESPONDENTS in n.audiences]
    assert len(to_companies) == 1
    assert to_companies[0].quote is None and "Rubina" not in (to_companies[0].text or "")
    assert all(e.visibility is Visibility.COMMITTEE for e in asked.events if e.text)
    assert A.REQUEST_MEETING not in allowed_actions(state, ACME, LATER)


@pytest.mark.parametrize("steps", [A.VERIFY_ORDER, A.SUBMIT_PROGRESS_REPORT], ids=str)
def test_messages_and_documents_may_be_added_while_orders_are_verified(steps: ActionName) -> None:
    state, _ = path_to(steps)  # remediation: plan approved, the order open
    verified = _act(state, SECRETARIAT, {"action": "verify_order", "order": 1})
    assert verified.state.stage is Stage.REMEDIATION
    assert all(o.status is OrderStatus.VERIFIED for o in verified.state.orders)
    assert "orders_complied" in [e.type for e in verified.events]
    for s in (state, verified.state):
        for actor in (SECRETARIAT, CHAIR, ACME, UNION):
            allowed = allowed_actions(s, actor, LATER)
            assert A.ADD_MESSAGE in allowed and A.ADD_DOCUMENT in allowed, actor.user
        message = _act(s, UNION, {"action": "add_message", "text": "The wages are still unpaid"})
        assert [e.type for e in message.events] == ["message"]
        document = {"action": "add_document", "document_id": "d9", "filename": "payslips.pdf"}
        assert [d.filename for d in _act(s, ACME, document).documents] == ["payslips.pdf"]


def test_a_case_left_alone_sends_its_complainant_a_status_email_every_ninety_days() -> None:
    state, _ = path_to(A.REQUEST_FOLLOW_UP)
    assert state.procedure.status_update_days == 90  # the covenant loader's default
    message = _act(state, SECRETARIAT, {"action": "add_message", "text": "We are checking it"})
    s = message.state
    # The workflow keeps no account of what happened: the notifier reads the read model.
    assert "status_digest" not in s.model_dump() and [e.type for e in message.events] == ["message"]
    due = s.filed_at + timedelta(days=90)
    assert next_wake(s) == min(due, *(m for d in s.open_deadlines() for m in (d.remind_at, d.due)))
    first = fire(s, due)
    _schedule(first, due)
    mails = [n for n in first.notices if n.kind is NoticeKind.STATUS_UPDATE]
    assert len(mails) == 1 and mails[0].audiences == [Audience.COMPLAINANT]
    assert mails[0].deadline == first.state.open_deadlines()[0].name  # the next due date
    status = next(e for e in first.events if e.type == "status_sent")
    assert status.visibility is Visibility.COMMITTEE and mails[0].quote == status.seq
    assert status.text is None  # what happened since is listed from the read model
    assert first.state.status_mail_at == due
    # Not again until another 90 days have passed since that one.
    assert due + timedelta(days=90) in _wakes(first.state)
    early = fire(first.state, due + timedelta(days=89))
    assert not [n for n in early.notices if n.kind is NoticeKind.STATUS_UPDATE]


def _wakes(state: CaseState) -> list[datetime]:
    return wakes(state)


def test_cases_filed_under_a_procedure_without_status_emails_send_none() -> None:
    state, _ = path_to(A.REQUEST_FOLLOW_UP)
    old = state.model_copy(
        update={"procedure": state.procedure.model_copy(update={"status_update_days": 0})}
    )
    assert _wakes(old) == []
    later = fire(old, old.filed_at + timedelta(days=400))
    assert not [n for n in later.notices if n.kind is NoticeKind.STATUS_UPDATE]
    message = _act(old, SECRETARIAT, {"action": "add_message", "text": "Hello"})
    assert _wakes(message.state) == [] and message.state.status_mail_at is None


def test_a_closed_case_sends_no_status_email() -> None:
    state, _ = path_to(A.REQUEST_FOLLOW_UP)
    closed = _act(state, UNION, {"action": "withdraw", "reason": "Settled"})
    assert _wakes(closed.state) == []
