"""The public register's pages in Chromium: search and filters, an entry, the five public
languages, axe, JavaScript off; and the secretariat's redaction list of a case, whose new
term re-redacts the published summary at once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import Engine
from sqlmodel import Session

from api.pages.templating import environment
from core.settings import Settings
from redress.app import create_app
from services.redaction import MARK
from store.seed import DEMO_PASSWORD
from store.tables import NamingConsent
from tests.pages.conftest import axe_check, login, screenshot, served, site_url
from tests.pages.portal import CSRF
from tests.stack import running_backend

NAME = "রহিমা খাতুন Pagefour"
ORGANISATION = "Meghna Sromik Forum Pagefour"
BENGALI_TERM = "মেঘনা নিটওয়্যার"
CHINESE_TERM = "王小明"
SUMMARY = (
    f"{NAME} of {ORGANISATION} reported dismissals at {BENGALI_TERM}; the buyer's agent "
    f"{CHINESE_TERM} was present. The company reinstated the organisers of Ashulia."
)
SECRETS = [NAME, ORGANISATION, BENGALI_TERM, CHINESE_TERM, "Pagefour"]
LANGUAGES = ["en", "nl", "bn", "tr", "zh"]


@dataclass
class RegisterSite:
    """The site with the register's routes, and the case published on it."""

    url: str
    reference: str
    unpublished: str
    code: str  # the published case's access code
    engine: Engine


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s.casefold() in text.casefold()]


async def _published_case(http: httpx.AsyncClient) -> tuple[str, str, str]:
    """A confidential complaint driven to decision and published; an unpublished one."""
    tokens: dict[str, dict[str, str]] = {}
    for user in ("secretariat", "chair", "company"):
        answer = await http.post(
            "/api/v1/auth/token", json={"username": user, "password": DEMO_PASSWORD}
        )
        tokens[user] = {"Authorization": f"Bearer {answer.json()['access_token']}"}

    async def act(ref: str, user: str, **action: Any) -> None:
        answer = await http.post(f"/api/v1/cases/{ref}/actions", json=action, headers=tokens[user])
        assert answer.status_code == 200, answer.text

    body = {
        "covenant": "garments-textile",
        "respondent": {"company": "Noorderlicht Fashion B.V."},
        "complainant": {
            "name": NAME,
            "organisation": ORGANISATION,
            "email": "pagefour@private.example",
            "confidential": True,
            "language": "bn",
        },
        "subject": "Dismissals Pagefour",
        "description": "Organisers were dismissed.",
        "issues": ["freedom_of_association"],
    }
    filed = await http.post("/api/v1/complaints", json=body)
    assert filed.status_code == 201, filed.text
    ref = filed.json()["reference"]
    other = await http.post("/api/v1/complaints", json=dict(body, subject="Unpublished Other"))
    assert other.status_code == 201, other.text
    await act(ref, "secretariat", action="register")
    await act(ref, "chair", action="declare_admissible", reasons="In scope.")
    await act(ref, "company", action="submit_response", text="We looked into it.")
    await act(ref, "secretariat", action="send_to_hearing", reason="Too far apart.")
    hearing = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    await act(ref, "secretariat", action="schedule_hearing", at=hearing)
    await act(ref, "chair", action="record_hearing", minutes="Both heard.")
    for term in (BENGALI_TERM, CHINESE_TERM):
        added = await http.post(
            f"/api/v1/cases/{ref}/redaction-terms",
            json={"term": term},
            headers=tokens["secretariat"],
        )
        assert added.status_code == 201, added.text
    await act(ref, "chair", action="publish_summary", summary=SUMMARY, named=True)
    return ref, other.json()["reference"], filed.json()["access_code"]


@pytest.fixture(scope="module")
async def register_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[RegisterSite]:
    """The app with the register's routes (mounted here unless the app has them already)."""
    tmp = tmp_path_factory.mktemp("register-pages")
    sock, url = site_url()
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'redress.db'}",
        data_dir=tmp,
        demo_accounts=True,
        local_mode=True,
        task_queue="register-page-tests",
        public_url=url,
        secret_key="register-page-tests-secret-0123456789",
        complaint_rate_per_hour=1000,
        require_mfa=False,
    )
    async with running_backend(settings) as backend:
        app = create_app(settings, engine=backend.engine, client=backend.client)
        async with served(app, sock), httpx.AsyncClient(base_url=url, timeout=30) as http:
            reference, unpublished, access_code = await _published_case(http)
            yield RegisterSite(url, reference, unpublished, access_code, backend.engine)


@pytest.fixture
async def register_page(register_site: RegisterSite, browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=register_site.url)
    context.set_default_timeout(20_000)
    try:
        yield await context.new_page()
    finally:
        await context.close()


