"""The statistics page in Chromium over 1,200 generated cases and a lesson: each chart is an
SVG picture with its table beside it holding the figures, the filters narrow them, the CSV
and XLSX links download the same figures, axe finds nothing serious, and only staff see it.

The app runs on its own read model (no Temporal: the page reads only the read model)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from playwright.async_api import Browser, Page
from sqlmodel import Session

from core.settings import Settings
from redress.app import create_app
from services.statistics import compute
from store.db import engine_from_settings, prepare, session_scope
from store.lessons import record_lesson
from store.seed import seed_demo
from tests.pages.conftest import axe_check, login, screenshot, served, site_url
from tests.store.test_stats import generate, load

LESSON = "Ask the brands for their supplier lists before the hearing"
CHARTS = [
    "stage",
    "kind",
    "outcome",
    "issue",
    "country",
    "company",
    "durations",
    "deadlines",
    "age",
    "finding",
    "orders",
]


@dataclass
class StatsSite:
    url: str
    settings: Settings


@pytest.fixture(scope="module")
async def stats_site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[StatsSite]:
    tmp = tmp_path_factory.mktemp("stats-pages")
    sock, url = site_url()
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'redress.db'}",
        data_dir=tmp,
        demo_accounts=True,
        public_url=url,
        secret_key="stats-page-tests-secret-key-0123456789",
        require_mfa=False,
    )
    prepare(settings)
    seed_demo(settings)
    engine = engine_from_settings(settings)
    cases = generate(1_200)
    load(engine, cases)
    with session_scope(engine) as session:
        record_lesson(
            session=session,
            reference=cases[1].state.reference,
            covenant="garments-textile",
            addressed_to="covenant",
            text=LESSON,
            at=datetime(2025, 3, 3, 10, tzinfo=UTC),
            by="chair",
        )
    async with served(create_app(settings, engine=engine), sock):
        yield StatsSite(url, settings)
    engine.dispose()


@pytest.fixture
async def page(stats_site: StatsSite, browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(
        base_url=stats_site.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20_000)
    opened = await context.new_page()
    try:
        yield opened
    finally:
        await context.close()


async def table(page: Page, key: str) -> dict[str, list[str]]:
    """A chart's table: the first cell of each row → the other cells."""
    rows = page.locator(f"#table-{key} tbody tr")
    found = {}
    for i in range(await rows.count()):
        cells = await rows.nth(i).locator("th, td").all_inner_texts()
        found[cells[0].strip()] = [c.strip() for c in cells[1:]]
    return found


async def test_the_page_draws_each_chart_beside_its_table(
    stats_site: StatsSite, page: Page
) -> None:
    await login(page, "secretariat")
    await page.locator("header nav a[href='/portal/stats']").click()
    await page.wait_for_load_state()
    assert page.url.endswith("/portal/stats")
    engine = engine_from_settings(stats_site.settings)
    with Session(engine) as session:
        figures = compute(session)  # as the page computes them today (targets from today)
    engine.dispose()
    for key in CHARTS:
        chart = page.locator(f"#chart-{key} svg[role=img]")
        assert await chart.count() == 1, key
        assert await chart.locator("title").count() == 1
        assert await page.locator(f"#table-{key}").count() == 1, key
    stages = await table(page, "stage")
    assert stages["Closed"] == [str(figures.by_stage["closed"])]
    assert stages["Mediation"] == [str(figures.by_stage["mediation"])]
    assert sum(int(v[0]) for v in stages.values()) == figures.total == 1_200
    # The picture says what the table says: its description holds each row.
    described = await page.locator("#chart-stage svg desc").text_content() or ""
    assert f"Closed, {figures.by_stage['closed']}" in described
    durations = await table(page, "durations")
    admissibility = figures.durations["admissibility"]
    assert durations["Admissibility"][2] == f"{admissibility.target_days:g}"
    assert durations["Admissibility"][3] == str(admissibility.cases)
    owners = await table(page, "deadlines")
    company = figures.deadlines_by_party["respondents"]
    assert owners["company"] == [str(company.met), str(company.missed)]
    companies = await table(page, "company")
    assert len(companies) == 10
    assert companies[figures.by_company[0].name] == [str(figures.by_company[0].cases)]
    facts = await page.locator("dl.facts").inner_text()
    assert "Cases filed" in facts and "1200" in facts
    assert LESSON in await page.locator("ul.lessons").inner_text()
    await axe_check(page)
    await screenshot(page, "stats-page")
    await page.locator("#chart-durations").screenshot(
        path=str((await screenshot(page, "stats-page")).with_name("stats-durations-chart.png"))
    )


async def test_filters_narrow_the_figures_and_the_downloads_hold_them(page: Page) -> None:
    await login(page, "chair")
    await page.goto("/portal/stats")
    await page.locator("#stats-covenant").select_option("garments-textile")
    await page.locator("#stats-from").fill("2024-06-01")
    await page.locator("#stats-to").fill("2025-05-31")
    await page.locator("form.filters button[type=submit]").click()
    await page.wait_for_load_state()
    assert "covenant=garments-textile" in page.url and "from=2024-06-01" in page.url
    shown = sum(int(v[0]) for v in (await table(page, "stage")).values())
    assert 300 < shown < 1_200
    link = await page.locator("a[href^='/portal/stats.csv']").get_attribute("href")
    assert link is not None and "to=2025-05-31" in link
    answer = await page.request.get(link)
    assert answer.status == 200
    rows = list(csv.reader(io.StringIO(await answer.text())))
    assert ["total", "", "", str(shown)] in rows
    book = await page.request.get(
        (await page.locator("a[href^='/portal/stats.xlsx']").get_attribute("href")) or ""
    )
    assert book.status == 200 and book.headers["content-type"].startswith("application/vnd")
    await axe_check(page)


async def test_the_page_is_for_staff_only(page: Page) -> None:
    await login(page, "company")
    assert await page.locator("header nav a[href='/portal/stats']").count() == 0
    answer = await page.goto("/portal/stats")
    assert answer is not None and answer.status == 404
    download = await page.request.get("/portal/stats.csv")
    assert download.status == 404


async def test_the_page_reads_in_the_portal_languages(page: Page) -> None:
    await login(page, "steering-finance", language="zh")
    answer = await page.goto("/portal/stats?lang=zh")
    assert answer is not None and answer.status == 200
    assert await page.locator("html").get_attribute("lang") == "zh"
    # Gold's cases only, for the steering group of banking and gold; countries in Chinese.
    countries = await table(page, "country")
    assert "孟加拉国" in countries
    refused = await page.goto("/portal/stats?covenant=garments-textile")
    assert refused is not None and refused.status == 404
    await axe_check(page)
