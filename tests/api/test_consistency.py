"""``redress check-consistency`` and ``redress rebuild-read-model`` over a real stack: a
Temporal dev server, a worker and a SQLite read model of their own (the shared API stack
holds cases on task queues no worker polls, and rows with no workflow, on purpose)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select
from temporalio.client import WorkflowExecutionStatus

from activities.records import RecordActivities
from core.settings import Settings, get_settings
from domain.cases import CaseState, going_on
from domain.enums import Stage
from notifications.mailer import RecordingMailer
from redress.app import create_app
from redress.cli import main
from services.consistency import Difference, check_consistency
from services.engine import begin_case
from store.tables import CaseDeadline, CaseOrder, CaseRow
from tests.api.conftest import PUBLIC_URL, Stack, code, complaint, days_ahead, moment_ahead
from tests.factories import case_state, project_state
from tests.stack import running_backend

QUEUE = "consistency-tests"
NO_WORKER = "no-worker-polls-this"


@dataclass
class Cases:
    """The stack and its cases: one in remediation with orders, one closed, one screening."""

    stack: Stack
    remediation: str
    closed: str
    screening: str


async def _file(stack: Stack) -> dict[str, Any]:
    response = await stack.http.post("/api/v1/complaints", json=complaint())
    assert response.status_code == 201, response.text
    filed: dict[str, Any] = response.json()
    return filed


async def _completed(stack: Stack, reference: str) -> None:
    """Wait (bounded) until the closed case's workflow has completed: its notices are sent."""
    handle = stack.client.get_workflow_handle(f"case-{reference}")
    for _ in range(100):
        if (await handle.describe()).status is WorkflowExecutionStatus.COMPLETED:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the workflow of {reference} did not complete")


@pytest.fixture(scope="module")
async def cases(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Cases]:
    """A stack of its own with three cases in three conditions."""
    tmp: Path = tmp_path_factory.mktemp("consistency")
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'redress.db'}",
        data_dir=tmp,
        demo_accounts=True,
        task_queue=QUEUE,
        public_url=PUBLIC_URL,
        secret_key="consistency-tests-secret-key-0123",
        complaint_rate_per_hour=1000,
        require_mfa=False,
    )
    mailer = RecordingMailer()
    async with running_backend(settings, mailer=mailer) as backend:
        app = create_app(settings, engine=backend.engine, client=backend.client, mailer=mailer)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as http,
        ):
            stack = Stack(settings, backend.engine, backend.client, app, http, mailer)
            remediation = (await _file(stack))["reference"]
            await stack.act(remediation, "secretariat", action="register")
            await stack.act(remediation, "chair", action="declare_admissible", reasons="In scope.")
            await stack.act(remediation, "secretariat", action="send_to_hearing", reason="Urgent.")
            await stack.act(
                remediation, "secretariat", action="schedule_hearing", at=moment_ahead(7)
            )
            await stack.act(remediation, "chair", action="record_hearing", minutes="Heard.")
            orders = [{"text": "Reinstate the organisers", "due": days_ahead(60)}]
            case = await stack.act(
                remediation,
                "chair",
                action="issue_decision",
                finding="founded",
                reasons="Retaliation.",
                orders=orders,
            )
            assert case["stage"] == "remediation" and case["deadlines"]
            closed = await _file(stack)
            await stack.act(closed["reference"], code(closed), action="withdraw", reason="Settled.")
            await _completed(stack, closed["reference"])
            screening = (await _file(stack))["reference"]
            yield Cases(stack, remediation, closed["reference"], screening)


