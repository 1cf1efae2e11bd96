"""A confidential supplier list (the seed's associate member, Nordwind Textil, lists the
Jamuna Knitwear factory confidentially): never in public search nor shown to another
company, yet a complaint naming the factory reaches Nordwind, the secretariat sees the
match, and the complainant's views show nothing of it."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.api.conftest import Filed, Stack, code, complaint
from tests.api.test_case_files import tracking_page

SEARCHES = [
    {"q": "jamuna knitwear"},
    {"q": "tongi industrial area"},
    {"country": "BD", "company": "Nordwind Textil GmbH"},
    {"company": "nordwind-textil"},
]
NAMING = (
    "The workers of Jamuna Knitwear, Plot 7 in the Tongi Industrial Area (Gazipur), were "
    "locked in during the night shift."
)
ASSOCIATE = "nordwind-textil"
HIDDEN = ("Nordwind", "nordwind", "demo-bd-jamuna", "confidential supplier list")


async def test_a_confidential_listing_is_never_found_in_public_search(stack: Stack) -> None:
    for params in SEARCHES:
        for headers in ({}, await stack.headers("company2")):  # the public, another company
            found = await stack.http.get(
                "/api/v1/production-locations", params=params, headers=headers
            )
            assert found.status_code == 200, found.text
            assert found.json()["total"] == 0, params
    # Every public location still names only its public listers.
    everything = await stack.http.get("/api/v1/production-locations", params={"page_size": 100})
    assert everything.json()["total"] > 0
    assert "Nordwind" not in everything.text and "Jamuna" not in everything.text
    # The complaint form's and the signal form's searches.
    for path in ("/complaint", "/signal"):
        page = await stack.http.get(path, params={"covenant": "garments-textile", "q": "jamuna"})
        assert page.status_code == 200
        assert "Jamuna" not in page.text and "Nordwind" not in page.text
        rupali = await stack.http.get(path, params={"covenant": "garments-textile", "q": "rupali"})
        assert "Rupali" in rupali.text  # the search itself works
    # Named by its id (derived from public words), it is as unknown as any id.
    for location in ("demo-bd-jamuna", "demo-bd-nowhere"):
        body = complaint(respondent={"production_location": location})
        refused = await stack.http.post("/api/v1/complaints", json=body)
        assert refused.status_code == 422
        detail = refused.json()["detail"].replace(location, "ID")
        assert detail == "body.respondent.production_location: unknown production location 'ID'"
    named = await stack.http.get("/signal", params={"location": "demo-bd-jamuna"})
    unknown = await stack.http.get("/signal", params={"location": "demo-bd-nowhere"})
    assert named.status_code == unknown.status_code
    assert "Jamuna" not in named.text


async def until_noted(stack: Stack, reference: str) -> dict[str, Any]:
    """The case as the secretariat reads it once the match's note is on it (bounded)."""
    body: dict[str, Any] = {}
    for _ in range(100):
        body = (await stack.case(reference, "secretariat")).json()
        if any("confidential supplier list" in (e["text"] or "") for e in body["events"]):
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"no note on {reference}: {body['events']}")


def _hides_the_listing(text: str) -> None:
    for word in HIDDEN:
        assert word not in text, word


