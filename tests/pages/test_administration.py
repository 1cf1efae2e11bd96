"""The admin pages over HTTP: who may open them, bad input shown and nothing changed,
Dutch words, and the account pages' answers."""

from __future__ import annotations

import re

import httpx
from sqlmodel import Session, select

from store.tables import User
from tests.pages.portal import CSRF, Portal


async def test_only_the_admin_manages_people_and_the_secretariat_organisations(
    portal: Portal,
) -> None:
    for who, users, orgs in (
        ("admin", 200, 200),
        ("secretariat", 404, 200),
        ("chair", 404, 404),
        ("company", 404, 404),
    ):
        client = await portal.as_user(who)
        assert (await client.get("/portal/users")).status_code == users, who
        assert (await client.get("/portal/organisations")).status_code == orgs, who
        assert (await client.get("/portal/changes")).status_code == users, who
    admin = await portal.as_user("admin")
    dutch = await admin.get("/portal/users?lang=nl")
    assert "Iemand uitnodigen" in dutch.text and "Gebruikersnaam" in dutch.text
    page = await admin.get("/portal/organisations/noorderlicht-fashion?lang=nl")
    assert "Contactadressen voor berichten" in page.text


async def test_a_bad_invitation_names_the_problem_and_adds_nobody(portal: Portal) -> None:
    admin = await portal.as_user("admin")
    form = await admin.get("/portal/users")
    token = CSRF.findall(form.text)[0]
    with Session(portal.site.engine) as session:
        before = len(session.exec(select(User)).all())
    refused = await admin.post(
        "/portal/users",
        data={
            "csrf_token": token,
            "username": "secretariat",
            "email": "someone@else.example",
            "role": "company",
            "organisation": "delta-denim",
        },
    )
    assert refused.status_code == 422
    assert "body.username: &#39;secretariat&#39; is taken already" in refused.text
    assert 'value="someone@else.example"' in refused.text  # what was typed stays
    wrong_kind = await admin.post(
        "/portal/users",
        data={
            "csrf_token": token,
            "username": "newcomer",
            "email": "newcomer@else.example",
            "role": "union",
            "organisation": "delta-denim",
        },
    )
    assert wrong_kind.status_code == 422 and "kind ngo or union" in wrong_kind.text
    with Session(portal.site.engine) as session:
        assert len(session.exec(select(User)).all()) == before
    no_token = await admin.post("/portal/users", data={"username": "x"})
    assert no_token.status_code == 403


async def test_the_reset_page_answers_alike_and_a_bad_link_says_so(portal: Portal) -> None:
    visitor = await portal.as_user("union")
    form = await visitor.get("/account/reset")
    token = CSRF.findall(form.text)[0]
    known = await visitor.post(
        "/account/reset", data={"csrf_token": token, "email": "union@redress.localhost"}
    )
    unknown = await visitor.post(
        "/account/reset", data={"csrf_token": token, "email": "nobody@nowhere.example"}
    )
    assert known.status_code == unknown.status_code == 200
    # Alike but for the CSRF token, masked afresh on every page (api/pages/cookies.py).
    assert CSRF.sub("", known.text) == CSRF.sub("", unknown.text)
    assert CSRF.findall(known.text) != CSRF.findall(unknown.text)
    assert any(m.to == "union@redress.localhost" for m in portal.site.mailer.sent)
    bad = await visitor.post(
        "/account/password",
        data={"csrf_token": token, "token": "made-up", "password": "x" * 20, "confirm": "x" * 20},
    )
    assert bad.status_code == 422 and "unknown, was used already or has expired" in bad.text
    account = await visitor.get("/account")
    assert account.status_code == 200 and "union@redress.localhost" in account.text


async def test_the_secretariat_replaces_an_access_code_from_the_case_page(portal: Portal) -> None:
    reference = await portal.file()
    staff = await portal.as_user("secretariat")
    page = await staff.get(f"/portal/cases/{reference}")
    assert "Replace the complainant" in page.text
    token = CSRF.findall(page.text)[0]
    answer = await staff.post(f"/portal/cases/{reference}/access-code", data={"csrf_token": token})
    assert answer.status_code == 200 and "shown only now" in answer.text
    code = answer.text.split("The new code is ")[1].split(".")[0]
    assert re.fullmatch(r"\d{4}( \d{4}){4}", code), code  # in groups, to read out
    async with httpx.AsyncClient(base_url=portal.site.url) as visitor:
        opened = await visitor.get(f"/api/v1/cases/{reference}", headers={"X-Access-Code": code})
    assert opened.status_code == 200
    chair = await portal.as_user("chair")
    refused = await chair.post(f"/portal/cases/{reference}/access-code", data={"csrf_token": token})
    assert refused.status_code in (403, 404)
