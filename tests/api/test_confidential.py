"""A confidential complainant is never named to the company: not in the API, not in e-mail."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Filed, Stack, code

IDENTITY = {
    "name": "Nasrin Sultana Hidden",
    "organisation": "Secret Circle of Ashulia Workers",
    "email": "nasrin.hidden@private.example",
    "phone": "+880 1999 424242",
}
COMPANY_ADDRESSES = {"company@redress.localhost", "csr@noorderlicht-fashion.example"}


def leaks(text: str) -> list[str]:
    """The identity values found in ``text`` (case-blind)."""
    return [value for value in IDENTITY.values() if value.lower() in text.lower()]


async def test_the_company_never_learns_a_confidential_complainants_identity(
    stack: Stack, file_complaint: Filed
) -> None:
    person: dict[str, Any] = dict(IDENTITY, confidential=True, represents="Knitting section")
    filed = await file_complaint(complainant=person, subject="Reprisals after a complaint")
    ref = filed["reference"]
    await stack.act(ref, "secretariat", action="register")
    await stack.act(ref, "chair", action="declare_admissible")
    await stack.act(
        ref, "secretariat", action="add_message", text="Please respond.", visibility="parties"
    )
    await stack.act(ref, code(filed), action="add_message", text="We fear reprisals.")

    company = await stack.headers("company")
    seen = await stack.case(ref, "company")
    assert seen.status_code == 200
    assert seen.json()["complainant"] == {
        "pseudonym": seen.json()["complainant"]["pseudonym"],
        "confidential": True,
    }
    assert seen.json()["complainant"]["pseudonym"].startswith("Complainant ")
    listed = await stack.http.get("/api/v1/cases", params={"q": ref}, headers=company)
    assert [i["reference"] for i in listed.json()["items"]] == [ref]
    allowed = await stack.http.get(f"/api/v1/cases/{ref}/actions", headers=company)
    after_action = await stack.act(ref, "company", action="add_message", text="Noted.")
    for text in (seen.text, listed.text, allowed.text, str(after_action)):
        assert leaks(text) == []
    assert [e for e in seen.json()["events"] if leaks(str(e))] == []

    # Every e-mail to the company about this case (receipt of notices, messages) is masked.
    mails = await stack.mails_to(COMPANY_ADDRESSES, ref, at_least=4)
    for mail in mails:
        assert leaks(mail.subject + mail.text + mail.html) == [], mail.subject
    everything_to_company = [m for m in stack.mailer.sent if m.to in COMPANY_ADDRESSES]
    assert all(not leaks(m.subject + m.text + m.html) for m in everything_to_company)

    # Staff and the complainant still see who it is.
    staff = (await stack.case(ref, "secretariat")).json()["complainant"]
    assert staff["name"] == IDENTITY["name"] and staff["email"] == IDENTITY["email"]
    own = (await stack.case(ref, code(filed))).json()["complainant"]
    assert own["organisation"] == IDENTITY["organisation"]


async def test_a_company_sees_who_complains_when_it_is_not_confidential(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint()
    await stack.act(filed["reference"], "secretariat", action="register")
    seen = (await stack.case(filed["reference"], "company")).json()["complainant"]
    assert seen["name"] == "Rahima Khatun" and seen["confidential"] is False
    assert "email" not in seen and "phone" not in seen


async def test_committee_only_events_stay_with_staff(stack: Stack, file_complaint: Filed) -> None:
    filed = await file_complaint()
    ref = filed["reference"]
    await stack.act(ref, "secretariat", action="register")
    await stack.act(
        ref,
        "secretariat",
        action="add_message",
        text="Internal: check the audit.",
        visibility="committee",
    )
    for viewer in ("company", code(filed)):
        events = (await stack.case(ref, viewer)).json()["events"]
        assert all(e["visibility"] != "committee" for e in events)
        assert all("Internal" not in (e.get("text") or "") for e in events)
    staff = (await stack.case(ref, "secretariat")).json()["events"]
    assert any(e["text"] == "Internal: check the audit." for e in staff)
