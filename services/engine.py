"""Talking to the case workflows: start a case, take an action, turn refusals into problems."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta
from typing import Any

from sqlmodel import Session
from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from core.settings import get_settings
from domain.actions import ActionRequest, RegisterAction, Reopen
from domain.cases import ActionResult, CaseStart, Reopening, going_on
from domain.enums import CaseStatus
from domain.errors import ActionRefused, Forbidden, InvalidAction, WrongStage
from domain.problems import Conflict, Invalid, NotPermitted, Problem, Unavailable, invalid_field
from services import register_actions
from store import case_content, cases
from workflows.case import IDEMPOTENCY_MISMATCH, CaseWorkflow

log = logging.getLogger("redress.api")

ENGINE_DOWN = "the case engine (Temporal) is unavailable; try again later"
ENGINE_SLOW = (
    "the case engine (Temporal) did not answer in time; the action may still take effect: "
    "retrying with the same Idempotency-Key is safe (it takes effect at most once)"
)
CONNECT_TIMEOUT = 5.0  # seconds to reach Temporal, at startup and on first use
# The longest an API request waits for a workflow update (an action, or a new case's sync).
UPDATE_TIMEOUT = timedelta(seconds=30)


class EngineTimeout(Unavailable):
    """Temporal did not answer in time: the update may still take effect."""

    def __init__(self) -> None:
        super().__init__(ENGINE_SLOW)


def workflow_id(reference: str) -> str:
    """The id of a case's workflow."""
    return f"case-{reference}"


def refusal(kind: str, message: str, allowed: list[str]) -> Problem:
    """The problem a refused action is: not permitted, a conflict naming the allowed actions,
    or invalid input."""
    if kind == Forbidden.kind:
        return NotPermitted(message)
    if kind == WrongStage.kind:
        return Conflict(message, allowed=allowed)
    if kind == InvalidAction.kind:
        return Invalid(message, errors=[])
    if kind == IDEMPOTENCY_MISMATCH:
        return invalid_field(("header", "Idempotency-Key"), message)
    return Conflict(message, allowed=allowed)


def refused(error: ActionRefused) -> Problem:
    """The problem a refusal by the pure rules is (naming the field, if one)."""
    if isinstance(error, InvalidAction) and error.field is not None:
        message = error.message.removeprefix(f"{error.field}: ")
        return invalid_field(("body", error.field), message)
    return refusal(error.kind, error.message, error.allowed)


def _allowed_from(details: Any) -> list[str]:
    for detail in details or ():
        if isinstance(detail, dict) and isinstance(detail.get("allowed"), list):
            return [str(a) for a in detail["allowed"]]
    return []


