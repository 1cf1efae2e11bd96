"""The public register and the lessons log over the API.

A confidential complainant with a Bengali name complains; the secretariat keeps redaction
terms (Latin, Bengali, Chinese); the chair publishes a summary at the decision stage and
again once the case is closed (its workflow finished); the committee records a lesson on the
closed case. Nothing the public reads (register, entry, Atom feed) holds the complainant's
identity or a redacted term; unpublished cases appear only as counts.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from services.redaction import MARK
from services.register import published_lessons
from store.lessons import lessons
from tests.api.conftest import Filed, Stack, code, days_ahead, moment_ahead

ATOM = "{http://www.w3.org/2005/Atom}"
IDENTITY = {
    "name": "রহিমা খাতুন Registerone",
    "organisation": "Meghna Sromik Forum",
    "email": "rahima.registerone@private.example",
    "phone": "+880 1999 123456",
}
BENGALI_TERM = "মেঘনা নিটওয়্যার"
CHINESE_TERM = "王小明"
LATIN_TERM = "Supervisor Karimuddin"
SUMMARY = (
    f"{IDENTITY['name']} of {IDENTITY['organisation']} ({IDENTITY['email']}, "
    f"{IDENTITY['phone']}) reported dismissals at {BENGALI_TERM}; the buyer's agent "
    f"{CHINESE_TERM} and supervisor karimuddin were named. The company agreed to reinstate "
    "the organisers."
)
SECRETS = [*IDENTITY.values(), BENGALI_TERM, CHINESE_TERM, LATIN_TERM, "karimuddin"]


def leaks(text: str) -> list[str]:
    """Identity values and redacted terms found in ``text`` (case-blind)."""
    return [s for s in SECRETS if s.casefold() in text.casefold()]


async def to_decision(stack: Stack, ref: str) -> None:
    await stack.act(ref, "secretariat", action="register")
    await stack.act(ref, "chair", action="declare_admissible", reasons="In scope.")
    await stack.act(ref, "company", action="submit_response", text="We investigated.")
    await stack.act(ref, "secretariat", action="send_to_hearing", reason="Too far apart.")
    await stack.act(ref, "secretariat", action="schedule_hearing", at=moment_ahead(7))
    case = await stack.act(ref, "chair", action="record_hearing", minutes="Both heard.")
    assert case["stage"] == "decision"


async def public_get(stack: Stack, path: str, **params: Any) -> Any:
    response = await stack.http.get(path, params=params)
    assert response.status_code == 200, response.text
    return response


async def test_a_confidential_case_is_published_redacted_at_decision_and_when_closed(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint(
        complainant=dict(IDENTITY, confidential=True, represents="Sewing", language="bn"),
        subject="Dismissals at the knitting unit",
    )
    ref = filed["reference"]
    secretariat = await stack.headers("secretariat")
    # Too early for the register: 409 naming what is allowed; a company may never (403).
    await stack.act(ref, "chair", expect=409, action="publish_summary", summary="Too early")
    await to_decision(stack, ref)
    await stack.act(ref, "company", expect=403, action="publish_summary", summary="No")

    for term, scope in [(BENGALI_TERM, "case"), (CHINESE_TERM, "case"), (LATIN_TERM, "covenant")]:
        added = await stack.http.post(
            f"/api/v1/cases/{ref}/redaction-terms",
            json={"term": term, "scope": scope},
            headers=secretariat,
        )
        assert added.status_code == 201, added.text
    listed = await stack.http.get(f"/api/v1/cases/{ref}/redaction-terms", headers=secretariat)
    assert [t["term"] for t in listed.json()["items"]] == [BENGALI_TERM, CHINESE_TERM, LATIN_TERM]
    # The company sees the case but not its redaction list (which names people).
    hidden = await stack.http.get(
        f"/api/v1/cases/{ref}/redaction-terms", headers=await stack.headers("company")
    )
    assert hidden.status_code == 403

    # Published at the decision stage, named=True: a confidential complainant is never named.
    case = await stack.act(ref, "chair", action="publish_summary", summary=SUMMARY, named=True)
    assert case["stage"] == "decision"
    found = (await public_get(stack, "/api/v1/register", q="reinstate organisers")).json()
    entry = next(e for e in found["items"] if e["reference"] == ref)
    as_company = (await stack.case(ref, "company")).json()
    assert entry["complainant"] == as_company["complainant"]["pseudonym"]
    assert entry["named"] is False and entry["stage"] == "decision"
    assert entry["companies"] == ["Noorderlicht Fashion B.V."]
    assert entry["summary"].count(MARK) >= 7 and "agreed to reinstate" in entry["summary"]
    assert leaks(str(found)) == []

    # Closed: its workflow finishes; publishing again and a lesson still work.
    await stack.act(
        ref,
        "chair",
        action="issue_decision",
        finding="founded",
        reasons="Retaliation.",
        orders=[{"text": "Reinstate the organisers", "due": days_ahead(60)}],
    )
    closed = await stack.act(ref, "chair", action="close", outcome="resolved", summary="Done.")
    assert closed["status"] == "closed"
    final = SUMMARY + f" Closed: {IDENTITY['name'].upper()} was reinstated."
    case = await stack.act(ref, "chair", action="publish_summary", summary=final)
    assert case["status"] == "closed"
    lesson = "Ask buyers for their supplier lists before the hearing."
    await stack.act(ref, "committee", action="record_lesson", text=lesson, addressed_to="covenant")
    await stack.act(
        ref, "company", expect=403, action="record_lesson", text="x", addressed_to="covenant"
    )
    naming = f"Companies should protect people like {IDENTITY['organisation']} at {BENGALI_TERM}."
    await stack.act(ref, "chair", action="record_lesson", text=naming, addressed_to="companies")
    with Session(stack.engine) as session:
        mine = lessons(session, reference=ref)
        quoted = published_lessons(session, covenant="garments-textile")
    assert [(r.text, r.addressed_to, r.recorded_by) for r in mine] == [
        (lesson, "covenant", "committee"),
        (naming, "companies", "chair"),
    ]
    # As a published report quotes them: redacted like the register.
    ours = [r.text for r in quoted if r.reference == ref]
    assert ours == [lesson, f"Companies should protect people like {MARK} at {MARK}."]

    entry = (await public_get(stack, f"/api/v1/register/{ref}")).json()
    assert entry["status"] == "closed" and entry["outcome"] == "resolved"
    assert entry["finding"] == "founded" and entry["closed_at"] is not None
    assert entry["summary"].endswith(f"Closed: {MARK} was reinstated.")
    assert leaks(str(entry)) == []

    feed_response = await public_get(stack, "/api/v1/register.atom", covenant="garments-textile")
    assert feed_response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(feed_response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    item = next(e for e in feed.iter(f"{ATOM}entry") if ref in (e.findtext(f"{ATOM}id") or ""))
    link = item.find(f"{ATOM}link")
    assert link is not None and link.get("href", "").endswith(f"/register/{ref}")
    assert datetime.fromisoformat(item.findtext(f"{ATOM}updated") or "") <= datetime.now(UTC)
    assert leaks(feed_response.text) == []

    # A term added afterwards re-redacts what is shown.
    await stack.http.post(
        f"/api/v1/cases/{ref}/redaction-terms", json={"term": "organisers"}, headers=secretariat
    )
    entry = (await public_get(stack, f"/api/v1/register/{ref}")).json()
    assert "organisers" not in entry["summary"] and "agreed to reinstate" in entry["summary"]
    # Removed again (the company may not): the word shows again.
    terms = await stack.http.get(f"/api/v1/cases/{ref}/redaction-terms", headers=secretariat)
    added = next(t for t in terms.json()["items"] if t["term"] == "organisers")
    path = f"/api/v1/cases/{ref}/redaction-terms/{added['id']}"
    refused = await stack.http.delete(path, headers=await stack.headers("company"))
    assert refused.status_code == 403
    assert (await stack.http.delete(path, headers=secretariat)).status_code == 204
    assert (await stack.http.delete(path, headers=secretariat)).status_code == 404
    entry = (await public_get(stack, f"/api/v1/register/{ref}")).json()
    assert "organisers" in entry["summary"] and leaks(str(entry)) == []
    # Every change is in the case's audit trail, without the terms themselves.
    trail = await stack.http.get(f"/api/v1/cases/{ref}/audit", headers=await stack.headers("chair"))
    actions = [item["action"] for item in trail.json()["items"]]
    for done in ("redaction_term_added", "redaction_term_removed", "publish_summary"):
        assert done in actions
    assert "record_lesson" in actions and leaks(trail.text) == []


async def test_a_complainant_is_named_only_when_it_agreed_and_others_are_counts(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint(
        complainant={
            "name": "Nasrin Namedtwo",
            "organisation": "Open Workers Union Namedtwo",
            "email": "nasrin.namedtwo@workers.example",
            "confidential": False,
            "language": "en",
        },
        subject="Unpaid overtime Namedtwo",
    )
    ref = filed["reference"]
    unpublished = await file_complaint(subject="Never published Hiddenthree")
    await to_decision(stack, ref)
    summary = "Nasrin Namedtwo reported unpaid overtime; the company paid it."
    await stack.act(ref, "chair", action="publish_summary", summary=summary, named=True)
    entry = (await public_get(stack, f"/api/v1/register/{ref}")).json()
    # Not agreed yet: the pseudonym, and the name redacted from the text.
    assert entry["named"] is False and "Namedtwo" not in str(entry)

    await stack.act(ref, code(filed), action="consent_to_naming", agreed=True)
    entry = (await public_get(stack, f"/api/v1/register/{ref}")).json()
    assert entry["named"] is True and entry["complainant"] == "Open Workers Union Namedtwo"
    assert entry["summary"] == summary
    # Agreement withdrawn: anonymous again.
    await stack.act(ref, code(filed), action="consent_to_naming", agreed=False)
    entry = (await public_get(stack, f"/api/v1/register/{ref}")).json()
    assert entry["named"] is False and "Namedtwo" not in str(entry)

    body = (await public_get(stack, "/api/v1/register", page_size=100)).json()
    text = str(body)
    assert unpublished["reference"] not in text and "Hiddenthree" not in text
    year = datetime.now(UTC).year
    counts = {(u["covenant"], u["year"]): u["count"] for u in body["unpublished"]}
    assert counts[("garments-textile", year)] >= 1
    missing = await stack.http.get(f"/api/v1/register/{unpublished['reference']}")
    assert missing.status_code == 404
    # Filters: by company, outcome and year.
    assert ref in str((await public_get(stack, "/api/v1/register", company="noorderlicht")).json())
    none = (await public_get(stack, "/api/v1/register", company="nobody", year=year)).json()
    assert none["items"] == [] and none["total"] == 0
