"""After the last response the secretariat's next step runs as a durable deadline, through
the real worker on the time-skipping dev server; cases running on older code take it up at
their next step, and their histories still replay."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import PatchActivationInput, Replayer, Worker

from domain.actions import ActionName
from domain.calendar import add_duration
from domain.enums import Audience, DeadlineState, NoticeKind, Stage
from domain.next_steps import AFTER_RESPONSES, NAME
from domain.rules import allowed_actions
from tests.clock import shifted
from tests.workflows.conftest import (
    CHAIR,
    COMPANY,
    SECRETARIAT,
    UNION,
    Sinks,
    Start,
    act,
    case_start,
    keep_history,
    state_of,
    wait_until,
)
from workflows.case import PATCH_NEXT_STEP, CaseWorkflow
from workflows.notice_retry import NoticeRetryWorkflow


async def test_the_last_response_opens_the_next_step_which_reminds_escalates_and_closes(
    env: WorkflowEnvironment, start_case: Start, sinks: Sinks
):
    handle = await start_case()
    await act(handle, SECRETARIAT, action="register")
    state = await act(handle, CHAIR, action="declare_admissible")
    assert state.deadline(NAME) is None  # the company's turn first
    state = await act(handle, COMPANY, action="submit_response", text="We dispute the facts.")
    step = state.deadline(NAME)
    assert step is not None
    assert (step.owner, step.label) == (Audience.SECRETARIAT, AFTER_RESPONSES.label)
    p = state.procedure
    assert step.due == add_duration(step.opened_at, p.deadline(NAME), p.seat_country, p.timezone)
    assert step.opened_at == state.response_submitted_at
    now = state.events[-1].at
    assert {ActionName.PROPOSE_MEDIATION, ActionName.SEND_TO_HEARING} <= set(
        allowed_actions(state, SECRETARIAT, now)
    )
    ref = state.reference

    await env.fast_forward(handle, step.remind_at - now + timedelta(hours=1))
    state = await wait_until(handle, lambda s: s.deadline(NAME).reminded)  # type: ignore[union-attr]
    reminders = [
        n.notice
        for n in await sinks.wait_for(ref, NoticeKind.REMINDER)
        if n.notice.deadline == NAME
    ]
    assert reminders[0].audiences == [Audience.SECRETARIAT] and reminders[0].due == step.due
    assert not state.overdue

    await env.fast_forward(handle, step.due - step.remind_at)
    state = await wait_until(handle, lambda s: s.overdue)
    escalation = (await sinks.wait_for(ref, NoticeKind.ESCALATION))[-1].notice
    assert escalation.deadline == NAME
    assert set(escalation.audiences) == {Audience.CHAIR, Audience.SECRETARIAT}
    assert any(
        e.type == "deadline_missed" and AFTER_RESPONSES.label in e.summary for e in state.events
    )

    state = await act(handle, SECRETARIAT, action="propose_mediation")
    assert state.stage is Stage.MEDIATION and not state.overdue
    (met,) = [d for d in state.deadlines if d.name == NAME]
    assert met.state is DeadlineState.MET
    assert [d.name for d in state.open_deadlines()] == ["mediation"]
    await keep_history(handle, "next-step")


async def test_sending_the_case_to_a_hearing_closes_the_next_step(start_case: Start):
    handle = await start_case()
    await act(handle, SECRETARIAT, action="register")
    await act(handle, CHAIR, action="declare_admissible")
    state = await act(handle, COMPANY, action="submit_response", text="No.")
    assert state.deadline(NAME) is not None
    state = await act(
        handle, SECRETARIAT, action="send_to_hearing", reason="The complainant refuses mediation"
    )
    assert state.stage is Stage.HEARING
    assert [d.name for d in state.open_deadlines()] == ["hearing"]
    assert [d.state for d in state.deadlines if d.name == NAME] == [DeadlineState.MET]


async def test_a_response_period_that_passes_opens_the_next_step(
    env: WorkflowEnvironment, start_case: Start
):
    handle = await start_case()
    await act(handle, SECRETARIAT, action="register")
    state = await act(handle, CHAIR, action="declare_admissible")
    response = state.deadline("response")
    assert response is not None
    await env.fast_forward(handle, response.due - state.events[-1].at + timedelta(hours=1))
    state = await wait_until(handle, lambda s: s.deadline(NAME) is not None)
    step = state.deadline(NAME)
    # Opened when the timer of the response's due moment fired.
    assert step is not None and timedelta(0) <= step.opened_at - response.due < timedelta(hours=1)
    assert state.deadline("response").escalated  # type: ignore[union-attr]
    state = await act(handle, SECRETARIAT, action="send_to_hearing", reason="No response came")
    assert [d.state for d in state.deadlines if d.name == NAME] == [DeadlineState.MET]


UPGRADE_QUEUE = "test-cases-upgrade"


def _worker(env: WorkflowEnvironment, sinks: Sinks, *, before_next_step: bool) -> Worker:
    """A worker on a queue of its own; ``before_next_step`` plays code without the deadline
    (its patch never activates), keeping no workflow cached so every task replays."""

    def activate(patch: PatchActivationInput) -> bool:
        return not patch.patch_id.startswith(PATCH_NEXT_STEP)

    return Worker(
        env.client,
        task_queue=UPGRADE_QUEUE,
        workflows=[CaseWorkflow, NoticeRetryWorkflow],
        activities=sinks.activities(),
        patch_activation_callback=activate if before_next_step else None,
        max_cached_workflows=0 if before_next_step else 1000,
    )


async def test_a_case_waiting_since_before_the_upgrade_takes_up_the_step_at_its_next_action(
    env: WorkflowEnvironment, sinks: Sinks
):
    """The case of issue 18: every company responded on older code, and the case sat in
    "response" with nothing due. On today's code its next action opens the step."""
    start = case_start()
    async with _worker(env, sinks, before_next_step=True):
        handle = await shifted(env.client).start_workflow(
            CaseWorkflow.run, start, id=f"case-{start.reference}", task_queue=UPGRADE_QUEUE
        )
        await handle.execute_update(CaseWorkflow.synced)
        await act(handle, SECRETARIAT, action="register")
        await act(handle, CHAIR, action="declare_admissible")
        state = await act(handle, COMPANY, action="submit_response", text="Our answer.")
        assert state.response_submitted_at is not None and state.open_deadlines() == []
        state = await act(handle, UNION, action="add_message", text="Any news?")
        assert state.open_deadlines() == []  # older code: nothing is due, nobody is reminded

    async with _worker(env, sinks, before_next_step=False):
        state = await state_of(handle)  # the upgraded worker replays the case as it was
        assert state.open_deadlines() == []
        state = await act(handle, UNION, action="add_message", text="Still waiting.")
        step = state.deadline(NAME)
        assert step is not None and step.owner is Audience.SECRETARIAT
        assert step.opened_at == state.events[-1].at
        state = await act(handle, SECRETARIAT, action="propose_mediation")
        assert [d.state for d in state.deadlines if d.name == NAME] == [DeadlineState.MET]

    # The whole history, older steps and newer, replays on today's code.
    history = await handle.fetch_history()
    replayer = Replayer(workflows=[CaseWorkflow], data_converter=pydantic_data_converter)
    result = await replayer.replay_workflow(
        WorkflowHistory.from_json(handle.id, history.to_json()), raise_on_replay_failure=True
    )
    assert result.replay_failure is None
    await keep_history(handle, "next-step-after-upgrade")
