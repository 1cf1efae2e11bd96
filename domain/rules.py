"""Who may take which action in which stage: pure checks over the action registry, with
``now`` passed in."""

from __future__ import annotations

from datetime import datetime

from domain.actions import (
    CASE_STAFF,
    PARTIES,
    REGISTRY,
    ActionInput,
    ActionName,
    Spec,
    Who,
    spec_of,
    steering_group_decides,
)
from domain.cases import Actor, CaseState
from domain.enums import CaseStatus, Role, Stage
from domain.errors import Forbidden, WrongStage

__all__ = [
    "CASE_STAFF",
    "PARTIES",
    "Who",
    "actor_refusal",
    "allowed_actions",
    "check",
    "stage_refusal",
    "steering_group_decides",
    "who_may",
]


def who_may(state: CaseState, action: ActionName) -> Who:
    """The roles and sides that may take ``action`` on this case."""
    spec = spec_of(action)
    who = frozenset(spec.who)
    return who | spec.who_also(state) if spec.who_also else who


def _may(state: CaseState, actor: Actor, spec: Spec) -> bool:
    if actor.role is not None and any(r.member == actor.user for r in state.recusals):
        return False  # a recused member takes no further part in the case
    who = who_may(state, ActionName(spec.name))
    if actor.side is not None and actor.side in who:
        return spec.sides_now is None or actor.side in spec.sides_now(state)
    if actor.role is None or actor.role not in who:
        return False
    if actor.role is Role.MEDIATOR and state.mediator is not None:
        return actor.user == state.mediator  # only the case's own mediator, once assigned
    return True


def stage_refusal(state: CaseState, action: ActionName, now: datetime) -> str | None:
    """Why ``action`` is impossible in the case's current stage and state, or None."""
    spec = spec_of(action)
    if state.status is CaseStatus.CLOSED and Stage.CLOSED not in spec.stages:
        return "the case is closed"  # but to an action for closed cases (reopen)
    if state.status is CaseStatus.SUSPENDED and not spec.while_suspended:
        return "the case is suspended (the clock is stopped); resume it first"
    if spec.stages and state.stage not in spec.stages:
        return f"'{action}' is not possible in the {state.stage} stage"
    return spec.refusal(state, now) if spec.refusal else None


def actor_refusal(state: CaseState, actor: Actor, action: ActionName) -> str | None:
    """Why this actor in particular cannot take the action now, or None."""
    spec = spec_of(action)
    return spec.actor_refusal(state, actor) if spec.actor_refusal else None


def _refusal(state: CaseState, actor: Actor, action: ActionName, now: datetime) -> str | None:
    return stage_refusal(state, action, now) or actor_refusal(state, actor, action)


def allowed_actions(state: CaseState, actor: Actor, now: datetime) -> list[ActionName]:
    """The actions this actor may take on the case right now."""
    return [
        name
        for name, model in REGISTRY.items()
        if _may(state, actor, model.spec) and _refusal(state, actor, name, now) is None
    ]


def check(state: CaseState, actor: Actor, action: ActionInput, now: datetime) -> None:
    """Raise Forbidden, WrongStage or InvalidAction unless the action may be taken now."""
    name = ActionName(action.action)
    if not _may(state, actor, action.spec):
        who = ", ".join(sorted(str(w) for w in who_may(state, name)))
        raise Forbidden(f"'{name}' may only be taken by: {who}")
    reason = _refusal(state, actor, name, now)
    if reason is not None:
        allowed = [str(n) for n in allowed_actions(state, actor, now)]
        raise WrongStage(f"'{name}' is not allowed now: {reason}", allowed)
    action.check_fields(state, actor, now)
