"""Bringing people into service: invitations, one-time links, passwords, disabling, the
admin's limits (API.md, Administration)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from notifications.mailer import OutgoingMail
from store.security_tables import AdminChange
from store.tables import AccountToken, User
from tests.api.conftest import Stack, complaint

STRONG = "wobbly-kettle-harbour-lantern"
LINK = re.compile(r"/account/password\?token=([A-Za-z0-9_\-]+)")


async def mail_to(stack: Stack, address: str, subject_has: str) -> OutgoingMail:
    """The latest mail to the address whose subject holds the words."""
    found = [m for m in stack.mailer.sent if m.to == address and subject_has in m.subject]
    assert found, f"no mail to {address} about {subject_has!r}"
    return found[-1]


def token_in(mail: OutgoingMail) -> str:
    """The one-time token of the link in the mail (text and HTML carry the same one)."""
    found = LINK.search(mail.text)
    assert found is not None and found.group(1) in mail.html
    return found.group(1)


async def invite(stack: Stack, **body: Any) -> dict[str, Any]:
    """Invite a user as the admin; 201 expected."""
    made = await stack.http.post("/api/v1/users", json=body, headers=await stack.headers("admin"))
    assert made.status_code == 201, made.text
    created: dict[str, Any] = made.json()
    return created


async def sign_in(stack: Stack, username: str, password: str) -> dict[str, str]:
    """Bearer headers for a user who set a password."""
    answer = await stack.http.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def test_a_company_is_brought_into_service_and_sees_only_its_registered_case(
    stack: Stack,
) -> None:
    admin = await stack.headers("admin")
    org = await stack.http.post(
        "/api/v1/organisations",
        json={
            "name": "Waddenzee Apparel B.V.",
            "kind": "company",
            "country": "NL",
            "contacts": [{"email": "duediligence@waddenzee.example", "language": "nl"}],
        },
        headers=admin,
    )
    assert org.status_code == 201, org.text
    company_id = org.json()["id"]
    party = await stack.http.post(
        "/api/v1/covenants/garments-textile/parties",
        json={"organisation": company_id},
        headers=admin,
    )
    assert party.status_code == 201
    user = await invite(
        stack,
        username="ilse",
        email="ilse@waddenzee.example",
        role="company",
        organisation=company_id,
        language="nl",
        name="Ilse de Wit",
    )
    assert user["invitation_sent"] and not user["password_set"] and user["covenants"] == []
    invitation = await mail_to(stack, "ilse@waddenzee.example", "Redress")
    assert invitation.language == "nl" and "ilse" in invitation.text
    token = token_in(invitation)

    weak = await stack.http.post("/api/v1/auth/password", json={"token": token, "password": "x"})
    assert weak.status_code == 422 and weak.json()["errors"][0]["loc"] == ["body", "password"]
    common = {"token": token, "password": "password1234"}
    refused = await stack.http.post("/api/v1/auth/password", json=common)
    assert refused.status_code == 422 and "guess" in refused.json()["detail"]
    chosen = {"token": token, "password": STRONG}
    assert (await stack.http.post("/api/v1/auth/password", json=chosen)).status_code == 204
    again = await stack.http.post("/api/v1/auth/password", json=chosen)
    assert again.status_code == 422 and again.json()["errors"][0]["loc"] == ["body", "token"]
    ilse = await sign_in(stack, "ilse", STRONG)

    filed = await stack.http.post(
        "/api/v1/complaints",
        json=complaint(respondent={"company": company_id}),
    )
    assert filed.status_code == 201, filed.text
    ref = filed.json()["reference"]
    assert (await stack.case(ref, ilse)).status_code == 404  # in screening
    listed = await stack.http.get("/api/v1/cases", headers=ilse)
    assert listed.json()["total"] == 0
    await stack.act(ref, "secretariat", action="register")
    await stack.act(ref, "chair", action="declare_admissible")
    seen = await stack.case(ref, ilse)
    assert seen.status_code == 200 and seen.json()["stage"] == "response"
    listed = await stack.http.get("/api/v1/cases", headers=ilse)
    assert [c["reference"] for c in listed.json()["items"]] == [ref]
    notices = await stack.mails_to(
        {"duediligence@waddenzee.example", "ilse@waddenzee.example"}, ref, 2
    )
    assert {m.to for m in notices} == {"duediligence@waddenzee.example", "ilse@waddenzee.example"}
    assert all(m.language == "nl" for m in notices)


async def test_disabling_a_user_ends_its_sign_ins_at_once(stack: Stack) -> None:
    await invite(
        stack,
        username="rubel",
        email="rubel@dhaka-gwu.example",
        role="union",
        organisation="dhaka-gwu",
        language="bn",
    )
    token = token_in(await mail_to(stack, "rubel@dhaka-gwu.example", "Redress"))
    chosen = {"token": token, "password": STRONG}
    assert (await stack.http.post("/api/v1/auth/password", json=chosen)).status_code == 204
    rubel = await sign_in(stack, "rubel", STRONG)
    assert (await stack.http.get("/api/v1/cases", headers=rubel)).status_code == 200
    admin = await stack.headers("admin")
    off = await stack.http.patch("/api/v1/users/rubel", json={"active": False}, headers=admin)
    assert off.status_code == 200 and off.json()["active"] is False
    assert (await stack.http.get("/api/v1/cases", headers=rubel)).status_code == 401
    refused = await stack.http.post(
        "/api/v1/auth/token", json={"username": "rubel", "password": STRONG}
    )
    assert refused.status_code == 401
    on = await stack.http.patch("/api/v1/users/rubel", json={"active": True}, headers=admin)
    assert on.status_code == 200
    await sign_in(stack, "rubel", STRONG)  # the password was kept


async def test_bad_administration_is_refused_naming_the_field_and_changes_nothing(
    stack: Stack,
) -> None:
    admin = await stack.headers("admin")
    with Session(stack.engine) as session:
        before = len(session.exec(select(User)).all())
    good = {
        "username": "newperson",
        "email": "new@person.example",
        "role": "company",
        "organisation": "delta-denim",
    }
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"role": "emperor"}, ["body", "role"]),
        ({"organisation": "nobody"}, ["body", "organisation"]),
        ({"organisation": "dhaka-gwu"}, ["body", "organisation"]),  # a union, not a company
        ({"username": "secretariat"}, ["body", "username"]),
        ({"username": "Bad Name!"}, ["body", "username"]),
        ({"email": "secretariat@redress.localhost"}, ["body", "email"]),
        ({"email": "not-an-address"}, ["body", "email"]),
        ({"covenants": ["garments-textile"]}, ["body", "covenants"]),  # a company works on none
        ({"role": "chair", "organisation": None, "covenants": ["nope"]}, ["body", "covenants"]),
    ]
    for change, loc in cases:
        answer = await stack.http.post("/api/v1/users", json={**good, **change}, headers=admin)
        assert answer.status_code == 422, (change, answer.text)
        assert answer.json()["errors"][0]["loc"] == loc, (change, answer.json())
    for who in ("secretariat", "chair", "company"):
        answer = await stack.http.post("/api/v1/users", json=good, headers=await stack.headers(who))
        assert answer.status_code == 403
    assert (
        await stack.http.get("/api/v1/users", headers=await stack.headers("chair"))
    ).status_code == 403
    unknown = await stack.http.patch("/api/v1/users/nobody", json={"active": False}, headers=admin)
    assert unknown.status_code == 404
    myself = await stack.http.patch("/api/v1/users/admin", json={"active": False}, headers=admin)
    assert myself.status_code == 422
    with Session(stack.engine) as session:
        assert len(session.exec(select(User)).all()) == before
    listed = await stack.http.get("/api/v1/users", params={"role": "admin"}, headers=admin)
    assert [u["username"] for u in listed.json()["items"]] == ["admin"]
    assert "password" not in listed.text.replace("password_set", "")


async def test_a_reset_answers_alike_for_any_address_and_its_link_expires(stack: Stack) -> None:
    sent = len(stack.mailer.sent)
    unknown = await stack.http.post("/api/v1/auth/password-reset", json={"email": "no@one.example"})
    assert unknown.status_code == 202 and len(stack.mailer.sent) == sent
    await invite(
        stack,
        username="priya",
        email="priya@tiruppur-ttu.example",
        role="union",
        organisation="tiruppur-ttu",
    )
    known = await stack.http.post(
        "/api/v1/auth/password-reset", json={"email": "Priya@Tiruppur-TTU.example"}
    )
    assert known.status_code == 202 and known.json() == unknown.json()
    reset = await mail_to(stack, "priya@tiruppur-ttu.example", "Reset")
    token = token_in(reset)
    with Session(stack.engine) as session:
        rows = session.exec(select(AccountToken)).all()
        assert token not in {r.token_hash for r in rows}  # stored hashed only
        for row in rows:
            if row.purpose == "reset":
                row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
                session.add(row)
        session.commit()
    expired = await stack.http.post(
        "/api/v1/auth/password", json={"token": token, "password": STRONG}
    )
    assert expired.status_code == 422 and "expired" in expired.json()["detail"]


async def test_a_user_changes_its_password_and_every_sign_in_ends(stack: Stack) -> None:
    await invite(
        stack,
        username="joris",
        email="joris@delta-denim.example",
        role="company",
        organisation="delta-denim",
    )
    token = token_in(await mail_to(stack, "joris@delta-denim.example", "Redress"))
    await stack.http.post("/api/v1/auth/password", json={"token": token, "password": STRONG})
    joris = await sign_in(stack, "joris", STRONG)
    wrong = await stack.http.post(
        "/api/v1/auth/password/change",
        json={"current_password": "guess", "new_password": "another-quiet-river-stone"},
        headers=joris,
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["loc"][-1] == "current_password"
    changed = await stack.http.post(
        "/api/v1/auth/password/change",
        json={"current_password": STRONG, "new_password": "another-quiet-river-stone"},
        headers=joris,
    )
    assert changed.status_code == 204
    assert (await stack.http.get("/api/v1/cases", headers=joris)).status_code == 401
    await sign_in(stack, "joris", "another-quiet-river-stone")
    with Session(stack.engine) as session:
        actions = {c.action for c in session.exec(select(AdminChange)).all() if c.target == "joris"}
    assert {"user_created", "invitation_sent", "password_set", "password_changed"} <= actions


async def test_the_admin_sees_no_case_and_no_identity(stack: Stack) -> None:
    filed = await stack.http.post("/api/v1/complaints", json=complaint())
    ref = filed.json()["reference"]
    admin = await stack.headers("admin")
    assert (await stack.case(ref, admin)).status_code == 404
    listed = await stack.http.get("/api/v1/cases", headers=admin)
    assert listed.json()["total"] == 0 and "Rahima" not in listed.text


async def test_expired_tokens_and_old_idempotency_keys_are_purged(stack: Stack) -> None:
    from redress.app import purge_now
    from store.tables import IdempotencyKey

    await invite(
        stack,
        username="old-link",
        email="old@delta-denim.example",
        role="company",
        organisation="delta-denim",
    )
    long_ago = datetime.now(UTC) - timedelta(days=30)
    with Session(stack.engine) as session:
        for row in session.exec(select(AccountToken)).all():
            row.expires_at = long_ago
            session.add(row)
        session.add(
            IdempotencyKey(
                reference="GT-2020-OLD00", caller="c", key="k", digest="0" * 64, created_at=long_ago
            )
        )
        session.commit()
    counts = purge_now(stack.engine, stack.settings)
    assert counts["one-time tokens"] >= 1 and counts["idempotency keys"] >= 1
    with Session(stack.engine) as session:
        assert session.exec(select(AccountToken)).all() == []
