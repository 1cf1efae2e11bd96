"""``redress report``: a covenant's annual report for a year, as HTML and PDF files."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from sqlmodel import Session

from core.settings import Settings
from domain.problems import NotFound
from notifications.annual_report import FontMissing
from services import annual_report
from store.db import engine_from_settings


def report_command(
    settings: Settings, console: Console, *, covenant: str, year: int, out: Path
) -> int:
    """0 with both files written; 1 for an unknown covenant or no font to embed."""
    engine = engine_from_settings(settings)
    try:
        with Session(engine) as session:
            annual = annual_report.build(session, covenant=covenant, year=year)
        html, pdf, pages = annual_report.write(annual, out)
    except (NotFound, FontMissing) as error:
        console.print(f"redress report: {error}", style="red")
        return 1
    finally:
        engine.dispose()
    figures = annual.statistics
    console.print(
        f"The annual report {year} of {covenant}: {figures.total} cases received, "
        f"{figures.closed_in_period} closed."
    )
    console.print(f"HTML: {html}")
    console.print(f"PDF: {pdf} ({pages} pages)")
    return 0
