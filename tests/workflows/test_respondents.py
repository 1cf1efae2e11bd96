"""A complaint about a location two companies source from: two respondents, two deadlines."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from domain.actions import ActionName
from domain.cases import Actor, Party
from domain.enums import Audience, DeadlineState, NoticeKind, Role, Side, Stage
from domain.rules import allowed_actions
from tests.workflows.conftest import (
    CHAIR,
    COMPANY,
    SECRETARIAT,
    Sinks,
    Start,
    act,
    keep_history,
    state_of,
    wait_until,
)

OTHER = Actor(user="company2", role=Role.COMPANY, organisation_id="bolt", side=Side.RESPONDENT)
BOTH = [
    Party(organisation_id="acme", name="Acme Apparel B.V."),
    Party(organisation_id="bolt", name="Bolt Denim N.V."),
]


async def test_each_respondent_has_its_own_notice_and_deadline(start_case: Start, sinks: Sinks):
    handle = await start_case(respondents=BOTH)
    await act(handle, SECRETARIAT, action="register")
    state = await act(handle, CHAIR, action="declare_admissible")
    responses = [d for d in state.open_deadlines() if d.name == "response"]
    assert {d.party for d in responses} == {"acme", "bolt"}
    assert {d.label for d in responses} == {
        "Response of Acme Apparel B.V.",
        "Response of Bolt Denim N.V.",
    }
    notices = await sinks.wait_for(state.reference, NoticeKind.COMPANY_NOTICE, count=3)
    parties = {n.notice.party for n in notices if n.notice.deadline == "response"}
    assert parties == {"acme", "bolt"}
    assert all(Audience.RESPONDENTS in n.notice.audiences for n in notices)

    state = await act(handle, COMPANY, action="submit_response", text="Acme's answer")
    assert (
        state.deadline("response", "acme") is None
        or state.deadline("response", "acme").party is None
    )  # type: ignore[union-attr]
    left = [d for d in state.open_deadlines() if d.name == "response"]
    assert [d.party for d in left] == ["bolt"] and state.stage is Stage.RESPONSE
    now = state.events[-1].at
    assert ActionName.SUBMIT_RESPONSE not in allowed_actions(state, COMPANY, now)
    assert ActionName.SUBMIT_RESPONSE in allowed_actions(state, OTHER, now)
    assert ActionName.PROPOSE_MEDIATION not in allowed_actions(state, SECRETARIAT, now)
    with pytest.raises(WorkflowUpdateFailedError):
        await act(handle, COMPANY, action="submit_response", text="Again")

    state = await act(handle, OTHER, action="submit_response", text="Bolt's answer")
    assert state.response_submitted_at is not None
    assert all(d.state is DeadlineState.MET for d in state.deadlines if d.name == "response")
    state = await act(handle, SECRETARIAT, action="propose_mediation")
    assert state.stage is Stage.MEDIATION
    assert (await state_of(handle)).responses.keys() == {"acme", "bolt"}


async def test_the_committee_splits_the_case_per_company(
    env: WorkflowEnvironment, start_case: Start, sinks: Sinks
):
    handle = await start_case(respondents=BOTH)
    await act(handle, SECRETARIAT, action="register")
    await act(handle, CHAIR, action="declare_admissible")
    await act(handle, COMPANY, action="submit_response", text="Acme's answer")
    with pytest.raises(WorkflowUpdateFailedError):
        await act(handle, CHAIR, action="split_case", respondent="nobody")
    state = await act(handle, CHAIR, action="split_case", respondent="acme")
    assert [p.organisation_id for p in state.respondents] == ["bolt"]
    assert state.splits == [f"{state.reference}-2"]
    assert [d.party for d in state.open_deadlines() if d.name == "response"] == ["bolt"]
    assert sinks.copies[-1].to_reference == f"{state.reference}-2"
    child = env.client.get_workflow_handle(f"case-{state.reference}-2")
    split = await wait_until(child, lambda s: s.stage is Stage.RESPONSE)
    assert split.split_from == state.reference
    assert [p.organisation_id for p in split.respondents] == ["acme"]
    assert split.responses.keys() == {"acme"} and split.response_submitted_at is not None
    assert split.deadline("response") is None  # Acme had already responded
    await act(child, SECRETARIAT, action="propose_mediation")
    with pytest.raises(WorkflowUpdateFailedError):  # one respondent left: nothing to split
        await act(handle, CHAIR, action="split_case", respondent="bolt")
    await keep_history(handle, "split-per-company")
