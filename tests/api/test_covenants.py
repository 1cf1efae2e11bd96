"""The covenants, their parties and procedures, for anyone to read."""

from __future__ import annotations

from tests.api.conftest import Stack


async def test_covenants_list_their_parties_body_and_procedure(stack: Stack) -> None:
    listed = await stack.http.get("/api/v1/covenants")
    assert listed.status_code == 200, listed.text
    by_slug = {c["slug"]: c for c in listed.json()}
    garments, stone = by_slug["garments-textile"], by_slug["natural-stone"]
    assert garments["deciding_body"] == "committee"
    assert stone["deciding_body"] == "steering_group"
    assert garments["version"] == garments["versions"][-1]
    assert garments["procedure"]["deadlines"]["response"] == {
        "amount": 30,
        "unit": "calendar_days",
    }
    assert {"noorderlicht-fashion", "dhaka-gwu"} <= {p["id"] for p in garments["parties"]}
    one = await stack.http.get("/api/v1/covenants/natural-stone")
    assert one.json()["name"] == stone["name"]
    missing = await stack.http.get("/api/v1/covenants/cocoa")
    assert missing.status_code == 404 and "cocoa" in missing.json()["detail"]
