"""Every field of every action is recorded: nothing a form or the API accepts is dropped.

Each action is taken (pure rules and transitions, deadlines by the domain's own planner) on a
case driven to a stage where it is allowed, with a distinctive value in each of its fields;
each value must come out of the step: in the state, an event, a document, a notice, a
deadline or a case split off.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from domain.actions import CONTENT_ACTIONS, REGISTRY, ActionInput, ActionName, action_adapter
from domain.cases import Actor, CaseState, Party
from domain.effects import Transition
from domain.enums import CaseKind, Role, Side
from domain.rules import allowed_actions, check
from domain.schedule import ExtendRequest, ScheduleInput, plan
from domain.transitions import apply, start_case
from tests.domain.samples import SAMPLE_ACTIONS
from tests.workflows.conftest import case_start

A = ActionName
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
ACTORS = [
    Actor(user="secretariat", role=Role.SECRETARIAT),
    Actor(user="chair", role=Role.CHAIR),
    Actor(user="committee", role=Role.COMMITTEE),
    Actor(user="mediator", role=Role.MEDIATOR),
    Actor(user="company", role=Role.COMPANY, organisation_id="acme", side=Side.RESPONDENT),
    Actor(user="company2", role=Role.COMPANY, organisation_id="bolt", side=Side.RESPONDENT),
    Actor(user="union", role=Role.UNION, organisation_id="dgwu", side=Side.COMPLAINANT),
]
RESPONDENTS = [
    Party(organisation_id="acme", name="Acme Apparel B.V."),
    Party(organisation_id="bolt", name="Bolt Denim N.V."),
]
SOON = (NOW + timedelta(days=200)).date().isoformat()
ORDER = {"text": "Pay the withheld wages", "due": SOON}
TO_RESPONSE = [A.REGISTER, A.DECLARE_ADMISSIBLE]
TO_MEDIATION = [*TO_RESPONSE, A.SUBMIT_RESPONSE, A.PROPOSE_MEDIATION]
TO_HEARING = [*TO_MEDIATION, A.DECLINE_MEDIATION]
TO_DECISION = [*TO_HEARING, A.SCHEDULE_HEARING, A.RECORD_HEARING]
TO_REMEDIATION = [*TO_DECISION, A.ISSUE_DECISION]
PLAN_APPROVED = [*TO_REMEDIATION, A.SUBMIT_REMEDIATION_PLAN, A.APPROVE_REMEDIATION_PLAN]
# Steps every party able to take them takes (each company responds, both sides consent).
EVERY_PARTY = {A.SUBMIT_RESPONSE, A.REPORT_DUE_DILIGENCE, A.CONSENT_TO_MEDIATION}
# A step taken by one actor only (its user), rather than by the first that may take it.
Step = ActionName | tuple[ActionName, str]
# On a case filed since consent, plans and orders are per company (CaseState.per_company):
# the complainant and Bolt consent, Acme declines and goes on to a hearing (a case split off).
PER_COMPANY_MEDIATION: list[Step] = [
    *TO_MEDIATION,
    (A.CONSENT_TO_MEDIATION, "union"),
    (A.DECLINE_MEDIATION, "company"),
    (A.CONSENT_TO_MEDIATION, "company2"),
]
PER_COMPANY_APPROVED: list[Step] = [
    *PER_COMPANY_MEDIATION,
    A.RECORD_MEDIATION_AGREEMENT,
    A.SUBMIT_REMEDIATION_PLAN,
    A.APPROVE_REMEDIATION_PLAN,
]
# The actions whose path runs on such a case, and who takes each at its end.
PER_COMPANY: dict[ActionName, str | None] = {
    A.DECLINE_MEDIATION: "company",
    A.REJECT_PROGRESS_REPORT: None,
    A.FIND_NON_COMPLIANCE: None,
}
# When an action is taken at the end of its path, if not NOW: after an order's deadline.
TAKEN_AT = {
    A.FIND_NON_COMPLIANCE: NOW + timedelta(days=365),
    A.WITHDRAW_FROM_COVENANT: NOW + timedelta(days=120),  # after the 3-month dialogue
}
# The covenant an action's case is filed under, if not garments and textile.
COVENANTS = {A.WITHDRAW_FROM_COVENANT: "forest"}
# The actions whose path runs on a case with two complainants (another case merged in):
# withdrawing then takes out the one complainant (REOPEN's path withdraws a whole case).
SEVERAL_COMPLAINANTS = {A.WITHDRAW}
# The steps before each action, from a new case of the kind given.
PATHS: dict[ActionName, tuple[CaseKind, list[Step]]] = {
    A.REGISTER: (CaseKind.COMPLAINT, []),
    A.REFER_OUT: (CaseKind.COMPLAINT, []),
    A.DECLARE_ADMISSIBLE: (CaseKind.COMPLAINT, [A.REGISTER]),
    A.DECLARE_INADMISSIBLE: (CaseKind.COMPLAINT, [A.REGISTER]),
    A.SUBMIT_RESPONSE: (CaseKind.COMPLAINT, TO_RESPONSE),
    A.PROPOSE_MEDIATION: (CaseKind.COMPLAINT, [*TO_RESPONSE, A.SUBMIT_RESPONSE]),
    A.CONSENT_TO_MEDIATION: (CaseKind.COMPLAINT, TO_MEDIATION),
    A.DECLINE_MEDIATION: (
        CaseKind.COMPLAINT,
        [*TO_MEDIATION, (A.CONSENT_TO_MEDIATION, "union"), (A.CONSENT_TO_MEDIATION, "company2")],
    ),
    A.RECORD_MEDIATION_AGREEMENT: (CaseKind.COMPLAINT, [*TO_MEDIATION, A.CONSENT_TO_MEDIATION]),
    A.END_MEDIATION: (CaseKind.COMPLAINT, TO_MEDIATION),
    A.END_DIALOGUE: (CaseKind.DISPUTE, []),
    A.SEND_TO_HEARING: (CaseKind.COMPLAINT, TO_MEDIATION),
    A.SCHEDULE_HEARING: (CaseKind.COMPLAINT, TO_HEARING),
    A.RECORD_HEARING: (CaseKind.COMPLAINT, [*TO_HEARING, A.SCHEDULE_HEARING]),
    A.ISSUE_DECISION: (CaseKind.COMPLAINT, TO_DECISION),
    A.SUBMIT_REMEDIATION_PLAN: (CaseKind.COMPLAINT, TO_REMEDIATION),
    A.APPROVE_REMEDIATION_PLAN: (CaseKind.COMPLAINT, [*TO_REMEDIATION, A.SUBMIT_REMEDIATION_PLAN]),
    A.REJECT_REMEDIATION_PLAN: (CaseKind.COMPLAINT, [*TO_REMEDIATION, A.SUBMIT_REMEDIATION_PLAN]),
    A.SUBMIT_PROGRESS_REPORT: (CaseKind.COMPLAINT, PLAN_APPROVED),
    A.VERIFY_ORDER: (CaseKind.COMPLAINT, PLAN_APPROVED),
    A.CLOSE: (CaseKind.COMPLAINT, TO_REMEDIATION),
    A.REQUEST_INFORMATION: (CaseKind.COMPLAINT, []),
    A.PROVIDE_INFORMATION: (CaseKind.COMPLAINT, [A.REQUEST_INFORMATION]),
    A.SUSPEND: (CaseKind.COMPLAINT, []),
    A.RESUME: (CaseKind.COMPLAINT, [A.SUSPEND]),
    A.EXTEND_DEADLINE: (CaseKind.COMPLAINT, []),
    A.WITHDRAW: (CaseKind.COMPLAINT, []),
    A.RECUSE: (CaseKind.COMPLAINT, []),
    A.ASSIGN: (CaseKind.COMPLAINT, []),
    A.ADD_MESSAGE: (CaseKind.COMPLAINT, TO_RESPONSE),
    A.ADD_DOCUMENT: (CaseKind.COMPLAINT, TO_RESPONSE),
    A.FORWARD_SIGNAL: (CaseKind.SIGNAL, []),
    A.REPORT_DUE_DILIGENCE: (CaseKind.SIGNAL, [A.FORWARD_SIGNAL]),
    A.CONVERT_TO_COMPLAINT: (CaseKind.SIGNAL, [A.FORWARD_SIGNAL]),
    A.SPLIT_CASE: (CaseKind.COMPLAINT, TO_RESPONSE),
    A.MERGE_INTO: (CaseKind.COMPLAINT, [A.REGISTER]),
    A.REOPEN: (CaseKind.COMPLAINT, [*TO_RESPONSE, A.WITHDRAW]),
    A.WITHDRAW_FROM_COVENANT: (CaseKind.DISPUTE, [A.END_DIALOGUE]),
    A.REJECT_PROGRESS_REPORT: (
        CaseKind.COMPLAINT,
        [*PER_COMPANY_APPROVED, A.SUBMIT_PROGRESS_REPORT],
    ),
    A.FIND_NON_COMPLIANCE: (CaseKind.COMPLAINT, PER_COMPANY_APPROVED),
    A.REQUEST_EXTENSION: (CaseKind.COMPLAINT, TO_RESPONSE),
    A.GRANT_EXTENSION: (CaseKind.COMPLAINT, [*TO_RESPONSE, A.REQUEST_EXTENSION]),
    A.REFUSE_EXTENSION: (CaseKind.COMPLAINT, [*TO_RESPONSE, A.REQUEST_EXTENSION]),
    A.REQUEST_FOLLOW_UP: (CaseKind.COMPLAINT, []),
    A.REQUEST_MEETING: (CaseKind.COMPLAINT, TO_RESPONSE),
    A.ANSWER_REQUEST: (CaseKind.COMPLAINT, [A.REQUEST_MEETING]),
    A.PUBLISH_SUMMARY: (CaseKind.COMPLAINT, TO_REMEDIATION),
    A.RECORD_LESSON: (CaseKind.COMPLAINT, []),
    A.CONSENT_TO_NAMING: (CaseKind.COMPLAINT, []),
}
# Steps on the way that need more than the sample payload.
STEP_PAYLOADS: dict[ActionName, dict[str, Any]] = {
    A.ISSUE_DECISION: {**SAMPLE_ACTIONS[A.ISSUE_DECISION], "orders": [ORDER]},
    A.RECORD_MEDIATION_AGREEMENT: {
        **SAMPLE_ACTIONS[A.RECORD_MEDIATION_AGREEMENT],
        "orders": [ORDER],
    },
    A.REQUEST_INFORMATION: {**SAMPLE_ACTIONS[A.REQUEST_INFORMATION], "from": "complainant"},
}


def _take(state: CaseState, actor: Actor, action: ActionInput, at: datetime) -> Transition:
    """One step as the workflow takes it: rules, transition, then the deadlines it opens."""
    check(state, actor, action, at)
    t = apply(state, actor, action, at)
    _schedule(t, at)
    return t


def _schedule(t: Transition, at: datetime) -> None:
    s = t.state
    if t.opens or t.resumed_from or t.extend:
        extend = None
        if t.extend:
            deadline_id, until, reason = t.extend
            extend = ExtendRequest(deadline_id=deadline_id, until=until, reason=reason, by="x")
        s.deadlines = plan(
            ScheduleInput(
                procedure=s.procedure,
                now=at,
                deadlines=s.deadlines,
                opens=t.opens,
                resumed_from=t.resumed_from,
                extend=extend,
            )
        ).deadlines


def path_to(name: ActionName) -> tuple[CaseState, list[tuple[ActionName, Transition]]]:
    """A case driven to where ``name`` is allowed, and every step taken on the way."""
    kind, steps = PATHS[name]
    respondents = RESPONDENTS if kind is not CaseKind.DISPUTE else RESPONDENTS[:1]
    covenant = COVENANTS.get(name, "garments-textile")
    start = case_start(kind=kind, respondents=respondents, covenant=covenant).model_copy(
        update={"filed_at": NOW - timedelta(days=1), "per_company": name in PER_COMPANY}
    )
    first = start_case(start)
    _schedule(first, start.filed_at)
    state = first.state
    if name in SEVERAL_COMPLAINANTS:
        state.complainants = 2
    taken: list[tuple[ActionName, Transition]] = []
    for i, planned in enumerate(steps):
        step, by = planned if isinstance(planned, tuple) else (planned, None)
        payload = STEP_PAYLOADS.get(step, SAMPLE_ACTIONS[step])
        at = NOW - timedelta(hours=len(steps) - i)
        for actor in ACTORS:  # every party that must (consent, respond) does
            if by is not None and actor.user != by:
                continue
            if step in EVERY_PARTY and by is None and actor.side is None:
                continue  # staff record a company's answer only when it gives none
            action = action_adapter.validate_python(payload)
            if step in allowed_actions(state, actor, at):
                t = _take(state, actor, action, at)
                taken.append((step, t))
                state = t.state
                if step not in EVERY_PARTY or by is not None:
                    break
    return state, taken


def take_marked(name: ActionName) -> tuple[ActionInput, Transition]:
    """The action taken at the end of its path, with a distinctive value in each field."""
    state, _ = path_to(name)
    model = REGISTRY[name]
    payload = _marked(model, SAMPLE_ACTIONS[name])
    if name is A.EXTEND_DEADLINE:
        payload["deadline"] = state.open_deadlines()[0].name
    if name is A.SPLIT_CASE:
        payload["respondent"] = "bolt"
    if name is A.REQUEST_EXTENSION:
        payload["deadline"] = "response"
    action = action_adapter.validate_python(payload)
    at = TAKEN_AT.get(name, NOW)
    by = PER_COMPANY.get(name)
    actor = next(
        a for a in ACTORS if name in allowed_actions(state, a, at) and (by is None or a.user == by)
    )
    return action, _take(state, actor, action, at)


def _marked(model: type[BaseModel], sample: dict[str, Any]) -> dict[str, Any]:
    """The sample payload with a distinctive value in every free-text field."""
    payload = dict(sample)
    for field, info in model.model_fields.items():
        if field == "action" or info.annotation not in (str, str | None):
            continue
        key = info.alias or field
        attempt = {**payload, key: f"MARK-{field}-MARK"}
        try:
            action_adapter.validate_python(attempt)
        except ValidationError:
            continue  # an identifier of a pattern: its sample value is looked for instead
        payload[key] = attempt[key]
    return payload


def _values(action: BaseModel) -> dict[str, list[str]]:
    """What must show in the step's output for each field: its value, as JSON shows it."""
    shown: dict[str, list[str]] = {}
    for field, info in type(action).model_fields.items():
        value = getattr(action, field)
        if field == "action" or value is None or value == "":
            continue
        if isinstance(value, list):
            shown[field] = [part for item in value for part in _values(item).get("text", [])]
            continue
        dumped = TypeAdapter(info.annotation).dump_python(value, mode="json")
        shown[field] = [str(dumped)]
    return shown


# Content actions change no state: their fields are recorded by services.register_actions
# (tests/api/test_register.py checks each one there).
@pytest.mark.parametrize("name", [n for n in ActionName if n not in CONTENT_ACTIONS], ids=str)
def test_every_field_of_the_action_is_recorded(name: ActionName) -> None:
    action, t = take_marked(name)
    output = "\n".join(
        [
            t.state.model_dump_json(),
            *(e.model_dump_json() for e in t.events),
            *(d.model_dump_json() for d in t.documents),
            *(n.model_dump_json() for n in t.notices),
            *(o.model_dump_json() for o in t.opens),
            t.spawn.model_dump_json() if t.spawn else "",
        ]
    )
    for field, values in _values(action).items():
        for value in values:
            assert value in output, f"{name}.{field} = {value!r} is not recorded"
