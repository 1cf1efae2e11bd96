"""Consent, plans and orders per company (pure): the transitions on a case filed since
(``per_company``), and the same steps on an older case, which keeps the shared ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.actions import action_adapter
from domain.cases import Actor, CaseState, Party
from domain.effects import Transition
from domain.enums import OrderStatus, PlanStatus, Role, Side, Stage
from domain.errors import ActionRefused, Forbidden, InvalidAction, WrongStage
from domain.next_steps import CLOSE_CASE, REVIEW_PLAN, next_step
from domain.rules import check
from domain.schedule import ScheduleInput, plan
from domain.transitions import apply, start_case
from services.access import Standing
from services.case_views import for_caller
from tests.workflows.conftest import case_start

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
SECRETARIAT = Actor(user="secretariat", role=Role.SECRETARIAT)
CHAIR = Actor(user="chair", role=Role.CHAIR)
UNION = Actor(user="union", role=Role.UNION, organisation_id="dgwu", side=Side.COMPLAINANT)
ACME = Actor(user="acme", role=Role.COMPANY, organisation_id="acme", side=Side.RESPONDENT)
BOLT = Actor(user="bolt", role=Role.COMPANY, organisation_id="bolt", side=Side.RESPONDENT)
CORK = Actor(user="cork", role=Role.COMPANY, organisation_id="cork", side=Side.RESPONDENT)
PARTIES = {
    "acme": Party(organisation_id="acme", name="Acme Apparel B.V."),
    "bolt": Party(organisation_id="bolt", name="Bolt Denim N.V."),
    "cork": Party(organisation_id="cork", name="Cork Knitwear Ltd."),
}
SOON = (NOW + timedelta(days=100)).date().isoformat()


class Case:
    """A case stepped through the real rules, transitions and deadline planner."""

    def __init__(self, *companies: str, per_company: bool = True) -> None:
        start = case_start(respondents=[PARTIES[c] for c in companies]).model_copy(
            update={"filed_at": NOW - timedelta(days=30), "per_company": per_company}
        )
        self.at = start.filed_at
        self.last = self._planned(start_case(start))
        self.state: CaseState = self.last.state

    def _planned(self, t: Transition) -> Transition:
        if t.opens:
            t.state.deadlines = plan(
                ScheduleInput(
                    procedure=t.state.procedure,
                    now=self.at,
                    deadlines=t.state.deadlines,
                    opens=t.opens,
                )
            ).deadlines
        return t

    def act(self, actor: Actor, **payload: Any) -> CaseState:
        self.at += timedelta(minutes=1)
        action = action_adapter.validate_python(payload)
        check(self.state, actor, action, self.at)
        self.last = self._planned(apply(self.state, actor, action, self.at))
        self.state = self.last.state
        return self.state

    def to_mediation(self) -> Case:
        self.act(SECRETARIAT, action="register")
        self.act(CHAIR, action="declare_admissible")
        for org in (p.organisation_id for p in self.state.respondents):
            company = Actor(user=org, role=Role.COMPANY, organisation_id=org, side=Side.RESPONDENT)
            self.act(company, action="submit_response", text="Our answer")
        self.act(SECRETARIAT, action="propose_mediation")
        return self

    def to_remediation(self, *orders: dict[str, Any]) -> Case:
        self.to_mediation()
        self.act(SECRETARIAT, action="send_to_hearing", reason="Too far apart")
        self.act(SECRETARIAT, action="schedule_hearing", at=f"{SOON}T10:00:00Z")
        self.act(CHAIR, action="record_hearing", minutes="Heard")
        decision = {"action": "issue_decision", "finding": "founded", "reasons": "Founded"}
        self.act(CHAIR, **decision, orders=list(orders))
        return self


def test_the_companies_that_decline_go_on_together_to_a_hearing() -> None:
    case = Case("acme", "bolt", "cork").to_mediation()
    case.act(ACME, action="consent_to_mediation")
    case.act(BOLT, action="decline_mediation", reason="No")
    case.act(UNION, action="consent_to_mediation")
    assert case.state.mediation.started_at is None and case.last.spawn is None  # Cork is silent
    # The secretariat records Cork's answer, given by letter (or none by the deadline).
    state = case.act(SECRETARIAT, action="decline_mediation", respondent="cork")
    assert state.mediation.started_at == case.at and state.stage is Stage.MEDIATION
    assert [p.organisation_id for p in state.respondents] == ["acme"]
    spawn = case.last.spawn
    assert spawn is not None and spawn.stage is Stage.HEARING and spawn.per_company
    assert [p.organisation_id for p in spawn.respondents] == ["bolt", "cork"]
    assert spawn.confidential and spawn.pseudonym == state.pseudonym
    split = next(e for e in case.last.events if e.type == "split")
    assert "Bolt Denim N.V. and Cork Knitwear Ltd." in split.summary
    hearing = start_case(spawn).state
    assert hearing.stage is Stage.HEARING and hearing.per_company
    assert hearing.split_from == state.reference


def test_every_company_declining_sends_the_whole_case_to_a_hearing() -> None:
    case = Case("acme", "bolt").to_mediation()
    case.act(UNION, action="consent_to_mediation")
    case.act(ACME, action="decline_mediation")
    state = case.act(BOLT, action="decline_mediation")
    assert state.stage is Stage.HEARING and case.last.spawn is None
    assert [p.organisation_id for p in state.respondents] == ["acme", "bolt"]


def test_the_complainant_declining_sends_the_whole_case_to_a_hearing() -> None:
    case = Case("acme", "bolt").to_mediation()
    case.act(ACME, action="consent_to_mediation")
    state = case.act(UNION, action="decline_mediation")
    assert state.stage is Stage.HEARING and case.last.spawn is None


def test_mediation_waits_for_the_complainant_once_the_companies_answered() -> None:
    case = Case("acme", "bolt").to_mediation()
    case.act(ACME, action="consent_to_mediation")
    state = case.act(BOLT, action="decline_mediation")
    assert state.mediation.started_at is None and case.last.spawn is None
    state = case.act(UNION, action="consent_to_mediation")
    assert state.mediation.started_at is not None
    assert case.last.spawn is not None and [p.organisation_id for p in state.respondents] == [
        "acme"
    ]


@pytest.mark.parametrize(
    ("actor", "payload", "refused"),
    [
        (SECRETARIAT, {}, InvalidAction),  # which company?
        (SECRETARIAT, {"respondent": "nobody"}, InvalidAction),
        (ACME, {"respondent": "bolt"}, Forbidden),
        (UNION, {"respondent": "acme"}, InvalidAction),
    ],
)
def test_who_answers_for_which_company(
    actor: Actor, payload: dict[str, str], refused: type[ActionRefused]
) -> None:
    case = Case("acme", "bolt").to_mediation()
    with pytest.raises(refused):
        case.act(actor, action="consent_to_mediation", **payload)


def test_an_older_case_keeps_one_consent_per_side_and_no_secretariat() -> None:
    case = Case("acme", "bolt", per_company=False).to_mediation()
    with pytest.raises(Forbidden):
        case.act(SECRETARIAT, action="consent_to_mediation", respondent="acme")
    case.act(UNION, action="consent_to_mediation")
    state = case.act(ACME, action="consent_to_mediation")
    assert state.mediation.started_at is not None and not state.mediation.companies


def test_each_company_has_its_plan_and_the_next_step_follows_them() -> None:
    orders = [
        {"text": "Pay wages", "due": SOON, "respondent": "acme"},
        {"text": "Reinstate", "due": SOON, "respondent": "bolt"},
    ]
    case = Case("acme", "bolt").to_remediation(*orders)
    state = case.state
    assert state.plan is None and set(state.plans) == {"acme", "bolt"}
    case.act(ACME, action="submit_remediation_plan", text="Acme's plan")
    assert next_step(case.state, case.at) == REVIEW_PLAN
    case.act(SECRETARIAT, action="approve_remediation_plan")  # the one plan under review
    assert case.state.plans["acme"].status is PlanStatus.APPROVED
    assert next_step(case.state, case.at) is None  # Bolt's plan is awaited
    case.act(BOLT, action="submit_remediation_plan", text="Bolt's plan")
    case.act(SECRETARIAT, action="approve_remediation_plan", respondent="bolt")
    case.act(SECRETARIAT, action="verify_order", order=1)
    assert next_step(case.state, case.at) is None  # Bolt's order is still open
    assert case.state.deadline("progress_report", "acme") is None
    assert case.state.deadline("progress_report", "bolt") is not None
    state = case.act(SECRETARIAT, action="verify_order", order=2)
    assert all(o.status is OrderStatus.VERIFIED for o in state.orders)
    assert next_step(state, case.at) == CLOSE_CASE


def test_a_company_bound_by_no_order_has_no_plan() -> None:
    case = Case("acme", "bolt").to_remediation({"text": "Pay", "due": SOON, "respondent": "bolt"})
    assert set(case.state.plans) == {"bolt"}
    with pytest.raises(ActionRefused, match="no order binds your organisation"):
        case.act(ACME, action="submit_remediation_plan", text="Nothing to do")


def test_on_a_one_company_case_an_order_binds_that_company_unnamed() -> None:
    case = Case("acme").to_remediation({"text": "Pay", "due": SOON})
    assert [o.respondent for o in case.state.orders] == ["acme"]
    assert case.state.deadline("order-1").party == "acme"  # type: ignore[union-attr]


def test_an_older_case_keeps_one_shared_plan_and_orders_for_every_company() -> None:
    case = Case("acme", "bolt", per_company=False).to_remediation({"text": "Pay", "due": SOON})
    state = case.state
    assert state.plan is not None and not state.plans
    assert state.orders[0].respondent is None and state.deadline("order-1").party is None  # type: ignore[union-attr]
    case.act(BOLT, action="submit_remediation_plan", text="Shared plan")
    case.act(SECRETARIAT, action="approve_remediation_plan")
    case.act(ACME, action="submit_progress_report", order=1, text="Paid")
    state = case.act(SECRETARIAT, action="reject_progress_report", order=1, reasons="No proof")
    assert state.orders[0].status is OrderStatus.OPEN
    assert state.deadline("progress_report") is not None


def test_non_compliance_only_after_the_deadline_and_for_the_company_bound() -> None:
    case = Case("acme", "bolt").to_remediation({"text": "Pay", "due": SOON, "respondent": "acme"})
    find = {"action": "find_non_compliance", "order": 1, "reasons": "Unpaid"}
    with pytest.raises(WrongStage, match="no order is overdue yet"):
        case.act(CHAIR, **find)
    due = case.state.deadline("order-1", "acme")
    assert due is not None
    case.at = due.due
    with pytest.raises(InvalidAction, match="binds 'acme', not 'bolt'"):
        case.act(CHAIR, **find, respondent="bolt")
    with pytest.raises(Forbidden):
        case.act(SECRETARIAT, **find)
    state = case.act(CHAIR, **find)
    assert [(f.respondent, f.order) for f in state.non_compliance] == [("acme", 1)]
    (event,) = case.last.events
    assert event.type == "non_compliance_found" and event.party == "acme"
    assert [n.party for n in case.last.notices] == ["acme"]


def test_a_company_is_shown_its_own_items_and_those_of_every_company() -> None:
    assert for_caller("acme", Standing.RESPONDENT, "acme")
    assert for_caller(None, Standing.RESPONDENT, "acme")
    assert not for_caller("bolt", Standing.RESPONDENT, "acme")
    assert for_caller("bolt", Standing.STAFF, None)
    assert for_caller("bolt", Standing.COMPLAINANT, None)


def test_on_an_older_case_an_order_binding_all_is_found_against_all_unless_one_is_named() -> None:
    case = Case("acme", "bolt", per_company=False).to_remediation(
        {"text": "Pay", "due": SOON},
        {"text": "Reinstate", "due": (NOW + timedelta(days=300)).date().isoformat()},
    )
    first = case.state.deadline("order-1")
    assert first is not None
    case.at = first.due
    find = {"action": "find_non_compliance", "reasons": "Unpaid"}
    with pytest.raises(InvalidAction, match="order 2 is not yet overdue"):
        case.act(CHAIR, **find, order=2)
    state = case.act(CHAIR, **find, order=1)
    assert [(f.respondent, f.order) for f in state.non_compliance] == [("acme", 1), ("bolt", 1)]
    (event,) = case.last.events
    assert event.party is None and "Acme Apparel B.V. and Bolt Denim N.V." in event.summary
    state = case.act(CHAIR, **find, order=1, respondent="bolt")
    assert [f.respondent for f in state.non_compliance] == ["acme", "bolt", "bolt"]
    assert case.last.events[0].party == "bolt"
