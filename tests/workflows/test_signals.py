"""Signals: passed on to two companies, each with its own due-diligence deadline; closed or
turned into a formal complaint (time skipping)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from domain.actions import ActionName, action_adapter
from domain.calendar import add_duration
from domain.cases import Actor, CaseState, Party
from domain.enums import Audience, CaseKind, DeadlineState, NoticeKind, Outcome, Role, Side, Stage
from domain.rules import allowed_actions
from tests.domain.samples import SAMPLE_ACTIONS
from tests.workflows.conftest import (
    ACTORS,
    CHAIR,
    COMPANY,
    SECRETARIAT,
    UNION,
    Sinks,
    Start,
    act,
    keep_history,
    state_of,
    wait_until,
)

OTHER = Actor(user="company2", role=Role.COMPANY, organisation_id="bolt", side=Side.RESPONDENT)
BOTH = [
    Party(organisation_id="acme", name="Acme Apparel B.V.", production_location_id="loc-1"),
    Party(organisation_id="bolt", name="Bolt Denim N.V.", production_location_id="loc-1"),
]


def _due_diligence(state: CaseState, party: str) -> DeadlineState | None:
    found = [d.state for d in state.deadlines if d.name == "due_diligence" and d.party == party]
    return found[-1] if found else None


async def test_forwarded_to_two_companies_one_reports_the_other_escalates_then_converted(
    env: WorkflowEnvironment, start_case: Start, sinks: Sinks
):
    handle = await start_case(kind=CaseKind.SIGNAL, respondents=BOTH)
    state = await state_of(handle)
    ref = state.reference
    assert (state.kind, state.stage) == (CaseKind.SIGNAL, Stage.SIGNAL)
    (register,) = state.open_deadlines()
    assert register.name == "register" and register.owner is Audience.SECRETARIAT
    assert register.label == "Pass the signal on to the companies"

    state = await act(handle, SECRETARIAT, action="forward_signal", note="Workers report abuse.")
    assert state.forwarded_at is not None and state.deadline("register") is None
    opened = [d for d in state.open_deadlines() if d.name == "due_diligence"]
    assert {d.party for d in opened} == {"acme", "bolt"}
    procedure = state.procedure
    expected = add_duration(
        state.forwarded_at,
        procedure.deadline("due_diligence"),
        procedure.seat_country,
        procedure.timezone,
    )  # 60 calendar days, run on to the next business day
    assert all(d.due == expected for d in opened)
    assert {d.label for d in opened} == {
        "Due diligence and remediation by Acme Apparel B.V.",
        "Due diligence and remediation by Bolt Denim N.V.",
    }
    notices = await sinks.wait_for(ref, NoticeKind.SIGNAL_NOTICE, count=2)
    assert {n.notice.party for n in notices} == {"acme", "bolt"}
    for n in notices:
        assert n.notice.audiences == [Audience.RESPONDENTS]
        assert n.notice.due == state.deadline("due_diligence", n.notice.party).due  # type: ignore[union-attr]
        assert "Workers report abuse." in sinks.text_of(n)

    state = await act(handle, COMPANY, action="report_due_diligence", text="Audit held; fixed.")
    assert _due_diligence(state, "acme") is DeadlineState.MET
    assert _due_diligence(state, "bolt") is DeadlineState.OPEN
    assert state.events[-1].type == "due_diligence_reported"
    now = state.events[-1].at
    assert ActionName.REPORT_DUE_DILIGENCE not in allowed_actions(state, COMPANY, now)
    assert ActionName.REPORT_DUE_DILIGENCE in allowed_actions(state, OTHER, now)
    with pytest.raises(WorkflowUpdateFailedError):
        await act(handle, COMPANY, action="report_due_diligence", text="Again")

    bolt = state.deadline("due_diligence", "bolt")
    assert bolt is not None and bolt.party == "bolt"
    await env.fast_forward(handle, bolt.remind_at - now + timedelta(hours=1))
    await wait_until(handle, lambda s: any(e.type == "reminder" for e in s.events))
    reminder = (await sinks.wait_for(ref, NoticeKind.REMINDER))[0].notice
    assert (reminder.party, reminder.audiences, reminder.due) == (
        "bolt",
        [Audience.RESPONDENTS],
        bolt.due,
    )
    await env.fast_forward(handle, bolt.due - bolt.remind_at)
    state = await wait_until(handle, lambda s: s.overdue)
    escalation = (await sinks.wait_for(ref, NoticeKind.ESCALATION))[0].notice
    assert escalation.party == "bolt" and escalation.deadline == "due_diligence"
    assert set(escalation.audiences) == {Audience.CHAIR, Audience.SECRETARIAT}

    state = await act(handle, SECRETARIAT, action="convert_to_complaint", reason="Bolt is silent.")
    assert (state.reference, state.kind, state.stage) == (ref, CaseKind.COMPLAINT, Stage.SCREENING)
    assert state.converted_at is not None and not state.overdue
    (register,) = state.open_deadlines()
    assert register.name == "register" and register.label == "Register the complaint"
    assert _due_diligence(state, "acme") is DeadlineState.MET
    assert _due_diligence(state, "bolt") is DeadlineState.CANCELLED
    converted = next(e for e in state.events if e.type == "converted_to_complaint")
    assert converted.text == "Bolt is silent."
    told = await sinks.wait_for(ref, NoticeKind.STAGE_CHANGED, count=3)
    assert any(Audience.COMPLAINANT in n.notice.audiences for n in told)
    messages = await sinks.wait_for(ref, NoticeKind.MESSAGE, count=3)
    assert any(n.notice.audiences == [Audience.RESPONDENTS] for n in messages)

    # From here it is a complaint like any other.
    now = state.events[-1].at
    assert ActionName.FORWARD_SIGNAL not in allowed_actions(state, SECRETARIAT, now)
    state = await act(handle, SECRETARIAT, action="register")
    assert state.stage is Stage.ADMISSIBILITY
    await keep_history(handle, "signal-converted")


async def test_a_signal_is_closed_by_the_secretariat(start_case: Start, sinks: Sinks):
    handle = await start_case(kind=CaseKind.SIGNAL, respondents=BOTH)
    await act(handle, SECRETARIAT, action="forward_signal")
    await act(handle, COMPANY, action="report_due_diligence", text="Wages paid.")
    state = await act(handle, OTHER, action="report_due_diligence", text="Same here.")
    assert not [d for d in state.open_deadlines() if d.name == "due_diligence"]
    now = state.events[-1].at
    assert ActionName.REPORT_DUE_DILIGENCE not in allowed_actions(state, OTHER, now)
    with pytest.raises(WorkflowUpdateFailedError) as error:
        await act(handle, COMPANY, action="close", outcome="resolved", summary="Done")
    assert isinstance(error.value.cause, ApplicationError)
    assert error.value.cause.type == "Forbidden"
    state = await act(
        handle, SECRETARIAT, action="close", outcome="resolved", summary="Both remediated."
    )
    assert (state.stage, state.outcome, state.kind) == (
        Stage.CLOSED,
        Outcome.RESOLVED,
        CaseKind.SIGNAL,
    )
    assert state.closing_summary == "Both remediated." and not state.open_deadlines()
    await sinks.wait_for(state.reference, NoticeKind.CLOSED)
    await handle.result()


async def test_the_reporter_withdraws_and_information_suspends_a_signal(start_case: Start):
    handle = await start_case(kind=CaseKind.SIGNAL, respondents=BOTH)
    await act(handle, SECRETARIAT, action="forward_signal")
    before = (await state_of(handle)).deadline("due_diligence", "bolt")
    state = await act(
        handle, SECRETARIAT, action="request_information", **{"from": "respondent"}, question="?"
    )
    assert state.status == "suspended"
    state = await act(handle, OTHER, action="provide_information", text="The audit report.")
    assert state.status == "open"
    after = state.deadline("due_diligence", "bolt")
    assert before is not None and after is not None and after.due >= before.due
    state = await act(
        handle,
        CHAIR,
        action="extend_deadline",
        deadline=after.id,
        until=(after.due + timedelta(days=14)).isoformat(),
        reason="Audit delayed",
    )
    assert state.deadline("due_diligence", "bolt").due == after.due + timedelta(days=14)  # type: ignore[union-attr]
    state = await act(handle, UNION, action="withdraw", reason="Resolved locally.")
    assert (state.stage, state.outcome) == (Stage.CLOSED, Outcome.WITHDRAWN)


@pytest.mark.parametrize("forwarded", [False, True], ids=["new", "forwarded"])
async def test_every_action_refused_on_a_signal_where_not_allowed(
    start_case: Start, forwarded: bool
):
    handle = await start_case(kind=CaseKind.SIGNAL, respondents=BOTH)
    if forwarded:
        await act(handle, SECRETARIAT, action="forward_signal")
    before = await state_of(handle)
    now = before.events[-1].at
    assert ActionName.REGISTER not in allowed_actions(before, SECRETARIAT, now)
    assert (ActionName.FORWARD_SIGNAL in allowed_actions(before, SECRETARIAT, now)) is not forwarded
    refused = 0
    for actor in [*ACTORS, OTHER]:
        allowed = set(allowed_actions(before, actor, now))
        for name in ActionName:
            if name in allowed:
                continue
            action = action_adapter.validate_python(SAMPLE_ACTIONS[name])
            with pytest.raises(WorkflowUpdateFailedError) as error:
                await act(handle, actor, **action.model_dump(by_alias=True, mode="json"))
            cause = error.value.cause
            assert isinstance(cause, ApplicationError)
            assert cause.type in ("WrongStage", "Forbidden", "InvalidAction"), cause
            refused += 1
    assert refused > 50
    assert (await state_of(handle)).model_dump() == before.model_dump()