async def test_a_complaint_naming_the_factory_reaches_its_company_unseen(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint(
        respondent={"company": "Delta Denim N.V."},
        subject="Locked in at night",
        description=NAMING,
        complainant={"name": "Shirin Begum", "email": "shirin@example.org", "confidential": True},
    )
    plain = await file_complaint(
        respondent={"company": "Delta Denim N.V."},
        subject="Locked in at night",
        description="The workers were locked in during the night shift at the factory.",
        complainant={"name": "Shirin Begum", "email": "shirin@example.org", "confidential": True},
    )
    # The filing answers the same, field for field, whether or not a listing matched.
    assert set(filed) == set(plain) and filed["stage"] == plain["stage"]
    ref = filed["reference"]

    # The secretariat sees the match (a staff-only note) and the routed respondent.
    staff = await until_noted(stack, ref)
    assert [r["organisation_id"] for r in staff["respondent"]] == ["delta-denim", ASSOCIATE]
    (note,) = [e for e in staff["events"] if "confidential supplier list" in (e["text"] or "")]
    assert note["visibility"] == "committee" and "Jamuna Knitwear Ltd." in note["text"]
    assert "Nordwind Textil GmbH" in note["text"]
    unmatched = (await stack.case(plain["reference"], "secretariat")).json()
    assert [r["organisation_id"] for r in unmatched["respondent"]] == ["delta-denim"]

    # Before registration the company does not see it; after, it does, and is told.
    assert (await stack.case(ref, "associate")).status_code == 404
    await stack.act(ref, "secretariat", action="register")
    seen = await stack.case(ref, "associate")
    assert seen.status_code == 200 and "Shirin" not in seen.text
    assert ASSOCIATE in {r["organisation_id"] for r in seen.json()["respondent"]}
    mails = await stack.mails_to({"associate@redress.localhost"}, ref)
    assert all("Shirin" not in m.text + m.html for m in mails)
    listed = await stack.http.get("/api/v1/cases", headers=await stack.headers("associate"))
    assert ref in {c["reference"] for c in listed.json()["items"]}

    # Declared admissible: each company has its response deadline; neither the other
    # company nor the complainant learns of Nordwind's.
    await stack.act(ref, "chair", action="declare_admissible")
    await stack.mails_to({"associate@redress.localhost"}, ref, at_least=len(mails) + 1)
    # What the complainant was sent up to here (receipt, stage changes) names no listing.
    to_complainant = [m for m in stack.mailer.sent if m.to == "shirin@example.org"]
    assert to_complainant and any(ref in m.subject + m.text for m in to_complainant)
    for mail in to_complainant:
        _hides_the_listing(mail.text + mail.html)
    # Nor does the undisclosed company's response: its notice reaches the secretariat alone
    # (once it is out, every earlier notice of the case is too: they go out in order).
    staff_mail = {"secretariat@redress.localhost"}
    before = len(await stack.mails_to(staff_mail, ref, at_least=0))
    await stack.act(ref, "associate", action="submit_response", text="Nordwind answers here.")
    await stack.mails_to(staff_mail, ref, at_least=before + 1)
    after = [m for m in stack.mailer.sent if m.to == "shirin@example.org"]
    assert len(after) == len(to_complainant)  # nothing was sent the complainant about it
    for mail in after:
        _hides_the_listing(mail.text + mail.html)
    staff = (await stack.case(ref, "secretariat")).json()
    assert any("Nordwind" in e["summary"] for e in staff["events"])
    other = await stack.case(ref, "company2")
    assert other.status_code == 200
    _hides_the_listing(other.text)
    assert [r["organisation_id"] for r in other.json()["respondent"]] == ["delta-denim"]
    mine = await stack.case(ref, code(filed))
    assert mine.status_code == 200
    _hides_the_listing(mine.text)
    assert [r["organisation_id"] for r in mine.json()["respondent"]] == ["delta-denim"]
    allowed = await stack.http.get(f"/api/v1/cases/{ref}/actions", headers=code(filed))
    _hides_the_listing(allowed.text)
    _hides_the_listing(await tracking_page(stack, ref, filed["access_code"]))


async def test_a_complaint_at_a_public_factory_also_reaches_its_confidential_lister(
    stack: Stack, file_complaint: Filed
) -> None:
    """Picking a listed factory that the associate also lists confidentially: the case
    goes to its public buyer as before, and to the associate unseen."""
    from sqlmodel import Session

    from store.tables import LocationSourcing

    with Session(stack.engine) as session:
        link = LocationSourcing(
            location_id="demo-in-lakshmi",
            company_id=ASSOCIATE,
            covenant="garments-textile",
            confidential=True,
        )
        session.add(link)
        session.commit()
    try:
        found = await stack.http.get("/api/v1/production-locations", params={"q": "lakshmi"})
        (item,) = found.json()["items"]
        assert [c["id"] for c in item["companies"]] == ["delta-denim"]
        filed = await file_complaint(
            respondent={"production_location": "demo-in-lakshmi"},
            subject="Unpaid overtime",
            description="Overtime at the mill has not been paid for three months.",
        )
        ref = filed["reference"]
        staff = await until_noted(stack, ref)
        assert [r["organisation_id"] for r in staff["respondent"]] == ["delta-denim", ASSOCIATE]
        mine = await stack.case(ref, code(filed))
        assert [r["organisation_id"] for r in mine.json()["respondent"]] == ["delta-denim"]
        _hides_the_listing(mine.text)
    finally:
        with Session(stack.engine) as session:
            gone = session.get(LocationSourcing, ("demo-in-lakshmi", ASSOCIATE, "garments-textile"))
            assert gone is not None
            session.delete(gone)
            session.commit()


async def test_a_signal_naming_the_factory_reaches_its_company_unseen(stack: Stack) -> None:
    from tests.api.test_signals import file_signal

    filed = await file_signal(stack, description=NAMING)
    ref = filed["reference"]
    staff = await until_noted(stack, ref)
    assert [r["organisation_id"] for r in staff["respondent"]][-1] == ASSOCIATE
    assert (await stack.case(ref, "associate")).status_code == 404  # not yet passed on
    await stack.act(ref, "secretariat", action="forward_signal", note="Please look into it.")
    asked = await stack.case(ref, "associate")
    assert asked.status_code == 200
    assert (
        "report_due_diligence"
        in (
            await stack.http.get(
                f"/api/v1/cases/{ref}/actions", headers=await stack.headers("associate")
            )
        ).json()["allowed"]
    )
    await stack.mails_to({"associate@redress.localhost"}, ref)
    for other in ("company", "company2", code(filed)):
        seen = await stack.case(ref, other)
        assert seen.status_code == 200
        _hides_the_listing(seen.text)
        assert ASSOCIATE not in {r["organisation_id"] for r in seen.json()["respondent"]}
