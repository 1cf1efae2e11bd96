"""A complaint from filing to closure, entirely through HTTP."""

from __future__ import annotations

import re
from typing import Any

from tests.api.conftest import Filed, Stack, code, days_ahead, moment_ahead

REFERENCE = re.compile(r"^GT-\d{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{5}$")


def types(case: dict[str, Any]) -> list[str]:
    """The event types of a case, oldest first."""
    return [e["type"] for e in case["events"]]


async def test_a_complaint_from_filing_to_closure(stack: Stack, file_complaint: Filed) -> None:
    filed = await file_complaint()
    ref = filed["reference"]
    assert REFERENCE.match(ref), ref
    assert filed["stage"] == "screening"
    assert filed["status_url"] == f"{stack.settings.public_url}/api/v1/cases/{ref}"
    assert re.fullmatch(r"\d{20}", filed["access_code"])  # 20 digits: core.access_codes

    # The complainant follows the case with the access code alone.
    tracked = await stack.case(ref, code(filed))
    assert tracked.status_code == 200, tracked.text
    case = tracked.json()
    assert case["stage"] == "screening" and case["status"] == "open" and case["kind"] == "complaint"
    assert case["complainant"]["name"] == "Rahima Khatun"
    assert case["respondent"][0]["organisation_id"] == "noorderlicht-fashion"
    assert types(case)[0] == "filed"
    assert [d["name"] for d in case["deadlines"]] == ["register"]
    assert case["target_at"] is not None

    case = await stack.act(ref, "secretariat", action="register")
    assert case["stage"] == "admissibility"
    case = await stack.act(ref, "chair", action="declare_admissible", reasons="In scope.")
    assert case["stage"] == "response"
    assert "response" in [d["name"] for d in case["deadlines"]]

    allowed = await stack.http.get(
        f"/api/v1/cases/{ref}/actions", headers=await stack.headers("company")
    )
    assert "submit_response" in allowed.json()["allowed"]

    case = await stack.act(ref, "company", action="submit_response", text="We investigated.")
    assert types(case)[-1] == "response_submitted"
    case = await stack.act(ref, "secretariat", action="propose_mediation")
    assert case["stage"] == "mediation"
    case = await stack.act(ref, "secretariat", action="assign", mediator="mediator")

    case = await stack.act(ref, code(filed), action="consent_to_mediation")
    assert types(case)[-1] == "mediation_consent"
    case = await stack.act(ref, "company", action="consent_to_mediation")
    assert types(case)[-1] == "mediation_started"

    # The assigned mediator now sees the case and ends the mediation.
    assert (await stack.case(ref, "mediator")).status_code == 200
    case = await stack.act(ref, "mediator", action="end_mediation", reason="No agreement on pay.")
    assert case["stage"] == "hearing"
    assert "mediation_failed" in types(case)

    case = await stack.act(ref, "secretariat", action="schedule_hearing", at=moment_ahead(14))
    assert types(case)[-1] == "hearing_scheduled"
    case = await stack.act(ref, "chair", action="record_hearing", minutes="Both parties heard.")
    assert case["stage"] == "decision"

    orders = [
        {"text": "Reinstate the dismissed organisers", "due": days_ahead(60)},
        {"text": "Pay the wages lost since dismissal", "due": days_ahead(90)},
    ]
    case = await stack.act(
        ref,
        "chair",
        action="issue_decision",
        finding="founded",
        reasons="The dismissals were retaliation.",
        orders=orders,
    )
    assert case["stage"] == "remediation"
    assert "decision_issued" in types(case)
    assert [(o["number"], o["status"]) for o in case["orders"]] == [(1, "open"), (2, "open")]

    case = await stack.act(ref, "company", action="submit_remediation_plan", text="Plan v1.")
    case = await stack.act(
        ref, "secretariat", action="reject_remediation_plan", reasons="No dates for back pay."
    )
    assert types(case)[-1] == "plan_rejected"
    case = await stack.act(ref, "company", action="submit_remediation_plan", text="Plan v2.")
    case = await stack.act(ref, "secretariat", action="approve_remediation_plan")
    assert types(case)[-1] == "plan_approved"

    case = await stack.act(
        ref, "company", action="submit_progress_report", order=1, text="All reinstated."
    )
    assert case["orders"][0]["status"] == "reported"
    await stack.act(ref, "secretariat", action="verify_order", order=1)
    case = await stack.act(ref, "secretariat", action="verify_order", order=2)
    assert [o["status"] for o in case["orders"]] == ["verified", "verified"]
    assert "orders_complied" in types(case)

    case = await stack.act(
        ref, "chair", action="close", outcome="resolved", summary="Remedied in full."
    )
    assert (case["stage"], case["status"], case["outcome"]) == ("closed", "closed", "resolved")
    assert case["deadlines"] == []

    # The read model agrees, for the complainant too; nothing more can be done to the case,
    # but the complainant may still say whether the public register may name it.
    tracked = (await stack.case(ref, code(filed))).json()
    assert tracked["stage"] == "closed" and types(tracked)[-1] == "closed"
    allowed = await stack.http.get(f"/api/v1/cases/{ref}/actions", headers=code(filed))
    assert allowed.json() == {"allowed": ["consent_to_naming"]}


