"""``GET /metrics``: request latency by route template, the read model's counts, and no case
data anywhere in the text; only the metrics token reads it."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func
from sqlmodel import Session, col, select

from api.metrics import UNMATCHED
from store.tables import CaseRow
from tests.api.conftest import Filed, Stack, code, complaint

TOKEN = "metrics-token-for-the-tests-0123"
BEARER = {"Authorization": f"Bearer {TOKEN}"}

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(text: str) -> Samples:
    """Every sample of the exposition by (name, labels)."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def cases_by_stage(stack: Stack) -> dict[tuple[str, str], int]:
    """The read model's case counts, queried directly."""
    with Session(stack.engine) as session:
        rows = session.exec(
            select(CaseRow.stage, CaseRow.status, func.count()).group_by(
                col(CaseRow.stage), col(CaseRow.status)
            )
        ).all()
    return {(stage, status): n for stage, status, n in rows}


@pytest.fixture
def token(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> str:
    """The metrics token set on the running app's settings for one test."""
    monkeypatch.setattr(stack.settings, "metrics_token", TOKEN)
    return TOKEN


async def scrape(stack: Stack) -> str:
    """The metrics text, read with the token."""
    response = await stack.http.get("/metrics", headers=BEARER)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def test_metrics_count_requests_by_template_and_cases_by_stage(
    stack: Stack, file_complaint: Filed, token: str
) -> None:
    filed = await file_complaint()
    ref = filed["reference"]
    assert (await stack.case(ref, code(filed))).status_code == 200
    await stack.act(ref, "secretariat", action="register")
    await stack.mails_to({"rahima@workers.example"}, ref)  # the receipt is in the outbox
    await stack.http.get(f"/api/v1/no-such-thing/{ref}")
    await stack.http.request("BREW", f"/api/v1/cases/{ref}")

    # Other cases' workflows may still be projecting: compare once the counts hold still.
    for _ in range(50):
        before = cases_by_stage(stack)
        text = await scrape(stack)
        if cases_by_stage(stack) == before:
            break
        await asyncio.sleep(0.1)
    got = samples(text)

    case_route = "/api/v1/cases/{reference}"
    assert (
        got[
            (
                "redress_http_request_duration_seconds_count",
                frozenset({"route": case_route, "method": "GET", "status": "2xx"}.items()),
            )
        ]
        >= 1
    )
    action_route = "/api/v1/cases/{reference}/actions"
    assert (
        got[
            (
                "redress_http_request_duration_seconds_count",
                frozenset({"route": action_route, "method": "POST", "status": "2xx"}.items()),
            )
        ]
        >= 1
    )
    assert (
        got[
            (
                "redress_http_request_duration_seconds_count",
                frozenset({"route": UNMATCHED, "method": "GET", "status": "4xx"}.items()),
            )
        ]
        >= 1
    )

    reported = {
        (dict(labels)["stage"], dict(labels)["status"]): int(value)
        for (name, labels), value in got.items()
        if name == "redress_cases"
    }
    assert reported == before
    assert reported[("admissibility", "open")] >= 1
    assert ("redress_deadlines_overdue", frozenset()) in got
    notices = {
        dict(labels)["state"]: value
        for (name, labels), value in got.items()
        if name == "redress_notices"
    }
    assert set(notices) == {"queued", "sent", "failed", "parked"}
    assert notices["sent"] >= 1

    methods = {dict(labels)["method"] for (name, labels) in got if "request_duration" in name}
    assert "BREW" not in methods and "other" in methods

    # Nothing about the case or the complainant, in labels or anywhere else.
    person = complaint()["complainant"]
    for secret in (ref, person["email"], person["name"], person["organisation"], person["phone"]):
        assert secret not in text


async def test_only_the_token_reads_the_metrics(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (await stack.http.get("/metrics")).status_code == 404  # no token, not local
    monkeypatch.setattr(stack.settings, "metrics_token", TOKEN)
    assert (await stack.http.get("/metrics")).status_code == 404
    wrong = {"Authorization": "Bearer not-the-token"}
    assert (await stack.http.get("/metrics", headers=wrong)).status_code == 404
    staff = await stack.headers("secretariat")  # a user's bearer token is not the metrics'
    assert (await stack.http.get("/metrics", headers=staff)).status_code == 404
    assert (await stack.http.get("/metrics", headers=BEARER)).status_code == 200
    monkeypatch.setattr(stack.settings, "metrics_token", None)
    monkeypatch.setattr(stack.settings, "local_mode", True)  # a developer's own machine
    assert (await stack.http.get("/metrics")).status_code == 200


async def test_metrics_stay_out_of_the_schema(stack: Stack) -> None:
    schema = (await stack.http.get("/openapi.json")).json()
    assert "/metrics" not in schema["paths"]
