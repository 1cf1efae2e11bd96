"""A complaint against the two companies sourcing at Rupali Knit, through the API: mediation
with the one that consents and a hearing for the other; a plan, orders and deadlines of each
company's own, which the other never sees (API, case page, e-mail); a progress report
rejected and a finding of non-compliance after a missed order deadline."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from typing import Any

import httpx
import time_machine
from temporalio.testing import TimeSkipper

from store.seed import DEMO_PASSWORD
from tests.api.conftest import Filed, Stack, code, days_ahead

NOORDERLICHT = {"company@redress.localhost", "csr@noorderlicht-fashion.example"}
DELTA = {"company2@redress.localhost", "compliance@delta-denim.example"}


async def _responded(stack: Stack, file_complaint: Filed) -> tuple[str, dict[str, Any]]:
    """A confidential complaint against both companies, admitted, both having responded."""
    filed = await file_complaint(
        respondent={"production_location": "demo-bd-rupali"},
        complainant={"name": "Nasima Akter", "email": "nasima@example.org", "confidential": True},
    )
    ref = filed["reference"]
    await stack.act(ref, "secretariat", action="register")
    await stack.act(ref, "chair", action="declare_admissible")
    await stack.act(ref, "company", action="submit_response", text="Noorderlicht's answer")
    await stack.act(ref, "company2", action="submit_response", text="Delta's answer")
    return ref, filed


async def _page(stack: Stack, ref: str, who: str) -> str:
    """The case page as a signed-in user sees it."""
    token = (await stack.headers(who))["Authorization"].removeprefix("Bearer ")
    page = await stack.http.get(
        f"/portal/cases/{ref}", headers={"Cookie": f"redress_session={token}"}
    )
    assert page.status_code == 200, page.text
    return page.text


async def _eventually(
    stack: Stack, ref: str, who: str | dict[str, str], stage: str
) -> dict[str, Any]:
    """The case as ``who`` sees it once it stands in ``stage`` (a split-off case starts apart)."""
    for _ in range(100):
        response = await stack.case(ref, who)
        if response.status_code == 200 and response.json()["stage"] == stage:
            body: dict[str, Any] = response.json()
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"{ref} never reached {stage} for {who}")


async def test_mediation_with_one_company_and_a_hearing_for_the_other(
    stack: Stack, file_complaint: Filed
) -> None:
    ref, filed = await _responded(stack, file_complaint)
    await stack.act(ref, "secretariat", action="propose_mediation")
    await stack.act(ref, code(filed), action="consent_to_mediation")
    await stack.act(ref, "company", action="decline_mediation", reason="We want a hearing")
    # The secretariat records an answer only for a company it names, and not twice.
    unnamed = await stack.act(ref, "secretariat", expect=422, action="consent_to_mediation")
    assert "respondent" in unnamed["detail"] and "delta-denim" in unnamed["detail"]
    again = await stack.act(
        ref,
        "secretariat",
        expect=422,
        action="consent_to_mediation",
        respondent="noorderlicht-fashion",
    )
    assert "already answered" in again["detail"]
    other = await stack.act(
        ref, "company2", expect=403, action="decline_mediation", respondent="noorderlicht-fashion"
    )
    assert "only for itself" in other["detail"]

    case = await stack.act(ref, "company2", action="consent_to_mediation")
    assert case["stage"] == "mediation"
    assert [r["organisation_id"] for r in case["respondent"]] == ["delta-denim"]
    assert any(e["type"] == "mediation_started" for e in case["events"])

    split = f"{ref}-2"
    # The complainant follows the split-off case with the same access code, still confidential.
    followed = await _eventually(stack, split, code(filed), "hearing")
    assert followed["complainant"]["name"] == "Nasima Akter"
    hearing = await _eventually(stack, split, "company", "hearing")
    assert [r["organisation_id"] for r in hearing["respondent"]] == ["noorderlicht-fashion"]
    assert "Nasima" not in str(hearing["complainant"])
    assert hearing["complainant"]["pseudonym"] == followed["complainant"]["pseudonym"]
    assert (await stack.case(split, "company2")).status_code == 404
    # Noorderlicht has left the mediated case: it is no longer Noorderlicht's to see.
    gone = await stack.case(ref, "company")
    assert gone.status_code == 404


async def test_each_company_has_its_own_orders_plan_and_findings(
    stack: Stack, file_complaint: Filed
) -> None:
    ref, filed = await _responded(stack, file_complaint)
    await stack.act(ref, "secretariat", action="send_to_hearing", reason="Too far apart")
    await stack.act(ref, "secretariat", action="schedule_hearing", at=f"{days_ahead(20)}T10:00:00Z")
    await stack.act(ref, "chair", action="record_hearing", minutes="Heard all.")
    decision = {"action": "issue_decision", "finding": "founded", "reasons": "Founded."}
    wages = {"text": "Pay the withheld wages of the organisers", "due": days_ahead(60)}
    unnamed = await stack.act(ref, "chair", expect=422, **decision, orders=[wages])
    assert "name the company the order binds" in unnamed["detail"]
    unknown = await stack.act(
        ref, "chair", expect=422, **decision, orders=[{**wages, "respondent": "acme"}]
    )
    assert "'acme' is not a respondent" in unknown["detail"]
    reinstate = {"text": "Reinstate the dismissed organisers", "due": days_ahead(90)}
    orders = [
        {**wages, "respondent": "noorderlicht-fashion"},
        {**reinstate, "respondent": "delta-denim"},
    ]
    case = await stack.act(ref, "chair", **decision, orders=orders)
    assert case["stage"] == "remediation"

    # Each company sees its own order and deadlines only; staff and the complainant see both.
    for who, text in (("company", wages["text"]), ("company2", reinstate["text"])):
        mine = (await stack.case(ref, who)).json()
        assert [o["text"] for o in mine["orders"]] == [text], who
        names = [d["name"] for d in mine["deadlines"]]
        assert (
            names.count("remediation_plan") == 1
            and len([n for n in names if n.startswith("order-")]) == 1
        )
    for who in ("secretariat", code(filed)):
        assert len((await stack.case(ref, who)).json()["orders"]) == 2
    noorderlicht_page = await _page(stack, ref, "company")
    assert wages["text"] in noorderlicht_page and reinstate["text"] not in noorderlicht_page
    delta_page = await _page(stack, ref, "company2")
    assert reinstate["text"] in delta_page and wages["text"] not in delta_page

    # Two plans, each reviewed on its own.
    await stack.act(
        ref, "company", action="submit_remediation_plan", text="Noorderlicht pays in May"
    )
    await stack.act(ref, "company2", action="submit_remediation_plan", text="Delta reinstates all")
    which = await stack.act(ref, "secretariat", expect=422, action="approve_remediation_plan")
    assert "respondent" in which["detail"]
    await stack.act(
        ref, "secretariat", action="approve_remediation_plan", respondent="noorderlicht-fashion"
    )
    await stack.act(
        ref,
        "secretariat",
        action="reject_remediation_plan",
        respondent="delta-denim",
        reasons="No dates",
    )
    delta = (await stack.case(ref, "company2")).json()
    assert not any("Noorderlicht pays" in (e.get("text") or "") for e in delta["events"])
    assert any(e["type"] == "plan_rejected" for e in delta["events"])
    noorderlicht = (await stack.case(ref, "company")).json()
    assert not any(e["type"] == "plan_rejected" for e in noorderlicht["events"])
    assert "Delta reinstates" not in str(noorderlicht)

    # A progress report only on one's own order; the secretariat rejects it.
    theirs = await stack.act(
        ref, "company", expect=422, action="submit_progress_report", order=2, text="Not ours"
    )
    assert "does not bind your organisation" in theirs["detail"]
    await stack.act(ref, "company", action="submit_progress_report", order=1, text="Half paid")
    rejected = await stack.act(
        ref, "secretariat", action="reject_progress_report", order=1, reasons="No payslips shown"
    )
    assert rejected["orders"][0]["status"] == "open"
    none_left = await stack.act(
        ref, "secretariat", expect=409, action="reject_progress_report", order=1, reasons="Again"
    )
    assert "reject_progress_report" not in none_left["allowed"]
    await stack.mails_to(NOORDERLICHT, ref, at_least=1)

    # Non-compliance: only after the order's deadline was missed.
    find = {"action": "find_non_compliance", "order": 1, "reasons": "The wages are still unpaid"}
    early = await stack.act(ref, "chair", expect=409, **find)
    assert "no order is overdue yet" in early["detail"]
    await stack.act(ref, "secretariat", expect=403, **find)
    handle = stack.client.get_workflow_handle(f"case-{ref}")
    skipper = TimeSkipper(stack.client)
    now = await skipper.get_current_time(handle)
    due = next(
        d for d in (await stack.case(ref, "chair")).json()["deadlines"] if d["name"] == "order-1"
    )
    await skipper.fast_forward(
        handle, datetime.fromisoformat(due["due"]) - now + timedelta(hours=1)
    )
    for _ in range(100):
        seen = (await stack.case(ref, "chair")).json()
        if any(d["name"] == "order-1" and d["overdue"] for d in seen["deadlines"]):
            break
        await asyncio.sleep(0.1)
    # The API checks the action against its own clock too: it moves with the case's.
    with time_machine.travel(datetime.fromisoformat(due["due"]) + timedelta(hours=2), tick=True):
        signed_in = await stack.http.post(
            "/api/v1/auth/token", json={"username": "chair", "password": DEMO_PASSWORD}
        )
        chair = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        found = await stack.act(ref, chair, **find)
    assert any(e["type"] == "non_compliance_found" for e in found["events"])
    noorderlicht = (await stack.case(ref, "company")).json()
    assert any(e["type"] == "non_compliance_found" for e in noorderlicht["events"])
    delta = (await stack.case(ref, "company2")).json()
    assert not any(e["type"] == "non_compliance_found" for e in delta["events"])
    for _ in range(100):
        told = [m for m in stack.mailer.sent if "still unpaid" in m.text]
        if any(m.to in NOORDERLICHT for m in told):
            break
        await asyncio.sleep(0.1)
    assert any(m.to in NOORDERLICHT for m in told)
    assert not any(m.to in DELTA for m in told)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def _post_form(stack: Stack, ref: str, who: str, **fields: str) -> httpx.Response:
    """Post an action's form from the case page, signed in as ``who``."""
    token = (await stack.headers(who))["Authorization"].removeprefix("Bearer ")
    cookies = {"Cookie": f"redress_session={token}"}
    page = await stack.http.get(f"/portal/cases/{ref}", headers=cookies)
    data = {"csrf_token": CSRF.findall(page.text)[0], **fields}
    return await stack.http.post(f"/portal/cases/{ref}/actions", data=data, headers=cookies)


