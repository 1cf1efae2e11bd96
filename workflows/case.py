"""CaseWorkflow: one case from filing to closure, with durable deadlines.

Sandbox-safe: imports only temporalio and the pure domain; time is workflow.now().
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from domain.actions import ActionRequest
    from domain.cases import CaseStart, CaseState, IntakeCopy, Notice, NoticeRequest
    from domain.effects import Transition
    from domain.enums import CaseStatus
    from domain.errors import ActionRefused
    from domain.rules import check
    from domain.schedule import ExtendRequest, Schedule, ScheduleInput
    from domain.timers import fire, next_wake
    from domain.transitions import apply, start_case

QUICK = timedelta(seconds=30)
# E-mail keeps trying for days if the mail server is down: a notice is never dropped.
MAIL_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(hours=1))


def _refusal(error: ActionRefused) -> ApplicationError:
    return ApplicationError(
        error.message, {"allowed": error.allowed}, type=error.kind, non_retryable=True
    )


@workflow.defn
class CaseWorkflow:
    """The stage machine of one complaint or dispute; human actions arrive as updates."""

    @workflow.init
    def __init__(self, start: CaseStart) -> None:
        self._initial: Transition | None = start_case(start)
        self._state: CaseState = self._initial.state
        self._lock = asyncio.Lock()
        self._outbox: list[Notice] = []
        self._version = 0

    @workflow.run
    async def run(self, start: CaseStart) -> CaseState:
        """Project the new case, then wake for every reminder and escalation until closed."""
        sender = asyncio.create_task(self._send_notices())
        async with self._lock:
            assert self._initial is not None
            await self._commit(self._initial, target_from=True)
            self._initial = None
        while self._state.status is not CaseStatus.CLOSED:
            seen = self._version
            wake = next_wake(self._state)
            timeout = (wake - workflow.now()).total_seconds() if wake else None
            if timeout is None or timeout > 0:
                try:
                    await workflow.wait_condition(self._moved_on(seen), timeout=timeout)
                    continue
                except TimeoutError:
                    pass
            async with self._lock:
                fired = fire(self._state, workflow.now())
                await self._commit(fired)
        await workflow.wait_condition(lambda: not self._outbox and workflow.all_handlers_finished())
        sender.cancel()
        return self._state

    @workflow.update
    async def act(self, request: ActionRequest) -> CaseState:
        """Take a human action; refused before anything is recorded when not allowed."""
        async with self._lock:
            try:  # the state may have moved on while this update waited for the lock
                check(self._state, request.actor, request.action, workflow.now())
            except ActionRefused as error:
                raise _refusal(error) from None
            transition = apply(self._state, request.actor, request.action, workflow.now())
            await self._commit(transition, by=request.actor.user)
            if transition.spawn is not None:
                await self._start_split(transition.spawn)
            return self._state

    @act.validator
    def _validate_act(self, request: ActionRequest) -> None:
        try:
            check(self._state, request.actor, request.action, workflow.now())
        except ActionRefused as error:
            raise _refusal(error) from None

    @workflow.update
    async def synced(self) -> CaseState:
        """Return once the filed case is in the read model (read-after-write for the API)."""
        await workflow.wait_condition(lambda: self._version > 0)
        return self._state

    @workflow.query
    def state(self) -> CaseState:
        """The live state of the case."""
        return self._state

    async def _start_split(self, start: CaseStart) -> None:
        """Start the case split off from this one; it outlives this case's workflow."""
        copy = IntakeCopy(from_reference=self._state.reference, to_reference=start.reference)
        await workflow.execute_activity("copy_intake", copy, start_to_close_timeout=QUICK)
        await workflow.start_child_workflow(
            CaseWorkflow.run,
            start,
            id=f"case-{start.reference}",
            parent_close_policy=ParentClosePolicy.ABANDON,
        )

    def _moved_on(self, seen: int) -> Callable[[], bool]:
        return lambda: self._version != seen

    async def _commit(
        self, t: Transition, *, by: str = "system", target_from: bool = False
    ) -> None:
        """Compute deadlines, adopt the new state, project it, queue its e-mails."""
        state = t.state
        if t.opens or t.resumed_from or t.extend or target_from:
            extend = None
            if t.extend:
                deadline_id, until, reason = t.extend
                extend = ExtendRequest(deadline_id=deadline_id, until=until, reason=reason, by=by)
            schedule = await workflow.execute_local_activity(
                "compute_schedule",
                ScheduleInput(
                    procedure=state.procedure,
                    urgent=state.urgent,
                    now=workflow.now(),
                    deadlines=state.deadlines,
                    opens=t.opens,
                    resumed_from=t.resumed_from,
                    extend=extend,
                    target_from=state.filed_at if target_from else None,
                ),
                result_type=Schedule,
                start_to_close_timeout=QUICK,
            )
            state.deadlines = schedule.deadlines
            if schedule.target_at is not None:
                state.target_at = schedule.target_at
        if self._version > 0 and state == self._state:
            return
        self._state = state
        await workflow.execute_local_activity("project_case", state, start_to_close_timeout=QUICK)
        self._version += 1  # after the projection: `synced` promises read-after-write
        for notice in t.notices:
            if notice.deadline and notice.due is None:
                deadline = state.deadline(notice.deadline, notice.party)
                notice.due = deadline.due if deadline else None
            self._outbox.append(notice)

    async def _send_notices(self) -> None:
        while True:
            await workflow.wait_condition(lambda: bool(self._outbox))
            notice = self._outbox[0]
            await workflow.execute_activity(
                "send_notice",
                NoticeRequest(reference=self._state.reference, notice=notice),
                start_to_close_timeout=timedelta(minutes=2),
                retry_policy=MAIL_RETRY,
            )
            self._outbox.pop(0)
