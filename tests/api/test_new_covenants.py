"""The banking, gold and forest covenants over the API, with the demo data's parties."""

from __future__ import annotations

from typing import Any

import pytest

from domain.enums import DecidingBody
from store import case_content
from store.db import session_scope
from tests.api.conftest import Stack, days_ahead

# (covenant, the party that brings the dispute, the party it is against)
STEERED = [
    ("banking", "bank-ngo", "polderbank", "bank"),
    ("gold", "gold-ngo", "gouden-keten", "gold"),
]


async def _dispute(stack: Stack, covenant: str, by: str, against: str) -> str:
    body = {
        "covenant": covenant,
        "respondent": {"organisation": against},
        "subject": "Due diligence on high-risk suppliers",
        "description": "The party has not published its supplier due diligence as agreed.",
    }
    filed = await stack.http.post("/api/v1/disputes", json=body, headers=await stack.headers(by))
    assert filed.status_code == 201, filed.text
    assert filed.json()["stage"] == "dialogue"
    reference: str = filed.json()["reference"]
    return reference


async def test_the_new_covenants_are_listed_with_their_parties(stack: Stack) -> None:
    listed = await stack.http.get("/api/v1/covenants")
    by_slug = {c["slug"]: c for c in listed.json()}
    assert by_slug["banking"]["deciding_body"] == "steering_group"
    assert by_slug["gold"]["deciding_body"] == "steering_group"
    assert by_slug["forest"]["deciding_body"] == "committee"
    assert by_slug["forest"]["procedure"]["withdrawal_after_dialogue"] is True
    assert by_slug["forest"]["procedure"]["deadlines"]["dialogue"] == {
        "amount": 3,
        "unit": "months",
    }
    assert {p["id"] for p in by_slug["gold"]["parties"]} == {
        "gouden-keten",
        "mijnwerkers-solidair",
    }


@pytest.mark.parametrize(("covenant", "by", "against", "respondent"), STEERED)
async def test_a_banking_or_gold_dispute_is_decided_by_the_steering_group(
    stack: Stack, covenant: str, by: str, against: str, respondent: str
) -> None:
    ref = await _dispute(stack, covenant, by, against)
    # The covenant's steering group sees it; natural stone's does not.
    assert (await stack.case(ref, "steering-finance")).status_code == 200
    assert (await stack.case(ref, "steering")).status_code == 404
    await stack.act(ref, respondent, action="end_dialogue", reason="We cannot agree")
    await stack.act(ref, by, expect=409, action="withdraw_from_covenant", reason="Leaving")
    await stack.act(ref, "secretariat", action="schedule_hearing", at=f"{days_ahead(20)}T09:00:00Z")
    await stack.act(ref, "secretariat", action="record_hearing", minutes="The group met.")
    allowed = await stack.http.get(
        f"/api/v1/cases/{ref}/actions", headers=await stack.headers("steering-finance")
    )
    assert "issue_decision" in allowed.json()["allowed"]
    decided: dict[str, Any] = await stack.act(
        ref,
        "steering-finance",
        action="issue_decision",
        finding="unfounded",
        reasons="The steering group finds the due diligence published.",
    )
    assert decided["stage"] == "decision"
    assert any(e["type"] == "decision_issued" for e in decided["events"])
    with session_scope(stack.engine) as session:
        state = case_content.load_state(session=session, reference=ref)
    assert state is not None and state.decision is not None
    assert state.decision.body is DecidingBody.STEERING_GROUP


async def test_a_forest_party_may_not_withdraw_before_the_dialogue_period_is_over(
    stack: Stack,
) -> None:
    ref = await _dispute(stack, "forest", "forest-ngo", "houtland-timber")
    await stack.act(ref, "forest-ngo", expect=409, action="withdraw_from_covenant", reason="Going")
    case = await stack.act(ref, "timber", action="end_dialogue", reason="No way forward")
    assert case["stage"] == "hearing"
    refused = await stack.http.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "withdraw_from_covenant", "reason": "We leave the covenant"},
        headers=await stack.headers("timber"),
    )
    assert refused.status_code == 409
    assert "only after the dialogue period" in refused.json()["detail"]
    # The chair may not leave the covenant for a party.
    await stack.act(ref, "chair", expect=403, action="withdraw_from_covenant", reason="Not yours")