async def begin_case(
    client: Client, *, task_queue: str, start: CaseStart
) -> WorkflowHandle[Any, Any]:
    """Start the case's workflow; starting the same reference twice is idempotent."""
    try:
        return await client.start_workflow(
            CaseWorkflow.run,
            start,
            id=workflow_id(start.reference),
            task_queue=task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
    except RPCError as exc:
        log.error("could not start case %s: RPC %s", start.reference, exc.status.name)
        raise Unavailable(ENGINE_DOWN) from None


async def open_case(client: Client, *, task_queue: str, start: CaseStart) -> ActionResult | None:
    """Start the case's workflow and wait (bounded) until the new case is in the read model,
    in one call to Temporal (update-with-start); the case's first state, or None when it
    started but did not confirm in time. ``Unavailable`` when it could not be started.

    Starting the same reference twice is idempotent: a retry of a filing that started its
    workflow joins that workflow.
    """
    operation = WithStartWorkflowOperation(
        CaseWorkflow.run,
        start,
        id=workflow_id(start.reference),
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    try:
        async with asyncio.timeout(UPDATE_TIMEOUT.total_seconds()):
            return await client.execute_update_with_start_workflow(
                CaseWorkflow.synced, start_workflow_operation=operation, rpc_timeout=UPDATE_TIMEOUT
            )
    except (WorkflowUpdateRPCTimeoutOrCancelledError, TimeoutError):
        log.warning("case %s did not confirm within %s", start.reference, UPDATE_TIMEOUT)
    except (RPCError, WorkflowUpdateFailedError) as exc:
        log.warning("case %s did not confirm: %s", start.reference, type(exc).__name__)
    # Whether the workflow started is not known: starting it again is idempotent and tells.
    await begin_case(client, task_queue=task_queue, start=start)
    return None


def _closed(session: Session, reference: str) -> bool:
    # Only a stored closed case explains a missing workflow; anything else is the engine's.
    return cases.case_status(session=session, reference=reference) is CaseStatus.CLOSED


def update_id(request: ActionRequest, idempotency_key: str | None) -> str:
    """The update's id: for a caller's idempotency key, the same key, the same update."""
    if idempotency_key is None:
        return f"request:{uuid.uuid4()}"
    return f"idempotency:{request.actor.user}:{idempotency_key}"


async def execute_act(
    handle: WorkflowHandle[Any, Any], request: ActionRequest, update_id: str
) -> ActionResult:
    """Send the action, again under the same id while the workflow cannot take it yet.

    Temporal refuses an update that arrives while the workflow is continuing as new (its
    workflow task fails, FAILED_PRECONDITION); the update took no effect, and the next run
    takes it. The caller bounds the whole with a timeout.
    """
    pause = 0.05
    while True:
        try:
            result: ActionResult = await handle.execute_update(
                CaseWorkflow.act, request, id=update_id, rpc_timeout=UPDATE_TIMEOUT
            )
            return result
        except RPCError as exc:
            if exc.status is not RPCStatusCode.FAILED_PRECONDITION:
                raise
            log.info("update %s met a workflow task failure; sending it again", update_id)
        await asyncio.sleep(pause)
        pause = min(pause * 2, 1.0)


async def run_action(
    client: Client,
    *,
    session: Session,
    reference: str,
    request: ActionRequest,
    idempotency_key: str | None = None,
) -> ActionResult:
    """Run the action as a workflow update (bounded); a refusal becomes ``NotPermitted``,
    ``Conflict`` or ``Invalid``.

    With an idempotency key, a retry of an action already taken answers the same result.
    The register's actions are content, not the workflow's: ``services.register_actions``
    records them, on an open case and on a closed one alike (``domain.actions.register``).
    """
    if isinstance(request.action, RegisterAction):
        await asyncio.to_thread(
            register_actions.take,
            session,
            reference=reference,
            actor=request.actor,
            action=request.action,
        )
        return await asyncio.to_thread(_stored_result, session, reference)
    handle = client.get_workflow_handle_for(CaseWorkflow.run, workflow_id(reference))
    try:
        async with asyncio.timeout(UPDATE_TIMEOUT.total_seconds()):
            return await execute_act(handle, request, update_id(request, idempotency_key))
    except (WorkflowUpdateRPCTimeoutOrCancelledError, TimeoutError):
        log.error("action on %s got no answer within %s", reference, UPDATE_TIMEOUT)
        raise EngineTimeout() from None
    except WorkflowUpdateFailedError as exc:
        cause = exc.cause
        if isinstance(cause, ApplicationError) and cause.type:
            raise refusal(cause.type, cause.message, _allowed_from(cause.details)) from None
        log.error("action on %s failed: %s", reference, type(cause).__name__)
        raise Unavailable(ENGINE_DOWN) from None
    except RPCError as exc:
        closed = exc.status is RPCStatusCode.NOT_FOUND and await asyncio.to_thread(
            _closed, session, reference
        )
        if closed and isinstance(request.action, Reopen):
            return await reopen_run(client, session=session, reference=reference, request=request)
        if closed:
            # The workflow completed after the snapshot we checked against was read.
            raise Conflict("the case is closed", allowed=[]) from None
        log.error("action on %s failed: RPC %s: %s", reference, exc.status.name, exc.message)
        raise Unavailable(ENGINE_DOWN) from None


def _stored_result(session: Session, reference: str) -> ActionResult:
    """The case's result as the read model holds it (blocking)."""
    state = case_content.load_state(session=session, reference=reference, content=False)
    assert state is not None, "a case acted on is in the read model"
    return ActionResult(seq=state.last_seq, stage=state.stage, status=state.status)


def _reopening_start(session: Session, reference: str, request: ActionRequest) -> CaseStart:
    """The start of a closed case's next run: its closed state and the reopening (blocking)."""
    session.expire_all()
    state = case_content.load_state(session=session, reference=reference, content=False)
    action = request.action
    if state is None or state.status is not CaseStatus.CLOSED or not isinstance(action, Reopen):
        raise Conflict("the case is not closed", allowed=[])
    reopening = Reopening(
        state=state, actor=request.actor, stage=action.stage, reason=action.reason
    )
    return going_on(state, description="", reopening=reopening)


async def reopen_run(
    client: Client,
    *,
    session: Session,
    reference: str,
    request: ActionRequest,
) -> ActionResult:
    """Reopen a closed case whose workflow has finished: start the next run of ``case-<ref>``
    with the closed state (from the read model, where it was projected as it closed) and the
    reopening, which that run applies first; answer once it is projected.

    A retry, or two reopenings at once, join the run already started (USE_EXISTING): the
    case is reopened once. The start input holds no identity and goes through the codec.
    """
    start = await asyncio.to_thread(_reopening_start, session, reference, request)
    handle = client.get_workflow_handle(workflow_id(reference))
    await asyncio.to_thread(session.commit)  # end the read: the worker writes meanwhile
    try:
        task_queue = (await handle.describe(rpc_timeout=UPDATE_TIMEOUT)).task_queue
    except RPCError as exc:
        if exc.status is not RPCStatusCode.NOT_FOUND:
            log.error("could not find the task queue of %s: RPC %s", handle.id, exc.status.name)
            raise Unavailable(ENGINE_DOWN) from None
        # Closed longer ago than the namespace keeps histories: the configured queue.
        task_queue = get_settings().task_queue
    operation = WithStartWorkflowOperation(
        CaseWorkflow.run,
        start,
        id=handle.id,
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
    )
    try:
        async with asyncio.timeout(UPDATE_TIMEOUT.total_seconds()):
            result: ActionResult = await client.execute_update_with_start_workflow(
                CaseWorkflow.synced, start_workflow_operation=operation, rpc_timeout=UPDATE_TIMEOUT
            )
    except (WorkflowUpdateRPCTimeoutOrCancelledError, TimeoutError):
        log.error("reopening %s got no answer within %s", handle.id, UPDATE_TIMEOUT)
        raise EngineTimeout() from None
    except (RPCError, WorkflowUpdateFailedError) as exc:
        log.error("reopening %s failed: %s", handle.id, type(exc).__name__)
        raise Unavailable(ENGINE_DOWN) from None
    if result.status is CaseStatus.CLOSED:
        raise Conflict("the case could not be reopened: it is closed", allowed=[])
    return result
