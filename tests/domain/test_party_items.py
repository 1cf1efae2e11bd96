"""Messages and documents for one respondent company: who may mark them, and what they record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.actions import AddDocument, AddMessage
from domain.cases import Actor
from domain.enums import Audience, Role, Side, Stage, Visibility
from domain.errors import Forbidden, InvalidAction
from domain.rules import check
from domain.transitions import apply
from tests.factories import case_state

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RESPONDENTS = ("noorderlicht-fashion", "delta-denim")
SECRETARIAT = Actor(user="secretariat", role=Role.SECRETARIAT)
NOORDERLICHT = Actor(
    user="company",
    role=Role.COMPANY,
    organisation_id="noorderlicht-fashion",
    side=Side.RESPONDENT,
)


def _message(party: str | None, visibility: Visibility = Visibility.PARTIES) -> AddMessage:
    return AddMessage(action="add_message", text="Your audit", visibility=visibility, party=party)


def test_staff_mark_a_message_for_one_company_and_only_it_is_notified() -> None:
    state = case_state(stage=Stage.RESPONSE, respondents=RESPONDENTS)
    check(state, SECRETARIAT, _message("delta-denim"), NOW)
    t = apply(state, SECRETARIAT, _message("delta-denim"), NOW)
    event = t.events[-1]
    assert (event.type, event.party) == ("message", "delta-denim")
    [notice] = t.notices
    assert notice.party == "delta-denim"
    assert Audience.RESPONDENTS in notice.audiences and Audience.COMPLAINANT in notice.audiences


def test_a_document_for_one_company_carries_the_party_on_its_reference_and_event() -> None:
    state = case_state(stage=Stage.RESPONSE, respondents=RESPONDENTS)
    action = AddDocument(
        action="add_document", document_id="d1", filename="audit.pdf", party="delta-denim"
    )
    check(state, SECRETARIAT, action, NOW)
    t = apply(state, SECRETARIAT, action, NOW)
    assert t.documents[-1].party == "delta-denim"
    assert t.events[-1].party == "delta-denim"


def test_a_company_may_not_mark_an_item_for_one_company() -> None:
    state = case_state(stage=Stage.RESPONSE, respondents=RESPONDENTS)
    with pytest.raises(Forbidden, match="party"):
        check(state, NOORDERLICHT, _message("noorderlicht-fashion"), NOW)
    check(state, NOORDERLICHT, _message(None), NOW)  # its own messages are unchanged


@pytest.mark.parametrize(
    ("party", "visibility", "why"),
    [
        ("acme", Visibility.PARTIES, "not a respondent"),
        ("delta-denim", Visibility.PUBLIC, "cannot be public"),
    ],
)
def test_an_unknown_company_or_a_public_item_is_invalid(
    party: str, visibility: Visibility, why: str
) -> None:
    state = case_state(stage=Stage.RESPONSE, respondents=RESPONDENTS)
    with pytest.raises(InvalidAction, match=why) as raised:
        check(state, SECRETARIAT, _message(party, visibility), NOW)
    assert raised.value.field == "party"