async def test_the_register_in_every_public_language_shows_no_identity(
    register_page: Page, register_site: RegisterSite
) -> None:
    page, ref = register_page, register_site.reference
    for language in LANGUAGES:
        await page.goto(f"/register?lang={language}")
        await expect(page.locator("html")).to_have_attribute("lang", language)
        await expect(page.get_by_role("link", name=ref)).to_be_visible()
        content = await page.content()
        assert leaks(content) == [] and MARK in content
        assert register_site.unpublished not in content and "Unpublished Other" not in content
        await axe_check(page)
    await screenshot(page, "register-zh")
    await page.goto("/register?lang=en")
    # The unpublished case is a count of its covenant and year, nothing more.
    counts = page.locator("table", has=page.get_by_role("columnheader", name="Year filed"))
    await expect(counts).to_contain_text("Sustainable Garments and Textile")
    await page.locator("#q").fill("reinstated organisers")
    await page.locator("#covenant").select_option("garments-textile")
    await page.get_by_role("button", name="Search the register").click()
    await expect(page.get_by_role("link", name=ref)).to_be_visible()
    await page.get_by_role("link", name=ref).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(ref)
    await expect(page.locator("dl.facts")).to_contain_text("Noorderlicht Fashion B.V.")
    assert leaks(await page.content()) == []
    await axe_check(page)
    await page.goto("/register?q=nothing-matches-this")
    await expect(page.get_by_text("No published case matches.")).to_be_visible()


async def test_search_and_entries_work_without_javascript(
    register_site: RegisterSite, browser: Browser
) -> None:
    context = await browser.new_context(base_url=register_site.url, java_script_enabled=False)
    try:
        page = await context.new_page()
        await page.goto("/register?lang=bn")
        await page.locator("#company").fill("noorderlicht")
        await page.locator("form.filters button[type=submit]").click()
        assert "company=noorderlicht" in page.url
        await page.get_by_role("link", name=register_site.reference).click()
        await expect(page.locator("html")).to_have_attribute("lang", "bn")
        assert leaks(await page.content()) == []
    finally:
        await context.close()


async def test_a_term_the_secretariat_adds_on_the_case_re_redacts_the_entry(
    register_page: Page, register_site: RegisterSite
) -> None:
    page, ref = register_page, register_site.reference
    await page.goto(f"/register/{ref}")
    await expect(page.locator("p.text")).to_contain_text("Ashulia")
    await login(page, "secretariat")
    await page.goto(f"/portal/cases/{ref}/redaction")
    await expect(page.locator("table")).to_contain_text(BENGALI_TERM)
    await page.locator("#f-term").fill("ashulia")
    await page.get_by_role("button", name="Add to the list").click()
    await expect(page.get_by_role("status")).to_be_visible()
    await expect(page.locator("table")).to_contain_text("ashulia")
    await axe_check(page)
    await page.goto(f"/register/{ref}")
    await expect(page.locator("p.text")).not_to_contain_text("Ashulia")
    # A company never reaches the list (the same 404 as an unknown case).
    await page.context.clear_cookies()
    await login(page, "company")
    answer = await page.goto(f"/portal/cases/{ref}/redaction")
    assert answer is not None and answer.status == 404


async def test_the_complainant_answers_from_its_tracking_page(
    register_site: RegisterSite,
) -> None:
    ref = register_site.reference
    async with httpx.AsyncClient(base_url=register_site.url, timeout=30) as browser:
        form = await browser.get("/track")
        token = CSRF.findall(form.text)[0]
        data = {"csrf_token": token, "reference": ref, "code": register_site.code}
        assert (await browser.post("/track", data=data)).status_code == 303
        page = await browser.get(f"/track/{ref}")
        token = CSRF.findall(page.text)[0]
        posted = {"csrf_token": token, "action": "consent_to_naming", "agreed": "true"}
        answer = await browser.post(f"/track/{ref}/actions", data=posted)
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == f"/track/{ref}?done=consent_to_naming"
    with Session(register_site.engine) as session:
        consent = session.get(NamingConsent, ref)
    assert consent is not None and consent.agreed
    # Its form, for the tracking page (public/case.html) to include where it may answer.
    snippet = environment.get_template("public/register_consent.html")
    shown = snippet.render(
        may={"consent_to_naming": True}, state={"reference": ref}, csrf_token="t", _=str
    )
    assert f'action="/track/{ref}/actions"' in shown
    assert 'name="action" value="consent_to_naming"' in shown
    assert 'name="agreed" value="true"' in shown and 'name="agreed" value="false"' in shown
    hidden = snippet.render(may={"consent_to_naming": False}, state={}, csrf_token="t", _=str)
    assert "<form" not in hidden
    # Agreed, yet confidential: the register still shows the pseudonym.
    async with httpx.AsyncClient(base_url=register_site.url, timeout=30) as http:
        entry = (await http.get(f"/api/v1/register/{ref}")).json()
    assert entry["named"] is False and leaks(str(entry)) == []
