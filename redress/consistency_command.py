"""``redress check-consistency`` and ``redress rebuild-read-model``: the read model against
the case workflows, and written again from them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine
from temporalio.client import Client

from activities.records import project
from core.settings import Settings
from core.temporal_client import connect
from domain.problems import NotFound, Unavailable
from services.consistency import Difference, check_consistency, rebuild_read_model
from store.db import engine_from_settings

CLEAN, DIFFERENT, UNREACHABLE = 0, 1, 2


def check_command(settings: Settings, console: Console, *, reference: str | None = None) -> int:
    """Print each difference between the read model and the workflows: 0 when there is
    none, 1 when there is one, 2 when Temporal or the database cannot be reached."""

    async def check(engine: Engine, client: Client) -> int:
        report = await check_consistency(
            engine=engine, client=client, task_queue=settings.task_queue, reference=reference
        )
        if not report.differences:
            console.print(f"The read model agrees with the workflows: {_cases(report.cases)}.")
            return CLEAN
        _print(console, "Differences", report.differences)
        cases = len({d.reference for d in report.differences})
        console.print(
            f"{_count(len(report.differences), 'difference')} in {cases} of "
            f"{_cases(report.cases)}.",
            style="red",
        )
        return DIFFERENT

    return _against_both(settings, console, check)


def rebuild_command(
    settings: Settings, console: Console, *, reference: str | None = None, dry_run: bool = False
) -> int:
    """Write each workflow's state into the read model again (``dry_run``: say what would
    change): 0 when the read model now agrees (dry: nothing to change), 1 when something
    could not be rebuilt (dry: something would change), 2 when a part cannot be reached."""

    async def rebuild(engine: Engine, client: Client) -> int:
        done = await rebuild_read_model(
            engine=engine,
            client=client,
            task_queue=settings.task_queue,
            project=project,
            reference=reference,
            dry_run=dry_run,
        )
        if done.repaired:
            title = "Would be written again" if dry_run else "Written again"
            _print(console, title, done.repaired)
        if done.remaining:
            _print(console, "Not rebuilt: the workflows cannot give these back", done.remaining)
        if dry_run:
            changing = len({d.reference for d in done.repaired})
            console.print(
                f"Dry run: {changing} of {_cases(done.cases)} would change "
                f"({_count(len(done.repaired), 'difference')}); nothing was written."
            )
        else:
            console.print(
                f"{_cases(done.cases)}; {done.written} written again from their workflows; "
                f"{_count(len(done.repaired), 'difference')} repaired."
            )
        if done.remaining:
            cases = len({d.reference for d in done.remaining})
            could = "cannot" if dry_run else "could not"
            console.print(f"{_count(cases, 'case')} {could} be rebuilt.", style="red")
        return DIFFERENT if done.remaining or (dry_run and done.repaired) else CLEAN

    return _against_both(settings, console, rebuild)


def _against_both(
    settings: Settings, console: Console, work: Callable[[Engine, Client], Awaitable[int]]
) -> int:
    """Run ``work`` with the database and Temporal; 2 with a precise message when either
    cannot be reached (or the case asked for is in neither)."""

    async def run() -> int:
        engine = engine_from_settings(settings)
        try:
            try:
                client = await connect(settings)
            except RuntimeError as error:
                console.print(
                    f"Temporal at {settings.temporal_address} is not reachable: {error}",
                    style="red",
                )
                return UNREACHABLE
            try:
                return await work(engine, client)
            except (Unavailable, NotFound) as problem:
                console.print(problem.message, style="red")
                return UNREACHABLE
        finally:
            engine.dispose()

    return asyncio.run(run())


def _print(console: Console, title: str, differences: Sequence[Difference]) -> None:
    table = Table(title=f"{title} ({len(differences)})")
    for column in ("case", "field", "read model", "workflow"):
        table.add_column(column)
    for d in differences:
        table.add_row(d.reference, d.field, d.read_model, d.workflow)
    console.print(table)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _cases(n: int) -> str:
    return f"{_count(n, 'case')} checked"
