"""A complaint's whole journey through the pages, in real Chromium, one user per browser.

A union files a confidential complaint with evidence and tracks it; the secretariat, the
chair, the company and the mediator take every step through the portal's forms; a
screenshot of each page is kept under test-artifacts/screenshots/journey-XX-*.png.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.async_api import Browser, Page, expect

from tests.pages.conftest import SCREENSHOTS, Site, axe_check, login, screenshot

SECRET_NAME = "Nasrin Sultana Akhter"
SECRET_ORGANISATION = "Rupali Knit Workers Committee"


class Journey:
    """Signed-in pages per user and a running count for the screenshots."""

    def __init__(self, site: Site, browser: Browser) -> None:
        self.site = site
        self.browser = browser
        self.pages: dict[str, Page] = {}
        self.shots = 0
        self.reference = ""

    async def page(self, username: str | None) -> Page:
        """The page of a user (signed in once), or of an anonymous visitor (None)."""
        key = username or ""
        if key not in self.pages:
            context = await self.browser.new_context(
                base_url=self.site.url, viewport={"width": 1280, "height": 900}
            )
            context.set_default_timeout(30_000)
            page = await context.new_page()
            if username:
                await login(page, username)
            self.pages[key] = page
        return self.pages[key]

    async def shot(self, page: Page, name: str) -> None:
        """Screenshot the page as the next step of the journey."""
        self.shots += 1
        await screenshot(page, f"journey-{self.shots:02d}-{name}")

    async def open_case(self, username: str) -> Page:
        """The case page, as that user."""
        page = await self.page(username)
        await page.goto(f"/portal/cases/{self.reference}")
        await expect(page.locator("h1")).to_be_visible()
        if username.startswith("company"):
            await no_secret(page)
        return page

    async def act(self, username: str, action: str, shot: str, **fields: str) -> Page:
        """Fill and send an action's form on the case page; it must succeed."""
        page = await self.open_case(username)
        form = page.locator(f"#form-{action}")
        details = page.locator("details.action").filter(has=form)
        if await details.count() and await details.get_attribute("open") is None:
            await details.locator("summary").click()
        for name, value in fields.items():
            field = form.locator(f"[name='{name}']")
            if await field.evaluate("e => e.tagName") == "SELECT":
                await field.select_option(value)
            else:
                await field.fill(value)
        await form.locator("button[type=submit]").click()
        await page.wait_for_load_state()
        await expect(page.locator("p.notice")).to_contain_text(re.compile("^Done: "))
        await self.shot(page, shot)
        return page


async def no_secret(page: Page) -> None:
    """The confidential complainant is nowhere on the page."""
    content = await page.content()
    assert SECRET_NAME not in content and SECRET_ORGANISATION not in content, page.url


@pytest.fixture
async def journey(site: Site, browser: Browser) -> AsyncIterator[Journey]:
    """A journey on the running site; its browser contexts are closed afterwards."""
    found = Journey(site, browser)
    try:
        yield found
    finally:
        for page in found.pages.values():
            await page.context.close()


async def file_as_union(journey: Journey) -> None:
    """The union files a confidential complaint with a piece of evidence, then tracks it."""
    page = await journey.page("union")
    await page.goto("/complaint")
    await page.locator("input[name=respondent][value='noorderlicht-fashion']").check()
    await page.locator("#f-subject").fill("Union organisers dismissed at Rupali Knit")
    await page.locator("input[name=issues][value='freedom_of_association']").check()
    await page.locator("#f-description").fill(
        "Twelve organisers were dismissed the week after they registered a union."
    )
    await page.locator("#f-remedy_sought").fill("Reinstatement and the wages lost.")
    await page.locator("#f-name").fill(SECRET_NAME)
    await page.locator("#f-organisation").fill(SECRET_ORGANISATION)
    await page.locator("#f-confidential").check()
    await page.locator("#f-evidence").set_input_files(
        files=[{"name": "dismissal-letters.txt", "mimeType": "text/plain", "buffer": b"letters"}]
    )
    await page.locator("input[name=evidence_visibility][value='parties']").check()
    await journey.shot(page, "complaint-form")
    await page.get_by_role("button", name="Send the complaint").click()
    await page.wait_for_load_state()
    journey.reference = (await page.locator("#reference").inner_text()).strip()
    code = (await page.locator("#access-code").inner_text()).strip()
    assert re.match(r"^GT-\d{4}-\w{5}$", journey.reference), journey.reference
    await journey.shot(page, "complaint-filed")

    visitor = await journey.page(None)
    await visitor.goto("/track")
    await visitor.locator("#f-reference").fill(journey.reference)
    await visitor.locator("#f-code").fill(code)
    await visitor.get_by_role("button", name="Show my case").click()
    await visitor.wait_for_load_state()
    await expect(visitor.locator("h1")).to_contain_text(journey.reference)
    await expect(visitor.locator("ol.progress > li").first).to_be_visible()
    await journey.shot(visitor, "tracking")

    await page.goto("/portal")
    await expect(page.get_by_role("link", name=journey.reference)).to_be_visible()
    await journey.shot(page, "union-dashboard")


