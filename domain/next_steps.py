"""The next step that falls to the committee's side when no party's deadline runs (pure).

Each stage of an open case has a next step with an owner and a deadline. Most are the
stage's own deadlines (register, response, mediation …). Where a stage waits on the
secretariat or the chair with none of them open (every company has responded, a plan is
in for review, a decision without orders, every order verified, every company has reported
on a signal), a ``next_step`` deadline runs for them: opened when the case gets there,
met when they act, cancelled when the wait opens again (a response deadline extended).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.cases import CaseState
from domain.effects import Builder, Transition
from domain.enums import Audience, CaseStatus, DeadlineState, OrderStatus, PlanStatus, Stage

NAME = "next_step"


@dataclass(frozen=True)
class NextStep:
    """Whose step it is and what it is: the deadline's owner and label."""

    owner: Audience
    label: str


AFTER_RESPONSES = NextStep(Audience.SECRETARIAT, "Offer mediation or send the case to a hearing")
REVIEW_PLAN = NextStep(Audience.SECRETARIAT, "Approve or reject the remediation plan")
CLOSE_CASE = NextStep(Audience.CHAIR, "Close the case")
CLOSE_SIGNAL = NextStep(Audience.SECRETARIAT, "Close the signal or turn it into a complaint")


def responses_awaited(state: CaseState, now: datetime) -> bool:
    """Whether a company may still respond in time (its response deadline has not passed)."""
    return any(d.name == "response" and now < d.due for d in state.open_deadlines())


def next_step(
    state: CaseState, now: datetime, opening: frozenset[str] = frozenset()
) -> NextStep | None:
    """The step that falls to the secretariat or the chair now, if no one else's is awaited
    (``opening``: the deadlines a step is opening, which the planner has yet to add)."""
    if state.status is not CaseStatus.OPEN:
        return None
    if state.stage is Stage.RESPONSE:
        awaited = "response" in opening or responses_awaited(state, now)
        return None if awaited else AFTER_RESPONSES
    if state.stage is Stage.DECISION:
        return CLOSE_CASE if state.decision is not None else None  # a decision without orders
    # Each company's own plan on a case filed since plans are per company; else the one plan.
    plans = list(state.plans.values()) if state.per_company else [state.plan] if state.plan else []
    if state.stage is Stage.REMEDIATION and plans:
        if any(p.status is PlanStatus.SUBMITTED for p in plans):
            return REVIEW_PLAN
        verified = all(o.status is OrderStatus.VERIFIED for o in state.orders)
        approved = all(p.status is PlanStatus.APPROVED for p in plans)
        return CLOSE_CASE if approved and verified else None
    if state.stage is Stage.SIGNAL and state.forwarded_at is not None:
        reported = all(p.organisation_id in state.due_diligence for p in state.respondents)
        return CLOSE_SIGNAL if reported else None
    return None


def follow(b: Builder, *, opens: bool = True) -> None:
    """Keep the case's ``next_step`` deadline in step with it, after any change.

    ``opens`` False leaves a missing one unopened: the workflow replays steps taken before
    the deadline existed exactly as they were taken (``workflows.case``).
    """
    s = b.s
    if s.status is CaseStatus.SUSPENDED:
        return  # the clock is stopped: the step waits with it, and moves on resume
    # On resume the planner moves the stopped deadlines on by the suspended days: whatever
    # was still running when the clock stopped is running again.
    opening = frozenset(r.name for r in b.t.opens)
    wanted = next_step(_extended(b), b.t.resumed_from or b.now, opening)
    current = s.deadline(NAME)
    if current is not None and (
        wanted is None or (current.owner, current.label) != (wanted.owner, wanted.label)
    ):
        # A company's response period reopened (extended): the step is not the secretariat's yet.
        reopened = current.label == AFTER_RESPONSES.label and s.stage is Stage.RESPONSE
        b.meet(NAME, state=DeadlineState.CANCELLED if reopened else DeadlineState.MET)
        current = None
    if opens and wanted is not None and current is None:
        b.open(NAME, wanted.owner, label=wanted.label)


def _extended(b: Builder) -> CaseState:
    """The case as it stands once the planner has moved the deadline this step extends."""
    if b.t.extend is None:
        return b.s
    deadline_id, until, _ = b.t.extend
    moved = [
        d.model_copy(update={"due": until}) if d.id == deadline_id else d for d in b.s.deadlines
    ]
    return b.s.model_copy(update={"deadlines": moved})


def opens_next_step(t: Transition) -> bool:
    """Whether a transition opens a ``next_step`` deadline."""
    return any(r.name == NAME for r in t.opens)
