"""Administering organisations, their contacts and covenant parties (API.md, Administration)."""

from __future__ import annotations

from tests.api.conftest import Stack


async def test_the_secretariat_adds_a_company_with_contacts_and_the_admin_makes_it_a_party(
    stack: Stack,
) -> None:
    secretariat = await stack.headers("secretariat")
    body = {
        "name": "Zuiderzee Textiles B.V.",
        "kind": "company",
        "country": "nl",
        "contacts": [
            {"email": "csr@zuiderzee.example", "language": "nl"},
            {"email": "legal@zuiderzee.example", "language": "en"},
        ],
    }
    created = await stack.http.post("/api/v1/organisations", json=body, headers=secretariat)
    assert created.status_code == 201, created.text
    org = created.json()
    assert (org["id"], org["country"]) == ("zuiderzee-textiles", "NL")
    assert {c["email"]: c["language"] for c in org["contacts"]} == {
        "csr@zuiderzee.example": "nl",
        "legal@zuiderzee.example": "en",
    }
    again = await stack.http.post("/api/v1/organisations", json=body, headers=secretariat)
    assert again.status_code == 422 and again.json()["errors"][0]["loc"] == ["body", "name"]
    found = await stack.http.get(
        "/api/v1/organisations", params={"q": "zuiderzee", "kind": "company"}, headers=secretariat
    )
    assert [o["id"] for o in found.json()["items"]] == ["zuiderzee-textiles"]

    party = {"organisation": "zuiderzee-textiles"}
    url = "/api/v1/covenants/garments-textile/parties"
    assert (await stack.http.post(url, json=party, headers=secretariat)).status_code == 403
    admin = await stack.headers("admin")
    for _ in range(2):  # twice changes nothing
        made = await stack.http.post(url, json=party, headers=admin)
        assert made.status_code == 201, made.text
    covenant = (await stack.http.get("/api/v1/covenants/garments-textile")).json()
    assert "zuiderzee-textiles" in {p["id"] for p in covenant["parties"]}
    unknown = await stack.http.post(url, json={"organisation": "nobody"}, headers=admin)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"][-1] == "organisation"
    nowhere = "/api/v1/covenants/no-such-covenant/parties"
    assert (await stack.http.post(nowhere, json=party, headers=admin)).status_code == 404

    changes = await stack.http.get("/api/v1/administration/changes", headers=admin)
    assert changes.status_code == 200
    mine = [c for c in changes.json()["items"] if c["target"] == "zuiderzee-textiles"]
    assert [(c["action"], c["user"]) for c in mine] == [
        ("covenant_party_added", "admin"),  # once, though asked twice
        ("organisation_created", "secretariat"),
    ]
    assert mine[1]["detail"]["contacts"][0]["email"] == "csr@zuiderzee.example"
    shown = await stack.http.get("/api/v1/administration/changes", headers=secretariat)
    assert shown.status_code == 403


async def test_contacts_are_added_to_an_imported_company_and_bad_input_changes_nothing(
    stack: Stack,
) -> None:
    secretariat = await stack.headers("secretariat")
    url = "/api/v1/organisations/stonebridge-stone"
    before = await stack.http.get(
        "/api/v1/organisations", params={"q": "stonebridge"}, headers=secretariat
    )
    (org,) = before.json()["items"]
    for bad, field in (
        ({"contacts": [{"email": "not-an-address"}]}, "email"),
        ({"contacts": [{"email": "a@b.example", "language": "English"}]}, "language"),
        ({"country": "Narnia"}, "country"),
        ({"name": "Noorderlicht Fashion B.V."}, "name"),
    ):
        refused = await stack.http.patch(url, json=bad, headers=secretariat)
        assert refused.status_code == 422, bad
        assert refused.json()["errors"][0]["loc"][-1] == field, refused.json()
    contacts = [{"email": "mvo@stonebridge.example", "language": "nl"}]
    changed = await stack.http.patch(url, json={"contacts": contacts}, headers=secretariat)
    assert changed.status_code == 200, changed.text
    assert changed.json()["contacts"] == contacts and changed.json()["name"] == org["name"]
    log = await stack.http.get(
        "/api/v1/administration/changes", headers=await stack.headers("admin")
    )
    recorded = [c for c in log.json()["items"] if c["target"] == "stonebridge-stone"]
    assert [(c["action"], c["detail"]) for c in recorded] == [
        ("organisation_changed", {"contacts": contacts})  # the refused changes left no trace
    ]
    assert (
        await stack.http.patch(
            "/api/v1/organisations/nobody", json={"country": "NL"}, headers=secretariat
        )
    ).status_code == 404
    for who in ("company", "chair", "union"):
        listed = await stack.http.get("/api/v1/organisations", headers=await stack.headers(who))
        assert listed.status_code == 403, who
    assert (await stack.http.get("/api/v1/organisations")).status_code == 401
