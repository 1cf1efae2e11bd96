"""Schemathesis against /openapi.json on the running site: for every operation, a bounded
number of generated requests (as the secretariat, so they get past sign-in); no answer
is a server error and every documented answer matches its schema."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from store.seed import DEMO_PASSWORD
from tests.pages.conftest import Site

EXAMPLES = 25  # per operation


def fuzz(schema: Any, url: str, headers: dict[str, str]) -> tuple[int, list[str]]:
    """Run every operation's examples (blocking); how many requests, and what failed."""
    sent = 0
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            nonlocal sent
            sent += 1
            case.call_and_validate(
                base_url=url,
                headers=headers,
                checks=[not_a_server_error, response_schema_conformance],
                timeout=30,
            )

        try:
            run()
        except Exception as error:  # one report per operation, with its first failure
            failures.append(f"{operation.method.upper()} {operation.path}: {error}"[:2000])
    return sent, failures


async def test_generated_requests_get_no_server_error_and_match_the_schema(site: Site) -> None:
    async with httpx.AsyncClient(base_url=site.url) as http:
        document = (await http.get("/openapi.json")).json()
        token = await http.post(
            "/api/v1/auth/token", json={"username": "secretariat", "password": DEMO_PASSWORD}
        )
    schema = schemathesis.openapi.from_dict(document)
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    # Generated sign-ins fail by the hundred: tests/pages/conftest.py's fresh_counts lets
    # the other page tests sign in afterwards.
    sent, failures = await asyncio.to_thread(fuzz, schema, site.url, headers)
    print(f"fuzzing: {sent} requests")  # noqa: T201
    assert not failures, "\n\n".join(failures)
    assert sent >= 200