@pytest.fixture
def environment(cases: Cases, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The command's environment names the stack's database, Temporal and task queue."""
    settings = cases.stack.settings
    target = cases.stack.client.service_client.config.target_host
    for name, value in {
        "REDRESS_DATABASE_URL": settings.database_url,
        "REDRESS_DATA_DIR": str(settings.data_dir),
        "REDRESS_TEMPORAL_ADDRESS": target,
        "REDRESS_TASK_QUEUE": QUEUE,
        "REDRESS_SECRET_KEY": settings.secret_key,
        "COLUMNS": "250",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


async def redress(*args: str) -> int:
    """The ``redress`` command, in a thread: the stack's worker runs on this event loop."""
    return await asyncio.to_thread(main, list(args))


async def differences(cases: Cases, count: int = 3) -> list[Difference]:
    """What the service finds among ``count`` cases, without the pause before its second
    look."""
    report = await check_consistency(
        engine=cases.stack.engine, client=cases.stack.client, task_queue=QUEUE, settle=0
    )
    assert report.cases == count
    return report.differences


def sql(cases: Cases, statement: str, **params: Any) -> None:
    """Change the read model behind the application's back."""
    with cases.stack.engine.begin() as connection:
        connection.execute(text(statement), params)


def derived(cases: Cases) -> dict[str, Any]:
    """Every derived row of the three cases, to compare before and after a rebuild."""
    with Session(cases.stack.engine) as session:
        rows = session.exec(select(CaseRow).order_by(col(CaseRow.reference))).all()
        deadlines = session.exec(select(CaseDeadline).order_by(col(CaseDeadline.id))).all()
        orders = session.exec(select(CaseOrder)).all()
        return {
            "cases": [r.model_dump() for r in rows],
            "deadlines": sorted((d.reference, d.id, d.model_dump_json()) for d in deadlines),
            "orders": [o.model_dump() for o in orders],
        }


async def test_a_clean_stack_agrees_closed_cases_too(
    cases: Cases, environment: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await differences(cases) == []
    assert await redress("check-consistency") == 0
    assert "The read model agrees with the workflows: 3 cases checked." in capsys.readouterr().out
    assert await redress("check-consistency", "--reference", cases.closed) == 0
    assert "1 case checked" in capsys.readouterr().out
    assert await redress("check-consistency", "--reference", "GT-2026-NOPE0") == 2
    assert (
        "no case GT-2026-NOPE0: neither the read model nor Temporal has it"
        in capsys.readouterr().out
    )
    assert await redress("rebuild-read-model", "--dry-run") == 0
    assert "Dry run: 0 of 3 cases checked would change (0 differences)" in capsys.readouterr().out


async def test_tampering_is_reported_and_a_rebuild_repairs_it(
    cases: Cases, environment: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    before = derived(cases)
    with Session(cases.stack.engine) as session:
        deadline = session.exec(
            select(CaseDeadline).where(
                col(CaseDeadline.reference) == cases.remediation,
                col(CaseDeadline.state) == "open",
            )
        ).first()
        assert deadline is not None
        row = session.get(CaseRow, cases.remediation)
        assert row is not None
        [live] = [
            d for d in CaseState.model_validate_json(row.snapshot).deadlines if d.id == deadline.id
        ]
        seq = session.get(CaseRow, cases.closed)
        assert seq is not None
        closed_seq = seq.last_seq
    sql(cases, "UPDATE cases SET stage = 'hearing' WHERE reference = :r", r=cases.screening)
    sql(
        cases,
        "DELETE FROM case_deadlines WHERE reference = :r AND id = :i",
        r=cases.remediation,
        i=deadline.id,
    )
    sql(cases, "UPDATE cases SET last_seq = last_seq + 5 WHERE reference = :r", r=cases.closed)
    sql(
        cases,
        "UPDATE case_orders SET status = 'verified' WHERE reference = :r",
        r=cases.remediation,
    )

    due = deadline.due.isoformat()
    assert sorted(await differences(cases), key=lambda d: d.reference) == sorted(
        [
            Difference(cases.screening, "stage", "hearing", "screening"),
            Difference(
                cases.remediation,
                f"deadline {deadline.id}",
                "absent",
                f"{deadline.name} for {live.party}, due {due}",  # the company's own plan
            ),
            Difference(
                cases.remediation,
                "order 1",
                f"verified, due {days_ahead(60)}",
                f"open, due {days_ahead(60)}",
            ),
            Difference(cases.closed, "last_seq", str(closed_seq + 5), str(closed_seq)),
        ],
        key=lambda d: d.reference,
    )
    assert await redress("check-consistency") == 1
    out = capsys.readouterr().out
    for shown in (cases.screening, cases.remediation, cases.closed, deadline.id, "last_seq"):
        assert shown in out
    assert "4 differences in 3 of 3 cases checked." in out

    assert await redress("rebuild-read-model", "--dry-run") == 1
    assert (
        "3 of 3 cases checked would change (4 differences); nothing was written"
        in capsys.readouterr().out
    )
    assert len(await differences(cases)) == 4  # the dry run wrote nothing

    assert await redress("rebuild-read-model", "--reference", cases.screening) == 0
    assert len(await differences(cases)) == 3
    assert await redress("rebuild-read-model") == 0
    out = capsys.readouterr().out
    assert "3 cases checked; 3 written again from their workflows; 3 differences repaired." in out
    assert await redress("check-consistency") == 0
    assert derived(cases) == before


async def test_a_case_without_its_workflow_and_a_workflow_without_its_case(
    cases: Cases, environment: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    orphan = "GT-2026-ORPHN"
    sql(
        cases,
        "INSERT INTO cases SELECT :o, kind, covenant, stage, status, outcome, subject, "
        "confidential, pseudonym, complainant_organisation_id, deciding_body, overdue, "
        "next_deadline_name, next_due, filed_at, closed_at, last_seq, officer, mediator, "
        "respondents_see, snapshot FROM cases WHERE reference = :r",
        o=orphan,
        r=cases.screening,
    )
    # The screening case's rows go; its workflow runs on.
    for table in ("case_events", "case_deadlines", "case_respondents", "case_recusals", "cases"):
        sql(cases, f"DELETE FROM {table} WHERE reference = :r", r=cases.screening)
    try:
        found = {(d.reference, d.field): d for d in await differences(cases, 4)}
        assert found[(orphan, "workflow")].workflow.startswith("no workflow")
        assert found[(cases.screening, "case")] == Difference(
            cases.screening, "case", "absent", "screening, open"
        )
        assert await redress("check-consistency") == 1
        out = capsys.readouterr().out
        assert orphan in out and "no workflow" in out and cases.screening in out

        # The rebuild gives the screening case its row back; not its events, nor the orphan
        # a workflow.
        assert await redress("rebuild-read-model") == 1
        out = capsys.readouterr().out
        assert "Not rebuilt" in out and "2 cases could not be rebuilt" in out
        left = {(d.reference, d.field) for d in await differences(cases, 4)}
        assert left == {(orphan, "workflow"), (cases.screening, "events")}
        response = await cases.stack.case(cases.screening, "secretariat")
        assert response.status_code == 200 and response.json()["stage"] == "screening"
    finally:
        sql(cases, "DELETE FROM cases WHERE reference = :o", o=orphan)


async def test_unreachable_parts_exit_2_naming_them(
    cases: Cases,
    environment: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REDRESS_TEMPORAL_ADDRESS", "127.0.0.1:1")
    get_settings.cache_clear()
    assert await redress("check-consistency") == 2
    assert "Temporal at 127.0.0.1:1 is not reachable" in capsys.readouterr().out

    target = cases.stack.client.service_client.config.target_host
    monkeypatch.setenv("REDRESS_TEMPORAL_ADDRESS", target)
    monkeypatch.setenv(
        "REDRESS_DATABASE_URL", "postgresql+psycopg://redress:hunter2@127.0.0.1:1/redress"
    )
    get_settings.cache_clear()
    assert await redress("rebuild-read-model") == 2
    out = capsys.readouterr().out
    assert "the read model at postgresql+psycopg://redress:***@127.0.0.1:1/redress" in out
    assert "cannot be used" in out and "hunter2" not in out


async def test_a_workflow_no_worker_answers_for_exits_2(
    cases: Cases,
    environment: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("services.consistency.QUERY_TIMEOUT", timedelta(seconds=1))
    reference = "GT-2026-NOWRK"
    state = case_state(reference, stage=Stage.SCREENING)
    project_state(RecordActivities(cases.stack.engine), state)
    start = going_on(state)
    handle = await begin_case(cases.stack.client, task_queue=NO_WORKER, start=start)
    try:
        assert await redress("check-consistency", "--reference", reference) == 2
        out = capsys.readouterr().out
        assert f"the workflow of case {reference} did not answer its state query" in out
        assert f"no worker polls task queue '{NO_WORKER}'" in out
    finally:
        await handle.terminate()
        for table in ("case_events", "case_deadlines", "case_respondents", "cases"):
            sql(cases, f"DELETE FROM {table} WHERE reference = :r", r=reference)
