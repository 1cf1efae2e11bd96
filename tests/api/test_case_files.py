"""Merging complaints about the same matter, and reopening a closed case, over the API.

Two confidential complainants, in Bengali and Turkish, complain about the same factory:
the secretariat merges the second complaint into the first. Each keeps its own access code
and language; neither learns the other's identity (API, tracking page, e-mails); the company
sees two pseudonyms.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx

from tests.api.conftest import PUBLIC_URL, Filed, Stack, code
from tests.pages.portal import CSRF

FIRST = {
    "name": "Shirin Akhter Mergeone",
    "organisation": "Ashulia Knit Workers Circle",
    "email": "shirin.mergeone@private.example",
    "phone": "+880 1888 111111",
}
SECOND = {
    "name": "Ayse Demir Mergetwo",
    "organisation": "Sendika Bolumu Gizli",
    "email": "ayse.mergetwo@private.example",
    "phone": "+90 555 222 2222",
}
COMPANY_ADDRESSES = {"company@redress.localhost", "csr@noorderlicht-fashion.example"}


def leaks(text: str, identity: dict[str, str]) -> list[str]:
    """The identity values found in ``text`` (case-blind)."""
    return [value for value in identity.values() if value.lower() in text.lower()]


def person(identity: dict[str, str], language: str) -> dict[str, Any]:
    return dict(identity, confidential=True, represents="Sewing section", language=language)


async def until(stack: Stack, reference: str, check: Any) -> dict[str, Any]:
    """The case as the secretariat reads it, once ``check`` holds (bounded)."""
    for _ in range(100):
        body: dict[str, Any] = (await stack.case(reference, "secretariat")).json()
        if check(body):
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"{reference} did not get there: {body}")


async def tracking_page(stack: Stack, reference: str, access_code: str) -> str:
    """The tracking page as the holder of ``access_code`` sees case ``reference``."""
    transport = httpx.ASGITransport(app=stack.app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as browser:
        form = await browser.get("/track")
        token = CSRF.findall(form.text)[0]
        data = {"csrf_token": token, "reference": reference, "code": access_code}
        opened = await browser.post("/track", data=data)
        assert opened.status_code == 303, opened.text
        page = await browser.get(f"/track/{reference}")
        assert page.status_code == 200
        return page.text


async def test_two_confidential_complainants_merged_never_learn_each_other(
    stack: Stack, file_complaint: Filed
) -> None:
    first = await file_complaint(complainant=person(FIRST, "bn"), subject="Reprisals at Meghna")
    second = await file_complaint(complainant=person(SECOND, "tr"), subject="Reprisals, again")
    target, source = first["reference"], second["reference"]
    await stack.act(target, "secretariat", action="register")

    # Refused with a clear answer, and nothing changes.
    await stack.act(source, "chair", expect=403, action="merge_into", target=target, reason="x" * 5)
    await stack.act(
        source, "secretariat", expect=422, action="merge_into", target=source, reason="Same"
    )
    await stack.act(
        source, "secretariat", expect=422, action="merge_into", target="GT-1999-0001", reason="Same"
    )
    closed = await file_complaint()
    await stack.act(closed["reference"], "secretariat", action="refer_out", reason="Elsewhere")
    refused = await stack.http.post(
        f"/api/v1/cases/{source}/actions",
        json={"action": "merge_into", "target": closed["reference"], "reason": "Same"},
        headers=await stack.headers("secretariat"),
    )
    assert refused.status_code == 409 and "closed" in refused.json()["detail"]
    assert (await stack.case(source, "secretariat")).json()["status"] == "open"

    merged = await stack.act(
        source, "secretariat", action="merge_into", target=target, reason="Same factory"
    )
    assert (merged["status"], merged["outcome"], merged["merged_into"]) == (
        "closed",
        "merged",
        target,
    )
    survivor = await until(stack, target, lambda b: b["merged_from"] == [source])
    assert survivor["status"] == "open"
    # A case merged is not merged again, nor does the survivor merge into it.
    await stack.act(
        source, "secretariat", expect=409, action="merge_into", target=target, reason="Same"
    )
    await stack.act(
        target, "secretariat", expect=409, action="merge_into", target=source, reason="Same"
    )

    # Staff see both complainants.
    assert survivor["complainant"]["name"] == FIRST["name"]
    [other] = survivor["other_complainants"]
    assert other["name"] == SECOND["name"] and other["language"] == "tr"

    # Each complainant's own code opens the surviving case: its own identity, never the other's.
    as_first = await stack.case(target, code(first))
    as_second = await stack.case(target, code(second))
    assert as_first.status_code == as_second.status_code == 200
    assert as_first.json()["complainant"]["name"] == FIRST["name"]
    assert as_second.json()["complainant"]["name"] == SECOND["name"]
    assert as_second.json()["complainant"]["language"] == "tr"
    assert leaks(as_first.text, SECOND) == [] and leaks(as_second.text, FIRST) == []
    # The merged case still answers its code, and points to the case that goes on.
    own_source = (await stack.case(source, code(second))).json()
    assert own_source["merged_into"] == target and own_source["outcome"] == "merged"
    assert (await stack.case(source, code(first))).status_code == 404

    # The company sees two pseudonyms, no identity.
    company = await stack.case(target, "company")
    assert company.status_code == 200
    pseudonyms = [company.json()["complainant"], *company.json()["other_complainants"]]
    assert all(set(p) == {"pseudonym", "confidential"} for p in pseudonyms)
    assert len({p["pseudonym"] for p in pseudonyms}) == 2
    assert leaks(company.text, FIRST) == leaks(company.text, SECOND) == []

    # The tracking page: each sees itself, never the other.
    page_first = await tracking_page(stack, target, first["access_code"])
    page_second = await tracking_page(stack, target, second["access_code"])
    assert FIRST["name"] in page_first and leaks(page_first, SECOND) == []
    assert SECOND["name"] in page_second and leaks(page_second, FIRST) == []
    # The merged case's own page leads to the case that goes on.
    page_source = await tracking_page(stack, source, second["access_code"])
    assert f'href="/track/{target}"' in page_source and leaks(page_source, FIRST) == []

    # E-mails: each is told of the merge in its own language, naming only itself.
    [to_second] = await stack.mails_to({SECOND["email"]}, target)
    [to_first] = [
        m for m in await stack.mails_to({FIRST["email"]}, target, at_least=2) if source in m.text
    ]
    assert "birleştirildi" in to_second.text and "একীভূত" in to_first.text
    assert leaks(to_second.subject + to_second.text + to_second.html, FIRST) == []
    assert leaks(to_first.subject + to_first.text + to_first.html, SECOND) == []
    for mail in [m for m in stack.mailer.sent if m.to in COMPANY_ADDRESSES]:
        body = mail.subject + mail.text + mail.html
        assert leaks(body, FIRST) == leaks(body, SECOND) == [], mail.subject


async def test_the_chair_reopens_a_closed_case(stack: Stack, file_complaint: Filed) -> None:
    filed = await file_complaint()
    ref = filed["reference"]
    await stack.act(ref, "secretariat", action="register")
    await stack.act(ref, "chair", action="declare_inadmissible", reasons="No covenant link")
    # The closed case's workflow finishes once its last notices are out.
    await stack.client.get_workflow_handle(f"case-{ref}").result()
    before = len(await stack.mails_to({"rahima@workers.example"}, ref, at_least=1))

    reopen = {"action": "reopen", "stage": "admissibility", "reason": "The link was shown"}
    await stack.act(ref, "secretariat", expect=403, **reopen)
    await stack.act(ref, "chair", expect=422, **dict(reopen, stage="dialogue"))
    headers = {**await stack.headers("chair"), "Idempotency-Key": f"reopen-{ref}"}
    answered = await stack.http.post(f"/api/v1/cases/{ref}/actions", json=reopen, headers=headers)
    assert answered.status_code == 200, answered.text
    case = answered.json()
    assert (case["status"], case["stage"], case["outcome"]) == ("open", "admissibility", None)
    assert [d["name"] for d in case["deadlines"]] == ["admissibility"]
    assert [e["type"] for e in case["events"]].count("reopened") == 1
    # A retry answers the same and reopens nothing more; an open case is not reopened.
    again = await stack.http.post(f"/api/v1/cases/{ref}/actions", json=reopen, headers=headers)
    assert again.status_code == 200 and again.json()["stage"] == "admissibility"
    await stack.act(ref, "chair", expect=409, **reopen)
    events = (await stack.case(ref, "secretariat")).json()["events"]
    assert [e["type"] for e in events].count("reopened") == 1

    # The parties are told, and the case goes on.
    mails = await stack.mails_to({"rahima@workers.example"}, ref, at_least=before + 1)
    assert any(re.search("admissibility", m.text, re.IGNORECASE) for m in mails[before:])
    state = await stack.act(ref, "chair", action="declare_admissible")
    assert state["stage"] == "response"


async def test_a_union_whose_complaint_was_merged_follows_the_case_that_goes_on(
    stack: Stack, file_complaint: Filed
) -> None:
    first = await file_complaint(complainant=person(FIRST, "bn"))
    mine = await file_complaint(as_user="union", subject="Our members dismissed too")
    target, source = first["reference"], mine["reference"]
    assert (await stack.case(target, "union")).status_code == 404  # not its case yet
    await stack.act(source, "secretariat", action="merge_into", target=target, reason="Same")
    await until(stack, target, lambda b: b["merged_from"] == [source])

    seen = await stack.case(target, "union")
    assert seen.status_code == 200
    listed = await stack.http.get("/api/v1/cases", headers=await stack.headers("union"))
    assert target in {c["reference"] for c in listed.json()["items"]}  # in its list too
    assert leaks(seen.text, FIRST) == []  # a complainant too, but never told who the other is
    assert seen.json()["complainant"]["pseudonym"]
    await stack.act(target, "union", action="add_message", text="We support this complaint.")
    # Its users hear of the case that goes on, in their language, never told who else complains.
    told = [
        m for m in await stack.mails_to({"union@redress.localhost"}, target) if source in m.text
    ]
    assert told and all(leaks(m.subject + m.text + m.html, FIRST) == [] for m in told)
    assert "একীভূত" in told[0].text  # the union's users read Bengali


async def test_a_replaced_code_stops_opening_the_case_it_was_merged_into(
    stack: Stack, file_complaint: Filed
) -> None:
    first = await file_complaint(complainant=person(FIRST, "bn"))
    second = await file_complaint(complainant=person(SECOND, "tr"))
    target, source = first["reference"], second["reference"]
    await stack.act(source, "secretariat", action="merge_into", target=target, reason="Same")
    await until(stack, target, lambda b: b["merged_from"] == [source])
    assert (await stack.case(target, code(second))).status_code == 200

    made = await stack.http.post(
        f"/api/v1/cases/{source}/access-code", headers=await stack.headers("secretariat")
    )
    assert made.status_code == 200
    new = {"X-Access-Code": made.json()["access_code"]}
    assert (await stack.case(target, code(second))).status_code == 404
    assert (await stack.case(source, code(second))).status_code == 404
    mine = await stack.case(target, new)
    assert mine.status_code == 200 and mine.json()["complainant"]["name"] == SECOND["name"]
    assert (await stack.case(target, code(first))).json()["complainant"]["name"] == FIRST["name"]
