"""The annual report: built from the statistics of the year's cases and the year's lessons,
its PDF renders every section, and the figures in the PDF's text are the statistics'."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import Session

from core.settings import Settings, get_settings
from redress.cli import main
from services.annual_report import build, number
from services.statistics import compute
from store import lessons
from store.db import session_scope
from tests.factories import Database, complainant, migrated
from tests.store.test_stats import NOW, generate, load

SECTIONS = [
    "Cases received and closed",
    "Durations against targets",
    "Deadlines kept",
    "Remediation achieved",
    "Decisions and findings of non-compliance",
    "Recommendations of the committee",
]
SECRET = "Nasrin Sultana"  # a confidential complainant a lesson names
UNICODE_LESSON = "Şirketler işçi temsilcileriyle görüşmeli; 工会代表应参加会议"


def _text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def _lessons(database: Database) -> None:
    with session_scope(database.engine) as session:
        hidden = complainant("GT-2024-00001", confidential=True)
        hidden.name = SECRET
        session.add(hidden)
        for at, to, text in [
            (datetime(2024, 3, 5, tzinfo=UTC), "covenant", "Publish supplier lists in full."),
            (datetime(2024, 9, 9, tzinfo=UTC), "companies", UNICODE_LESSON),
            (datetime(2025, 1, 2, tzinfo=UTC), "mechanism", "Next year's lesson, not this one."),
            (datetime(2024, 6, 1, tzinfo=UTC), "mechanism", f"Hear {SECRET} sooner."),
        ]:
            lessons.record_lesson(
                session=session,
                reference="GT-2024-00001",
                covenant="garments-textile",
                addressed_to=to,
                text=text,
                at=at,
                by="chair",
            )


def test_the_pdf_has_every_section_and_the_statistics_figures(database: Database) -> None:
    engine = migrated(database)
    load(engine, generate(400))
    _lessons(database)
    with Session(engine) as session:
        annual = build(session, covenant="garments-textile", year=2024, now=NOW)
        figures = compute(
            session, "garments-textile", date(2024, 1, 1), date(2024, 12, 31), now=NOW
        )
    assert annual.statistics == figures and figures.total > 100

    from notifications.annual_report import render_html, render_pdf_pages

    pdf, pages = render_pdf_pages(annual.report)
    text, read_pages = _text(pdf)
    assert pages == read_pages >= 2
    for title in SECTIONS:
        assert title in text
    assert f"Cases received in 2024 {figures.total}" in text
    assert f"Cases closed in 2024 (whenever received) {figures.closed_in_period}" in text
    for kind, n in figures.by_kind.items():
        assert f"of which {kind.replace('_', ' ')}s {n}" in text
    for outcome, n in figures.by_outcome.items():
        assert re.search(rf"\b{outcome.replace('_', ' ')} {n}\b", text)
    o = figures.orders
    assert o.on_time and f"{o.on_time} of {o.on_time + o.late + o.open} remediation orders" in text
    assert f"Complied with late {o.late}" in text
    d = figures.deadlines
    assert d.met and d.missed
    assert f"All {d.met} {d.missed} {round(100 * d.met / (d.met + d.missed))}%" in text
    for stage, stay in figures.durations.items():
        if stay.cases:
            row = f"{stage.replace('_', ' ')} {stay.cases} {number(stay.median_days)} "
            assert row + number(stay.p90_days) in text
    decisions = figures.decisions
    assert f"{decisions.total} decisions issued" in text
    assert f"{decisions.non_compliance_findings} findings of non-compliance" in text
    ttc = figures.time_to_close
    assert f"on average {number(ttc.average_days)} days" in text
    # The year's recommendations, Unicode intact; not the next year's.
    assert "Publish supplier lists in full." in text and UNICODE_LESSON in text
    assert "Next year's lesson" not in text
    # A lesson naming a confidential complainant is quoted redacted; no identity anywhere.
    assert "Hear […] sooner." in text
    for identity in (SECRET, "Rupali Workers Committee", "rahima.akter@mail.example"):
        assert identity not in text

    html = render_html(annual.report)
    assert all(title in html for title in SECTIONS) and UNICODE_LESSON in html
    assert SECRET not in html and "Rupali" not in html
    assert (
        f'<th scope="row">Cases received in 2024</th><td class="figure">{figures.total}</td>'
        in html
    )


def test_redress_report_writes_both_files(
    database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if database.backend != "sqlite":
        pytest.skip("the command on one backend is enough")
    prepare_url = database.url
    engine = migrated(database)
    load(engine, generate(60))
    _lessons(database)
    monkeypatch.setenv("REDRESS_DATABASE_URL", prepare_url)
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()  # the command reads these, not an earlier test's
    request.addfinalizer(get_settings.cache_clear)
    assert Settings(database_url=prepare_url).database_url == prepare_url
    out = tmp_path / "reports"
    assert (
        main(["report", "--covenant", "garments-textile", "--year", "2024", "--out", str(out)]) == 0
    )
    said = capsys.readouterr().out
    pdf = out / "annual-report-garments-textile-2024.pdf"
    html = out / "annual-report-garments-textile-2024.html"
    _, pages = _text(pdf.read_bytes())
    assert f"({pages} pages)" in said and "cases received" in said
    assert "Deadlines kept" in html.read_text(encoding="utf-8")
    assert (
        main(["report", "--covenant", "no-such-covenant", "--year", "2024", "--out", str(out)]) == 1
    )
    assert "no covenant 'no-such-covenant'" in capsys.readouterr().out
