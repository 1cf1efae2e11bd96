"""Two-factor sign-in (TOTP) for the roles that see identities, when it is required: each
code works once, and the secrets are stored sealed with the server's key (rotatable)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pyotp
import pytest

from redress.app import create_app
from tests.api.conftest import PUBLIC_URL, Stack
from tests.api.test_accounts import STRONG, invite, mail_to, token_in


@asynccontextmanager
async def app_client(stack: Stack, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The API and pages of the stack's engine, with two-factor sign-in required and the
    settings changed as given (payload keys, for instance)."""
    changed = stack.settings.model_copy(update={"require_mfa": True, **settings})
    app = create_app(changed, engine=stack.engine, client=stack.client, mailer=stack.mailer)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as http:
        yield http


@pytest.fixture
async def strict(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """The API of the same engine with two-factor sign-in required."""
    async with app_client(stack) as http:
        yield http


def code(app: pyotp.TOTP, steps: int) -> str:
    """The app's code that many 30-second steps from now (the server accepts one either
    side), so that each sign-in of a test can use a code of its own."""
    return app.at(time.time() + steps * app.interval)


async def enrolled(stack: Stack, http: httpx.AsyncClient, username: str) -> pyotp.TOTP:
    """A new secretary with a password and two-factor sign-in set up (with the code of the
    step before now, leaving now and the next step for the test); their authenticator."""
    email = f"{username}@mechanism.example"
    await invite(
        stack, username=username, email=email, role="secretariat", covenants=["garments-textile"]
    )
    chosen = {"token": token_in(await mail_to(stack, email, "Redress")), "password": STRONG}
    assert (await http.post("/api/v1/auth/password", json=chosen)).status_code == 204
    first = await http.post("/api/v1/auth/token", json={"username": username, "password": STRONG})
    enrolling = {"Authorization": f"Bearer {first.json()['access_token']}"}
    offered = await http.post("/api/v1/auth/totp", headers=enrolling)
    app = pyotp.TOTP(offered.json()["secret"])
    confirmed = await http.post(
        "/api/v1/auth/totp/confirm", json={"code": code(app, -1)}, headers=enrolling
    )
    assert confirmed.status_code == 204, confirmed.text
    return app


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
        "/api/v1/auth/totp/confirm", json={"code": code(app, -1)}, headers=enrolling
    )
    assert confirmed.status_code == 204
    assert (await strict.get("/api/v1/cases", headers=enrolling)).status_code == 200

    no_code = await strict.post("/api/v1/auth/token", json=login)
    assert no_code.status_code == 401 and no_code.json()["mfa_required"] is True
    bad_code = await strict.post("/api/v1/auth/token", json={**login, "totp": "123456"})
    assert bad_code.status_code == 401
    good = await strict.post("/api/v1/auth/token", json={**login, "totp": code(app, 0)})
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


async def test_a_code_works_once_through_the_api(
    stack: Stack, strict: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    app = await enrolled(stack, strict, "tf.joost")
    login = {"username": "tf.joost", "password": STRONG}
    now = code(app, 0)
    wrong = await strict.post("/api/v1/auth/token", json={**login, "totp": "000000"})
    assert (await strict.post("/api/v1/auth/token", json={**login, "totp": now})).status_code == 200
    with caplog.at_level(logging.WARNING, logger="services.two_factor"):
        replayed = await strict.post("/api/v1/auth/token", json={**login, "totp": now})
    assert replayed.status_code == 401 and replayed.json() == wrong.json()  # the same refusal
    [logged] = [r for r in caplog.records if "already used" in r.getMessage()]
    assert "tf.joost" in logged.getMessage() and now not in logged.getMessage()
    # The code that confirmed the secret is used up too; a later one still works.
    earlier = await strict.post("/api/v1/auth/token", json={**login, "totp": code(app, -1)})
    assert earlier.status_code == 401
    later = await strict.post("/api/v1/auth/token", json={**login, "totp": code(app, 1)})
    assert later.status_code == 200


async def test_of_two_sign_ins_at_once_with_one_code_one_wins(
    stack: Stack, strict: httpx.AsyncClient
) -> None:
    app = await enrolled(stack, strict, "tf.ilse")
    login = {"username": "tf.ilse", "password": STRONG, "totp": code(app, 0)}
    answers = await asyncio.gather(
        *(strict.post("/api/v1/auth/token", json=login) for _ in range(4))
    )
    assert sorted(answer.status_code for answer in answers) == [200, 401, 401, 401]


async def test_a_code_works_once_on_the_sign_in_page(
    stack: Stack, strict: httpx.AsyncClient
) -> None:
    app = await enrolled(stack, strict, "tf.maarten")

    async def sign_in(totp: str) -> httpx.Response:
        form = await strict.get("/login")
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        fields = {"csrf_token": token, "username": "tf.maarten", "password": STRONG, "totp": totp}
        return await strict.post("/login", data=fields)

    now = code(app, 0)
    first = await sign_in(now)
    assert first.status_code == 303 and first.headers["location"] == "/portal"
    again = await sign_in(now)
    assert again.status_code == 401 and 'name="totp"' in again.text
    assert (await sign_in(code(app, 1))).status_code == 303