async def test_documents_follow_their_visibility(stack: Stack, file_complaint: Filed) -> None:
    filed = await file_complaint()
    ref = filed["reference"]
    company = await stack.headers("company")
    await stack.act(ref, "secretariat", action="register")

    uploaded = await stack.http.post(
        f"/api/v1/cases/{ref}/documents",
        headers=company,
        files={"file": ("../../audit report.pdf", b"%PDF-1.4 audit", "application/pdf")},
        data={"visibility": "parties"},
    )
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()
    assert document["filename"] == "audit report.pdf" and document["size"] == 14
    internal = await stack.http.post(
        f"/api/v1/cases/{ref}/documents",
        headers=await stack.headers("secretariat"),
        files={"file": ("note.txt", b"internal note", "text/plain")},
        data={"visibility": "committee"},
    )
    assert internal.status_code == 201, internal.text

    seen = (await stack.case(ref, code(filed))).json()
    assert [d["id"] for d in seen["documents"]] == [document["id"]]
    assert "document_added" in types(seen)
    download = await stack.http.get(
        f"/api/v1/cases/{ref}/documents/{document['id']}", headers=code(filed)
    )
    assert download.status_code == 200 and download.content == b"%PDF-1.4 audit"
    assert download.headers["content-disposition"].startswith("attachment")
    hidden = await stack.http.get(
        f"/api/v1/cases/{ref}/documents/{internal.json()['id']}", headers=code(filed)
    )
    assert hidden.status_code == 404
    staff = (await stack.case(ref, "secretariat")).json()
    assert len(staff["documents"]) == 2

    refused = await stack.http.post(
        f"/api/v1/cases/{ref}/documents",
        headers=company,
        files={"file": ("page.html", b"<script>", "text/html")},
        data={"visibility": "parties"},
    )
    assert refused.status_code == 415


async def test_a_union_files_a_dispute_against_another_party(stack: Stack) -> None:
    body = {
        "covenant": "garments-textile",
        "respondent": {"organisation": "delta-denim"},
        "subject": "Purchasing practices",
        "description": "Order cancellations without payment for finished goods.",
    }
    union = await stack.headers("union")
    filed = await stack.http.post("/api/v1/disputes", json=body, headers=union)
    assert filed.status_code == 201, filed.text
    assert filed.json()["stage"] == "dialogue"
    ref = filed.json()["reference"]
    assert (await stack.case(ref, "company2")).json()["kind"] == "dispute"
    assert (await stack.case(ref, "company")).status_code == 404

    outsider = await stack.http.post(
        "/api/v1/disputes", json=body, headers=await stack.headers("ngo")
    )
    assert outsider.status_code == 403
    unknown = dict(body, respondent={"organisation": "stonebridge-stone"})
    refused = await stack.http.post("/api/v1/disputes", json=unknown, headers=union)
    assert refused.status_code == 422 and "respondent.organisation" in refused.json()["detail"]
    anonymous = await stack.http.post("/api/v1/disputes", json=body)
    assert anonymous.status_code == 401
