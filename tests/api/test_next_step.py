"""Once every company has responded, the secretariat's next step is due, and GET …/actions
offers it both ways on: mediation, or a hearing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.api.conftest import Filed, Stack, code

LABEL = "Offer mediation or send the case to a hearing"
BOTH_WAYS = {"propose_mediation", "send_to_hearing"}


async def allowed(stack: Stack, ref: str, who: str | dict[str, str]) -> set[str]:
    headers = await stack.headers(who) if isinstance(who, str) else who
    response = await stack.http.get(f"/api/v1/cases/{ref}/actions", headers=headers)
    assert response.status_code == 200, response.text
    return set(response.json()["allowed"])


def next_steps(case: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in case["deadlines"] if d["name"] == "next_step"]


async def to_response(stack: Stack, file_complaint: Filed) -> tuple[str, dict[str, Any]]:
    filed = await file_complaint()
    ref = filed["reference"]
    await stack.act(ref, "secretariat", action="register")
    case = await stack.act(ref, "chair", action="declare_admissible", reasons="In scope.")
    assert case["stage"] == "response" and next_steps(case) == []
    # The company's turn: mediation cannot be offered yet.
    assert "propose_mediation" not in await allowed(stack, ref, "secretariat")
    return ref, filed


async def test_after_the_response_the_secretariat_is_offered_both_ways_on_by_a_deadline(
    stack: Stack, file_complaint: Filed
) -> None:
    ref, filed = await to_response(stack, file_complaint)
    case = await stack.act(ref, "company", action="submit_response", text="We investigated.")
    assert case["stage"] == "response"
    (step,) = next_steps(case)
    assert step["label"] == LABEL and not step["overdue"]
    responded = next(e["at"] for e in case["events"] if e["type"] == "response_submitted")
    days = (datetime.fromisoformat(step["due"]) - datetime.fromisoformat(responded)).days
    assert 13 <= days <= 20, days  # ten business days

    assert BOTH_WAYS <= await allowed(stack, ref, "secretariat")
    for other in ("chair", "company"):
        assert not BOTH_WAYS & await allowed(stack, ref, other)
    assert not BOTH_WAYS & await allowed(stack, ref, code(filed))

    case = await stack.act(ref, "secretariat", action="propose_mediation")
    assert case["stage"] == "mediation"
    assert next_steps(case) == [] and [d["name"] for d in case["deadlines"]] == ["mediation"]


async def test_the_secretariat_sends_the_case_to_a_hearing_when_mediation_was_refused(
    stack: Stack, file_complaint: Filed
) -> None:
    ref, _ = await to_response(stack, file_complaint)
    case = await stack.act(ref, "company", action="submit_response", text="We investigated.")
    assert [d["label"] for d in next_steps(case)] == [LABEL]
    # Without a reason it is refused; with one the case goes on and the step is done.
    await stack.act(ref, "secretariat", expect=422, action="send_to_hearing")
    case = await stack.act(
        ref,
        "secretariat",
        action="send_to_hearing",
        reason="The complainant wrote that it will not take part in mediation.",
    )
    assert case["stage"] == "hearing"
    assert [d["name"] for d in case["deadlines"]] == ["hearing"]
    sent = next(e for e in case["events"] if e["type"] == "sent_to_hearing")
    assert sent["text"] == "The complainant wrote that it will not take part in mediation."
    assert not BOTH_WAYS & await allowed(stack, ref, "secretariat")
