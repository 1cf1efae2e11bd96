"""One Temporal dev server, one worker, one SQLite read model and one app for the API tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from temporalio.client import Client

from core.settings import Settings
from notifications.mailer import OutgoingMail, RecordingMailer
from redress.app import create_app
from tests.stack import demo_headers, running_backend

PUBLIC_URL = "http://testserver"


@dataclass
class Stack:
    """Everything a test talks to, shared by the whole session."""

    settings: Settings
    engine: Engine
    client: Client
    app: FastAPI
    http: httpx.AsyncClient
    mailer: RecordingMailer
    tokens: dict[str, str] = field(default_factory=dict)

    async def headers(self, username: str) -> dict[str, str]:
        """Bearer headers for a demo user, signing in once per session."""
        return await demo_headers(self.http, self.tokens, username)

    async def act(
        self, reference: str, who: str | dict[str, str], expect: int = 200, **action: Any
    ) -> dict[str, Any]:
        """Take an action as a demo user (name) or with explicit headers; check the status."""
        headers = await self.headers(who) if isinstance(who, str) else who
        response = await self.http.post(
            f"/api/v1/cases/{reference}/actions", json=action, headers=headers
        )
        assert response.status_code == expect, response.text
        body: dict[str, Any] = response.json()
        return body

    async def case(self, reference: str, who: str | dict[str, str]) -> httpx.Response:
        """GET the case as a demo user (name) or with explicit headers."""
        headers = await self.headers(who) if isinstance(who, str) else who
        return await self.http.get(f"/api/v1/cases/{reference}", headers=headers)

    async def mails_to(
        self, addresses: set[str], reference: str, at_least: int = 1
    ) -> list[OutgoingMail]:
        """Mails about the case to those addresses; notices go out in the background."""
        found: list[OutgoingMail] = []
        for _ in range(100):
            found = [
                m
                for m in self.mailer.sent
                if m.to in addresses and (reference in m.subject or reference in m.text)
            ]
            if len(found) >= at_least:
                return found
            await asyncio.sleep(0.1)
        raise AssertionError(f"{len(found)} mail(s) to {addresses} about {reference}")


@pytest.fixture(scope="session")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    """The API over a real Temporal dev server, a real worker and a seeded SQLite file."""
    tmp: Path = tmp_path_factory.mktemp("api")
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'redress.db'}",
        data_dir=tmp,
        demo_accounts=True,
        task_queue="api-tests",
        public_url=PUBLIC_URL,
        secret_key="api-tests-secret-key-0123456789",
        complaint_rate_per_hour=1000,
        require_mfa=False,  # tests/api/test_two_factor.py turns it on for its own app
    )
    mailer = RecordingMailer()
    async with running_backend(settings, mailer=mailer) as backend:
        app = create_app(settings, engine=backend.engine, client=backend.client, mailer=mailer)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as http,
        ):
            yield Stack(settings, backend.engine, backend.client, app, http, mailer)


def complaint(**changes: Any) -> dict[str, Any]:
    """A valid complaint body against Noorderlicht Fashion; ``changes`` replace top-level keys."""
    body: dict[str, Any] = {
        "covenant": "garments-textile",
        "respondent": {
            "company": "Noorderlicht Fashion B.V.",
            "production_location": "demo-bd-meghna",
        },
        "complainant": {
            "name": "Rahima Khatun",
            "organisation": "Rupali Workers Committee",
            "email": "rahima@workers.example",
            "phone": "+880 1711 000000",
            "confidential": False,
            "represents": "sewing operators of Rupali Knit",
            "language": "en",
        },
        "subject": "Dismissal of union organisers",
        "description": "Twelve organisers were dismissed after registering a union.",
        "issues": ["freedom_of_association"],
        "remedy_sought": "Reinstatement and back pay.",
        "urgent": False,
    }
    body.update(changes)
    return body


Filed = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def file_complaint(stack: Stack) -> Filed:
    """File a complaint (anonymously unless ``as_user`` is given); 201 expected."""

    async def file(as_user: str | None = None, **changes: Any) -> dict[str, Any]:
        headers = await stack.headers(as_user) if as_user else {}
        response = await stack.http.post(
            "/api/v1/complaints", json=complaint(**changes), headers=headers
        )
        assert response.status_code == 201, response.text
        filed: dict[str, Any] = response.json()
        return filed

    return file


def code(filed: dict[str, Any]) -> dict[str, str]:
    """Access-code headers for a filed case."""
    return {"X-Access-Code": filed["access_code"]}


def days_ahead(days: int) -> str:
    """A date that many days from today, ISO formatted."""
    return (date.today() + timedelta(days=days)).isoformat()


def moment_ahead(days: int) -> str:
    """An aware datetime that many days from now, ISO formatted."""
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


@pytest.fixture(autouse=True)
def fresh_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    """Rate-limit counters start empty for every test on the stack and are emptied again,
    however it ends: the suite's many sign-ins, uploads and guesses share one address."""
    if "stack" not in request.fixturenames:
        yield
        return
    storage = request.getfixturevalue("stack").app.state.throttle.storage
    storage.reset()
    yield
    storage.reset()
