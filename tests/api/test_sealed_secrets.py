"""Authenticator secrets are stored sealed with the server's key and bound to their user: the
database holds none in plain text; one stored in plain text before still works and is
sealed at the next sign-in; after a key rotation the old key still opens, and each secret
moves to the new key as its user signs in."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from core.codec import new_key_entry
from core.sealing import SealError, sealer
from store.tables import User
from tests.api.conftest import Stack
from tests.api.test_accounts import STRONG, invite, mail_to, token_in
from tests.api.test_two_factor import app_client, code, enrolled


def stored(stack: Stack, username: str) -> User:
    """The user's row as the database holds it now."""
    with Session(stack.engine) as session:
        return session.exec(select(User).where(User.username == username)).one()


def everything_in_users(stack: Stack) -> str:
    """Every value of every row of ``users``, as one text."""
    with stack.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM users")).all()
    return " ".join(str(value) for row in rows for value in row)


async def test_the_database_holds_no_plain_authenticator_secret(stack: Stack) -> None:
    async with app_client(stack) as http:
        app = await enrolled(stack, http, "tf.saskia")
        row = stored(stack, "tf.saskia")
        assert row.totp_pending is None and row.totp_secret is not None
        assert row.totp_secret.startswith("sealed:derived:")
        assert app.secret not in everything_in_users(stack)
        await enrolled(stack, http, "tf.pieter")
    assert sealer(stack.settings).open(row.totp_secret, f"users.totp:{row.id}") == app.secret
    other = stored(stack, "tf.pieter")
    with pytest.raises(SealError, match="does not open"):  # bound to its user: not movable
        sealer(stack.settings).open(row.totp_secret, f"users.totp:{other.id}")


async def test_an_offered_secret_is_sealed_before_it_is_confirmed(stack: Stack) -> None:
    email = "tf.noor@mechanism.example"
    await invite(stack, username="tf.noor", email=email, role="chair", covenants=["natural-stone"])
    chosen = {"token": token_in(await mail_to(stack, email, "Redress")), "password": STRONG}
    async with app_client(stack) as http:
        assert (await http.post("/api/v1/auth/password", json=chosen)).status_code == 204
        first = await http.post(
            "/api/v1/auth/token", json={"username": "tf.noor", "password": STRONG}
        )
        enrolling = {"Authorization": f"Bearer {first.json()['access_token']}"}
        offered = (await http.post("/api/v1/auth/totp", headers=enrolling)).json()["secret"]
    row = stored(stack, "tf.noor")
    assert row.totp_pending is not None and row.totp_pending.startswith("sealed:")
    assert offered not in everything_in_users(stack)


async def test_a_plain_secret_from_before_works_and_is_sealed_at_the_next_sign_in(
    stack: Stack,
) -> None:
    async with app_client(stack) as http:
        app = await enrolled(stack, http, "tf.bram")
        with stack.engine.begin() as connection:  # as a row written before sealing holds it
            connection.execute(
                text("UPDATE users SET totp_secret = :plain WHERE username = 'tf.bram'"),
                {"plain": app.secret},
            )
        login = {"username": "tf.bram", "password": STRONG, "totp": code(app, 0)}
        assert (await http.post("/api/v1/auth/token", json=login)).status_code == 200
    row = stored(stack, "tf.bram")
    assert row.totp_secret is not None and row.totp_secret.startswith("sealed:derived:")
    assert app.secret not in everything_in_users(stack)


async def test_after_a_rotation_the_old_key_opens_and_the_next_sign_in_moves_on(
    stack: Stack,
) -> None:
    first, first_id = new_key_entry("")
    both, second_id = new_key_entry(first)
    async with app_client(stack) as http:  # before any key is set: the derived key seals
        app: pyotp.TOTP = await enrolled(stack, http, "tf.lotte")
    assert (stored(stack, "tf.lotte").totp_secret or "").startswith("sealed:derived:")
    login = {"username": "tf.lotte", "password": STRONG}

    rotated = {"payload_keys": first, "payload_key_id": first_id}
    async with app_client(stack, **rotated) as http:
        signed_in = await http.post("/api/v1/auth/token", json={**login, "totp": code(app, 0)})
        assert signed_in.status_code == 200
    assert (stored(stack, "tf.lotte").totp_secret or "").startswith(f"sealed:{first_id}:")

    again = {"payload_keys": both, "payload_key_id": second_id}
    async with app_client(stack, **again) as http:
        signed_in = await http.post("/api/v1/auth/token", json={**login, "totp": code(app, 1)})
        assert signed_in.status_code == 200
    sealed = stored(stack, "tf.lotte").totp_secret or ""
    assert sealed.startswith(f"sealed:{second_id}:")
    # A process that still lacks the new key says which one it misses.
    with pytest.raises(SealError, match=f"key '{second_id}', which is not configured"):
        sealer(stack.settings.model_copy(update=rotated)).open(sealed, "any")
