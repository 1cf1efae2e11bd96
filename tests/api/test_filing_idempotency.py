"""Filing under an ``Idempotency-Key``: a retry files no second case and answers as the first
did, the access code only to the same client; another body is refused; keys expire."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, text, update
from sqlmodel import Session, col, select

from domain.enums import CaseKind
from domain.filing import FileComplaintInput
from domain.problems import Conflict
from redress.app import purge_now
from services import filing_keys
from services.access import Viewer
from store.tables import CaseRow, FilingKey
from tests.api.conftest import Stack, code, complaint

HEADER = "Idempotency-Key"
DISPUTE = {
    "covenant": "garments-textile",
    "respondent": {"organisation": "delta-denim"},
    "description": "Order cancellations without payment for finished goods.",
}


def fresh() -> tuple[str, str]:
    """A new key, and a subject that names this test's cases alone."""
    return f"key-{uuid.uuid4()}", f"Retried filing {uuid.uuid4().hex[:12]}"


async def post(
    stack: Stack, path: str, body: dict[str, Any], key: str, who: str | None = None
) -> httpx.Response:
    headers = {HEADER: key, **(await stack.headers(who) if who else {})}
    return await stack.http.post(path, json=body, headers=headers)


def cases_titled(stack: Stack, subject: str) -> list[str]:
    """The references of the cases in the read model with this subject."""
    with Session(stack.engine) as session:
        rows = session.exec(select(CaseRow.reference).where(col(CaseRow.subject) == subject))
        return sorted(rows.all())


def key_rows(stack: Stack) -> int:
    with Session(stack.engine) as session:
        return int(session.exec(select(func.count()).select_from(FilingKey)).one())


async def test_a_retried_complaint_files_one_case_and_shows_the_code_again(stack: Stack) -> None:
    key, subject = fresh()
    body = complaint(subject=subject)
    first = await post(stack, "/api/v1/complaints", body, key)
    again = await post(stack, "/api/v1/complaints", body, key)
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json() == first.json()
    assert cases_titled(stack, subject) == [first.json()["reference"]]
    assert (await stack.case(first.json()["reference"], code(again.json()))).status_code == 200
    # Without a key nothing changes: each request files.
    plain = await stack.http.post("/api/v1/complaints", json=body)
    assert plain.status_code == 201 and plain.json()["reference"] != first.json()["reference"]


async def test_the_same_key_from_another_caller_never_gets_the_code(stack: Stack) -> None:
    key, subject = fresh()
    body = complaint(subject=subject)
    mine = await post(stack, "/api/v1/complaints", body, key, who="union")
    assert mine.status_code == 201, mine.text
    theirs = [
        await post(stack, "/api/v1/complaints", body, key, who="ngo"),  # another union user
        await post(stack, "/api/v1/complaints", body, key),  # anonymous
    ]
    for other in theirs:
        # Each caller's keys are their own: another caller's request is a filing of its own.
        assert other.status_code == 201, other.text
        assert other.json()["reference"] != mine.json()["reference"]
        assert mine.json()["access_code"] not in other.text
    retried = await post(stack, "/api/v1/complaints", body, key, who="union")
    assert retried.json() == mine.json()
    assert len(cases_titled(stack, subject)) == 3


async def test_the_same_key_with_another_body_is_refused(stack: Stack) -> None:
    key, subject = fresh()
    filed = await post(stack, "/api/v1/complaints", complaint(subject=subject), key)
    assert filed.status_code == 201, filed.text
    changed = complaint(subject=subject, description="Another text entirely.")
    for path, body in (
        ("/api/v1/complaints", changed),
        ("/api/v1/signals", complaint(subject=subject)),
    ):
        refused = await post(stack, path, body, key)
        assert refused.status_code == 422, refused.text
        detail = refused.json()["detail"]
        assert detail.startswith("header.Idempotency-Key:") and "another request" in detail
        assert filed.json()["access_code"] not in refused.text
    assert cases_titled(stack, subject) == [filed.json()["reference"]]


async def test_concurrent_duplicates_file_exactly_one_case(stack: Stack) -> None:
    key, subject = fresh()
    body = complaint(subject=subject)
    answers = await asyncio.gather(
        *(post(stack, "/api/v1/complaints", body, key, who="union") for _ in range(6))
    )
    filed = [a.json() for a in answers if a.status_code == 201]
    # A duplicate waits for the first; one that waited too long is told to retry (409).
    assert {a.status_code for a in answers} <= {201, 409}, [a.text for a in answers]
    assert filed and all(f == filed[0] for f in filed)
    assert cases_titled(stack, subject) == [filed[0]["reference"]]
    retried = await post(stack, "/api/v1/complaints", body, key, who="union")
    assert retried.status_code == 201 and retried.json() == filed[0]


async def test_a_dispute_and_a_signal_are_filed_once(stack: Stack) -> None:
    key, subject = fresh()
    dispute = dict(DISPUTE, subject=subject)
    answers = await asyncio.gather(
        *(post(stack, "/api/v1/disputes", dispute, key, who="union") for _ in range(3))
    )
    assert all(a.status_code in (201, 409) for a in answers), [a.text for a in answers]
    again = await post(stack, "/api/v1/disputes", dispute, key, who="union")
    assert again.status_code == 201 and again.json()["stage"] == "dialogue"
    assert cases_titled(stack, subject) == [again.json()["reference"]]
    other = await post(stack, "/api/v1/disputes", dict(dispute, subject="Else"), key, who="union")
    assert other.status_code == 422 and HEADER in other.json()["detail"]

    key, subject = fresh()
    signal = complaint(subject=subject, respondent={"production_location": "demo-bd-rupali"})
    first = await post(stack, "/api/v1/signals", signal, key)
    second = await post(stack, "/api/v1/signals", signal, key)
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert second.json() == first.json()
    assert cases_titled(stack, subject) == [first.json()["reference"]]


