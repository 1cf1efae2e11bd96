"""What the company routed to through its confidential list (the seed's Nordwind Textil)
does on a case reaches staff and itself: its response, its messages and its files are not
e-mailed or shown to the complainant nor to the other company (Delta Denim)."""

from __future__ import annotations

import asyncio

from tests.api.conftest import Filed, Stack, code
from tests.api.test_case_files import tracking_page
from tests.api.test_confidential_listings import ASSOCIATE, NAMING, until_noted

COMPLAINANT = "rahima.listing@example.org"
WRITTEN = "We will audit the site next week"
ANSWERED = "Our response is in the attached audit"
FILENAME = "nordwind-audit.txt"
DELTA = {"company2@redress.localhost", "compliance@delta-denim.example"}


async def test_the_undisclosed_companys_writing_reaches_neither_other_party(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint(
        respondent={"company": "Delta Denim N.V."},
        subject="Locked in at night",
        description=NAMING,
        complainant={"name": "Rahima Listing", "email": COMPLAINANT, "confidential": True},
    )
    ref = filed["reference"]
    await until_noted(stack, ref)
    await stack.act(ref, "secretariat", action="register")
    await stack.act(ref, "chair", action="declare_admissible")
    await stack.act(ref, "associate", action="submit_response", text=ANSWERED)
    await stack.act(ref, "associate", action="add_message", text=WRITTEN, visibility="parties")
    upload = await stack.http.post(
        f"/api/v1/cases/{ref}/documents",
        files={"file": (FILENAME, b"Audit of the night shift.", "text/plain")},
        data={"visibility": "parties"},
        headers=await stack.headers("associate"),
    )
    assert upload.status_code == 201, upload.text
    # Delta Denim's own response is told to the complainant: the mails have gone out.
    await stack.act(ref, "company2", action="submit_response", text="Delta answers")
    for _ in range(100):
        mails = await stack.mails_to({COMPLAINANT}, ref)
        if any("Delta Denim N.V. has submitted its response" in m.text for m in mails):
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError([m.text for m in mails])
    staff = (await stack.case(ref, "secretariat")).json()
    assert any(e["text"] == WRITTEN for e in staff["events"])
    for mail in stack.mailer.sent:
        if mail.to in {COMPLAINANT, *DELTA}:
            body = mail.subject + mail.text + mail.html
            assert "Nordwind" not in body and WRITTEN not in body and ANSWERED not in body
    for reader in (code(filed), "company2"):
        seen = await stack.case(ref, reader)
        assert seen.status_code == 200
        assert WRITTEN not in seen.text and ANSWERED not in seen.text
        assert FILENAME not in seen.text
        assert ASSOCIATE not in seen.text
    page = await tracking_page(stack, ref, filed["access_code"])
    assert WRITTEN not in page and ANSWERED not in page and FILENAME not in page
