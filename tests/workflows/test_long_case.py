"""A case at real size: hundreds of maximal Bengali messages, then the whole lifecycle."""

from __future__ import annotations

import os

from temporalio.client import WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from domain.enums import CaseStatus, Stage
from tests.workflows.conftest import (
    CHAIR,
    COMPANY,
    SECRETARIAT,
    UNION,
    Start,
    act,
    in_days,
    state_of,
)
from workflows.case import CaseWorkflow

# The longest text the API accepts, in Bengali (3 bytes a character in UTF-8).
BENGALI = "শ্রমিকদের মজুরি তিন মাস ধরে বকেয়া রয়েছে এবং ইউনিয়নের নেতাদের বরখাস্ত করা হয়েছে। "
LONGEST = (BENGALI * (20_000 // len(BENGALI) + 1))[:20_000]
REASON = LONGEST[:5_000]  # reasons and notes are shorter
MESSAGES = int(os.environ.get("REDRESS_LONG_CASE_MESSAGES", "300"))


async def lifecycle_with_messages(handle: WorkflowHandle, messages: int) -> None:  # type: ignore[type-arg]
    """Register, then ``messages`` maximal messages, then on to closure."""
    await act(handle, SECRETARIAT, action="register")
    for n in range(messages):
        who = (SECRETARIAT, UNION, COMPANY)[n % 3]
        await act(handle, who, f"message-{n}", action="add_message", text=f"{n} {LONGEST}"[:20_000])
    # A retry of a message from several runs ago (of the last 200 actions) takes no effect.
    before = await state_of(handle)
    n = messages // 2
    retry = f"{n} {LONGEST}"[:20_000]
    await act(
        handle,
        (SECRETARIAT, UNION, COMPANY)[n % 3],
        f"message-{n}",
        action="add_message",
        text=retry,
    )
    assert (await state_of(handle)).last_seq == before.last_seq
    await act(handle, CHAIR, action="declare_admissible", reasons=REASON)
    await act(handle, COMPANY, action="submit_response", text=LONGEST)
    await act(handle, SECRETARIAT, action="propose_mediation")
    await act(handle, UNION, action="decline_mediation")
    await act(handle, SECRETARIAT, action="schedule_hearing", at=f"{in_days(20)}T10:00:00+01:00")
    await act(handle, CHAIR, action="record_hearing", minutes=LONGEST)
    await act(
        handle,
        CHAIR,
        action="issue_decision",
        finding="founded",
        reasons=REASON,
        orders=[{"text": "Pay the withheld wages", "due": in_days(90)}],
    )
    await act(handle, COMPANY, action="submit_remediation_plan", text=LONGEST)
    await act(handle, SECRETARIAT, action="approve_remediation_plan")
    await act(handle, COMPANY, action="submit_progress_report", text=LONGEST, order=1)
    await act(handle, SECRETARIAT, action="verify_order", order=1)
    await act(handle, CHAIR, action="close", outcome="resolved", summary="Wages paid.")


async def test_a_long_case_runs_to_closure(env: WorkflowEnvironment, start_case: Start):
    handle = await start_case()
    await lifecycle_with_messages(handle, MESSAGES)
    state = await state_of(handle)
    assert (state.stage, state.status) == (Stage.CLOSED, CaseStatus.CLOSED)
    assert len(state.events) > MESSAGES  # every message reached the read model
    latest = env.client.get_workflow_handle(handle.id)  # the run the case ended in
    await latest.result()
    run = await latest.describe()
    assert run.run_id != handle.run_id, "a long case continues as new"
    history = await latest.fetch_history()
    size = sum(event.ByteSize() for event in history.events)
    assert size < 10 * 1024 * 1024, f"the last run's history is {size} bytes"
    # A run that continued an earlier one replays too (too large to keep among histories/).
    replayer = Replayer(workflows=[CaseWorkflow], data_converter=pydantic_data_converter)
    replayed = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert replayed.replay_failure is None
