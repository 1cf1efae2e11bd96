"""Signals through HTTP: filed about a location, passed on to both companies that source
there, reported on, turned into a complaint or closed; a confidential reporter stays hidden."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Stack, code, complaint

RUPALI = "demo-bd-rupali"  # listed by Noorderlicht Fashion and Delta Denim
BOTH = {"noorderlicht-fashion", "delta-denim"}
REPORTER = {
    "name": "Shapla Hidden Begum",
    "organisation": "Konabari Night Shift Circle",
    "email": "shapla.hidden@private.example",
    "phone": "+880 1888 121212",
    "confidential": True,
    "language": "en",
}
COMPANY_ADDRESSES = {
    "company@redress.localhost",
    "csr@noorderlicht-fashion.example",
    "company2@redress.localhost",
    "compliance@delta-denim.example",
}


def signal(**changes: Any) -> dict[str, Any]:
    """A signal about the Rupali factory (no company named) from a confidential reporter."""
    body = complaint(
        respondent={"production_location": RUPALI},
        complainant=REPORTER,
        subject="Fire exits locked during night shifts",
        description="The fire exits of the knitting floor are locked during night shifts.",
        issues=["health_and_safety"],
    )
    body.update(changes)
    return body


def leaks(text: str) -> list[str]:
    """The reporter's identity values found in ``text`` (case-blind)."""
    values = [REPORTER["name"], REPORTER["organisation"], REPORTER["email"], REPORTER["phone"]]
    return [str(v) for v in values if str(v).lower() in text.lower()]


async def file_signal(stack: Stack, as_user: str | None = None, **changes: Any) -> dict[str, Any]:
    headers = await stack.headers(as_user) if as_user else {}
    response = await stack.http.post("/api/v1/signals", json=signal(**changes), headers=headers)
    assert response.status_code == 201, response.text
    filed: dict[str, Any] = response.json()
    return filed


async def allowed(stack: Stack, ref: str, who: str) -> list[str]:
    response = await stack.http.get(
        f"/api/v1/cases/{ref}/actions", headers=await stack.headers(who)
    )
    assert response.status_code == 200, response.text
    names: list[str] = response.json()["allowed"]
    return names


def deadlines(case: dict[str, Any]) -> list[str]:
    return sorted(d["name"] for d in case["deadlines"])


async def test_a_signal_about_a_location_goes_to_both_companies_then_becomes_a_complaint(
    stack: Stack,
) -> None:
    filed = await file_signal(stack)
    ref = filed["reference"]
    assert filed["stage"] == "signal"
    staff = (await stack.case(ref, "secretariat")).json()
    assert (staff["kind"], staff["stage"]) == ("signal", "signal")
    assert {r["organisation_id"] for r in staff["respondent"]} == BOTH
    assert {r["production_location_id"] for r in staff["respondent"]} == {RUPALI}
    assert staff["complainant"]["name"] == REPORTER["name"]
    assert deadlines(staff) == ["register"]
    assert staff["deadlines"][0]["label"] == "Pass the signal on to the companies"

    # Neither company knows of the signal until it is passed on.
    for company in ("company", "company2"):
        assert (await stack.case(ref, company)).status_code == 404

    secretariat = await allowed(stack, ref, "secretariat")
    assert {"forward_signal", "convert_to_complaint", "close"} <= set(secretariat)
    assert "register" not in secretariat
    refused = await stack.act(ref, "secretariat", expect=409, action="register")
    assert "forward_signal" in refused["allowed"]
    await stack.act(ref, "company", expect=404, action="forward_signal")
    await stack.act(ref, "committee", expect=403, action="forward_signal")

    case = await stack.act(
        ref, "secretariat", action="forward_signal", note="Please check the night shift."
    )
    # Both companies see the signal now, never the confidential reporter.
    for company in ("company", "company2"):
        seen = await stack.case(ref, company)
        assert seen.status_code == 200, seen.text
        assert set(seen.json()["complainant"]) == {"pseudonym", "confidential"}
        assert leaks(seen.text) == []
    assert deadlines(case) == ["due_diligence", "due_diligence"]
    assert {d["label"] for d in case["deadlines"]} == {
        "Due diligence and remediation by Noorderlicht Fashion B.V.",
        "Due diligence and remediation by Delta Denim N.V.",
    }
    await stack.act(ref, "secretariat", expect=409, action="forward_signal")
    assert "report_due_diligence" in await allowed(stack, ref, "company2")

    # Each company is asked by e-mail, by its own date, without the reporter's name.
    mails = await stack.mails_to(
        {"csr@noorderlicht-fashion.example", "compliance@delta-denim.example"}, ref, at_least=2
    )
    assert {m.to for m in mails} == {
        "csr@noorderlicht-fashion.example",
        "compliance@delta-denim.example",
    }
    delta = next(m for m in mails if m.to == "compliance@delta-denim.example")
    assert "Due diligence and remediation by Delta Denim N.V." in delta.text
    assert "Please check the night shift." in delta.text
    assert staff["complainant"]["pseudonym"] in delta.text

    await stack.act(ref, "company", expect=422, action="report_due_diligence")
    case = await stack.act(
        ref, "company", action="report_due_diligence", text="Exits unlocked; audit booked."
    )
    assert case["events"][-1]["type"] == "due_diligence_reported"
    assert deadlines(case) == []  # its own is met; Delta Denim's is none of its business
    still = (await stack.case(ref, "secretariat")).json()["deadlines"]
    assert [d["label"] for d in still] == ["Due diligence and remediation by Delta Denim N.V."]
    await stack.act(ref, "company", expect=409, action="report_due_diligence", text="Again.")

    await stack.act(ref, "secretariat", expect=422, action="convert_to_complaint", reason="x")
    await stack.act(ref, "company2", expect=403, action="convert_to_complaint", reason="Why?")
    case = await stack.act(
        ref, "secretariat", action="convert_to_complaint", reason="Delta Denim did not answer."
    )
    assert (case["reference"], case["kind"], case["stage"]) == (ref, "complaint", "screening")
    assert deadlines(case) == ["register"]
    assert "converted_to_complaint" in [e["type"] for e in case["events"]]
    tracked = (await stack.case(ref, code(filed))).json()
    assert tracked["kind"] == "complaint" and tracked["complainant"]["name"] == REPORTER["name"]
    case = await stack.act(ref, "secretariat", action="register")
    assert case["stage"] == "admissibility"

    for company in ("company", "company2"):
        assert leaks((await stack.case(ref, company)).text) == []
    everything = [m for m in stack.mailer.sent if m.to in COMPANY_ADDRESSES and ref in m.subject]
    assert everything and all(not leaks(m.subject + m.text + m.html) for m in everything)


