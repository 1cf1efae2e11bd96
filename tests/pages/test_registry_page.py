"""The secretariat's registry page imports uploaded supplier lists, like the command."""

from __future__ import annotations

from pathlib import Path

from tests.pages.portal import CSRF, Portal

LISTS = Path(__file__).resolve().parents[1] / "data" / "production-locations"


async def test_secretariat_uploads_a_list_and_sees_every_row_accounted_for(portal: Portal):
    http = await portal.as_user("secretariat")
    page = await http.get("/portal/registry")
    assert page.status_code == 200 and 'type="file"' in page.text
    match = CSRF.search(page.text)
    assert match
    data = {
        "csrf_token": match.group(1),
        "covenant": "garments-textile",
        "company": "Registry Page Brand B.V.",
    }
    files = [("files", ("list-2.csv", (LISTS / "list-2.csv").read_bytes(), "text/csv"))]
    done = await http.post("/portal/registry", data=data, files=files)
    assert done.status_code == 200, done.text[done.text.find("<main") :][:1500]
    assert "Registry Page Brand B.V." in done.text
    assert "list-2.csv, line 83" in done.text and "duplicate" in done.text
    again = await http.post("/portal/registry", data=data, files=files)
    assert again.status_code == 200
    found = await http.get("/api/v1/production-locations", params={"q": "xinxing footwear"})
    assert found.json()["total"] >= 1


async def test_the_registry_page_refuses_others_bad_forms_and_missing_csrf(portal: Portal):
    company = await portal.as_user("company")
    assert (await company.get("/portal/registry")).status_code == 404
    http = await portal.as_user("secretariat")
    token = CSRF.search((await http.get("/portal/registry")).text)
    assert token
    bad = await http.post(
        "/portal/registry",
        data={"csrf_token": token.group(1), "covenant": "garments-textile", "company": "X"},
        files=[("files", ("bad.csv", b"country,name\nBD,X\n", "text/csv"))],
    )
    assert bad.status_code == 422 and "address" in bad.text
    forged = await http.post(
        "/portal/registry",
        data={"covenant": "garments-textile", "company": "X"},
        files=[("files", ("x.csv", b"country,name,address\nBD,X,Y\n", "text/csv"))],
    )
    assert forged.status_code == 403


async def test_staff_read_each_covenant_its_body_parties_and_deadlines(portal: Portal):
    http = await portal.as_user("chair")
    page = await http.get("/portal/covenants")
    assert page.status_code == 200
    assert "Natural Stone Covenant" in page.text and "steering group" in page.text
    assert "Noorderlicht Fashion B.V." in page.text and "30 working days" in page.text
    dutch = await http.get("/portal/covenants", params={"lang": "nl"})
    assert "Convenanten en hun procedures" in dutch.text and "30 werkdagen" in dutch.text
    company = await portal.as_user("company")
    assert (await company.get("/portal/covenants")).status_code == 404
