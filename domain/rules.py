"""Who may take which action in which stage: pure checks, with ``now`` passed in."""

from __future__ import annotations

from datetime import datetime

from domain import actions as a
from domain.actions import ActionInput
from domain.cases import Actor, CaseState
from domain.enums import (
    ActionName,
    CaseKind,
    CaseStatus,
    DecidingBody,
    OrderStatus,
    PlanStatus,
    Role,
    Side,
    Stage,
    Visibility,
)
from domain.errors import Forbidden, InvalidAction, WrongStage
from domain.splitting import split_refusal

A = ActionName
Who = frozenset[Role | Side]
PARTIES: Who = frozenset({Side.COMPLAINANT, Side.RESPONDENT})
CASE_STAFF: Who = frozenset({Role.SECRETARIAT, Role.CHAIR, Role.COMMITTEE, Role.MEDIATOR})

WHO: dict[ActionName, Who] = {
    A.REGISTER: frozenset({Role.SECRETARIAT}),
    A.REFER_OUT: frozenset({Role.SECRETARIAT}),
    A.DECLARE_ADMISSIBLE: frozenset({Role.CHAIR, Role.COMMITTEE}),
    A.DECLARE_INADMISSIBLE: frozenset({Role.CHAIR, Role.COMMITTEE}),
    A.SUBMIT_RESPONSE: frozenset({Side.RESPONDENT}),
    A.PROPOSE_MEDIATION: frozenset({Role.SECRETARIAT}),
    A.CONSENT_TO_MEDIATION: PARTIES,
    A.DECLINE_MEDIATION: PARTIES,
    A.RECORD_MEDIATION_AGREEMENT: frozenset({Role.MEDIATOR, Role.SECRETARIAT}),
    A.END_MEDIATION: frozenset({Role.MEDIATOR, Role.SECRETARIAT}),
    A.END_DIALOGUE: PARTIES | {Role.SECRETARIAT},
    A.SCHEDULE_HEARING: frozenset({Role.SECRETARIAT, Role.CHAIR}),
    A.RECORD_HEARING: frozenset({Role.SECRETARIAT, Role.CHAIR}),
    A.ISSUE_DECISION: frozenset({Role.CHAIR}),
    A.SUBMIT_REMEDIATION_PLAN: frozenset({Side.RESPONDENT}),
    A.APPROVE_REMEDIATION_PLAN: frozenset({Role.SECRETARIAT}),
    A.REJECT_REMEDIATION_PLAN: frozenset({Role.SECRETARIAT}),
    A.SUBMIT_PROGRESS_REPORT: frozenset({Side.RESPONDENT}),
    A.VERIFY_ORDER: frozenset({Role.SECRETARIAT}),
    A.CLOSE: frozenset({Role.CHAIR}),
    A.REQUEST_INFORMATION: CASE_STAFF,
    A.PROVIDE_INFORMATION: PARTIES,
    A.SUSPEND: frozenset({Role.SECRETARIAT, Role.CHAIR}),
    A.RESUME: frozenset({Role.SECRETARIAT, Role.CHAIR}),
    A.EXTEND_DEADLINE: frozenset({Role.CHAIR}),
    A.WITHDRAW: frozenset({Side.COMPLAINANT}),
    A.RECUSE: frozenset({Role.CHAIR, Role.COMMITTEE}),
    A.ASSIGN: frozenset({Role.SECRETARIAT, Role.CHAIR}),
    A.ADD_MESSAGE: PARTIES | CASE_STAFF,
    A.ADD_DOCUMENT: PARTIES | CASE_STAFF,
    A.SPLIT_CASE: frozenset({Role.CHAIR, Role.SECRETARIAT}),
    A.FORWARD_SIGNAL: frozenset({Role.SECRETARIAT}),
    A.REPORT_DUE_DILIGENCE: frozenset({Side.RESPONDENT}),
    A.CONVERT_TO_COMPLAINT: frozenset({Role.SECRETARIAT}),
}

# Actions that keep working while the clock is stopped.
WHILE_SUSPENDED = frozenset(
    {
        A.PROVIDE_INFORMATION,
        A.RESUME,
        A.EXTEND_DEADLINE,
        A.WITHDRAW,
        A.RECUSE,
        A.ASSIGN,
        A.ADD_MESSAGE,
        A.ADD_DOCUMENT,
    }
)


def steering_group_decides(kind: CaseKind, deciding_body: DecidingBody) -> bool:
    """Whether the covenant's steering group decides this case (disputes, on some routes)."""
    return kind is CaseKind.DISPUTE and deciding_body is DecidingBody.STEERING_GROUP


