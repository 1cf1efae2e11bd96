"""A time-skipping Temporal dev server and a worker with the read model and mailer faked."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import TimeSkippingConfig, WorkflowEnvironment
from temporalio.worker import Worker

from activities.calendar import compute_schedule
from domain.actions import ActionRequest, action_adapter
from domain.cases import (
    Actor,
    CaseStart,
    CaseState,
    DocumentRef,
    Event,
    IntakeCopy,
    Party,
    Projection,
)
from domain.enums import CaseKind, IssueKind, NoticeKind, Role, Side
from domain.notices import NoticeRequest, ParkedNotice
from services.engine import execute_act
from store.covenants import load_covenant_files
from tests.clock import shifted
from tests.temporal_env import TIME_SKIPPING_ARGS, temporal_cli
from workflows.case import CaseWorkflow
from workflows.notice_retry import NoticeRetryWorkflow

TASK_QUEUE = "test-cases"

SECRETARIAT = Actor(user="secretariat", role=Role.SECRETARIAT)
CHAIR = Actor(user="chair", role=Role.CHAIR)
COMMITTEE = Actor(user="committee", role=Role.COMMITTEE)
MEDIATOR = Actor(user="mediator", role=Role.MEDIATOR)
COMPANY = Actor(user="company", role=Role.COMPANY, organisation_id="acme", side=Side.RESPONDENT)
UNION = Actor(user="union", role=Role.UNION, organisation_id="dgwu", side=Side.COMPLAINANT)
ACTORS = [SECRETARIAT, CHAIR, COMMITTEE, MEDIATOR, COMPANY, UNION]


class Sinks:
    """Fake activities by name: what the workflow projected and which notices it sent."""

    def activities(self) -> list[Callable[..., Any]]:
        """The worker's activities: the real calendar, these fakes for the rest."""
        return [
            compute_schedule,
            self.project_case,
            self.send_notice,
            self.copy_intake,
            self.park_notice,
        ]

    def __init__(self) -> None:
        self.projected: dict[str, CaseState] = {}
        self.recorded: dict[str, list[Event]] = {}
        self.documents: dict[str, list[DocumentRef]] = {}
        self.notices: list[NoticeRequest] = []
        self.copies: list[IntakeCopy] = []
        self.parked: list[ParkedNotice] = []
        # Notices of these cases and kinds fail for good (as when their template is broken).
        self.failing: set[tuple[str, NoticeKind]] = set()

    @activity.defn(name="project_case")
    async def project_case(self, projection: Projection) -> None:
        ref = projection.state.reference
        self.projected[ref] = projection.state
        self.recorded.setdefault(ref, []).extend(projection.events)
        self.documents.setdefault(ref, []).extend(projection.documents)

    @activity.defn(name="copy_intake")
    async def copy_intake(self, request: IntakeCopy) -> None:
        self.copies.append(request)

    @activity.defn(name="send_notice")
    async def send_notice(self, request: NoticeRequest) -> int:
        if (request.reference, request.notice.kind) in self.failing:
            raise ApplicationError("the template failed", non_retryable=True)
        self.notices.append(request)
        return 1

    @activity.defn(name="park_notice")
    async def park_notice(self, parked: ParkedNotice) -> None:
        self.parked.append(parked)

    def events(self, reference: str) -> list[Event]:
        """The case's events as projected, in order."""
        return self.recorded.get(reference, [])

    def text_of(self, request: NoticeRequest) -> str:
        """A notice's text as its mail carries it: the lead, then the quoted event's text."""
        notice = request.notice
        quoted = [e.text for e in self.events(request.reference) if e.seq == notice.quote]
        return "\n\n".join(part for part in (notice.text, *quoted) if part)

    def kinds(self, reference: str) -> list[str]:
        return [n.notice.kind for n in self.notices if n.reference == reference]

    async def wait_for(self, reference: str, kind: str, count: int = 1) -> list[NoticeRequest]:
        """Notices are sent in the background: poll (bounded) until they arrive."""
        for _ in range(150):
            found = [n for n in self.notices if n.reference == reference and n.notice.kind == kind]
            if len(found) >= count:
                return found
            await asyncio.sleep(0.1)
        raise AssertionError(f"no {kind} notice for {reference}; sent: {self.kinds(reference)}")


@pytest.fixture(scope="session")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    # Clocks stand still unless a test fast-forwards one workflow explicitly.
    environment = await WorkflowEnvironment.start_time_skipping_v2(
        ts_config=TimeSkippingConfig(enabled=False),
        dev_server_existing_path=temporal_cli(),
        dev_server_extra_args=TIME_SKIPPING_ARGS,
        data_converter=pydantic_data_converter,
    )
    async with environment:
        yield environment


