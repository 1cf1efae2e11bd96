"""Who sees what: invisible cases are 404 like unknown ones; refusals change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tests.api.conftest import Filed, Stack, code, complaint


async def test_invisible_cases_answer_exactly_like_unknown_ones(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint(as_user="union")
    ref = filed["reference"]
    assert (await stack.case(ref, "union")).status_code == 200
    assert (await stack.case(ref, "secretariat")).status_code == 200

    unknown = await stack.case("GT-2026-ZZZZZ", "secretariat")
    assert unknown.status_code == 404
    # In screening the company does not know of the complaint (reprisal risks are triaged).
    screening = await stack.case(ref, "company")
    assert (screening.status_code, screening.json()) == (404, unknown.json())
    await stack.act(ref, "secretariat", action="register")
    assert (await stack.case(ref, "company")).status_code == 200
    invisible = [
        await stack.case(ref, "company2"),  # another company
        await stack.case(ref, "ngo"),  # another complainant organisation
        await stack.case(ref, "mediator"),  # a mediator not assigned to it
        await stack.case(ref, {"X-Access-Code": "not-the-code"}),
        await stack.case(ref, code(await file_complaint())),  # another case's code
        await stack.case(ref, {}),
    ]
    for response in invisible:
        assert (response.status_code, response.json()) == (404, unknown.json())
    for path in ("actions", "documents/x"):
        other = await stack.http.get(
            f"/api/v1/cases/{ref}/{path}", headers=await stack.headers("company2")
        )
        assert other.status_code == 404
    acting = await stack.http.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "add_message", "text": "Hello"},
        headers=await stack.headers("company2"),
    )
    assert (acting.status_code, acting.json()) == (404, unknown.json())


async def test_the_case_list_holds_only_what_the_caller_may_see(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint(as_user="union", subject="Blocked fire exits at Meghna")
    ref = filed["reference"]

    async def listed(user: str, **params: str) -> list[str]:
        response = await stack.http.get(
            "/api/v1/cases", params=params, headers=await stack.headers(user)
        )
        assert response.status_code == 200, response.text
        return [item["reference"] for item in response.json()["items"]]

    assert ref in await listed("secretariat", q="meghna")
    assert ref in await listed("union")
    assert ref not in await listed("company")  # not before registration
    await stack.act(ref, "secretariat", action="register")
    assert ref in await listed("company", stage="admissibility", covenant="garments-textile")
    assert ref not in await listed("company2")
    assert ref not in await listed("ngo")
    assert ref not in await listed("mediator")
    assert ref not in await listed("secretariat", stage="closed")
    assert (await stack.http.get("/api/v1/cases")).status_code == 401
    too_big = await stack.http.get(
        "/api/v1/cases", params={"page_size": 101}, headers=await stack.headers("chair")
    )
    assert too_big.status_code == 422 and "page_size" in too_big.json()["detail"]


async def test_wrong_stage_is_409_with_allowed_and_changes_nothing(
    stack: Stack, file_complaint: Filed
) -> None:
    ref = (await file_complaint())["reference"]
    before = (await stack.case(ref, "chair")).json()
    refused = await stack.act(ref, "chair", expect=409, action="declare_admissible")
    assert "screening" in refused["detail"] or "not allowed" in refused["detail"]
    assert "declare_admissible" not in refused["allowed"]
    assert "suspend" in refused["allowed"]
    after = (await stack.case(ref, "chair")).json()
    assert after == before


async def test_a_role_that_may_not_act_is_403(stack: Stack, file_complaint: Filed) -> None:
    filed = await file_complaint()
    ref = filed["reference"]
    refused = await stack.act(ref, "committee", expect=403, action="register")
    assert "secretariat" in refused["detail"]
    await stack.act(ref, code(filed), expect=403, action="register")
    await stack.act(ref, "company", expect=404, action="register")  # it does not know of it
    assert (await stack.case(ref, "chair")).json()["stage"] == "screening"


async def test_bad_bodies_are_422_naming_the_fields(stack: Stack, file_complaint: Filed) -> None:
    incomplete = complaint()
    del incomplete["subject"]
    incomplete["complainant"] = {"email": "not-an-address"}
    response = await stack.http.post("/api/v1/complaints", json=incomplete)
    assert response.status_code == 422
    body = response.json()
    for name in ("body.subject", "body.complainant.name", "body.complainant.email"):
        assert name in body["detail"]
    assert {tuple(e["loc"]) for e in body["errors"]} >= {("body", "subject")}
    assert all("input" not in e for e in body["errors"])

    unknown_covenant = await stack.http.post("/api/v1/complaints", json=complaint(covenant="cocoa"))
    assert unknown_covenant.status_code == 422
    assert "body.covenant" in unknown_covenant.json()["detail"]
    assert "garments-textile" in unknown_covenant.json()["detail"]
    unknown_company = await stack.http.post(
        "/api/v1/complaints", json=complaint(respondent={"company": "Stonebridge Natural Stone"})
    )
    assert "unknown company" in unknown_company.json()["detail"]
    elsewhere = await stack.http.post(
        "/api/v1/complaints",
        json=complaint(
            respondent={"company": "delta-denim", "production_location": "demo-bd-meghna"}
        ),
    )
    assert elsewhere.status_code == 422 and "production_location" in elsewhere.json()["detail"]

    ref = (await file_complaint())["reference"]
    bogus = await stack.act(ref, "secretariat", expect=422, action="celebrate")
    assert "unknown action 'celebrate'" in bogus["detail"] and "register" in bogus["detail"]
    missing = await stack.act(ref, "secretariat", expect=422, note="no action named")
    assert "body.action" in missing["detail"]
    finding = await stack.act(
        ref, "chair", expect=422, action="issue_decision", finding="guilty", reasons="Because."
    )
    assert "body.finding" in finding["detail"]
    assert (await stack.case(ref, "chair")).json()["stage"] == "screening"


@contextmanager
def filings_per_hour(stack: Stack, limit: int) -> Iterator[None]:
    """Anonymous filings limited to ``limit`` an hour for the block (counted afresh)."""
    before = stack.settings.complaint_rate_per_hour
    stack.settings.complaint_rate_per_hour = limit
    try:
        yield
    finally:
        stack.settings.complaint_rate_per_hour = before
        stack.app.state.throttle.storage.reset()


async def test_anonymous_filing_is_rate_limited_per_address(stack: Stack) -> None:
    with filings_per_hour(stack, 1):
        assert (await stack.http.post("/api/v1/complaints", json=complaint())).status_code == 201
        response = await stack.http.post("/api/v1/complaints", json=complaint())
        assert response.status_code == 429
        assert int(response.headers["retry-after"]) >= 1
        # A union account is not rate limited like anonymous callers.
        signed_in = await stack.http.post(
            "/api/v1/complaints", json=complaint(), headers=await stack.headers("union")
        )
        assert signed_in.status_code == 201
        staff = await stack.http.post(
            "/api/v1/complaints", json=complaint(), headers=await stack.headers("chair")
        )
        assert staff.status_code == 403


async def test_only_a_filing_about_to_start_counts_against_the_rate(stack: Stack) -> None:
    with filings_per_hour(stack, 1):
        mistakes = [
            {k: v for k, v in complaint().items() if k != "subject"},  # invalid body
            complaint(covenant="cocoa"),  # unknown covenant
            complaint(respondent={"company": "Stonebridge Natural Stone"}),  # unknown company
            complaint(respondent={"company": "delta-denim", "production_location": "nowhere"}),
        ]
        for body in mistakes:
            response = await stack.http.post("/api/v1/complaints", json=body)
            assert response.status_code == 422, response.text
        first = await stack.http.post("/api/v1/complaints", json=complaint())
        assert first.status_code == 201, first.text
        second = await stack.http.post("/api/v1/complaints", json=complaint())
        assert second.status_code == 429 and int(second.headers["retry-after"]) >= 1
