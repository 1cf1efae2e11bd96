"""Parties' requests over the JSON API: a company asks for more time and the chair grants
or refuses it (the deadline moves only when granted); the complainant, with only its access
code, asks for follow-up or a meeting and the secretariat answers by e-mail."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from tests.api.conftest import Filed, Stack, code, complaint, days_ahead, moment_ahead

COMPANY_ADDRESSES = {"company@redress.localhost", "csr@noorderlicht-fashion.example"}
COMPLAINANT = "rahima@workers.example"


async def mail_saying(stack: Stack, addresses: set[str], ref: str, needle: str) -> list[str]:
    """The texts of the mails about the case to those addresses that say ``needle``, once
    one has gone out (notices go out in the background; bounded)."""
    for _ in range(100):
        mails = await stack.mails_to(addresses, ref)
        found = [m.text for m in mails if needle in m.text]
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"no mail about {ref} to {addresses} says {needle!r}")


def response_deadline(case: dict[str, Any]) -> dict[str, Any]:
    (deadline,) = [d for d in case["deadlines"] if d["name"] == "response"]
    return deadline


async def allowed(stack: Stack, ref: str, who: str | dict[str, str]) -> set[str]:
    headers = await stack.headers(who) if isinstance(who, str) else who
    response = await stack.http.get(f"/api/v1/cases/{ref}/actions", headers=headers)
    assert response.status_code == 200, response.text
    return set(response.json()["allowed"])


async def responding(stack: Stack, file_complaint: Filed, **changes: Any) -> dict[str, Any]:
    filed = await file_complaint(**changes)
    await stack.act(filed["reference"], "secretariat", action="register")
    await stack.act(filed["reference"], "chair", action="declare_admissible", reasons="In scope.")
    return filed


async def ask_more_time(stack: Stack, ref: str, days: int = 21) -> tuple[dict[str, Any], str]:
    case = (await stack.case(ref, "company")).json()
    until = datetime.fromisoformat(response_deadline(case)["due"]) + timedelta(days=days)
    asked = await stack.act(
        ref,
        "company",
        action="request_extension",
        deadline="response",
        until=until.isoformat(),
        reasons="The factory audit ends next month.",
    )
    return asked, until.isoformat()


async def test_a_company_asks_for_more_time_and_the_chair_grants_it(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await responding(stack, file_complaint)
    ref = filed["reference"]
    before = response_deadline((await stack.case(ref, "company")).json())
    assert "request_extension" in await allowed(stack, ref, "company")
    assert "request_extension" not in await allowed(stack, ref, code(filed))  # none of its own
    asked, until = await ask_more_time(stack, ref)
    assert response_deadline(asked)["due"] == before["due"], "asking alone moves nothing"
    assert "grant_extension" in await allowed(stack, ref, "chair")
    assert "grant_extension" not in await allowed(stack, ref, "secretariat")
    # The chair's deadline to answer is on the case, for staff.
    staff = (await stack.case(ref, "chair")).json()
    assert "extension_answer" in [d["name"] for d in staff["deadlines"]]
    # Only the chair may answer: a company's own grant is forbidden and changes nothing.
    await stack.act(ref, "company", expect=403, action="grant_extension", request="extension-1")

    granted = await stack.act(
        ref, "chair", action="grant_extension", request="extension-1", reason="Reasonable."
    )
    assert datetime.fromisoformat(response_deadline(granted)["due"]) == datetime.fromisoformat(
        until
    )
    assert "extension_answer" not in [d["name"] for d in granted["deadlines"]]
    types = [e["type"] for e in granted["events"]]
    assert types[-2:] == ["extension_requested", "extension_granted"]
    # The company is told in its language (Dutch), with the chair's reason.
    told = await mail_saying(stack, COMPANY_ADDRESSES, ref, "Reasonable.")
    assert all(": verlengd tot " in text for text in told), told
    # Answered: a second answer is refused clearly, and nothing changes.
    again = await stack.act(
        ref, "chair", expect=409, action="refuse_extension", request="extension-1", reason="No!"
    )
    assert "no extension request awaits an answer" in again["detail"]


async def test_a_refused_extension_leaves_the_deadline_where_it_was(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await responding(stack, file_complaint)
    ref = filed["reference"]
    before = response_deadline((await stack.case(ref, "company")).json())
    await ask_more_time(stack, ref)
    refused = await stack.act(
        ref,
        "chair",
        action="refuse_extension",
        request="extension-1",
        reason="Thirty days are enough.",
    )
    assert response_deadline(refused)["due"] == before["due"]
    assert [e["type"] for e in refused["events"]][-1] == "extension_refused"
    told = await mail_saying(stack, COMPANY_ADDRESSES, ref, "Thirty days are enough.")
    assert all("het verzoek om meer tijd is afgewezen" in text for text in told), told
    # A request whose deadline has closed cannot be granted: the company responded.
    await ask_more_time(stack, ref, days=30)
    await stack.act(ref, "company", action="submit_response", text="Our response.")
    closed = await stack.act(
        ref, "chair", expect=422, action="grant_extension", request="extension-2"
    )
    assert "has closed" in closed["detail"]


async def test_the_complainant_asks_for_follow_up_and_a_meeting_and_is_answered_by_email(
    stack: Stack, file_complaint: Filed
) -> None:
    body = complaint()["complainant"] | {"confidential": True}
    filed = await responding(stack, file_complaint, complainant=body)
    ref, access = filed["reference"], code(filed)
    await stack.act(ref, access, action="request_follow_up", text="Has the company replied yet?")
    await stack.act(ref, access, action="request_meeting", text="Rahima wants to meet them.")
    staff = (await stack.case(ref, "secretariat")).json()
    answers = [d for d in staff["deadlines"] if d["name"] == "request_answer"]
    assert len(answers) == 2
    assert "answer_request" in await allowed(stack, ref, "secretariat")
    await stack.act(ref, "company", expect=403, action="request_meeting", text="We want one too.")
    # The companies are told a meeting is asked for: not who asked, nor in what words.
    meeting = await mail_saying(stack, COMPANY_ADDRESSES, ref, "vertegenwoordigers van uw bedrijf")
    for text in meeting:
        assert "Rahima" not in text and "Rupali Workers" not in text
    # The company's view of the case does not carry the request's words either.
    assert "Rahima wants" not in (await stack.case(ref, "company")).text

    answered = await stack.act(
        ref, "secretariat", action="answer_request", request="request-1", text="Not yet."
    )
    assert [e["type"] for e in answered["events"]][-1] == "request_answered"
    (reply,) = await mail_saying(stack, {COMPLAINANT}, ref, "Not yet.")
    assert "The secretariat answers your request for follow-up:" in reply
    again = await stack.act(
        ref, "secretariat", expect=422, action="answer_request", request="request-1", text="X"
    )
    assert "request-1 was already answered" in again["detail"]


async def test_messages_and_documents_may_be_added_while_orders_are_verified(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await responding(stack, file_complaint)
    ref, access = filed["reference"], code(filed)
    await stack.act(ref, "company", action="submit_response", text="We investigated.")
    await stack.act(ref, "secretariat", action="send_to_hearing", reason="No mediation.")
    await stack.act(ref, "secretariat", action="schedule_hearing", at=moment_ahead(14))
    await stack.act(ref, "chair", action="record_hearing", minutes="Both parties heard.")
    orders = [{"text": "Reinstate the dismissed organisers", "due": days_ahead(60)}]
    await stack.act(
        ref, "chair", action="issue_decision", finding="founded", reasons="Retaliation.",
        orders=orders,
    )  # fmt: skip
    await stack.act(ref, "company", action="submit_remediation_plan", text="Plan.")
    await stack.act(ref, "secretariat", action="approve_remediation_plan")
    writers: list[str | dict[str, str]] = ["secretariat", "chair", "company", access]
    # An order reported and being verified, then every order verified but the case not closed.
    await stack.act(ref, "company", action="submit_progress_report", order=1, text="Done.")
    for moment in ("reported", "verified"):
        if moment == "verified":
            case = await stack.act(ref, "secretariat", action="verify_order", order=1)
            assert case["stage"] == "remediation" and case["status"] == "open"
            assert "orders_complied" in [e["type"] for e in case["events"]]
        for who in writers:
            assert {"add_message"} <= await allowed(stack, ref, who), who
            text = f"Still watching ({moment}, {who if isinstance(who, str) else 'code'})"
            case = await stack.act(ref, who, action="add_message", text=text)
            assert case["events"][-1]["type"] == "message"
        upload = await stack.http.post(
            f"/api/v1/cases/{ref}/documents",
            files={"file": (f"payslips-{moment}.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
            data={"visibility": "parties"},
            headers=access,
        )
        assert upload.status_code == 201, upload.text
