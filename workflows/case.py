"""CaseWorkflow: one case from filing to closure, with durable deadlines.

Sandbox-safe: imports only temporalio and the pure domain; time is workflow.now().
Its state is what the stage machine needs; a case's texts, events and documents go to the
read model as they happen, so the history one action adds grows with that action only.
Every change to what it does is gated by ``workflow.patched`` (see README, Development).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from domain.actions import ActionRequest, Reopen
    from domain.cases import (
        ActionResult,
        AppliedUpdate,
        Carried,
        CaseStart,
        CaseState,
        IntakeCopy,
        Projection,
        Reopening,
        continuing,
    )
    from domain.effects import Transition
    from domain.enums import CaseStatus
    from domain.errors import ActionRefused
    from domain.merging import ABSORB_SIGNAL, MergeIn, absorb, merge_in_of
    from domain.next_steps import opens_next_step
    from domain.notices import Notice, NoticeRequest
    from domain.rules import check
    from domain.schedule import ExtendRequest, Schedule, ScheduleInput
    from domain.timers import fire, next_wake
    from domain.transitions import apply, start_case

from workflows.merging import copy_complainants, tell_merged
from workflows.notice_retry import NOTICE_RETRY, QUICK, send_or_park

# Cases started before these patches keep unbounded mail retries and never continue as new.
PATCH_BOUNDED = "bounded-history-and-notices"
# Unbounded e-mail retries, for cases started before PATCH_BOUNDED.
MAIL_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(hours=1))
# A case takes up its next step's deadline (domain/next_steps.py) at its first step on code
# that has it, running cases too. The patch id carries the case's sequence number before
# that step: `patched` is memoised per id for a whole run, and a fixed id, first asked while
# replaying a step taken before the upgrade, would answer False for every later step too.
PATCH_NEXT_STEP = "next-step-deadline"
APPLIED_KEPT = 200  # update ids remembered for retries, across continue-as-new too
IDEMPOTENCY_MISMATCH = "IdempotencyMismatch"


def _refusal(error: ActionRefused) -> ApplicationError:
    return ApplicationError(
        error.message, {"allowed": error.allowed}, type=error.kind, non_retryable=True
    )


def digest_of(request: ActionRequest) -> str:
    # Without the claim: the same digest as before claims existed, and as its unsigned twin.
    return hashlib.sha256(request.model_dump_json(exclude={"claim"}).encode()).hexdigest()[:32]


@workflow.defn
class CaseWorkflow:
    """The stage machine of one complaint or dispute; human actions arrive as updates."""

    @workflow.init
    def __init__(self, start: CaseStart) -> None:
        self._lock = asyncio.Lock()
        self._applied: dict[str, AppliedUpdate] = {}
        self._initial: Transition | None = None
        if start.carried is not None:  # a run continuing an earlier one: already projected
            self._state: CaseState = start.carried.state
            self._outbox: list[Notice] = list(start.carried.outbox)
            self._applied = dict(start.carried.applied)
            self._version = 1
        elif start.reopening is not None:  # a closed case's next run: reopened first thing
            self._state = start.reopening.state
            self._outbox = []
            self._version = 0  # `synced` answers once the reopening is projected
        else:
            self._initial = start_case(start)
            self._state = self._initial.state
            self._outbox = []
            self._version = 0
        self._bounded = False

    @workflow.run
    async def run(self, start: CaseStart) -> CaseState:
        """Project the new case, then wake for every reminder and escalation until closed."""
        self._bounded = start.carried is not None or workflow.patched(PATCH_BOUNDED)
        sender = asyncio.create_task(self._send_notices())
        if self._initial is not None:
            self._initial = self._next_step_gated(partial(start_case, start))
            async with self._lock:
                await self._commit(self._initial, target_from=True)
                self._initial = None
        if start.reopening is not None:
            async with self._lock:
                await self._reopen(start.reopening)
        while True:
            await self._until_closed(sender)
            # A case reopened while this run still sent its last notices goes on in it
            # (only a ``reopen`` changes the status of a closed case: older histories replay).
            await workflow.wait_condition(
                lambda: (
                    (not self._outbox and workflow.all_handlers_finished())
                    or self._state.status is not CaseStatus.CLOSED
                )
            )
            if self._state.status is CaseStatus.CLOSED:
                break
        sender.cancel()
        return self._state

    async def _until_closed(self, sender: asyncio.Task[None]) -> None:
        """Wake for every reminder and escalation until the case is closed."""
        while self._state.status is not CaseStatus.CLOSED:
            if self._bounded and workflow.info().is_continue_as_new_suggested():
                await self._continue_as_new(sender)
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
                fired = self._next_step_gated(partial(fire, self._state, workflow.now()))
                await self._commit(fired)

    @workflow.update
    async def act(self, request: ActionRequest) -> ActionResult:
        """Take a human action; refused before anything is recorded when not allowed.

        The update id is the API's idempotency key: the same id answers the first result.
        """
        await workflow.wait_condition(lambda: self._version > 0)  # the filing comes first
        async with self._lock:
            update_id = workflow.current_update_info().id  # type: ignore[union-attr]
            if (done := self._already_applied(update_id, request)) is not None:
                return done
            try:  # the state may have moved on while this update waited for the lock
                check(self._state, request.actor, request.action, workflow.now())
            except ActionRefused as error:
                raise _refusal(error) from None
            transition = self._next_step_gated(
                partial(apply, self._state, request.actor, request.action, workflow.now())
            )
            target = transition.state.merged_into if not self._state.merged_into else None
            if target is not None:  # the other case takes the complainants on first
                await copy_complainants(self._state.reference, target)
            await self._commit(transition, by=request.actor.user)
            if transition.spawn is not None:
                await self._start_split(transition.spawn)
            if target is not None:
                await tell_merged(target, merge_in_of(self._state))
            result = self._result()
            self._remember(update_id, request, result)
            return result

    @act.validator
    def _validate_act(self, request: ActionRequest) -> None:
        info = workflow.current_update_info()
        if info is not None and self._already_applied(info.id, request) is not None:
            return  # a retry of an action taken: answered, not taken again
        try:
            check(self._state, request.actor, request.action, workflow.now())
        except ActionRefused as error:
            raise _refusal(error) from None

    @workflow.update
    async def synced(self) -> ActionResult:
        """Return once the filed case is in the read model (read-after-write for the API)."""
        await workflow.wait_condition(lambda: self._version > 0)
        return self._result()

    @workflow.signal(name=ABSORB_SIGNAL)
    async def merged_in(self, merge: MergeIn) -> None:
        """Another case was merged into this one: record it (once, whatever the retries)."""
        await workflow.wait_condition(lambda: self._version > 0)
        async with self._lock:
            transition = absorb(self._state, merge, workflow.now())
            if transition is not None:
                await self._commit(transition)

    @workflow.query
    def state(self) -> CaseState:
        """The live state of the case (without its content: that is in the read model)."""
        return self._state

    def _result(self) -> ActionResult:
        s = self._state
        return ActionResult(seq=s.last_seq, stage=s.stage, status=s.status)

    def _already_applied(self, update_id: str, request: ActionRequest) -> ActionResult | None:
        applied = self._applied.get(update_id)
        if applied is None:
            return None
        if applied.digest != digest_of(request):
            raise ApplicationError(
                "this Idempotency-Key was used for another request",
                type=IDEMPOTENCY_MISMATCH,
                non_retryable=True,
            )
        return applied.result

    def _remember(self, update_id: str, request: ActionRequest, result: ActionResult) -> None:
        self._applied[update_id] = AppliedUpdate(digest=digest_of(request), result=result)
        for old in list(self._applied)[:-APPLIED_KEPT]:
            del self._applied[old]

    async def _continue_as_new(self, sender: asyncio.Task[None]) -> None:
        """Start afresh with the compact state, open deadlines and pending notices."""
        await workflow.wait_condition(workflow.all_handlers_finished)
        sender.cancel()  # a notice being sent is sent again; its outbox rows stop doubles
        carried = Carried(state=self._state, outbox=self._outbox, applied=self._applied)
        workflow.continue_as_new(continuing(carried))

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

    async def _reopen(self, reopening: Reopening) -> None:
        """Apply the chair's reopening to the closed case this run was started with."""
        action = Reopen(action="reopen", stage=reopening.stage, reason=reopening.reason)
        try:
            check(self._state, reopening.actor, action, workflow.now())
        except ActionRefused as error:  # the service checked first: a race, nothing to do
            workflow.logger.warning("reopening refused: %s", error.message)
            self._version = 1
            return
        transition = self._next_step_gated(
            partial(apply, self._state, reopening.actor, action, workflow.now())
        )
        await self._commit(transition, by=reopening.actor.user)

    def _next_step_gated(self, make: Callable[..., Transition]) -> Transition:
        """``make``'s transition, without the next step it opens if this run's history lacks it."""
        t: Transition = make(next_step=True)
        seq = self._state.last_seq if self._version else 0  # 0: the case's start
        if opens_next_step(t) and not workflow.patched(f"{PATCH_NEXT_STEP}@{seq}"):
            t = make(next_step=False)
        return t

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
        projection = Projection(state=state, events=t.events, documents=t.documents)
        await workflow.execute_local_activity(
            "project_case", projection, start_to_close_timeout=QUICK
        )
        self._version += 1  # after the projection: `synced` promises read-after-write
        for notice in t.notices:
            if notice.deadline and notice.due is None:
                deadline = state.deadline(notice.deadline, notice.party)
                notice.due = deadline.due if deadline else None
            self._outbox.append(notice)

    async def _send_notices(self) -> None:
        while True:
            await workflow.wait_condition(lambda: bool(self._outbox))
            request = NoticeRequest(reference=self._state.reference, notice=self._outbox[0])
            await send_or_park(request, NOTICE_RETRY if self._bounded else MAIL_RETRY)
            self._outbox.pop(0)
