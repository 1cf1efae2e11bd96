"""Mediation on a case others were merged into (pure): any complainant may refuse it, but the
complainant side consents only once every complainant still in the case has."""

from __future__ import annotations

from domain.actions import ActionName, action_adapter
from domain.cases import Actor, CaseState, Event
from domain.enums import Side, Stage
from domain.rules import check
from domain.transitions import apply
from tests.domain.test_action_fields import NOW, path_to

COMPANY = Actor(user="company", organisation_id="acme", side=Side.RESPONDENT)


def _complainant(number: int) -> Actor:
    return Actor(user="complainant", side=Side.COMPLAINANT, complainant=number)


RECORDED: list[Event] = []  # the events the steps of the running test recorded


def _take(state: CaseState, actor: Actor, **payload: str) -> CaseState:
    action = action_adapter.validate_python(payload)
    check(state, actor, action, NOW)
    t = apply(state, actor, action, NOW)
    RECORDED.extend(t.events)
    return t.state


def _proposed(complainants: int) -> CaseState:
    RECORDED.clear()
    state, _ = path_to(ActionName.CONSENT_TO_MEDIATION)  # mediation proposed
    return state.model_copy(update={"complainants": complainants})


def test_mediation_starts_once_every_remaining_complainant_consented() -> None:
    state = _take(_proposed(3), COMPANY, action="consent_to_mediation")
    state = _take(state, _complainant(1), action="consent_to_mediation")
    assert state.mediation.started_at is None and Side.COMPLAINANT not in state.mediation.consents
    assert [e.complainant for e in RECORDED if e.type == "mediation_consent"][-1] == 1
    # The third withdraws: the second's consent is the last awaited.
    state = _take(state, _complainant(3), action="withdraw", reason="Settled with us")
    assert state.status.value == "open" and state.withdrawn_complainants == [3]
    state = _take(state, _complainant(2), action="consent_to_mediation")
    assert state.mediation.started_at is not None
    assert set(state.mediation.consents) == {Side.COMPLAINANT, Side.RESPONDENT}


def test_any_complainant_declining_sends_the_case_to_a_hearing() -> None:
    state = _take(_proposed(2), _complainant(1), action="consent_to_mediation")
    state = _take(state, _complainant(2), action="decline_mediation", reason="Not with them")
    assert state.stage is Stage.HEARING
    [declined] = [e for e in RECORDED if e.type == "mediation_declined"]
    assert declined.complainant == 2


def test_alone_on_its_case_the_complainant_consents_as_before() -> None:
    state = _take(_proposed(1), _complainant(1), action="consent_to_mediation")
    state = _take(state, COMPANY, action="consent_to_mediation")
    assert state.mediation.started_at is not None and state.mediation.complainants == []


def test_what_a_complainant_writes_is_recorded_as_its_own() -> None:
    RECORDED.clear()
    state, _ = path_to(ActionName.ADD_MESSAGE)
    state = state.model_copy(update={"complainants": 2})
    _take(state, _complainant(2), action="add_message", text="Ask Rina", visibility="committee")
    _take(state, COMPANY, action="add_message", text="Noted", visibility="parties")
    assert [(e.text, e.complainant) for e in RECORDED] == [("Ask Rina", 2), ("Noted", None)]


def test_when_the_last_awaited_complainant_withdraws_a_consent_confirmed_starts_mediation() -> None:
    state = _take(_proposed(2), COMPANY, action="consent_to_mediation")
    state = _take(state, _complainant(1), action="consent_to_mediation")
    state = _take(state, _complainant(2), action="withdraw", reason="We left the union")
    assert state.mediation.started_at is None
    state = _take(state, _complainant(1), action="consent_to_mediation")  # confirmed
    assert state.mediation.started_at is not None
