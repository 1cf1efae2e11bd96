"""The complainant's requests on the tracking page, with only a reference and an access
code: follow-up and a meeting with the company's representatives (answered by the
secretariat on its case page), and more time for a deadline of its own (granted by the
chair). In Chromium without JavaScript, at 360 px."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from playwright.async_api import Browser, Locator, Page, expect
from sqlmodel import Session

from domain.cases import CaseState
from store import case_content
from tests.pages.conftest import Site, screenshot
from tests.pages.portal import CSRF, Portal
from tests.pages.test_tracking_mediation import file_with_code, open_tracked


def state_of(site: Site, reference: str) -> CaseState:
    with Session(site.engine) as session:
        state = case_content.load_state(session=session, reference=reference)
    assert state is not None
    return state


async def _send(section: Locator, action: str) -> None:
    """Press the "Send the request" button of that action's form."""
    form = section.locator(f"form:has(input[name=action][value={action}])")
    await form.get_by_role("button", name="Send the request").click()


@pytest.fixture
async def no_script(site: Site, browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(
        base_url=site.url, java_script_enabled=False, viewport={"width": 360, "height": 780}
    )
    try:
        yield await context.new_page()
    finally:
        await context.close()


async def test_follow_up_and_a_meeting_are_asked_and_answered_without_javascript(
    site: Site, no_script: Page, portal: Portal
) -> None:
    page = no_script
    reference, code = await file_with_code(site)
    await open_tracked(page, reference, code)
    section = page.get_by_role("region", name="Ask the committee")
    await section.get_by_text("Ask what is being done about your complaint").click()
    await section.get_by_label("What would you like to know?").fill("Has the company replied?")
    await _send(section, "request_follow_up")
    await expect(page.locator("#request-sent")).to_have_text(
        "Your request was sent. The secretariat answers it by e-mail and on this page."
    )
    await expect(page.locator("#open-requests")).to_contain_text("request-1: Follow-up asked for")
    await expect(page.get_by_text("Has the company replied?").first).to_be_visible()

    await section.get_by_text("Ask for a meeting with the company's representatives").click()
    await section.get_by_label("What the meeting should be about").fill("The dismissals")
    await _send(section, "request_meeting")
    await expect(page.locator("#open-requests")).to_contain_text("request-2: Meeting asked for")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the case page scrolls sideways: {width}px"
    await screenshot(page, "tracking-requests-360")
    state = state_of(site, reference)
    assert [(r.id, r.kind) for r in state.party_requests] == [
        ("request-1", "follow_up"),
        ("request-2", "meeting"),
    ]
    assert len([d for d in state.open_deadlines() if d.name == "request_answer"]) == 2

    # The secretariat answers the follow-up on its case page; the complainant reads it.
    answer = "We wrote to the company on Monday."
    done = await portal.post_action(
        "secretariat", reference, action="answer_request", request="request-1", text=answer
    )
    assert done.status_code == 303, done.text
    await page.reload()
    await expect(page.get_by_text(answer).first).to_be_visible()
    await expect(page.locator("#open-requests")).not_to_contain_text("request-1")
    state = state_of(site, reference)
    assert [r.answered_at is not None for r in state.party_requests] == [True, False]
    # An answer posted twice is refused and changes nothing.
    again = await portal.post_action(
        "secretariat", reference, action="answer_request", request="request-1", text="Again"
    )
    assert again.status_code == 422, again.text
    assert state_of(site, reference).last_seq == state.last_seq


async def test_the_complainant_asks_more_time_for_its_answer_and_the_chair_grants_it(
    site: Site, no_script: Page, portal: Portal
) -> None:
    page = no_script
    reference, code = await file_with_code(site)
    await open_tracked(page, reference, code)
    # No deadline of its own yet: nothing to ask more time for.
    await expect(page.get_by_text("Ask for more time")).to_have_count(0)
    asked = await portal.post_action(
        "secretariat",
        reference,
        action="request_information",
        question="Which workers were dismissed?",
        **{"from": "complainant"},
    )
    assert asked.status_code == 303, asked.text
    information = state_of(site, reference).deadline("information")
    assert information is not None
    await page.reload()
    section = page.get_by_role("region", name="Ask the committee")
    await section.get_by_text("Ask for more time").click()
    until = (information.due + timedelta(days=14)).date()
    await section.get_by_label("Until (the day you ask for)").fill(until.isoformat())
    await section.get_by_label("Why do you need more time?").fill("The workers are in hiding.")
    await _send(section, "request_extension")
    await expect(page.locator("#request-sent")).to_contain_text("Your request for more time")
    await expect(page.locator("#open-requests")).to_contain_text("extension-1")
    assert state_of(site, reference).deadline("information").due == information.due  # type: ignore[union-attr]

    # A day before the current due date is refused on the page, and nothing is asked.
    token = CSRF.findall(await page.content())[0]
    early = await page.request.post(
        f"/track/{reference}/actions",
        form={
            "csrf_token": token,
            "action": "request_extension",
            "deadline": information.id,
            "until": information.due.date().isoformat(),
            "reasons": "Sooner",
        },
    )
    assert early.status == 422 and "Nothing was changed" in await early.text()
    assert len(state_of(site, reference).extension_requests) == 1

    granted = await portal.post_action(
        "chair", reference, action="grant_extension", request="extension-1", reason="Fair"
    )
    assert granted.status_code == 303, granted.text
    moved = state_of(site, reference).deadline("information")
    assert moved is not None and moved.due.date() == until
    await page.reload()
    await expect(page.locator("#open-requests")).to_have_count(0)