def who_may(state: CaseState, action: ActionName) -> Who:
    """The roles and sides that may take ``action`` on this case."""
    who = WHO[action]
    if steering_group_decides(state.kind, state.deciding_body) and action in (
        A.ISSUE_DECISION,
        A.CLOSE,
    ):
        # The steering group's members decide; or the secretariat records what it decided.
        return who | {Role.SECRETARIAT, Role.STEERING_GROUP}
    if state.kind is CaseKind.SIGNAL and action is A.CLOSE:
        # A signal never reaches the committee: the secretariat closes it.
        return who | {Role.SECRETARIAT}
    return who


def _may(state: CaseState, actor: Actor, action: ActionName) -> bool:
    if actor.role is not None and any(r.member == actor.user for r in state.recusals):
        return False  # a recused member takes no further part in the case
    who = who_may(state, action)
    if actor.side is not None and actor.side in who:
        if action is A.PROVIDE_INFORMATION and state.information_request is not None:
            return state.information_request.from_side is actor.side
        return True
    if actor.role is None or actor.role not in who:
        return False
    if actor.role is Role.MEDIATOR and state.mediator is not None:
        return actor.user == state.mediator
    return True


def stage_refusal(state: CaseState, action: ActionName, now: datetime) -> str | None:
    """Why ``action`` is impossible in the case's current stage and state, or None."""
    if state.status is CaseStatus.CLOSED:
        return "the case is closed"
    if state.status is CaseStatus.SUSPENDED and action not in WHILE_SUSPENDED:
        return "the case is suspended (the clock is stopped); resume it first"
    plan = state.plan
    match (state.stage, action):
        case (_, A.SPLIT_CASE):
            return split_refusal(state)
        case (Stage.SIGNAL, A.FORWARD_SIGNAL):
            return "the signal was already passed on" if state.forwarded_at else None
        case (Stage.SIGNAL, A.REPORT_DUE_DILIGENCE):
            if state.forwarded_at is None:
                return "the signal has not been passed on to the companies yet"
            if all(p.organisation_id in state.due_diligence for p in state.respondents):
                return "every company has reported on its due diligence"
            return None
        case (Stage.SIGNAL, A.CONVERT_TO_COMPLAINT | A.CLOSE):
            return None
        case (Stage.SCREENING, A.REGISTER | A.REFER_OUT):
            return None
        case (Stage.ADMISSIBILITY, A.DECLARE_ADMISSIBLE | A.DECLARE_INADMISSIBLE):
            return None
        case (Stage.RESPONSE, A.SUBMIT_RESPONSE):
            return "every respondent has responded" if state.response_submitted_at else None
        case (Stage.RESPONSE, A.PROPOSE_MEDIATION):
            waiting = [d for d in state.open_deadlines() if d.name == "response" and now < d.due]
            if not waiting:
                return None
            return "mediation can be proposed once every company has responded or its time is up"
        case (Stage.MEDIATION, A.CONSENT_TO_MEDIATION | A.DECLINE_MEDIATION):
            return "mediation has already started" if state.mediation.started_at else None
        case (Stage.MEDIATION, A.RECORD_MEDIATION_AGREEMENT):
            if state.mediation.started_at:
                return None
            return "mediation starts only when both parties have consented"
        case (Stage.MEDIATION, A.END_MEDIATION):
            return None  # also when a party never answers the proposal
        case (Stage.DIALOGUE, A.END_DIALOGUE):
            return None
        case (Stage.HEARING, A.SCHEDULE_HEARING):
            return None
        case (Stage.HEARING, A.RECORD_HEARING):
            return None if state.hearing_at else "schedule the hearing first"
        case (Stage.DECISION, A.ISSUE_DECISION):
            return "the decision was already issued" if state.decision else None
        case (Stage.DECISION, A.CLOSE):
            return None if state.decision else "issue the decision before closing"
        case (Stage.REMEDIATION, A.SUBMIT_REMEDIATION_PLAN):
            if plan and plan.status in (PlanStatus.AWAITED, PlanStatus.REJECTED):
                return None
            return "a remediation plan is already under review or approved"
        case (Stage.REMEDIATION, A.APPROVE_REMEDIATION_PLAN | A.REJECT_REMEDIATION_PLAN):
            if plan and plan.status is PlanStatus.SUBMITTED:
                return None
            return "there is no submitted remediation plan to review"
        case (Stage.REMEDIATION, A.SUBMIT_PROGRESS_REPORT | A.VERIFY_ORDER):
            if not (plan and plan.status is PlanStatus.APPROVED):
                return "the remediation plan has not been approved yet"
            if all(o.status is OrderStatus.VERIFIED for o in state.orders):
                return "every order is already verified"
            return None
        case (Stage.REMEDIATION, A.CLOSE):
            return None
        case (_, A.REQUEST_INFORMATION):
            return "information was already requested" if state.information_request else None
        case (_, A.PROVIDE_INFORMATION):
            return None if state.information_request else "no information was requested"
        case (_, A.SUSPEND):
            return None
        case (_, A.RESUME):
            return None if state.status is CaseStatus.SUSPENDED else "the case is not suspended"
        case (_, A.EXTEND_DEADLINE):
            return None if state.open_deadlines() else "the case has no open deadline"
        case (_, A.WITHDRAW | A.RECUSE | A.ASSIGN | A.ADD_MESSAGE | A.ADD_DOCUMENT):
            return None
    return f"'{action}' is not possible in the {state.stage} stage"


