"""Health, the OpenAPI document and signing in."""

from __future__ import annotations

import httpx

from redress.app import create_app
from tests.api.conftest import PUBLIC_URL, Stack

API_PATHS = {
    "/healthz": {"get"},
    "/api/v1/auth/token": {"post"},
    "/api/v1/complaints": {"post"},
    "/api/v1/disputes": {"post"},
    "/api/v1/cases": {"get"},
    "/api/v1/cases/{reference}": {"get"},
    "/api/v1/cases/{reference}/actions": {"get", "post"},
    "/api/v1/cases/{reference}/documents": {"post"},
    "/api/v1/cases/{reference}/documents/{id}": {"get"},
}


async def test_healthz_is_ok_when_database_and_temporal_answer(stack: Stack) -> None:
    response = await stack.http.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_healthz_names_what_is_down(stack: Stack) -> None:
    settings = stack.settings.model_copy(update={"temporal_address": "127.0.0.1:1"})
    app = create_app(settings, engine=stack.engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL
    ) as http:
        response = await http.get("/healthz")
    assert response.status_code == 503
    assert response.json()["temporal"] == "down" and response.json()["database"] == "ok"
    assert "Temporal" in response.json()["detail"]


async def test_openapi_describes_every_endpoint(stack: Stack) -> None:
    document = (await stack.http.get("/openapi.json")).json()
    for path, methods in API_PATHS.items():
        assert path in document["paths"], path
        assert methods <= set(document["paths"][path]), path
        for method in methods:
            operation = document["paths"][path][method]
            assert operation.get("summary") and operation["responses"]
    schemas = document["components"]["schemas"]
    assert {"CaseOut", "FileComplaintInput", "IssueDecision", "TokenOut"} <= set(schemas)


async def test_sign_in_gives_a_token_and_refuses_everything_else_alike(stack: Stack) -> None:
    good = await stack.http.post(
        "/api/v1/auth/token", json={"username": "company", "password": "demo"}
    )
    assert good.status_code == 200
    token = good.json()
    assert token["token_type"] == "bearer" and token["role"] == "company"
    assert token["organisation"] == "noorderlicht-fashion"
    failures = [
        {"username": "company", "password": "wrong"},
        {"username": "nobody", "password": "demo"},
    ]
    bodies = []
    for credentials in failures:
        response = await stack.http.post("/api/v1/auth/token", json=credentials)
        assert response.status_code == 401
        bodies.append(response.json())
    assert bodies == [{"detail": "invalid username or password"}] * 2
    expired = await stack.http.get("/api/v1/cases", headers={"Authorization": "Bearer not-a-token"})
    assert expired.status_code == 401


async def test_demo_accounts_are_refused_unless_enabled(stack: Stack) -> None:
    settings = stack.settings.model_copy(update={"demo_accounts": False})
    app = create_app(settings, engine=stack.engine, client=stack.client)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL
    ) as http:
        response = await http.post(
            "/api/v1/auth/token", json={"username": "chair", "password": "demo"}
        )
    assert response.status_code == 401
    assert response.json() == {"detail": "invalid username or password"}


async def test_an_unexpected_error_is_a_bare_500(stack: Stack) -> None:
    app = create_app(stack.settings, engine=stack.engine, client=stack.client)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret: rahima@workers.example")

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL
    ) as http:
        response = await http.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "internal server error"}
