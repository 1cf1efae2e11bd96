"""Mediation on the tracking page: a complainant with only a reference and an access code
consents to mediation or declines it, through the API's action service, in Chromium (also
without JavaScript); an action the case no longer allows is refused and changes nothing."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Browser, Page, expect
from sqlmodel import Session

from domain.enums import Side
from store import case_content
from tests.pages.conftest import Site, axe_check, screenshot
from tests.pages.portal import CSRF, Portal, complaint


async def file_with_code(site: Site) -> tuple[str, str]:
    """A complaint against Noorderlicht filed anonymously through the API: reference, code."""
    async with httpx.AsyncClient(base_url=site.url, timeout=40) as http:
        answer = await http.post("/api/v1/complaints", json=complaint())
    assert answer.status_code == 201, answer.text
    body = answer.json()
    return str(body["reference"]), str(body["access_code"])


async def offer_mediation(portal: Portal, reference: str) -> None:
    """Take the case through screening, admissibility and the response to mediation."""
    steps = [
        await portal.post_action("secretariat", reference, action="register"),
        await portal.post_action(
            "chair", reference, action="declare_admissible", reasons="A covenant company."
        ),
        await portal.post_action(
            "company", reference, action="submit_response", text="We are looking into it."
        ),
        await portal.post_action("secretariat", reference, action="propose_mediation"),
    ]
    for done in steps:
        assert done.status_code == 303, done.text
    assert (await portal.read(reference))["stage"] == "mediation"


def mediation_of(site: Site, reference: str) -> tuple[str, list[Side], bool]:
    """The case's stage, the sides that consented, and whether mediation started."""
    with Session(site.engine) as session:
        state = case_content.load_state(session=session, reference=reference)
    assert state is not None
    return state.stage, list(state.mediation.consents), state.mediation.started_at is not None


async def open_tracked(page: Page, reference: str, code: str) -> None:
    """Open the case on the tracking page with its reference and access code."""
    await page.goto("/track")
    await page.get_by_label("Reference").fill(reference)
    await page.get_by_label("Access code").fill(code)
    await page.get_by_role("button", name="Show my case").click()
    await expect(page).to_have_url(re.compile(f"/track/{reference}$"))


async def test_the_complainant_consents_and_mediation_starts_once_the_company_does(
    page: Page, site: Site, portal: Portal
) -> None:
    reference, code = await file_with_code(site)
    await open_tracked(page, reference, code)
    # Not offered before mediation is.
    await expect(page.get_by_role("heading", name="Mediation is offered")).to_have_count(0)
    await expect(page.get_by_role("button", name="I agree to mediation")).to_have_count(0)

    await offer_mediation(portal, reference)
    await page.reload()
    section = page.get_by_role("region", name="Mediation is offered")
    await expect(section).to_be_visible()
    await screenshot(page, "tracking-mediation-offered")
    await axe_check(page)
    await section.get_by_role("button", name="I agree to mediation").click()

    await expect(page.get_by_role("status")).to_have_text(
        "You agreed to mediation. It starts when the company agrees too."
    )
    await expect(page.locator("#mediation-consented")).to_be_visible()
    await expect(page.get_by_role("button", name="I agree to mediation")).to_have_count(0)
    await expect(page.get_by_text("One side agreed to mediation").first).to_be_visible()
    assert mediation_of(site, reference) == ("mediation", [Side.COMPLAINANT], False)
    await screenshot(page, "tracking-mediation-consented")

    # The company consents too: mediation starts, and the page no longer offers a choice.
    done = await portal.post_action("company", reference, action="consent_to_mediation")
    assert done.status_code == 303, done.text
    assert mediation_of(site, reference)[2]
    await page.reload()
    await expect(page.get_by_role("heading", name="Mediation is offered")).to_have_count(0)
    await expect(page.get_by_text("Mediation started").first).to_be_visible()

    # A decline posted from the page as it was is refused now: nothing changes.
    token = CSRF.findall(await page.content())[0]
    answer = await page.request.post(
        f"/track/{reference}/actions",
        form={"csrf_token": token, "action": "decline_mediation", "reason": "Too late."},
    )
    assert answer.status == 409
    assert "Nothing was changed" in await answer.text()
    assert "This is not possible at the current step of the case." in await answer.text()
    assert mediation_of(site, reference)[0] == "mediation"


async def test_the_complainant_declines_without_javascript_and_the_case_goes_to_a_hearing(
    site: Site, browser: Browser, portal: Portal
) -> None:
    reference, code = await file_with_code(site)
    await offer_mediation(portal, reference)
    context = await browser.new_context(
        base_url=site.url, java_script_enabled=False, viewport={"width": 360, "height": 780}
    )
    try:
        page = await context.new_page()
        await open_tracked(page, reference, code)
        await page.get_by_text("I do not want mediation").click()  # <details>, no script
        reason = "We want the committee to decide on back pay."
        await page.get_by_label(re.compile(r"^Why not\?")).fill(reason)
        await screenshot(page, "tracking-mediation-decline-360")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the case page scrolls sideways: {width}px"
        await page.get_by_role("button", name="Decline mediation").click()
        await expect(page.get_by_role("status")).to_have_text(
            "You declined mediation. The committee goes on with the case and will hear both sides."
        )
        await expect(page.locator("#stage")).to_have_text("Hearing")
        await expect(page.get_by_text(reason).first).to_be_visible()
        await expect(page.get_by_role("heading", name="Mediation is offered")).to_have_count(0)
    finally:
        await context.close()
    stage, consents, started = mediation_of(site, reference)
    assert (stage, consents, started) == ("hearing", [], False)
    # The company reads the reason on its case page.
    company = await portal.as_user("company")
    assert reason in (await company.get(f"/portal/cases/{reference}")).text


async def test_the_mediation_choice_is_in_the_complainants_language(
    page: Page, site: Site, portal: Portal
) -> None:
    reference, code = await file_with_code(site)
    await offer_mediation(portal, reference)
    await page.goto("/track?lang=bn")
    await page.locator("#f-reference").fill(reference)
    await page.locator("#f-code").fill(code)
    await page.locator("form.track button[type=submit]").click()
    await expect(page.locator("#mediation")).to_have_text("মধ্যস্থতার প্রস্তাব দেওয়া হয়েছে")
    await page.get_by_role("button", name="আমি মধ্যস্থতায় রাজি").click()
    await expect(page.get_by_role("status")).to_have_text(
        "আপনি মধ্যস্থতায় রাজি হয়েছেন। কোম্পানিও রাজি হলে মধ্যস্থতা শুরু হবে।"
    )
    await screenshot(page, "tracking-mediation-consented-bn")
    assert mediation_of(site, reference)[1] == [Side.COMPLAINANT]
