"""Two-factor sign-in (TOTP) for the roles that see identities, when it is required."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pyotp
import pytest

from redress.app import create_app
from tests.api.conftest import PUBLIC_URL, Stack
from tests.api.test_accounts import STRONG, invite, mail_to, token_in


@pytest.fixture
async def strict(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """The API of the same engine with two-factor sign-in required."""
    settings = stack.settings.model_copy(update={"require_mfa": True})
    app = create_app(settings, engine=stack.engine, client=stack.client, mailer=stack.mailer)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as http:
        yield http


async def test_a_new_secretary_sets_up_two_factor_and_then_needs_the_code(
    stack: Stack, strict: httpx.AsyncClient
) -> None:
    made = await invite(
        stack,
        username="fleur",
        email="fleur@mechanism.example",
        role="secretariat",
        covenants=["garments-textile"],
    )
    assert made["covenants"] == ["garments-textile"] and not made["two_factor"]
    invitation = await mail_to(stack, "fleur@mechanism.example", "Redress")
    token = token_in(invitation)
    chosen = {"token": token, "password": STRONG}
    assert (await strict.post("/api/v1/auth/password", json=chosen)).status_code == 204

    login = {"username": "fleur", "password": STRONG}
    first = await strict.post("/api/v1/auth/token", json=login)
    assert first.status_code == 200 and first.json()["mfa_enrolment_required"] is True
    enrolling = {"Authorization": f"Bearer {first.json()['access_token']}"}
    blocked = await strict.get("/api/v1/cases", headers=enrolling)
    assert blocked.status_code == 403 and "two-factor" in blocked.json()["detail"]
    offered = await strict.post("/api/v1/auth/totp", headers=enrolling)
    assert offered.status_code == 200 and offered.json()["uri"].startswith("otpauth://totp/")
    app = pyotp.TOTP(offered.json()["secret"])
    wrong = await strict.post(
        "/api/v1/auth/totp/confirm", json={"code": "000000"}, headers=enrolling
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["loc"] == ["body", "code"]
    confirmed = await strict.post(
        "/api/v1/auth/totp/confirm", json={"code": app.now()}, headers=enrolling
    )
    assert confirmed.status_code == 204
    assert (await strict.get("/api/v1/cases", headers=enrolling)).status_code == 200

    no_code = await strict.post("/api/v1/auth/token", json=login)
    assert no_code.status_code == 401 and no_code.json()["mfa_required"] is True
    bad_code = await strict.post("/api/v1/auth/token", json={**login, "totp": "123456"})
    assert bad_code.status_code == 401
    good = await strict.post("/api/v1/auth/token", json={**login, "totp": app.now()})
    assert good.status_code == 200 and good.json()["mfa_enrolment_required"] is False
    again = await strict.post(
        "/api/v1/auth/totp", headers={"Authorization": f"Bearer {good.json()['access_token']}"}
    )
    assert again.status_code == 409

    admin = await stack.headers("admin")
    reset = await stack.http.patch(
        "/api/v1/users/fleur", json={"reset_two_factor": True}, headers=admin
    )
    assert reset.status_code == 200 and reset.json()["two_factor"] is False
    after = await strict.post("/api/v1/auth/token", json=login)
    assert after.json()["mfa_enrolment_required"] is True


async def test_parties_sign_in_without_a_second_factor(strict: httpx.AsyncClient) -> None:
    from store.seed import DEMO_PASSWORD

    answer = await strict.post(
        "/api/v1/auth/token", json={"username": "company", "password": DEMO_PASSWORD}
    )
    assert answer.status_code == 200 and answer.json()["mfa_enrolment_required"] is False
