"""Searching the production-location registry through the API."""

from __future__ import annotations

from tests.api.conftest import Stack


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
