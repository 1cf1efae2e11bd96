"""``POST /api/v1/auth/logout`` revokes the token it is sent with, and only that one."""

from __future__ import annotations

from store.seed import DEMO_PASSWORD
from tests.api.conftest import Stack


async def _token(stack: Stack, username: str) -> dict[str, str]:
    answer = await stack.http.post(
        "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def test_a_revoked_token_answers_401_at_once(stack: Stack) -> None:
    first, second = await _token(stack, "chair"), await _token(stack, "chair")
    assert (await stack.http.get("/api/v1/cases", headers=first)).status_code == 200
    out = await stack.http.post("/api/v1/auth/logout", headers=first)
    assert out.status_code == 204 and out.content == b""
    refused = await stack.http.get("/api/v1/cases", headers=first)
    assert refused.status_code == 401 and refused.json()["detail"] == "invalid or expired token"
    assert (await stack.http.post("/api/v1/auth/logout", headers=first)).status_code == 401
    assert (await stack.http.get("/api/v1/cases", headers=second)).status_code == 200
    assert (await stack.http.post("/api/v1/auth/logout")).status_code == 401
