"""(d) A whole lifecycle through the API, against a bare workflow with the same steps.

A complaint goes from filing to closure through HTTP (19 actions by the secretariat, the
chair, the company, the mediator and the complainant with its access code) on the stack of
separate processes (bench/processes.py). The baseline, in the same run: a bare workflow
started and sent the same number of updates, each running one no-op activity, as the case
workflow's steps each project their change. Each figure is the median over the lifecycles;
the per-action latency is over every action of every lifecycle.

Usage: ``python -m bench.lifecycle [--lifecycles N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from temporalio.client import Client
from temporalio.worker import Worker

from bench.bare import BareWorkflow, noop
from bench.filing import BARE_QUEUE
from bench.processes import bench_stack, machine
from tests.faults.driver import Api, complaint

CODE = "complainant"  # who, in the steps below, acts with the case's access code


def _day(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def steps() -> list[tuple[str, dict[str, Any]]]:
    """Who takes which action, filing to closure (as tests/api/test_lifecycle.py)."""
    orders = [
        {"text": "Reinstate the dismissed organisers", "due": _day(60)},
        {"text": "Pay the wages lost since dismissal", "due": _day(90)},
    ]
    hearing = (datetime.now(UTC) + timedelta(days=14)).isoformat()
    return [
        ("secretariat", {"action": "register"}),
        ("chair", {"action": "declare_admissible", "reasons": "In scope."}),
        ("company", {"action": "submit_response", "text": "We investigated."}),
        ("secretariat", {"action": "propose_mediation"}),
        ("secretariat", {"action": "assign", "mediator": "mediator"}),
        (CODE, {"action": "consent_to_mediation"}),
        ("company", {"action": "consent_to_mediation"}),
        ("mediator", {"action": "end_mediation", "reason": "No agreement on pay."}),
        ("secretariat", {"action": "schedule_hearing", "at": hearing}),
        ("chair", {"action": "record_hearing", "minutes": "Both parties heard."}),
        (
            "chair",
            {
                "action": "issue_decision",
                "finding": "founded",
                "reasons": "The dismissals were retaliation.",
                "orders": orders,
            },
        ),
        ("company", {"action": "submit_remediation_plan", "text": "Plan v1."}),
        ("secretariat", {"action": "reject_remediation_plan", "reasons": "No dates."}),
        ("company", {"action": "submit_remediation_plan", "text": "Plan v2."}),
        ("secretariat", {"action": "approve_remediation_plan"}),
        ("company", {"action": "submit_progress_report", "order": 1, "text": "Reinstated."}),
        ("secretariat", {"action": "verify_order", "order": 1}),
        ("secretariat", {"action": "verify_order", "order": 2}),
        ("chair", {"action": "close", "outcome": "resolved", "summary": "Remedied in full."}),
    ]


async def lifecycle(api: Api, actions: list[float]) -> float:
    """One complaint from filing to closure; its seconds (each action's go to ``actions``)."""
    began = time.perf_counter()
    filed = await api.http.post("/api/v1/complaints", json=complaint())
    assert filed.status_code == 201, filed.text
    reference, code = filed.json()["reference"], filed.json()["access_code"]
    for who, body in steps():
        headers = {"X-Access-Code": code} if who == CODE else await api.headers(who)
        headers["Idempotency-Key"] = str(uuid.uuid4())
        sent = time.perf_counter()
        answer = await api.http.post(
            f"/api/v1/cases/{reference}/actions", json=body, headers=headers
        )
        actions.append(time.perf_counter() - sent)
        assert answer.status_code == 200, f"{body['action']}: {answer.text}"
    assert answer.json()["status"] == "closed", answer.text
    return time.perf_counter() - began


async def bare_lifecycle(client: Client, updates: int) -> float:
    """A bare workflow started and sent ``updates`` updates, each running an activity."""
    began = time.perf_counter()
    handle = await client.start_workflow(
        BareWorkflow.run, True, id=f"bare-{uuid.uuid4()}", task_queue=BARE_QUEUE
    )
    for _ in range(updates):
        await handle.execute_update(BareWorkflow.step)
    await handle.execute_update(BareWorkflow.finish)
    await handle.result()
    return time.perf_counter() - began


def quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile, in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def main(lifecycles: int) -> None:
    """Alternate bare and real lifecycles; print the medians and the ratio."""
    count = len(steps())
    async with bench_stack() as stack:
        client = await stack.client()
        async with (
            Worker(client, task_queue=BARE_QUEUE, workflows=[BareWorkflow], activities=[noop]),
            httpx.AsyncClient(base_url=stack.settings.public_url, timeout=60) as http,
        ):
            api = Api(http)
            warm: list[float] = []
            await bare_lifecycle(client, count)
            await lifecycle(api, warm)
            actions: list[float] = []
            bare, real = [], []
            for _ in range(lifecycles):
                bare.append(await bare_lifecycle(client, count))
                real.append(await lifecycle(api, actions))
    base, whole = statistics.median(bare), statistics.median(real)
    print(f"(d) lifecycle: filing to closure through the API, on {machine()}")
    print(f"    {lifecycles} lifecycles of 1 filing + {count} actions; medians")
    print(f"{'what':58} {'median ms':>10} {'speed':>7}")
    print(f"{'bare workflow: start + same number of updates (baseline)':58} {base * 1000:10.0f}")
    print(f"{'a whole lifecycle through the API':58} {whole * 1000:10.0f} {base / whole:6.2f}x")
    print(
        f"    per action through the API: p50 {quantile(actions, 0.5):.0f} ms, "
        f"p95 {quantile(actions, 0.95):.0f} ms ({len(actions)} actions)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lifecycles", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.lifecycles))
