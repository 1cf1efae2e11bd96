"""What each action does to a case: the new state and its effects (pure).

``apply`` dispatches on the phase an action belongs to; each phase's module matches over
its own actions, so mypy proves every action has a transition (``assert_never``).
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from domain.actions import (
    ActionInput,
    AnytimeAction,
    CaseFileAction,
    CovenantExitAction,
    HearingAction,
    MediationAction,
    RegisterAction,
    RemediationAction,
    RequestsAction,
    ResponseAction,
    ScreeningAction,
    SignalAction,
)
from domain.cases import Actor, CaseStart, CaseState
from domain.effects import Builder, Transition
from domain.enums import Audience, CaseKind, NoticeKind, Stage
from domain.next_steps import follow
from domain.signals import apply_signal, start_signal
from domain.splitting import start_split
from domain.transitions import (
    anytime,
    case_files,
    covenant_exit,
    hearing,
    mediation,
    register,
    remediation,
    requests,
    screening,
)


def start_case(start: CaseStart, *, next_step: bool = True) -> Transition:
    """A new case: screening for a complaint, dialogue for a dispute, forwarding for a signal.

    ``next_step`` False opens no ``next_step`` deadline (``domain.next_steps.follow``).
    """
    state = CaseState(
        **start.model_dump(exclude={"procedure", "stage", "responses", "carried", "channel"}),
        procedure=start.procedure,
        deciding_body=start.procedure.deciding_body,
        stage=Stage.RECEIVED,
    )
    b = Builder(state, start.filed_at, None)
    if start.split_from is not None:
        start_split(b, start)
        follow(b, opens=next_step)  # a split-off case whose company has responded
        return b.t
    if start.kind is CaseKind.SIGNAL:
        start_signal(b)
        return b.t
    noun = "Complaint" if start.kind is CaseKind.COMPLAINT else "Dispute"
    b.channel = start.channel
    b.event("filed", f"{noun} received")
    b.channel = None  # what follows the filing is the system's
    b.notify(NoticeKind.RECEIPT, [Audience.COMPLAINANT])
    if start.kind is CaseKind.COMPLAINT:
        b.enter(Stage.SCREENING, "Screening by the secretariat", notify=False)
        b.open("register", Audience.SECRETARIAT)
        b.notify(NoticeKind.STAGE_CHANGED, [Audience.SECRETARIAT], deadline="register")
    else:
        b.enter(Stage.DIALOGUE, "Direct dialogue between the parties", notify=False)
        b.open("dialogue", Audience.SECRETARIAT)
        audiences = [Audience.RESPONDENTS, Audience.SECRETARIAT]
        b.notify(NoticeKind.STAGE_CHANGED, audiences, deadline="dialogue")
    return b.t


def apply(
    state: CaseState, actor: Actor, action: ActionInput, now: datetime, *, next_step: bool = True
) -> Transition:
    """The effect of an action that ``rules.check`` accepted, its next step kept in step.

    ``next_step`` False opens no ``next_step`` deadline (``domain.next_steps.follow``).
    """
    b = Builder(state, now, actor)
    if isinstance(action, ScreeningAction | ResponseAction):
        screening.apply(b, actor, action)
    elif isinstance(action, MediationAction):
        mediation.apply(b, actor, action)
    elif isinstance(action, HearingAction):
        hearing.apply(b, actor, action)
    elif isinstance(action, RemediationAction):
        remediation.apply(b, actor, action)
    elif isinstance(action, AnytimeAction):
        anytime.apply(b, actor, action)
    elif isinstance(action, RequestsAction):
        requests.apply(b, actor, action)
    elif isinstance(action, SignalAction):
        apply_signal(b, actor, action)
    elif isinstance(action, CaseFileAction):
        case_files.apply(b, actor, action)
    elif isinstance(action, CovenantExitAction):
        covenant_exit.apply(b, actor, action)
    elif isinstance(action, RegisterAction):
        register.apply(b, actor, action)
    else:
        assert_never(action)
    follow(b, opens=next_step)
    return b.t