async def test_the_case_page_names_the_company_of_each_order_and_plan(
    stack: Stack, file_complaint: Filed
) -> None:
    ref, _ = await _responded(stack, file_complaint)
    await stack.act(ref, "secretariat", action="send_to_hearing", reason="Too far apart")
    await stack.act(ref, "secretariat", action="schedule_hearing", at=f"{days_ahead(20)}T10:00:00Z")
    await stack.act(ref, "chair", action="record_hearing", minutes="Heard all.")
    decision = {"action": "issue_decision", "finding": "founded", "reasons": "Founded."}
    rows = {
        "order-1-text": "Pay the wages",
        "order-1-due": days_ahead(60),
        "order-2-text": "Reinstate the organisers",
        "order-2-due": days_ahead(90),
    }
    chair_page = await _page(stack, ref, "chair")
    assert 'name="order-1-respondent"' in chair_page  # each order row picks its company
    unnamed = await _post_form(stack, ref, "chair", **decision, **rows)
    assert unnamed.status_code == 422 and "name the company the order binds" in unnamed.text
    named = {
        **rows,
        "order-1-respondent": "noorderlicht-fashion",
        "order-2-respondent": "delta-denim",
    }
    done = await _post_form(stack, ref, "chair", **decision, **named)
    assert done.status_code == 303, done.text
    orders = (await stack.case(ref, "company2")).json()["orders"]
    assert [(o["text"], o["respondent"]) for o in orders] == [
        ("Reinstate the organisers", "delta-denim")
    ]

    plan = await _post_form(
        stack, ref, "company2", action="submit_remediation_plan", text="Delta reinstates all"
    )
    assert plan.status_code == 303, plan.text
    staff_page = await _page(stack, ref, "secretariat")
    assert 'name="respondent"' in staff_page
    assert '<option value="delta-denim">Delta Denim N.V.</option>' in staff_page
    assert 'name="respondent"' not in await _page(stack, ref, "company2")
    approved = await _post_form(
        stack, ref, "secretariat", action="approve_remediation_plan", respondent="delta-denim"
    )
    assert approved.status_code == 303, approved.text
    delta = (await stack.case(ref, "company2")).json()
    assert any(e["type"] == "plan_approved" for e in delta["events"])
    noorderlicht = (await stack.case(ref, "company")).json()
    assert not any(e["type"] == "plan_approved" for e in noorderlicht["events"])
