"""The complainant's requests after a privacy review of issue 18 (pure): one request of a
kind at a time (each opens a deadline and e-mails the secretariat), and a meeting request not
announced to a company routed to through its confidential list."""

from __future__ import annotations

import pytest

from domain.actions import ActionName
from domain.cases import Actor
from domain.enums import Audience, Role, Side
from domain.errors import ActionRefused
from domain.rules import allowed_actions
from tests.domain.test_privacy_undisclosed import DISCLOSED, SECRETARIAT, UNDISCLOSED, Case
from tests.workflows.conftest import case_start

# A complainant as the services name it since complainants are told apart (its number).
ASKER = Actor(
    user="union", role=Role.UNION, organisation_id="dgwu", side=Side.COMPLAINANT, complainant=1
)
MEETING = "The complainant asks for a meeting with your company's representatives."


def test_a_second_follow_up_request_waits_for_the_answer_to_the_first() -> None:
    case = Case().to_response()
    case.act(ASKER, action="request_follow_up", text="What is happening?")
    assert ActionName("request_follow_up") not in allowed_actions(case.state, ASKER, case.at)
    with pytest.raises(ActionRefused, match=r"you already asked for follow-up \(request-1\)"):
        case.act(ASKER, action="request_follow_up", text="And now?")
    # A meeting is another kind of request: it may be asked for meanwhile, once.
    case.act(ASKER, action="request_meeting", text="About the dismissals")
    with pytest.raises(ActionRefused, match=r"you already asked for a meeting \(request-2\)"):
        case.act(ASKER, action="request_meeting", text="Again")
    assert len(case.state.party_requests) == 2
    assert len([d for d in case.state.open_deadlines() if d.name == "request_answer"]) == 2
    case.act(SECRETARIAT, action="answer_request", request="request-1", text="Soon")
    case.act(ASKER, action="request_follow_up", text="And now?")
    assert [r.id for r in case.state.party_requests] == ["request-1", "request-2", "request-3"]


def test_a_request_recorded_before_complainants_were_told_apart_replays_as_then() -> None:
    # An actor naming no complainant comes from an old history: what it did is done again.
    old = ASKER.model_copy(update={"complainant": None})
    case = Case().to_response()
    case.act(old, action="request_follow_up", text="What is happening?")
    case.act(old, action="request_follow_up", text="And now?")
    assert len(case.state.party_requests) == 2


def meeting_notices(case: Case) -> list[tuple[list[Audience], str | None]]:
    return [(n.audiences, n.party) for n in case.notices() if n.text and MEETING in n.text]


def test_a_meeting_request_is_not_announced_to_an_undisclosed_company() -> None:
    case = Case().to_response()
    case.act(ASKER, action="request_meeting", text="About the dismissals")
    assert meeting_notices(case) == [([Audience.RESPONDENTS], "acme")]


def test_a_meeting_request_reaches_each_disclosed_company_and_no_undisclosed_one() -> None:
    bolt = DISCLOSED.model_copy(update={"organisation_id": "bolt", "name": "Bolt Knitwear"})
    case = Case(case_start(respondents=[DISCLOSED, bolt, UNDISCLOSED])).to_response()
    case.act(ASKER, action="request_meeting", text="About the dismissals")
    assert meeting_notices(case) == [
        ([Audience.RESPONDENTS], "acme"),
        ([Audience.RESPONDENTS], "bolt"),
    ]


def test_a_meeting_request_with_only_an_undisclosed_company_reaches_no_company() -> None:
    case = Case(case_start(respondents=[UNDISCLOSED])).to_response()
    case.act(ASKER, action="request_meeting", text="About the dismissals")
    assert meeting_notices(case) == [([], None)]


def test_with_every_company_disclosed_a_meeting_request_tells_them_all_at_once() -> None:
    case = Case(case_start(respondents=[DISCLOSED])).to_response()
    case.act(ASKER, action="request_meeting", text="About the dismissals")
    assert meeting_notices(case) == [([Audience.RESPONDENTS], None)]


def test_on_a_case_with_several_complainants_each_waits_only_for_its_own_request() -> None:
    case = Case().to_response()
    case.state.complainants = 2  # another complaint was merged into this one
    other = ASKER.model_copy(update={"complainant": 2})
    case.act(ASKER, action="request_follow_up", text="What is happening?")
    case.act(other, action="request_follow_up", text="And for us?")
    with pytest.raises(ActionRefused, match=r"\(request-2\)"):
        case.act(other, action="request_follow_up", text="Again")
    assert [r.complainant for r in case.state.party_requests] == [1, 2]
