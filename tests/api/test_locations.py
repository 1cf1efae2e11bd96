"""Searching the production-location registry through the API."""

from __future__ import annotations

import asyncio

from tests.api.conftest import Filed, Stack, complaint


async def test_search_by_fragment_country_and_company(stack: Stack) -> None:
    found = await stack.http.get("/api/v1/production-locations", params={"q": "rupali knit"})
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["total"] >= 1
    rupali = next(i for i in body["items"] if i["id"] == "demo-bd-rupali")
    assert {c["id"] for c in rupali["companies"]} == {"noorderlicht-fashion", "delta-denim"}
    legal = await stack.http.get(
        "/api/v1/production-locations", params={"q": "RUPALI KNIT COMPOSITE LIMITED"}
    )
    assert any(i["id"] == "demo-bd-rupali" for i in legal.json()["items"])
    by_name = await stack.http.get(
        "/api/v1/production-locations",
        params={"country": "Bangladesh", "company": "Delta Denim N.V."},
    )
    assert [i["id"] for i in by_name.json()["items"]] == ["demo-bd-rupali"]
    nowhere = await stack.http.get(
        "/api/v1/production-locations", params={"q": "rupali", "country": "TR"}
    )
    assert nowhere.json()["total"] == 0


async def test_unknown_country_or_company_is_422(stack: Stack) -> None:
    bad = await stack.http.get("/api/v1/production-locations", params={"country": "Narnia"})
    assert bad.status_code == 422 and "country" in bad.json()["detail"]
    bad = await stack.http.get("/api/v1/production-locations", params={"company": "Nobody B.V."})
    assert bad.status_code == 422 and "company" in bad.json()["detail"]


async def test_filing_against_a_shared_location_makes_every_buyer_a_respondent(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint(
        respondent={"production_location": "demo-bd-rupali"},
        complainant={
            "name": "Nasima Akter",
            "confidential": True,
            "email": "nasima@example.org",
        },
    )
    ref = filed["reference"]
    for company in ("company", "company2"):  # neither knows of it before registration
        assert (await stack.case(ref, company)).status_code == 404, company
    await stack.act(ref, "secretariat", action="register")
    for company in ("company", "company2"):
        seen = await stack.case(ref, company)
        assert seen.status_code == 200, company
        assert "Nasima" not in seen.text
    assert {r["organisation_id"] for r in seen.json()["respondent"]} == {
        "noorderlicht-fashion",
        "delta-denim",
    }
    case = await stack.act(ref, "chair", action="declare_admissible")
    responses = [d for d in case["deadlines"] if d["name"] == "response"]
    assert len(responses) == 2
    mails = await stack.mails_to(
        {"company@redress.localhost", "company2@redress.localhost"}, ref, at_least=4
    )
    assert {m.to for m in mails} == {"company@redress.localhost", "company2@redress.localhost"}
    assert all("Nasima" not in m.text + m.html for m in mails)
    await stack.act(ref, "company", action="submit_response", text="Noorderlicht replies.")
    await stack.act(ref, "company", expect=409, action="submit_response", text="Twice")
    await stack.act(ref, "secretariat", expect=409, action="propose_mediation")
    await stack.act(ref, "company2", action="submit_response", text="Delta replies.")
    after = await stack.act(ref, "secretariat", action="propose_mediation")
    assert after["stage"] == "mediation"


async def test_a_location_without_covenant_buyers_or_a_wrong_pair_is_422(
    stack: Stack, file_complaint: Filed
) -> None:
    mismatch = await stack.http.post(
        "/api/v1/complaints",
        json=complaint(
            respondent={"company": "delta-denim", "production_location": "demo-tr-anatolia"}
        ),
    )
    assert mismatch.status_code == 422 and "source" in mismatch.json()["detail"]
    neither = await stack.http.post("/api/v1/complaints", json=complaint(respondent={}))
    assert neither.status_code == 422 and "company" in neither.json()["detail"]


async def test_the_chair_splits_a_case_per_company(stack: Stack, file_complaint: Filed) -> None:
    filed = await file_complaint(respondent={"production_location": "demo-bd-rupali"})
    ref, code = filed["reference"], filed["access_code"]
    await stack.act(ref, "secretariat", action="register")
    await stack.act(ref, "chair", action="declare_admissible")
    await stack.act(ref, "company", expect=403, action="split_case", respondent="delta-denim")
    refused = await stack.act(ref, "chair", expect=422, action="split_case", respondent="acme")
    assert "not a respondent" in refused["detail"]
    after = await stack.act(ref, "chair", action="split_case", respondent="delta-denim")
    assert [r["organisation_id"] for r in after["respondent"]] == ["noorderlicht-fashion"]
    new = f"{ref}-2"
    for _ in range(50):  # the split-off case projects itself from its own workflow
        seen = await stack.case(new, "company2")
        if seen.status_code == 200:
            break
        await asyncio.sleep(0.1)
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert body["stage"] == "response"
    assert [r["organisation_id"] for r in body["respondent"]] == ["delta-denim"]
    assert [d["name"] for d in body["deadlines"]] == ["response"]
    assert (await stack.case(new, "company")).status_code == 404
    assert (await stack.case(ref, "company2")).status_code == 404
    # The complainant follows both cases with the one access code it was given.
    assert (await stack.case(new, {"X-Access-Code": code})).status_code == 200
