"""Signals in the pure domain: what is refused where, and procedures without due diligence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.actions import ActionName, action_adapter
from domain.cases import Actor, CaseStart, CaseState, Party
from domain.effects import Transition
from domain.enums import CaseKind, DurationUnit, Role, Side, Stage
from domain.errors import Forbidden, WrongStage
from domain.procedure import Duration, Procedure
from domain.rules import allowed_actions, check
from domain.schedule import ScheduleInput, plan
from domain.transitions import apply, start_case
from store.covenants import load_covenant_files

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRETARIAT = Actor(user="secretariat", role=Role.SECRETARIAT)
CHAIR = Actor(user="chair", role=Role.CHAIR)
ACME = Actor(user="company", role=Role.COMPANY, organisation_id="acme", side=Side.RESPONDENT)
BOLT = Actor(user="company2", role=Role.COMPANY, organisation_id="bolt", side=Side.RESPONDENT)
REPORTER = Actor(user="union", role=Role.UNION, organisation_id="dgwu", side=Side.COMPLAINANT)


def _procedure() -> Procedure:
    return next(c for c in load_covenant_files() if c.slug == "garments-textile").procedure


def _scheduled(t: Transition, now: datetime) -> CaseState:
    """Adopt a transition with its deadlines computed, as the workflow does."""
    state = t.state
    schedule = plan(
        ScheduleInput(procedure=state.procedure, now=now, deadlines=state.deadlines, opens=t.opens)
    )
    state.deadlines = schedule.deadlines
    return state


def _signal(procedure: Procedure | None = None, kind: CaseKind = CaseKind.SIGNAL) -> CaseState:
    start = CaseStart(
        reference="GT-2026-SIGNL",
        kind=kind,
        covenant="garments-textile",
        covenant_name="Garments",
        procedure=procedure or _procedure(),
        confidential=True,
        pseudonym="Reporter R1",
        complainant_organisation_id="dgwu",
        respondents=[
            Party(organisation_id="acme", name="Acme Apparel B.V."),
            Party(organisation_id="bolt", name="Bolt Denim N.V."),
        ],
        subject="Locked fire exits",
        description="The fire exits of the factory are locked during shifts.",
        filed_at=NOW,
    )
    return _scheduled(start_case(start), NOW)


def _act(state: CaseState, actor: Actor, now: datetime = NOW, **body: Any) -> CaseState:
    action = action_adapter.validate_python(body)
    check(state, actor, action, now)
    return _scheduled(apply(state, actor, action, now), now)


def _refused(state: CaseState, actor: Actor, **body: Any) -> str:
    with pytest.raises((WrongStage, Forbidden)) as error:
        check(state, actor, action_adapter.validate_python(body), NOW)
    return type(error.value).__name__


def test_a_signal_waits_for_the_secretariat_to_pass_it_on():
    state = _signal()
    assert (state.stage, state.kind) == (Stage.SIGNAL, CaseKind.SIGNAL)
    assert [d.name for d in state.open_deadlines()] == ["register"]
    assert ActionName.FORWARD_SIGNAL in allowed_actions(state, SECRETARIAT, NOW)
    assert ActionName.CONVERT_TO_COMPLAINT in allowed_actions(state, SECRETARIAT, NOW)
    assert ActionName.CLOSE not in allowed_actions(state, ACME, NOW)


def test_refusals_in_and_out_of_the_signal_stage():
    state = _signal()
    assert _refused(state, SECRETARIAT, action="register") == "WrongStage"
    assert _refused(state, SECRETARIAT, action="refer_out", reason="Out of scope") == "WrongStage"
    assert _refused(state, ACME, action="forward_signal") == "Forbidden"
    assert _refused(state, CHAIR, action="forward_signal") == "Forbidden"
    assert _refused(state, ACME, action="report_due_diligence", text="Early") == "WrongStage"
    assert _refused(state, ACME, action="convert_to_complaint", reason="Why") == "Forbidden"
    assert _refused(state, REPORTER, action="submit_response", text="x") == "Forbidden"

    complaint = _signal(kind=CaseKind.COMPLAINT)
    assert complaint.stage is Stage.SCREENING
    assert _refused(complaint, SECRETARIAT, action="forward_signal") == "WrongStage"
    assert _refused(complaint, SECRETARIAT, action="convert_to_complaint", reason="Why") == (
        "WrongStage"
    )
    assert _refused(complaint, ACME, action="report_due_diligence", text="x") == "WrongStage"
    # The secretariat closes signals only; a complaint is closed by the chair.
    assert _refused(complaint, SECRETARIAT, action="close", outcome="resolved", summary="x") == (
        "Forbidden"
    )


def test_forwarding_opens_one_deadline_per_company_and_only_once():
    state = _act(_signal(), SECRETARIAT, action="forward_signal", note="Please act.")
    assert _refused(state, SECRETARIAT, action="forward_signal") == "WrongStage"
    deadlines = [d for d in state.open_deadlines() if d.name == "due_diligence"]
    assert [d.party for d in deadlines] == ["acme", "bolt"]
    assert all(d.due - NOW >= timedelta(days=59) for d in deadlines)
    state = _act(state, ACME, action="report_due_diligence", text="Exits unlocked.")
    assert _refused(state, ACME, action="report_due_diligence", text="Again") == "WrongStage"
    state = _act(state, BOLT, action="report_due_diligence", text="Audited.")
    assert _refused(state, BOLT, action="report_due_diligence", text="Again") == "WrongStage"
    state = _act(state, SECRETARIAT, action="convert_to_complaint", reason="Exits locked again.")
    assert (state.kind, state.stage) == (CaseKind.COMPLAINT, Stage.SCREENING)
    assert ActionName.REGISTER in allowed_actions(state, SECRETARIAT, NOW)
    assert _refused(state, SECRETARIAT, action="convert_to_complaint", reason="Twice") == (
        "WrongStage"
    )


def test_a_procedure_without_due_diligence_uses_the_default():
    current = _procedure()
    assert current.version >= 2 and "due_diligence" in current.deadlines
    older = Procedure.model_validate(
        {
            **current.model_dump(),
            "version": 1,
            "deadlines": {k: v for k, v in current.deadlines.items() if k != "due_diligence"},
        }
    )
    assert older.deadline("due_diligence") == Duration(amount=60, unit=DurationUnit.CALENDAR_DAYS)
    with pytest.raises(KeyError):
        older.deadline("coffee_break")
    state = _act(_signal(older), SECRETARIAT, action="forward_signal")
    assert all(
        d.due.date() == (NOW + timedelta(days=60)).date()
        for d in state.open_deadlines()
        if d.name == "due_diligence"
    )
