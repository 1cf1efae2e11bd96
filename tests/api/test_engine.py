"""When Temporal is slow or the workflow is gone: bounded waits, no lost access codes."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine
from temporalio.api.enums.v1 import EventType

from activities.records import RecordActivities
from api.errors import status_of
from domain.actions import ActionRequest, AddMessage
from domain.cases import Actor, CaseStart
from domain.enums import CaseStatus, Outcome, Role, Stage
from domain.problems import Problem
from redress.app import create_app
from services.engine import ENGINE_DOWN, ENGINE_SLOW, begin_case, run_action
from store import cases
from store.db import session_scope
from tests.api.conftest import PUBLIC_URL, Stack, complaint
from tests.factories import case_state, project_state

NO_WORKER = "no-worker-listens-here"


@pytest.fixture
async def slow(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[httpx.AsyncClient]:
    """The API on a task queue no worker polls, waiting at most one second for updates."""
    monkeypatch.setattr("services.engine.UPDATE_TIMEOUT", timedelta(seconds=1))
    settings = stack.settings.model_copy(update={"task_queue": NO_WORKER})
    app = create_app(settings, engine=stack.engine, client=stack.client)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as http:
        yield http


async def test_a_case_started_but_not_confirmed_is_202_with_the_access_code(
    stack: Stack, slow: httpx.AsyncClient
) -> None:
    response = await slow.post("/api/v1/complaints", json=complaint())
    assert response.status_code == 202, response.text
    filed = response.json()
    ref = filed["reference"]
    assert filed["stage"] == "screening" and re.fullmatch(r"\d{20}", filed["access_code"])
    assert filed["status_url"] == f"{PUBLIC_URL}/api/v1/cases/{ref}"
    with session_scope(stack.engine) as session:  # the intake record stays: the case runs
        assert cases.get_complainant(session=session, reference=ref) is not None

    body = {
        "covenant": "garments-textile",
        "respondent": {"organisation": "delta-denim"},
        "subject": "Purchasing practices",
        "description": "Order cancellations without payment for finished goods.",
    }
    dispute = await slow.post("/api/v1/disputes", json=body, headers=await stack.headers("union"))
    assert dispute.status_code == 202 and dispute.json()["stage"] == "dialogue"


async def test_the_openapi_document_describes_the_202(stack: Stack) -> None:
    paths = (await stack.http.get("/openapi.json")).json()["paths"]
    for path in ("/api/v1/complaints", "/api/v1/disputes"):
        responses = paths[path]["post"]["responses"]
        assert {"201", "202"} <= set(responses), path
        assert responses["202"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/FiledOut"
        }


def projected_case(engine: Engine, reference: str, *, closed: bool = False) -> CaseStart:
    state = case_state(reference, stage=Stage.SCREENING)
    if closed:
        state.stage, state.status = Stage.CLOSED, CaseStatus.CLOSED
        state.outcome, state.closed_at = Outcome.RESOLVED, datetime.now(UTC)
    project_state(RecordActivities(engine), state)
    return CaseStart(
        **state.model_dump(
            include={
                "reference",
                "kind",
                "covenant",
                "covenant_name",
                "confidential",
                "pseudonym",
                "respondents",
                "subject",
                "description",
                "filed_at",
            }
        ),
        procedure=state.procedure,
    )


async def test_an_action_the_engine_does_not_answer_in_time_is_503(
    stack: Stack, slow: httpx.AsyncClient
) -> None:
    start = projected_case(stack.engine, "GT-2026-SLOW1")
    await begin_case(stack.client, task_queue=NO_WORKER, start=start)
    response = await slow.post(
        f"/api/v1/cases/{start.reference}/actions",
        json={"action": "register"},
        headers=await stack.headers("secretariat"),
    )
    assert (response.status_code, response.json()) == (503, {"detail": ENGINE_SLOW})
    assert "retrying with the same Idempotency-Key is safe" in ENGINE_SLOW


@pytest.mark.parametrize(("closed", "expected"), [(True, 409), (False, 503)])
async def test_a_missing_workflow_is_409_only_when_the_stored_case_is_closed(
    stack: Stack, closed: bool, expected: int
) -> None:
    # As when the workflow completes between the API's check and its update.
    reference = f"GT-2026-GONE{int(closed)}"
    projected_case(stack.engine, reference, closed=closed)
    request = ActionRequest(
        actor=Actor(user="secretariat", role=Role.SECRETARIAT),
        action=AddMessage(action="add_message", text="Anyone there?"),
    )
    with session_scope(stack.engine) as session, pytest.raises(Problem) as raised:
        await run_action(stack.client, session=session, reference=reference, request=request)
    assert status_of(raised.value) == expected
    if closed:
        assert (raised.value.message, raised.value.extra) == ("the case is closed", {"allowed": []})
    else:
        assert raised.value.message == ENGINE_DOWN


async def test_a_filing_starts_its_workflow_and_confirms_it_in_one_workflow_task(
    stack: Stack,
) -> None:
    """Update-with-start: the filing's confirmation is taken by the workflow's first task,
    not by a second one after the start (one call to Temporal, one task fewer)."""
    response = await stack.http.post("/api/v1/complaints", json=complaint())
    assert response.status_code == 201, response.text
    handle = stack.client.get_workflow_handle(f"case-{response.json()['reference']}")
    kinds = [EventType.Name(e.event_type) for e in (await handle.fetch_history()).events]
    accepted = kinds.index("EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED")
    assert kinds[:accepted].count("EVENT_TYPE_WORKFLOW_TASK_COMPLETED") == 1, kinds
    completed = kinds.index("EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED")
    assert kinds[:completed].count("EVENT_TYPE_WORKFLOW_TASK_COMPLETED") == 1, kinds
