"""The registry page imports a company's list as confidential: kept out of public search."""

from __future__ import annotations

from tests.pages.portal import CSRF, Portal

LIST = (
    b"country,name,address\n"
    b'Bangladesh,"Padma Secret Knit Ltd","Plot 21, Kashimpur Road, Gazipur"\n'
    b'Viet Nam,"Saigon Quiet Garment Co., Ltd","Lot 5, Tan Binh Quiet Park, Ho Chi Minh City"\n'
)


async def test_a_list_uploaded_as_confidential_is_not_searchable(portal: Portal) -> None:
    http = await portal.as_user("secretariat")
    page = await http.get("/portal/registry")
    assert 'name="confidential"' in page.text
    token = CSRF.search(page.text)
    assert token
    data = {
        "csrf_token": token.group(1),
        "covenant": "garments-textile",
        "company": "Quiet Associate GmbH",
        "confidential": "yes",
    }
    files = [("files", ("quiet.csv", LIST, "text/csv"))]
    done = await http.post("/portal/registry", data=data, files=files)
    assert done.status_code == 200, done.text[done.text.find("<main") :][:1500]
    assert "Imported as a confidential list." in done.text
    for q in ("padma secret knit", "saigon quiet", "kashimpur road"):
        found = await http.get("/api/v1/production-locations", params={"q": q})
        assert found.json()["total"] == 0, q
        form = await http.get("/complaint", params={"covenant": "garments-textile", "q": q})
        assert "Padma" not in form.text and "Saigon Quiet" not in form.text
    # The same list imported again without the box is public.
    again = await http.post("/portal/registry", data={**data, "confidential": ""}, files=files)
    assert again.status_code == 200 and "Imported as a confidential list." not in again.text
    found = await http.get("/api/v1/production-locations", params={"q": "padma secret knit"})
    assert found.json()["total"] == 1
    assert [c["name"] for c in found.json()["items"][0]["companies"]] == ["Quiet Associate GmbH"]
