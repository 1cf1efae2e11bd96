"""Driving cases as a client does (over HTTP), and moving one case's clock forward."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import httpx
from temporalio.client import WorkflowHandle

from domain.cases import CaseState
from tests.faults.stack import FaultStack
from workflows.case import CaseWorkflow

DEMO_PASSWORD = "demo"
T = TypeVar("T")


def complaint() -> dict[str, Any]:
    """The same complaint every time, so every case's e-mails go to the same people."""
    return {
        "covenant": "garments-textile",
        "respondent": {
            "company": "Noorderlicht Fashion B.V.",
            "production_location": "demo-bd-meghna",
        },
        "complainant": {
            "name": "Rahima Khatun",
            "organisation": "Rupali Workers Committee",
            "email": "rahima@workers.example",
            "confidential": True,
            "language": "en",
        },
        "subject": "Dismissal of union organisers",
        "description": "Twelve organisers were dismissed after registering a union.",
        "issues": ["freedom_of_association"],
        "remedy_sought": "Reinstatement and back pay.",
        "urgent": False,
    }


@dataclass
class Api:
    """The public API as a client uses it; demo users sign in once each."""

    http: httpx.AsyncClient
    tokens: dict[str, str] = field(default_factory=dict)

    async def headers(self, username: str) -> dict[str, str]:
        """Bearer headers for a demo user."""
        if username not in self.tokens:
            response = await self.http.post(
                "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 200, response.text
            self.tokens[username] = response.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    async def file(self, key: str | None = None) -> str:
        """File the complaint anonymously; its reference (201 expected)."""
        headers = {"Idempotency-Key": key} if key else {}
        response = await self.http.post("/api/v1/complaints", json=complaint(), headers=headers)
        assert response.status_code == 201, response.text
        reference: str = response.json()["reference"]
        return reference

    async def act(self, reference: str, who: str, key: str | None = None, **action: Any) -> None:
        """Take an action as a demo user (200 expected)."""
        headers = await self.headers(who)
        if key:
            headers["Idempotency-Key"] = key
        response = await self.http.post(
            f"/api/v1/cases/{reference}/actions", json=action, headers=headers
        )
        assert response.status_code == 200, f"{action['action']} on {reference}: {response.text}"


def handle_of(stack: FaultStack, reference: str) -> Awaitable[WorkflowHandle[Any, Any]]:
    """The case's workflow handle."""

    async def get() -> WorkflowHandle[Any, Any]:
        client = await stack.temporal_client()
        return client.get_workflow_handle(f"case-{reference}")

    return get()


async def live_state(stack: FaultStack, reference: str) -> CaseState:
    """The workflow's own state of the case (a query: the worker must be up)."""
    handle = await handle_of(stack, reference)
    state: CaseState = await handle.query(CaseWorkflow.state)
    return state


async def fast_forward_to(
    stack: FaultStack, reference: str, moment: datetime, past: timedelta = timedelta(seconds=1)
) -> None:
    """Move the case's virtual clock to just ``past`` ``moment``: the timers due by then fire.

    Only just past: while the clock skips, an activity's retry backoff skips too, so what
    falls due at ``moment`` is retried in real time from there on, as it would be in service.
    """
    handle = await handle_of(stack, reference)
    skipper = await stack.skipper()
    now = await skipper.get_current_time(handle)
    await skipper.fast_forward(handle, moment - now + past)


async def eventually(
    check: Callable[[], Awaitable[T | None]], what: str, seconds: float = 120
) -> T:
    """Poll ``check`` (bounded) until it returns something; then return that."""
    deadline = time.monotonic() + seconds
    while True:
        found = await check()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
        await asyncio.sleep(0.5)


async def quiet(stack: FaultStack, reference: str) -> bool:
    """True when the case's workflow has nothing in flight: no task, no activity pending."""
    handle = await handle_of(stack, reference)
    description = (await handle.describe()).raw_description
    return not description.pending_activities and not description.HasField("pending_workflow_task")


async def settled(stack: FaultStack, references: list[str], seconds: float = 180) -> None:
    """Wait until none of the cases has work in flight (seen twice, a second apart)."""

    async def all_quiet() -> bool | None:
        for _ in range(2):
            for reference in references:
                if not await quiet(stack, reference):
                    return None
            await asyncio.sleep(1)
        return True

    await eventually(all_quiet, f"{len(references)} case(s) to settle", seconds)