_sinks = Sinks()  # one worker per session: what it projected, for ``state_of``


@pytest.fixture(scope="session")
async def sinks(env: WorkflowEnvironment) -> AsyncIterator[Sinks]:
    sinks = _sinks
    worker = Worker(
        env.client,
        task_queue=TASK_QUEUE,
        workflows=[CaseWorkflow, NoticeRetryWorkflow],
        activities=sinks.activities(),
    )
    async with worker:
        yield sinks


def covenant_procedure(slug: str = "garments-textile") -> Any:
    return next(c for c in load_covenant_files() if c.slug == slug)


Start = Callable[..., Awaitable[WorkflowHandle[Any, Any]]]


def case_start(
    kind: CaseKind = CaseKind.COMPLAINT,
    covenant: str = "garments-textile",
    urgent: bool = False,
    respondents: list[Party] | None = None,
) -> CaseStart:
    """The start input of a new test case with a fresh reference."""
    cov = covenant_procedure(covenant)
    return CaseStart(
        reference=f"T-{uuid.uuid4().hex[:10].upper()}",
        kind=kind,
        covenant=cov.slug,
        covenant_name=cov.name,
        procedure=cov.procedure,
        confidential=True,
        pseudonym="Complainant X1",
        complainant_organisation_id="dgwu",
        respondents=respondents or [Party(organisation_id="acme", name="Acme Apparel B.V.")],
        subject="Union leaders dismissed",
        description="Three union leaders were dismissed.",
        issues=[IssueKind.FREEDOM_OF_ASSOCIATION],
        urgent=urgent,
        filed_at=datetime.now(UTC),
    )


@pytest.fixture
def start_case(env: WorkflowEnvironment, sinks: Sinks) -> Start:
    client = shifted(env.client)

    async def start(**fields: Any) -> WorkflowHandle[Any, Any]:
        start = case_start(**fields)
        handle = await client.start_workflow(
            CaseWorkflow.run, start, id=f"case-{start.reference}", task_queue=TASK_QUEUE
        )
        await handle.execute_update(CaseWorkflow.synced)
        return handle

    return start


async def act(
    handle: WorkflowHandle[Any, Any], actor: Actor, update_id: str | None = None, **action: Any
) -> CaseState:
    """Take an action through the workflow's update, as the API does; the state after it."""
    request = ActionRequest(actor=actor, action=action_adapter.validate_python(action))
    result = await execute_act(handle, request, update_id or f"test:{uuid.uuid4()}")
    state = await state_of(handle)
    assert result.seq <= state.last_seq  # the result is small: the state comes from a query
    return state


async def state_of(handle: WorkflowHandle[Any, Any]) -> CaseState:
    """The live state, with the events and documents projected so far, as the API reads it."""
    for _ in range(50):
        try:
            state: CaseState = await handle.query(CaseWorkflow.state)
            break
        except RPCError as error:  # a run just continued as new has not started its task
            if error.status is not RPCStatusCode.FAILED_PRECONDITION:
                raise
            await asyncio.sleep(0.1)
    else:
        raise AssertionError(f"{handle.id} did not answer its query")
    assert not state.events and not state.documents, "content stays out of the workflow"
    state.events = list(_sinks.events(state.reference))
    state.documents = list(_sinks.documents.get(state.reference, []))
    return state


async def wait_until(
    handle: WorkflowHandle[Any, Any], predicate: Callable[[CaseState], bool], seconds: float = 15
) -> CaseState:
    """Poll the live state (bounded) until the workflow has reacted to a timer."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        state = await state_of(handle)
        if predicate(state):
            return state
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out; events: {[e.type for e in state.events]}")
        await asyncio.sleep(0.1)


def in_days(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


HISTORIES = Path(__file__).parent / "histories"


async def keep_history(handle: WorkflowHandle[Any, Any], name: str) -> None:
    """With REDRESS_RECORD_HISTORIES=<label>, store this run's history for the replay test.

    Histories are append-only: it is written as ``<name>@<label>.json`` and never over an
    existing file, so every recorded history keeps replaying on every later version.
    """
    label = os.environ.get("REDRESS_RECORD_HISTORIES")
    if not label:
        return
    path = HISTORIES / f"{name}@{label}.json"
    if not path.exists():
        history = await handle.fetch_history()
        path.write_text(history.to_json())