async def test_a_filing_whose_request_died_is_finished_by_the_retry(stack: Stack) -> None:
    key, subject = fresh()
    body = complaint(subject=subject)
    first = await post(stack, "/api/v1/complaints", body, key)
    assert first.status_code == 201, first.text
    # As if the API was killed after starting the workflow, before it answered.
    long_ago = datetime.now(UTC) - timedelta(minutes=10)
    with Session(stack.engine) as session:
        session.execute(
            update(FilingKey)
            .where(col(FilingKey.reference) == first.json()["reference"])
            .values(stage=None, status_code=None, claimed_at=long_ago)
        )
        session.commit()
    resumed = await post(stack, "/api/v1/complaints", body, key)
    assert resumed.status_code == 201, resumed.text
    assert resumed.json() == first.json()
    assert cases_titled(stack, subject) == [first.json()["reference"]]


async def test_a_request_killed_before_it_took_a_reference_is_filed_by_the_retry(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, subject = fresh()
    body = complaint(subject=subject)
    request = filing_keys.filing_request(
        settings=stack.settings,
        viewer=Viewer(),
        key=key,
        kind=CaseKind.COMPLAINT,
        body=FileComplaintInput.model_validate(body),
    )
    assert request is not None
    now = datetime.now(UTC)
    with Session(stack.engine) as session:
        held = FilingKey(
            caller=request.caller,
            key_hash=request.key_hash,
            digest=request.digest,
            claimed_at=now,
            created_at=now,
        )
        session.add(held)
        session.commit()
    # While the claim is live, a retry waits (here briefly) and is told to retry.
    monkeypatch.setattr(filing_keys, "WAIT", 0.3)
    busy = await post(stack, "/api/v1/complaints", body, key)
    assert busy.status_code == 409 and "still under way" in busy.json()["detail"]
    assert cases_titled(stack, subject) == []
    # Once the claim has lapsed (its request died), the retry files.
    with Session(stack.engine) as session:
        session.execute(
            update(FilingKey)
            .where(col(FilingKey.key_hash) == request.key_hash)
            .values(claimed_at=now - filing_keys.LEASE - timedelta(seconds=1))
        )
        session.commit()
    filed = await post(stack, "/api/v1/complaints", body, key)
    assert filed.status_code == 201, filed.text
    assert cases_titled(stack, subject) == [filed.json()["reference"]]


async def test_an_expired_key_is_purged_and_names_nothing(stack: Stack) -> None:
    key, subject = fresh()
    body = complaint(subject=subject)
    first = await post(stack, "/api/v1/complaints", body, key)
    assert first.status_code == 201, first.text
    keep = timedelta(days=stack.settings.idempotency_keep_days)
    reference = first.json()["reference"]
    with Session(stack.engine) as session:
        session.execute(
            update(FilingKey)
            .where(col(FilingKey.reference) == reference)
            .values(created_at=datetime.now(UTC) - keep - timedelta(minutes=1))
        )
        session.commit()
    # Expired but not yet purged: the key names nothing, the request files anew.
    renewed = await post(stack, "/api/v1/complaints", body, key)
    assert renewed.status_code == 201 and renewed.json()["reference"] != reference
    with Session(stack.engine) as session:
        session.execute(
            update(FilingKey)
            .where(col(FilingKey.reference) == renewed.json()["reference"])
            .values(created_at=datetime.now(UTC) - keep - timedelta(minutes=1))
        )
        session.commit()
    before = key_rows(stack)
    counts = purge_now(stack.engine, stack.settings)
    assert counts["filing keys"] >= 1
    assert key_rows(stack) == before - counts["filing keys"]
    with Session(stack.engine) as session:
        gone = select(FilingKey).where(col(FilingKey.reference) == renewed.json()["reference"])
        assert session.exec(gone).first() is None


async def test_the_stored_code_is_sealed_for_its_client(stack: Stack) -> None:
    key, subject = fresh()
    body = complaint(subject=subject)
    filed = await post(stack, "/api/v1/complaints", body, key)
    assert filed.status_code == 201, filed.text
    access_code, reference = filed.json()["access_code"], filed.json()["reference"]
    with stack.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM filing_keys")).all()
    stored = " ".join(str(value) for row in rows for value in row)
    assert reference in stored
    assert access_code not in stored and key not in stored
    request = filing_keys.filing_request(
        settings=stack.settings,
        viewer=Viewer(),
        key=key,
        kind=CaseKind.COMPLAINT,
        body=FileComplaintInput.model_validate(body),
    )
    assert request is not None
    with Session(stack.engine) as session:
        row = session.get(FilingKey, (request.caller, request.key_hash))
        assert row is not None and row.code_cipher is not None
    assert filing_keys.unseal(stack.settings, request, reference, row.code_cipher) == access_code
    # The server's key alone does not open it: the client's key is needed too.
    guess = filing_keys.FilingRequest(request.caller, "another-key", request.key_hash, "")
    with pytest.raises(Conflict):
        filing_keys.unseal(stack.settings, guess, reference, row.code_cipher)
