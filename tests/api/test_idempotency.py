"""``Idempotency-Key`` on actions and uploads: a retry takes effect once (API.md)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from notifications.mailer import RecordingMailer
from redress.app import create_app
from redress.worker import build_worker
from services.engine import begin_case
from store import case_content
from store.db import session_scope
from tests.api.conftest import PUBLIC_URL, Stack, code, complaint
from tests.api.test_engine import projected_case


async def _file(stack: Stack) -> dict[str, str]:
    response = await stack.http.post("/api/v1/complaints", json=complaint())
    assert response.status_code == 201, response.text
    filed: dict[str, str] = response.json()
    return filed


def _events(stack: Stack, reference: str, type_: str) -> list[str | None]:
    with session_scope(stack.engine) as session:
        found = case_content.case_events(session=session, reference=reference)
    return [e.text for e in found if e.type == type_]


async def test_a_retried_message_is_posted_once(stack: Stack) -> None:
    filed = await _file(stack)
    ref, headers = filed["reference"], {**code(filed), "Idempotency-Key": "msg-1"}
    body = {"action": "add_message", "text": "সাক্ষীরা ভয় পাচ্ছেন।"}
    url = f"/api/v1/cases/{ref}/actions"
    first = await stack.http.post(url, json=body, headers=headers)
    again = await stack.http.post(url, json=body, headers=headers)
    assert (first.status_code, again.status_code) == (200, 200), again.text
    assert first.json()["events"] == again.json()["events"]
    assert _events(stack, ref, "message") == ["সাক্ষীরা ভয় পাচ্ছেন।"]
    other = await stack.http.post(url, json={**body, "text": "Another text"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert _events(stack, ref, "message") == ["সাক্ষীরা ভয় পাচ্ছেন।"]


async def test_a_retried_registration_is_answered_not_refused(stack: Stack) -> None:
    filed = await _file(stack)
    ref = filed["reference"]
    headers = {**await stack.headers("secretariat"), "Idempotency-Key": "register-1"}
    url = f"/api/v1/cases/{ref}/actions"
    for _ in range(2):
        response = await stack.http.post(url, json={"action": "register"}, headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["stage"] == "admissibility"
    plain = await stack.http.post(
        url, json={"action": "register"}, headers=await stack.headers("secretariat")
    )
    assert plain.status_code == 409  # without the key it is a second registration


async def test_a_retried_upload_adds_one_document(stack: Stack) -> None:
    filed = await _file(stack)
    ref, headers = filed["reference"], {**code(filed), "Idempotency-Key": "upload-1"}
    upload = {"file": ("payslip.pdf", b"%PDF-1.4 payslip of March", "application/pdf")}
    url = f"/api/v1/cases/{ref}/documents"
    first = await stack.http.post(
        url, files=upload, data={"visibility": "parties"}, headers=headers
    )
    again = await stack.http.post(
        url, files=upload, data={"visibility": "parties"}, headers=headers
    )
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert first.json()["id"] == again.json()["id"]
    case = (await stack.http.get(f"/api/v1/cases/{ref}", headers=code(filed))).json()
    assert [d["id"] for d in case["documents"]] == [first.json()["id"]]
    other = {"file": ("other.pdf", b"%PDF-1.4 another file", "application/pdf")}
    refused = await stack.http.post(
        url, files=other, data={"visibility": "parties"}, headers=headers
    )
    assert refused.status_code == 422
    stored = {p.name for p in (stack.settings.data_dir / "documents").iterdir()}
    assert hashlib.sha256(b"%PDF-1.4 another file").hexdigest() not in stored


@pytest.fixture
async def impatient(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[httpx.AsyncClient]:
    """The API waiting at most one second for an update."""
    monkeypatch.setattr("services.engine.UPDATE_TIMEOUT", timedelta(seconds=1))
    app = create_app(stack.settings, engine=stack.engine, client=stack.client)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL
    ) as http:
        yield http


async def test_after_a_timeout_the_retry_with_the_same_key_takes_effect_once(
    stack: Stack, impatient: httpx.AsyncClient
) -> None:
    queue = f"late-{uuid.uuid4().hex[:8]}"  # no worker yet: the engine cannot answer
    start = projected_case(stack.engine, f"GT-2026-LATE{uuid.uuid4().hex[:4].upper()}")
    await begin_case(stack.client, task_queue=queue, start=start)
    headers = {**await stack.headers("secretariat"), "Idempotency-Key": "late-register"}
    url = f"/api/v1/cases/{start.reference}/actions"
    first = await impatient.post(url, json={"action": "register"}, headers=headers)
    assert first.status_code == 503
    assert "retrying with the same Idempotency-Key is safe" in first.json()["detail"]
    settings = stack.settings.model_copy(update={"task_queue": queue})
    async with build_worker(stack.client, settings, stack.engine, RecordingMailer()):
        retry = await stack.http.post(url, json={"action": "register"}, headers=headers)
        assert retry.status_code == 200, retry.text
        assert retry.json()["stage"] == "admissibility"
    registered = [t for t in _events(stack, start.reference, "stage_changed") if t is None]
    with session_scope(stack.engine) as session:
        events = case_content.case_events(session=session, reference=start.reference)
    assert [e.summary for e in events].count(
        "Registered; the committee examines admissibility"
    ) == 1
    assert registered
