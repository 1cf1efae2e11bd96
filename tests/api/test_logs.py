"""The API's and the worker's log lines in JSON: each request's access line with its method,
route template, status, duration and case; the worker's lines with their case; and never a
confidential complainant's identity, an access code or a text, even at DEBUG."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from core.logs import log_handler
from core.temporal_client import connect
from redress.app import create_app
from tests.api.conftest import PUBLIC_URL, Stack, complaint
from tests.clock import shifted

IDENTITY = {
    "name": "Farzana Logless Akter",
    "organisation": "Quiet Committee of Savar Dyers",
    "email": "farzana.logless@hidden.example",
    "phone": "+880 1555 373737",
}
DESCRIPTION = "Overtime wages were withheld from the dyeing section for eleven weeks."
MESSAGE = "The supervisor threatened us again on Tuesday."


@dataclass
class Captured:
    """What the process logged: the JSON lines as shipped, and each record's raw message
    (before any redaction)."""

    stream: io.StringIO = field(default_factory=io.StringIO)
    raw: list[str] = field(default_factory=list)

    def lines(self) -> list[dict[str, Any]]:
        """Every shipped line, each parsed as one JSON object."""
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def access(self, route: str) -> list[dict[str, Any]]:
        """The access lines of requests to ``route`` (a template)."""
        return [x for x in self.lines() if x["logger"] == "redress.access" and x["route"] == route]


class _Raw(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


@pytest.fixture
def captured() -> Iterator[Captured]:
    """Everything logged during the test, at DEBUG, through the processes' JSON handler."""
    got = Captured()
    root = logging.getLogger()
    raw, shipped = _Raw(got.raw), log_handler("json", got.stream)
    level = root.level
    root.addHandler(raw)  # first: it sees each record before the redaction filter runs
    root.addHandler(shipped)
    root.setLevel(logging.DEBUG)
    try:
        yield got
    finally:
        root.removeHandler(raw)
        root.removeHandler(shipped)
        root.setLevel(level)


@pytest.fixture(scope="module")
async def api(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """The API over a Temporal client made as the processes make theirs (core.temporal_client
    .connect), on the stack's dev server, worker and read model."""
    settings = stack.settings.model_copy(
        update={"temporal_address": stack.client.service_client.config.target_host}
    )
    client = shifted(await connect(settings))
    app: FastAPI = create_app(settings, engine=stack.engine, client=client, mailer=stack.mailer)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as http,
    ):
        yield http


async def test_access_lines_are_json_with_method_route_status_duration_and_case(
    stack: Stack, api: httpx.AsyncClient, captured: Captured
) -> None:
    filed = await api.post("/api/v1/complaints", json=complaint())
    assert filed.status_code == 201, filed.text
    ref = filed.json()["reference"]
    staff = await stack.headers("secretariat")
    assert (await api.get(f"/api/v1/cases/{ref}", headers=staff)).status_code == 200
    assert (await api.get("/api/v1/cases/GT-2000-NONE0", headers=staff)).status_code == 404
    assert (await api.get("/no/such/page?q=x")).status_code == 404
    await stack.mails_to({"rahima@workers.example"}, ref)  # the receipt: the worker's lines

    [filing] = captured.access("/api/v1/complaints")
    assert filing["method"] == "POST" and filing["status"] == 201
    assert filing["reference"] == ref  # learnt when the client started case-<ref>
    assert filing["level"] == "INFO" and isinstance(filing["duration_ms"], float)
    read, missing = captured.access("/api/v1/cases/{reference}")
    assert (read["status"], read["reference"]) == (200, ref)
    assert (missing["status"], missing["reference"]) == (404, "GT-2000-NONE0")
    [probe] = captured.access("unmatched")
    assert probe["status"] == 404 and "q=x" not in json.dumps(probe)

    def sent() -> list[dict[str, Any]]:
        return [
            x
            for x in captured.lines()
            if x["logger"] == "temporalio.activity"
            and x.get("reference") == ref
            and "sent" in x["message"]
        ]

    for _ in range(100):  # the activity logs just after the mailer took the receipt
        if sent():
            break
        await asyncio.sleep(0.05)
    assert sent(), captured.lines()


async def test_a_confidential_filing_and_its_actions_log_no_identity_code_or_text(
    stack: Stack, api: httpx.AsyncClient, captured: Captured
) -> None:
    person = dict(IDENTITY, confidential=True, represents="Dyeing section")
    response = await api.post(
        "/api/v1/complaints", json=complaint(complainant=person, description=DESCRIPTION)
    )
    assert response.status_code == 201, response.text
    filed = response.json()
    ref, access_code = filed["reference"], filed["access_code"]
    as_complainant = {"X-Access-Code": access_code}
    for who, action in (
        ("secretariat", {"action": "register"}),
        ("chair", {"action": "declare_admissible"}),
    ):
        answer = await api.post(
            f"/api/v1/cases/{ref}/actions", json=action, headers=await stack.headers(who)
        )
        assert answer.status_code == 200, answer.text
    said = await api.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "add_message", "text": MESSAGE},
        headers=as_complainant,
    )
    assert said.status_code == 200, said.text
    assert (await api.get(f"/api/v1/cases/{ref}", headers=as_complainant)).status_code == 200
    await stack.mails_to({"company@redress.localhost"}, ref, at_least=2)

    shipped = captured.stream.getvalue()
    assert ref in shipped and len(captured.access("/api/v1/cases/{reference}/actions")) == 3
    secrets = [*IDENTITY.values(), access_code, DESCRIPTION, MESSAGE]
    for secret in secrets:
        assert secret.lower() not in shipped.lower(), secret
        # Not even before the redaction filter: the code never logs them.
        assert not [m for m in captured.raw if secret.lower() in m.lower()], secret
