"""Fixes from a privacy review of issue 18 (pure): a company told only of its own orders,
and a reopened case's complainant told of the stage when its company is undisclosed."""

from __future__ import annotations

import pytest

from domain.enums import Audience, NoticeKind, Outcome, Stage
from domain.errors import InvalidAction
from tests.domain.test_privacy_undisclosed import (
    ACME,
    CHAIR,
    DISCLOSED,
    HIDDEN,
    SECRETARIAT,
    UNDISCLOSED,
    Case,
)
from tests.workflows.conftest import case_start


def test_a_company_is_told_only_which_of_its_own_orders_exist() -> None:
    case = Case().to_remediation()  # order 1 binds Acme, order 2 the undisclosed Hansa
    case.act(ACME, action="submit_remediation_plan", text="Our plan")
    case.act(SECRETARIAT, action="approve_remediation_plan", respondent="acme")
    for number in (2, 7):
        with pytest.raises(InvalidAction) as refused:
            case.act(ACME, action="submit_progress_report", order=number, text="Done")
        message = str(refused.value)
        assert message == f"order {number} does not bind your organisation; yours: 1"
    # Staff may still be told how many the case has.
    with pytest.raises(InvalidAction, match="the case has orders 1 to 2"):
        case.act(SECRETARIAT, action="verify_order", order=7)


def test_the_undisclosed_company_is_not_told_of_the_other_companys_order() -> None:
    case = Case().to_remediation()
    case.act(HIDDEN, action="submit_remediation_plan", text="Our plan")
    case.act(SECRETARIAT, action="approve_remediation_plan", respondent="hidden")
    with pytest.raises(InvalidAction, match=r"^order 1 does not bind your organisation; yours: 2$"):
        case.act(HIDDEN, action="submit_progress_report", order=1, text="Done")


def test_reopening_a_case_whose_only_company_is_undisclosed_tells_the_complainant() -> None:
    case = Case(case_start(respondents=[UNDISCLOSED]))
    case.act(SECRETARIAT, action="register")
    case.act(CHAIR, action="declare_inadmissible", reasons="No link")
    assert case.state.outcome is Outcome.INADMISSIBLE
    case.act(CHAIR, action="reopen", stage="response", reason="New evidence")
    assert case.state.stage is Stage.RESPONSE
    stage = [n for n in case.notices() if n.kind is NoticeKind.STAGE_CHANGED]
    with_deadline = [n for n in stage if n.deadline == "response"]
    assert [n.audiences for n in with_deadline] == [[Audience.RESPONDENTS, Audience.SECRETARIAT]]
    told = [n for n in stage if Audience.COMPLAINANT in n.audiences]
    assert [(n.audiences, n.deadline) for n in told] == [([Audience.COMPLAINANT], None)]


def test_reopening_with_a_disclosed_company_sends_one_stage_notice_as_before() -> None:
    case = Case(case_start(respondents=[DISCLOSED]))
    case.act(SECRETARIAT, action="register")
    case.act(CHAIR, action="declare_inadmissible", reasons="No link")
    case.act(CHAIR, action="reopen", stage="response", reason="New evidence")
    stage = [n for n in case.notices() if n.kind is NoticeKind.STAGE_CHANGED]
    assert [(n.deadline, Audience.COMPLAINANT in n.audiences) for n in stage] == [
        ("response", True)
    ]