async def test_a_complaint_from_filing_to_closure_in_the_browser(journey: Journey) -> None:
    await file_as_union(journey)
    ref = journey.reference

    staff = await journey.page("secretariat")
    await staff.goto("/portal?stage=screening")
    await expect(staff.get_by_role("link", name=ref)).to_be_visible()
    await axe_check(staff)
    await journey.shot(staff, "staff-dashboard")
    await staff.goto("/portal/deadlines")
    await expect(staff.get_by_role("link", name=ref).first).to_be_visible()
    await axe_check(staff)
    await journey.shot(staff, "staff-deadlines")
    await journey.open_case("secretariat")
    assert SECRET_NAME in await staff.content()  # staff know who complains
    await axe_check(staff)
    await journey.shot(staff, "staff-case")

    await journey.act("secretariat", "register", "registered", note="Within scope.")
    await journey.act("chair", "declare_admissible", "admissible", reasons="A covenant company.")

    company = await journey.page("company")
    await company.goto("/portal")
    await expect(company.get_by_role("link", name=ref).first).to_be_visible()
    await no_secret(company)
    await axe_check(company)
    await journey.shot(company, "company-dashboard")
    await journey.open_case("company")
    await expect(company.get_by_role("link", name="Document 1.txt")).to_be_visible()
    assert "dismissal-letters" not in await company.content()  # a party sees a neutral name
    await axe_check(company)
    await journey.shot(company, "company-case")

    # A form posted without its CSRF token is refused, and nothing is recorded.
    await company.locator("#form-add_message input[name=csrf_token]").evaluate("e => e.remove()")
    await company.locator("#form-add_message textarea[name=text]").fill("Sent without a token")
    await company.locator("#form-add_message button[type=submit]").click()
    await expect(company.locator("h1")).to_have_text("The form has expired")
    await journey.open_case("company")
    assert "Sent without a token" not in await company.content()

    # Another company cannot open the case at all.
    other = await journey.page("company2")
    answer = await other.goto(f"/portal/cases/{ref}")
    assert answer is not None and answer.status == 404
    await journey.shot(other, "other-company-404")

    await journey.act("company", "submit_response", "response", text="We are investigating.")
    await journey.act("secretariat", "propose_mediation", "mediation-proposed")
    await journey.act("secretariat", "assign", "mediator-assigned", mediator="mediator")
    await journey.act(
        "mediator", "end_mediation", "mediation-failed", reason="No agreement on back pay."
    )

    hearing = (datetime.now(UTC) + timedelta(days=14)).strftime("%Y-%m-%dT10:00")
    await journey.act("secretariat", "schedule_hearing", "hearing-scheduled", at=hearing)
    await journey.act("chair", "record_hearing", "hearing-held", minutes="Both parties heard.")
    today = date.today()
    await journey.act(
        "chair",
        "issue_decision",
        "decision",
        finding="founded",
        reasons="The dismissals followed the union's registration.",
        **{
            "order-1-text": "Reinstate the twelve organisers",
            "order-1-due": (today + timedelta(days=60)).isoformat(),
            "order-2-text": "Pay the wages lost since the dismissal",
            "order-2-due": (today + timedelta(days=90)).isoformat(),
        },
    )

    await journey.act("company", "submit_remediation_plan", "plan", text="Rehire in May.")
    await journey.act(
        "secretariat", "reject_remediation_plan", "plan-rejected", reasons="No dates for pay."
    )
    await journey.act("company", "submit_remediation_plan", "plan-again", text="Rehire; pay.")
    await journey.act("secretariat", "approve_remediation_plan", "plan-approved")
    for number in ("1", "2"):
        await journey.act(
            "company",
            "submit_progress_report",
            f"report-{number}",
            order=number,
            text=f"Order {number} carried out.",
        )
        await journey.act("secretariat", "verify_order", f"verified-{number}", order=number)

    page = await journey.act(
        "chair", "close", "closed", outcome="resolved", summary="Reinstated and paid."
    )
    await expect(page.locator(".case-meta")).to_contain_text("Closed")
    # A closed case asks nothing more of the procedure: the chair may reopen it, publish its
    # summary in the register or record a lesson.
    offered = page.locator("#actions form input[name=action]")
    await expect(offered).to_have_count(3)
    assert {await offered.nth(i).get_attribute("value") for i in range(3)} == {
        "reopen",
        "publish_summary",
        "record_lesson",
    }
    picture = page.locator("ol.progress")
    # 8 stages, 2 orders, and one row for the next steps the secretariat and chair took
    await expect(picture.locator(":scope > li")).to_have_count(11)
    journey.shots += 1
    await picture.screenshot(path=SCREENSHOTS / f"journey-{journey.shots:02d}-progress.png")
    await journey.open_case("company")
    await journey.shot(company, "company-closed")
    await company.set_viewport_size({"width": 375, "height": 800})
    await journey.open_case("company")
    width = await company.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the case page is {width} px wide on a 375 px screen"
    await journey.shot(company, "company-closed-375px")
    union = await journey.page("union")
    await union.goto(f"/portal/cases/{ref}")
    await expect(union.locator(".case-meta")).to_contain_text("Resolved")
    await journey.shot(union, "union-closed")
    await company.set_viewport_size({"width": 1280, "height": 900})
    await company.goto(f"/portal/cases/{ref}?lang=nl")
    await expect(company.locator("#actions h2")).to_have_text("Wat u nu kunt doen")
    await no_secret(company)
    await axe_check(company)
    await journey.shot(company, "company-closed-nl")
