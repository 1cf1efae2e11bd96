"""A message or document for one of several respondent companies: only it sees it, and staff
and the complainant; the other companies see nothing of it, in the API and in their e-mail."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from domain.enums import Visibility
from services.access import Standing, may_see
from tests.api.conftest import Filed, Stack, code

NOORDERLICHT = {"company@redress.localhost", "csr@noorderlicht-fashion.example"}
DELTA = {"company2@redress.localhost", "compliance@delta-denim.example"}
COMPLAINANT = "nasima@example.org"


@pytest.mark.parametrize(
    ("standing", "organisation", "seen"),
    [
        (Standing.STAFF, None, True),
        (Standing.COMPLAINANT, "dhaka-gwu", True),
        (Standing.COMPLAINANT, None, True),  # the holder of the access code
        (Standing.RESPONDENT, "delta-denim", True),
        (Standing.RESPONDENT, "noorderlicht-fashion", False),
        (Standing.RESPONDENT, None, False),
    ],
)
def test_who_sees_an_item_for_one_company(
    standing: Standing, organisation: str | None, seen: bool
) -> None:
    assert may_see(
        standing, Visibility.PARTIES, party="delta-denim", organisation=organisation
    ) is (seen)
    # Committee-only stays committee-only, whoever it concerns.
    committee = may_see(
        standing, Visibility.COMMITTEE, party="delta-denim", organisation=organisation
    )
    assert committee is (standing is Standing.STAFF)
    # Without a party every respondent sees it, as before.
    assert may_see(standing, Visibility.PARTIES, organisation=organisation)


async def _at_rupali(stack: Stack, file_complaint: Filed) -> dict[str, Any]:
    """A registered complaint against both companies sourcing at Rupali Knit."""
    filed = await file_complaint(
        respondent={"production_location": "demo-bd-rupali"},
        complainant={"name": "Nasima Akter", "email": COMPLAINANT},
    )
    await stack.act(filed["reference"], "secretariat", action="register")
    return filed


async def _mail_with(stack: Stack, addresses: set[str], needle: str) -> None:
    """Wait for a mail to one of those addresses whose text holds ``needle``."""
    for _ in range(100):
        if any(needle in m.text for m in stack.mailer.sent if m.to in addresses):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"no mail to {addresses} with {needle!r}")


async def _upload(stack: Stack, ref: str, who: str, name: str, **fields: str) -> Any:
    """POST a small text file as ``who``; the response."""
    return await stack.http.post(
        f"/api/v1/cases/{ref}/documents",
        headers=await stack.headers(who),
        files={"file": (name, f"{name} of {ref}".encode(), "text/plain")},
        data={"visibility": "parties", **fields},
    )


async def test_an_item_for_one_company_is_seen_by_it_staff_and_the_complainant_only(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await _at_rupali(stack, file_complaint)
    ref = filed["reference"]
    uploaded = await _upload(stack, ref, "secretariat", "delta-audit.txt", party="delta-denim")
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()
    assert document["party"] == "delta-denim"
    text = f"Delta only, about {ref}: the audit of your purchasing practices."
    await stack.act(ref, "secretariat", action="add_message", text=text, party="delta-denim")

    def shows(body: dict[str, Any]) -> tuple[bool, bool, bool]:
        return (
            any(e.get("text") == text for e in body["events"]),
            any(d["id"] == document["id"] for d in body["documents"]),
            any("delta-audit.txt" in e["summary"] for e in body["events"]),
        )

    for who in ("secretariat", "company2", code(filed)):
        seen = await stack.case(ref, who)
        assert seen.status_code == 200, seen.text
        assert shows(seen.json()) == (True, True, True), who
        got = await stack.http.get(
            document["url"],
            headers=await stack.headers(who) if isinstance(who, str) else who,
        )
        assert got.status_code == 200 and got.content == f"delta-audit.txt of {ref}".encode()
    staff = (await stack.case(ref, "secretariat")).json()
    message = next(e for e in staff["events"] if e.get("text") == text)
    assert message["party"] == "delta-denim"

    other = await stack.case(ref, "company")
    assert other.status_code == 200
    assert shows(other.json()) == (False, False, False)
    assert "delta-audit" not in other.text and "Delta only" not in other.text
    hidden = await stack.http.get(document["url"], headers=await stack.headers("company"))
    assert hidden.status_code == 404

    # The e-mail about the message: the complainant and Delta Denim, not Noorderlicht.
    await _mail_with(stack, DELTA, text)
    await _mail_with(stack, {COMPLAINANT}, text)
    # A message for everyone afterwards: once Noorderlicht has it, the first was sent too.
    after = f"For both companies, about {ref}: the hearing date follows."
    await stack.act(ref, "secretariat", action="add_message", text=after)
    await _mail_with(stack, NOORDERLICHT, after)
    assert not any(text in m.text + m.html for m in stack.mailer.sent if m.to in NOORDERLICHT)


async def test_only_staff_may_mark_an_item_and_only_for_a_respondent(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await _at_rupali(stack, file_complaint)
    ref = filed["reference"]
    refused = await stack.act(
        ref, "company2", expect=403, action="add_message", text="Mine", party="delta-denim"
    )
    assert "party" in refused["detail"]
    upload = await _upload(stack, ref, "company2", "mine.txt", party="delta-denim")
    assert upload.status_code == 403 and "party" in upload.json()["detail"]
    complainant = await stack.http.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "add_message", "text": "Hello", "party": "delta-denim"},
        headers=code(filed),
    )
    assert complainant.status_code == 403, complainant.text

    unknown = await stack.act(
        ref, "secretariat", expect=422, action="add_message", text="Hi", party="stonebridge-stone"
    )
    assert unknown["detail"].startswith("body.party: 'stonebridge-stone' is not a respondent")
    assert unknown["errors"][0]["loc"] == ["body", "party"]
    upload = await _upload(stack, ref, "secretariat", "x.txt", party="nobody")
    assert upload.status_code == 422 and upload.json()["detail"].startswith("body.party")
    public = await stack.act(
        ref,
        "secretariat",
        expect=422,
        action="add_message",
        text="Hi",
        visibility="public",
        party="delta-denim",
    )
    assert "public" in public["detail"]
    # Nothing of it was recorded; the company's own messages work as before.
    await stack.act(ref, "company2", action="add_message", text="Delta writes to all.")
    body = (await stack.case(ref, "company")).json()
    assert [e["text"] for e in body["events"] if e["type"] == "message"] == ["Delta writes to all."]
