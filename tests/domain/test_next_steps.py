"""After the responses the secretariat has a deadline to offer mediation or send the case to a
hearing (pure rules, transitions, timers and the deadline planner, as the workflow runs them)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.actions import ActionName, action_adapter
from domain.calendar import add_duration
from domain.cases import Actor, CaseState
from domain.effects import Transition
from domain.enums import Audience, CaseKind, CaseStatus, DeadlineState, PlanStatus, Stage
from domain.next_steps import AFTER_RESPONSES, CLOSE_CASE, CLOSE_SIGNAL, NAME, REVIEW_PLAN
from domain.procedure import Duration
from domain.rules import allowed_actions, check
from domain.timers import fire, next_wake
from domain.transitions import apply, start_case
from tests.domain.test_action_fields import ACTORS, NOW, RESPONDENTS, _schedule
from tests.workflows.conftest import case_start

A = ActionName
SECRETARIAT, CHAIR, _, MEDIATOR, ACME, BOLT, UNION = ACTORS


class Case:
    """One case driven through the real rules, transitions and planner, an hour a step."""

    def __init__(self, respondents: int = 2, **start: Any) -> None:
        begun = case_start(respondents=RESPONDENTS[:respondents], **start)
        self.start = begun.model_copy(update={"filed_at": NOW})
        first = start_case(self.start)
        _schedule(first, NOW)
        self.state, self.now = first.state, NOW

    def take(
        self, actor: Actor, action: str, *, next_step: bool = True, **fields: Any
    ) -> Transition:
        self.now += timedelta(hours=1)
        taken = action_adapter.validate_python({"action": action, **fields})
        check(self.state, actor, taken, self.now)
        t = apply(self.state, actor, taken, self.now, next_step=next_step)
        _schedule(t, self.now)
        self.state = t.state
        return t

    def wait_until(self, moment: datetime) -> Transition:
        """Let time pass: every reminder and escalation due by ``moment`` fires."""
        t = Transition(state=self.state)
        while (wake := next_wake(self.state)) is not None and wake <= moment:
            self.now = max(self.now, wake)
            t = fire(self.state, self.now)
            _schedule(t, self.now)
            self.state = t.state
        self.now = max(self.now, moment)
        return t

    def to_response(self) -> Case:
        self.take(SECRETARIAT, "register")
        self.take(CHAIR, "declare_admissible")
        return self

    def allowed(self, actor: Actor) -> list[ActionName]:
        return allowed_actions(self.state, actor, self.now)


def next_steps(state: CaseState) -> list[Any]:
    return [d for d in state.deadlines if d.name == NAME]


def test_the_last_response_opens_the_secretariats_next_step_of_ten_business_days() -> None:
    case = Case().to_response()
    case.take(ACME, "submit_response", text="Acme's answer")
    assert next_steps(case.state) == []  # Bolt may still respond: not the secretariat's turn
    assert A.PROPOSE_MEDIATION not in case.allowed(SECRETARIAT)

    t = case.take(BOLT, "submit_response", text="Bolt's answer")
    (opened,) = t.opens
    assert (opened.name, opened.owner, opened.label) == (
        NAME,
        Audience.SECRETARIAT,
        "Offer mediation or send the case to a hearing",
    )
    step = case.state.deadline(NAME)
    assert step is not None and step.opened_at == case.now
    p = case.state.procedure
    assert p.deadline(NAME) == Duration(amount=10, unit="business_days")
    assert step.due == add_duration(case.now, p.deadline(NAME), p.seat_country, p.timezone)
    # Both ways on are open to the secretariat, and to nobody else.
    assert {A.PROPOSE_MEDIATION, A.SEND_TO_HEARING} <= set(case.allowed(SECRETARIAT))
    for actor in (CHAIR, MEDIATOR, ACME, UNION):
        assert not {A.PROPOSE_MEDIATION, A.SEND_TO_HEARING} & set(case.allowed(actor))


def test_offering_mediation_meets_the_next_step() -> None:
    case = Case(respondents=1).to_response()
    case.take(ACME, "submit_response", text="Our answer")
    case.take(SECRETARIAT, "propose_mediation", note="Both sides seem willing")
    (step,) = next_steps(case.state)
    assert (step.state, step.closed_at) == (DeadlineState.MET, case.now)
    assert case.state.stage is Stage.MEDIATION
    assert [d.name for d in case.state.open_deadlines()] == ["mediation"]


def test_sending_the_case_to_a_hearing_meets_the_next_step() -> None:
    """The complainant refused mediation already: the secretariat sends the case on."""
    case = Case(respondents=1).to_response()
    case.take(ACME, "submit_response", text="Our answer")
    case.take(SECRETARIAT, "send_to_hearing", reason="The complainant refuses mediation")
    (step,) = next_steps(case.state)
    assert step.state is DeadlineState.MET
    assert case.state.stage is Stage.HEARING
    assert [d.name for d in case.state.open_deadlines()] == ["hearing"]


def test_a_response_period_that_passes_hands_the_step_to_the_secretariat() -> None:
    case = Case().to_response()
    case.take(ACME, "submit_response", text="Acme's answer")
    bolt = case.state.deadline("response", "bolt")
    assert bolt is not None
    t = case.wait_until(bolt.due)
    assert any(e.type == "deadline_missed" for e in t.events)
    step = case.state.deadline(NAME)
    assert step is not None and step.opened_at == bolt.due
    assert step.owner is Audience.SECRETARIAT
    assert A.PROPOSE_MEDIATION in case.allowed(SECRETARIAT)
    # Bolt answers late: the step stays the secretariat's, opened once.
    case.take(BOLT, "submit_response", text="Late")
    assert [d.state for d in next_steps(case.state)] == [DeadlineState.OPEN]


def test_reminder_escalation_and_second_escalation_of_the_next_step() -> None:
    case = Case(respondents=1).to_response()
    case.take(ACME, "submit_response", text="Our answer")
    step = case.state.deadline(NAME)
    assert step is not None
    t = case.wait_until(step.remind_at)
    assert [(n.kind, n.audiences, n.deadline) for n in t.notices] == [
        ("reminder", [Audience.SECRETARIAT], NAME)
    ]
    t = case.wait_until(step.due)
    assert [(n.kind, n.deadline) for n in t.notices] == [("escalation", NAME)]
    assert set(t.notices[0].audiences) == {Audience.CHAIR, Audience.SECRETARIAT}
    assert case.state.overdue
    t = case.wait_until(step.second_escalation_at)
    assert [(n.kind, n.deadline) for n in t.notices] == [("second_escalation", NAME)]
    # Late, the secretariat still acts; the step is met and the case no longer overdue.
    case.take(SECRETARIAT, "propose_mediation")
    assert not case.state.overdue and next_steps(case.state)[0].state is DeadlineState.MET


def test_an_extended_response_period_takes_the_step_back_until_it_passes() -> None:
    case = Case(respondents=1).to_response()
    response = case.state.deadline("response")
    assert response is not None
    case.wait_until(response.due)
    assert case.state.deadline(NAME) is not None
    until = (response.due + timedelta(days=14)).isoformat()
    case.take(CHAIR, "extend_deadline", deadline="response", until=until, reason="Port strike")
    (step,) = next_steps(case.state)
    assert step.state is DeadlineState.CANCELLED  # not the secretariat's turn any more
    assert case.state.open_deadlines()[0].name == "response"
    case.take(ACME, "submit_response", text="Within the extension")
    assert [d.state for d in next_steps(case.state)] == [
        DeadlineState.CANCELLED,
        DeadlineState.OPEN,
    ]


def test_a_suspension_holds_the_step_and_moves_it_on_resume() -> None:
    case = Case(respondents=1).to_response()
    case.take(ACME, "submit_response", text="Our answer")
    before = case.state.deadline(NAME)
    assert before is not None
    case.take(SECRETARIAT, "suspend", reason="Awaiting a translation")
    assert case.state.status is CaseStatus.SUSPENDED and case.state.deadline(NAME) == before
    case.now += timedelta(days=14)
    case.take(SECRETARIAT, "resume")
    after = case.state.deadline(NAME)
    assert after is not None and after.id == before.id and after.due > before.due


def test_without_next_step_nothing_is_opened_and_an_open_one_still_closes() -> None:
    """How the workflow replays a step taken before the deadline existed."""
    case = Case(respondents=1).to_response()
    t = case.take(ACME, "submit_response", text="Our answer", next_step=False)
    assert t.opens == [] and next_steps(case.state) == []
    # The next step after the upgrade catches up (a message, say) ...
    t = case.take(UNION, "add_message", text="Any news?")
    assert [r.name for r in t.opens] == [NAME]
    # ... and an open one is met whatever the flag: it closes when the step is taken.
    case.take(SECRETARIAT, "propose_mediation", next_step=False)
    assert next_steps(case.state)[0].state is DeadlineState.MET


def test_a_case_split_off_after_its_company_responded_opens_the_step() -> None:
    case = Case().to_response()
    case.take(ACME, "submit_response", text="Acme's answer")
    t = case.take(CHAIR, "split_case", respondent="acme")
    assert t.spawn is not None and next_steps(case.state) == []  # Bolt still to respond
    child = start_case(t.spawn)
    assert [(r.name, r.owner) for r in child.opens] == [(NAME, Audience.SECRETARIAT)]
    assert start_case(t.spawn, next_step=False).opens == []


def test_the_covenant_file_sets_the_period() -> None:
    case = Case(respondents=1)
    p = case.state.procedure
    shorter = p.model_copy(
        update={"deadlines": {**p.deadlines, NAME: Duration(amount=3, unit="business_days")}}
    )
    case.state = case.state.model_copy(update={"procedure": shorter})
    case.to_response()
    case.take(ACME, "submit_response", text="Our answer")
    step = case.state.deadline(NAME)
    assert step is not None
    assert step.due == add_duration(case.now, shorter.deadline(NAME), "NL", p.timezone)
    # A procedure stored before the key existed falls back to ten business days.
    older = p.model_copy(update={"deadlines": {k: v for k, v in p.deadlines.items() if k != NAME}})
    assert older.deadline(NAME) == Duration(amount=10, unit="business_days")


def test_the_other_steps_that_wait_on_the_committees_side() -> None:
    case = Case(respondents=1).to_response()
    case.take(ACME, "submit_response", text="Our answer")
    case.take(SECRETARIAT, "send_to_hearing", reason="No mediation wanted")
    case.take(SECRETARIAT, "schedule_hearing", at=(case.now + timedelta(days=20)).isoformat())
    case.take(CHAIR, "record_hearing", minutes="Heard")
    due = (case.now + timedelta(days=90)).date().isoformat()
    order = {"text": "Pay the wages", "due": due}
    case.take(CHAIR, "issue_decision", finding="founded", reasons="Founded", orders=[order])
    assert case.state.deadline(NAME) is None  # the company's plan is awaited
    case.take(ACME, "submit_remediation_plan", text="Plan")
    step = case.state.deadline(NAME)
    assert step is not None and (step.owner, step.label) == (REVIEW_PLAN.owner, REVIEW_PLAN.label)
    case.take(SECRETARIAT, "approve_remediation_plan")
    assert case.state.plan is not None and case.state.plan.status is PlanStatus.APPROVED
    assert case.state.deadline(NAME) is None  # progress reports are the company's
    case.take(ACME, "submit_progress_report", order=1, text="Paid")
    case.take(SECRETARIAT, "verify_order", order=1)
    step = case.state.deadline(NAME)
    assert step is not None and (step.owner, step.label) == (CLOSE_CASE.owner, CLOSE_CASE.label)
    assert A.CLOSE in case.allowed(CHAIR)
    case.take(CHAIR, "close", outcome="resolved", summary="Paid")
    assert case.state.open_deadlines() == []
    # The step after the responses and the plan's review were met; closing ends the last.
    states = [(d.label, d.state) for d in next_steps(case.state)]
    assert states == [
        (AFTER_RESPONSES.label, DeadlineState.MET),
        (REVIEW_PLAN.label, DeadlineState.MET),
        (CLOSE_CASE.label, DeadlineState.CANCELLED),
    ]


def test_a_signal_every_company_reported_on_waits_on_the_secretariat() -> None:
    case = Case(kind=CaseKind.SIGNAL)
    case.take(SECRETARIAT, "forward_signal")
    case.take(ACME, "report_due_diligence", text="Audited")
    assert case.state.deadline(NAME) is None
    case.take(BOLT, "report_due_diligence", text="Audited too")
    step = case.state.deadline(NAME)
    assert step is not None and step.label == CLOSE_SIGNAL.label
    assert {A.CLOSE, A.CONVERT_TO_COMPLAINT} <= set(case.allowed(SECRETARIAT))
    case.take(SECRETARIAT, "convert_to_complaint", reason="Nothing was done")
    # Turning the signal into a complaint ends every deadline of the signal, this one too.
    assert next_steps(case.state)[0].state is DeadlineState.CANCELLED
    assert [d.name for d in case.state.open_deadlines()] == ["register"]


def test_labels_are_distinct_for_each_step() -> None:
    labels = [s.label for s in (AFTER_RESPONSES, REVIEW_PLAN, CLOSE_CASE, CLOSE_SIGNAL)]
    assert len(set(labels)) == len(labels)