def actor_refusal(state: CaseState, actor: Actor, action: ActionName) -> str | None:
    """Why this actor in particular cannot take the action now, or None."""
    if action is A.SUBMIT_RESPONSE and actor.organisation_id in state.responses:
        return "your organisation's response was already submitted"
    if action is A.REPORT_DUE_DILIGENCE and actor.organisation_id in state.due_diligence:
        return "your organisation already reported on its due diligence"
    return None


def _refusal(state: CaseState, actor: Actor, action: ActionName, now: datetime) -> str | None:
    return stage_refusal(state, action, now) or actor_refusal(state, actor, action)


def allowed_actions(state: CaseState, actor: Actor, now: datetime) -> list[ActionName]:
    """The actions this actor may take on the case right now."""
    return [
        name
        for name in ActionName
        if _may(state, actor, name) and _refusal(state, actor, name, now) is None
    ]


def check(state: CaseState, actor: Actor, action: ActionInput, now: datetime) -> None:
    """Raise Forbidden, WrongStage or InvalidAction unless the action may be taken now."""
    name = ActionName(action.action)
    if not _may(state, actor, name):
        who = ", ".join(sorted(str(w) for w in who_may(state, name)))
        raise Forbidden(f"'{name}' may only be taken by: {who}")
    reason = _refusal(state, actor, name, now)
    if reason is not None:
        allowed = [str(n) for n in allowed_actions(state, actor, now)]
        raise WrongStage(f"'{name}' is not allowed now: {reason}", allowed)
    _check_party(state, actor, action)
    _check_fields(state, action, now)


def _check_party(state: CaseState, actor: Actor, action: ActionInput) -> None:
    """An item for one respondent company: marked by staff only, for one of the case's."""
    if not isinstance(action, a.AddMessage | a.AddDocument) or action.party is None:
        return
    if actor.side is not None or actor.role not in CASE_STAFF:
        raise Forbidden(
            "only the committee's staff (secretariat, chair, committee, mediator) may mark "
            "a message or document as concerning one company ('party')"
        )
    respondents = [p.organisation_id for p in state.respondents]
    if action.party not in respondents:
        raise InvalidAction(
            f"party: '{action.party}' is not a respondent of this case; "
            f"its respondents are: {', '.join(respondents)}",
            field="party",
        )
    if action.visibility is Visibility.PUBLIC:
        raise InvalidAction("party: an item for one company cannot be public", field="party")


def _check_fields(state: CaseState, action: ActionInput, now: datetime) -> None:
    match action:
        case a.SplitCase(respondent=org) if org not in {
            p.organisation_id for p in state.respondents
        }:
            names = ", ".join(p.organisation_id for p in state.respondents)
            raise InvalidAction(f"'{org}' is not a respondent of this case; respondents: {names}")
        case a.SubmitProgressReport(order=number) | a.VerifyOrder(order=number):
            order = next((o for o in state.orders if o.number == number), None)
            if order is None:
                raise InvalidAction(
                    f"order {number} does not exist; the case has orders 1 to {len(state.orders)}"
                )
            if order.status is OrderStatus.VERIFIED:
                raise InvalidAction(f"order {number} is already verified")
        case a.ScheduleHearing(at=at) if at <= now:
            raise InvalidAction("the hearing must be scheduled in the future")
        case a.IssueDecision(orders=orders) | a.RecordMediationAgreement(orders=orders):
            if any(o.due <= now.date() for o in orders):
                raise InvalidAction("every order needs a due date in the future")
        case a.ExtendDeadline(deadline=key, until=until):
            deadline = next((d for d in state.open_deadlines() if key in (d.id, d.name)), None)
            if deadline is None:
                names = ", ".join(d.name for d in state.open_deadlines())
                raise InvalidAction(f"no open deadline '{key}'; open deadlines: {names}")
            if until <= deadline.due:
                raise InvalidAction("an extension must end after the current due date")
        case _:
            return
