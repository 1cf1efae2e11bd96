"""Every open stage always has a next step with an owner and a deadline.

The test walks every state a complaint, a dispute and a signal can reach through the real
rules, transitions, deadline planner and timers: each action any actor may take (with each
kind of payload that changes where the case goes), and time passing to the next reminder
or escalation. In every state of an open case reached, some open deadline must belong to
someone who can take a step of the stage now (not just write a message): the case never
waits on nobody.

The one exemption is a suspended case, which is explicitly waiting: either on an answer to
a question, whose own ``information`` deadline runs while the rest stand still, or on the
reason the secretariat recorded when it stopped the clock (a translation, a court case).
Its deadlines stay open, stopped, and move on by the suspended days when it resumes; the
test checks that they are still there.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain.actions import REGISTRY, ActionName, action_adapter
from domain.cases import Actor, CaseState
from domain.enums import Audience, CaseKind, CaseStatus, OrderStatus, Side, Stage
from domain.next_steps import (
    AFTER_RESPONSES,
    CLOSE_CASE,
    CLOSE_SIGNAL,
    NAME,
    REVIEW_PLAN,
    responses_awaited,
)
from domain.rules import allowed_actions, check
from domain.timers import fire
from domain.transitions import apply, start_case
from tests.domain.samples import SAMPLE_ACTIONS
from tests.domain.test_action_fields import ACTORS, NOW, RESPONDENTS, _schedule
from tests.workflows.conftest import case_start

A = ActionName
# They change nobody's step: a message, a document, who handles or sits on the case.
ASIDE = {A.ADD_MESSAGE, A.ADD_DOCUMENT, A.ASSIGN, A.RECUSE}
# A party's request and its answer change nobody's step (tests/domain/test_party_requests.py).
ASIDE |= {A.REQUEST_EXTENSION, A.GRANT_EXTENSION, A.REFUSE_EXTENSION}
ASIDE |= {A.REQUEST_FOLLOW_UP, A.REQUEST_MEETING, A.ANSWER_REQUEST}
MAX_STATES = 20_000


def actors(state: CaseState) -> list[Actor]:
    """The walk's actors on this case: staff, the complainant, the case's own companies (the
    rules leave whose case it is to the API's access checks)."""
    companies = {p.organisation_id for p in state.respondents}
    return [a for a in ACTORS if a.side is not Side.RESPONDENT or a.organisation_id in companies]


def owners(state: CaseState, audience: Audience) -> list[Actor]:
    """The actors a deadline of this owner is addressed to."""
    if audience is Audience.RESPONDENTS:
        return [a for a in actors(state) if a.side is Side.RESPONDENT]
    if audience is Audience.COMPLAINANT:
        return [a for a in ACTORS if a.side is Side.COMPLAINANT]
    return [a for a in ACTORS if a.role is not None and a.role.value == audience.value]


def payloads(name: ActionName, state: CaseState, now: datetime) -> Iterator[dict[str, Any]]:
    """The payloads of ``name`` worth trying here: one for each way the case may go."""
    sample = dict(SAMPLE_ACTIONS[name])
    later = (now + timedelta(days=200)).date().isoformat()
    order = {"text": "Pay the withheld wages", "due": later}
    if name is A.ISSUE_DECISION:
        yield {**sample, "finding": "founded", "orders": [order]}
        yield {**sample, "finding": "unfounded", "orders": []}
    elif name is A.RECORD_MEDIATION_AGREEMENT:
        yield {**sample, "orders": [order]}
        yield {**sample, "orders": []}
    elif name is A.SCHEDULE_HEARING:
        yield {**sample, "at": (now + timedelta(days=20)).isoformat()}
    elif name in (A.SUBMIT_PROGRESS_REPORT, A.VERIFY_ORDER):
        open_orders = [o for o in state.orders if o.status is not OrderStatus.VERIFIED]
        if open_orders:
            yield {**sample, "order": open_orders[0].number}
    elif name is A.EXTEND_DEADLINE:
        # Extending a response period is the one extension that changes whose step it is.
        for d in state.open_deadlines():
            if d.name == "response":
                until = (max(d.due, now) + timedelta(days=14)).isoformat()
                yield {**sample, "deadline": d.id, "until": until}
                return
    elif name is A.SPLIT_CASE:
        yield {**sample, "respondent": state.respondents[-1].organisation_id}
    elif name is A.REQUEST_INFORMATION:
        yield {**sample, "from": "complainant"}
    else:
        yield sample


@dataclass
class Walk:
    states: list[tuple[CaseState, datetime]]
    labels: set[str]


def signature(state: CaseState, now: datetime) -> tuple[Any, ...]:
    """What decides where a case can go and whose step it is (not its dates or texts)."""
    return (
        state.kind,
        state.stage,
        state.status,
        tuple(
            sorted(
                (d.name, d.party or "", d.owner, d.label, d.escalated)
                for d in state.open_deadlines()
            )
        ),
        tuple(sorted(state.responses)),
        responses_awaited(state, now),
        tuple(sorted(state.mediation.consents)),
        state.mediation.started_at is not None,
        state.hearing_at is not None,
        state.decision is not None,
        state.plan.status if state.plan else None,
        tuple(o.status for o in state.orders),
        # A signal turned into a complaint goes on like any other complaint.
        state.kind is CaseKind.SIGNAL and state.forwarded_at is not None,
        tuple(sorted(state.due_diligence)) if state.kind is CaseKind.SIGNAL else (),
        state.information_request is not None,
        len(state.respondents),
    )


def moves(state: CaseState, now: datetime) -> Iterator[tuple[CaseState, datetime]]:
    """Every next state: an actor's action, a split-off case, or time passing."""
    at = now + timedelta(hours=1)
    for actor in actors(state):
        for name in allowed_actions(state, actor, at):
            if name in ASIDE:
                continue
            for payload in payloads(name, state, at):
                action = action_adapter.validate_python(payload)
                check(state, actor, action, at)
                t = apply(state, actor, action, at)
                _schedule(t, at)
                yield t.state, at
                if t.spawn is not None:
                    child = start_case(t.spawn)
                    _schedule(child, at)
                    yield child.state, at
    # Time passes to the next deadline that falls due (its reminder fires on the way); the
    # second escalations after it change nobody's step.
    due = [d.due for d in state.open_deadlines() if not d.escalated]
    if due:
        later = max(min(due), now)
        t = fire(state, later)
        _schedule(t, later)
        yield t.state, later


def walk() -> Walk:
    """Every state reachable from a new complaint, dispute and signal (two companies each,
    one for the dispute)."""
    seen: set[tuple[Any, ...]] = set()
    queue: deque[tuple[CaseState, datetime]] = deque()
    for kind in (CaseKind.COMPLAINT, CaseKind.DISPUTE, CaseKind.SIGNAL):
        respondents = RESPONDENTS[:1] if kind is CaseKind.DISPUTE else RESPONDENTS
        start = case_start(kind=kind, respondents=respondents)
        first = start_case(start.model_copy(update={"filed_at": NOW}))
        _schedule(first, NOW)
        queue.append((first.state, NOW))
    reached: list[tuple[CaseState, datetime]] = []
    labels: set[str] = set()
    while queue:
        state, now = queue.popleft()
        key = signature(state, now)
        if key in seen:
            continue
        seen.add(key)
        reached.append((state, now))
        labels |= {d.label for d in state.deadlines if d.name == NAME}
        assert len(reached) < MAX_STATES, "the walk no longer ends: tighten its signature"
        if state.status is not CaseStatus.CLOSED:
            queue.extend(moves(state, now))
    return Walk(reached, labels)


WALK = walk()


def stage_actions(state: CaseState, actor: Actor, now: datetime) -> list[ActionName]:
    """What the actor may do that belongs to the stage (not a message or a suspension)."""
    return [n for n in allowed_actions(state, actor, now) if REGISTRY[n].spec.stages]


def test_the_walk_reaches_every_stage_and_every_kind_of_next_step() -> None:
    stages = {state.stage for state, _ in WALK.states}
    assert stages == set(Stage) - {Stage.RECEIVED}
    steps = {AFTER_RESPONSES, REVIEW_PLAN, CLOSE_CASE, CLOSE_SIGNAL}
    assert WALK.labels == {s.label for s in steps}
    assert any(s.status is CaseStatus.SUSPENDED for s, _ in WALK.states)
    assert len(WALK.states) > 200


def test_every_open_state_has_a_deadline_whose_owner_can_take_the_next_step() -> None:
    gaps: list[str] = []
    for state, now in WALK.states:
        if state.status is CaseStatus.CLOSED:
            continue
        if state.status is CaseStatus.SUSPENDED:
            # Explicitly waiting: on the answer, by its own running deadline, or on the
            # recorded reason; the stage's deadlines wait stopped, to move on resume.
            if state.information_request is not None:
                assert state.deadline("information") is not None
            else:
                assert state.suspension_reason and state.open_deadlines(), state.stage
            continue
        if not any(
            stage_actions(state, actor, now)
            for d in state.open_deadlines()
            for actor in owners(state, d.owner)
        ):
            open_ = [(d.name, d.owner) for d in state.open_deadlines()]
            gaps.append(f"{state.kind} in {state.stage}: {open_ or 'no open deadline'}")
    assert gaps == []


def test_at_most_one_next_step_is_open_at_a_time() -> None:
    for state, _ in WALK.states:
        assert len([d for d in state.open_deadlines() if d.name == NAME]) <= 1


def timer_due(state: CaseState, now: datetime) -> bool:
    """Whether a deadline fell due unescalated by ``now``: the workflow's timer fires at
    once (a case split off runs its response period from the original filing)."""
    return any(d.due <= now and not d.escalated for d in state.open_deadlines())


def test_after_the_responses_the_secretariat_may_take_either_way_on() -> None:
    after = [
        (state, now)
        for state, now in WALK.states
        if state.status is CaseStatus.OPEN
        and state.stage is Stage.RESPONSE
        and not responses_awaited(state, now)
        and not timer_due(state, now)
    ]
    assert after
    secretariat = ACTORS[0]
    for state, now in after:
        step = state.deadline(NAME)
        assert step is not None and step.owner is Audience.SECRETARIAT
        allowed = allowed_actions(state, secretariat, now)
        assert {A.PROPOSE_MEDIATION, A.SEND_TO_HEARING} <= set(allowed)