async def test_a_union_files_a_signal_and_the_secretariat_closes_it(stack: Stack) -> None:
    filed = await file_signal(
        stack, as_user="union", complainant=dict(REPORTER, confidential=False)
    )
    ref = filed["reference"]
    await stack.act(ref, "secretariat", action="forward_signal")
    await stack.act(ref, "company", action="report_due_diligence", text="Remediated.")
    await stack.act(ref, "company2", action="report_due_diligence", text="Remediated too.")
    await stack.act(ref, "company", expect=403, action="close", outcome="resolved", summary="No")
    case = await stack.act(
        ref, "secretariat", action="close", outcome="resolved", summary="Both remediated."
    )
    assert (case["stage"], case["status"], case["outcome"]) == ("closed", "closed", "resolved")
    assert case["kind"] == "signal"
    assert (await allowed(stack, ref, "union")) == ["consent_to_naming"]  # for the register


async def test_who_may_file_a_signal_and_about_what(stack: Stack) -> None:
    chair = await stack.http.post(
        "/api/v1/signals", json=signal(), headers=await stack.headers("chair")
    )
    assert chair.status_code == 403
    no_location = await stack.http.post(
        "/api/v1/signals", json=signal(respondent={"company": "delta-denim"})
    )
    assert no_location.status_code == 422
    assert "body.respondent.production_location" in no_location.json()["detail"]
    unknown = await stack.http.post(
        "/api/v1/signals", json=signal(respondent={"production_location": "nowhere"})
    )
    assert unknown.status_code == 422 and "nowhere" in unknown.json()["detail"]
    wrong_pair = await stack.http.post(
        "/api/v1/signals",
        json=signal(respondent={"company": "delta-denim", "production_location": "demo-bd-meghna"}),
    )
    assert wrong_pair.status_code == 422
    invalid = await stack.http.post("/api/v1/signals", json=signal(issues=[]))
    assert invalid.status_code == 422 and "body.issues" in invalid.json()["detail"]
    # Naming one company with the location still reaches every company that sources there.
    named = await file_signal(
        stack, respondent={"company": "Delta Denim N.V.", "production_location": RUPALI}
    )
    case = (await stack.case(named["reference"], "secretariat")).json()
    assert [r["organisation_id"] for r in case["respondent"]][0] == "delta-denim"
    assert {r["organisation_id"] for r in case["respondent"]} == BOTH
