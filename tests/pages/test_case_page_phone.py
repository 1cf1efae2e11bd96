"""The case page on a phone (360×740, JavaScript off) in Bengali: the progress list readable
(text at least 12 px, no two labels on top of each other), the covenant and the pseudonym in
Bengali, one numbering system (Bengali digits: CLDR's for bn), and every time with its zone,
the seat's until the reader chooses another."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests.pages.conftest import Site, login, screenshot
from tests.pages.portal import Portal, complaint

PHONE = {"width": 360, "height": 740}
LATIN_DIGIT = re.compile(r"[0-9]")
BENGALI_DIGIT = re.compile("[\u09e6-\u09ef]")
SEAT = "নেদারল্যান্ডস সময় (UTC+"  # the seat's zone as Bengali names it
DHAKA = "বাংলাদেশ সময় (UTC+৬)"
ENGLISH_COVENANT = "Agreement on Sustainable Garments and Textile"

# Each element of the progress list that holds words, its font size and box (page pixels).
MEASURE = """(selector) => [...document.querySelectorAll(selector)].map((el) => {
  const box = el.getBoundingClientRect();
  return {text: el.textContent.trim(), size: parseFloat(getComputedStyle(el).fontSize),
          x: box.left, y: box.top, w: box.width, h: box.height};
})"""
LABELS = "ol.progress .progress-stage strong, ol.progress .progress-status, ol.progress-dates li"


@pytest.fixture
async def phone(site: Site, browser: Browser) -> AsyncIterator[Page]:
    """A 360 px wide page with JavaScript off, as on a cheap phone."""
    context = await browser.new_context(
        base_url=site.url, java_script_enabled=False, viewport=PHONE
    )
    context.set_default_timeout(20_000)
    try:
        yield await context.new_page()
    finally:
        await context.close()


async def confidential_case(site: Site, portal: Portal) -> tuple[str, str, str]:
    """A confidential complaint, registered and found admissible: reference, code, pseudonym."""
    body = complaint()
    body["complainant"] = {**body["complainant"], "confidential": True}
    async with httpx.AsyncClient(base_url=site.url, timeout=40) as http:
        answer = await http.post("/api/v1/complaints", json=body)
    assert answer.status_code == 201, answer.text
    reference, code = str(answer.json()["reference"]), str(answer.json()["access_code"])
    registered = await portal.post_action("secretariat", reference, action="register")
    assert registered.status_code == 303, registered.text
    admissible = await portal.post_action(
        "chair", reference, action="declare_admissible", reasons="A covenant company."
    )
    assert admissible.status_code == 303, admissible.text
    pseudonym = (await portal.read(reference))["complainant"]["pseudonym"]
    assert pseudonym.startswith("Complainant ")  # stored and given by the API in English
    return reference, code, pseudonym.removeprefix("Complainant ")


async def measured(page: Page) -> list[dict[str, Any]]:
    """The progress list's labels with their font sizes and boxes."""
    found: list[dict[str, Any]] = await page.evaluate(MEASURE, LABELS)
    assert found, "no progress list on the page"
    return found


def overlap(a: dict[str, Any], b: dict[str, Any]) -> float:
    """The area two boxes share."""
    width = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(width, 0) * max(height, 0)


async def assert_progress_readable(page: Page) -> None:
    """Every label at least 12 px, within the screen, none over another."""
    labels = await measured(page)
    assert len(labels) >= 4  # two stages at least, each with its name, status and dates
    for label in labels:
        assert label["size"] >= 12, label
        assert label["w"] > 0 and label["x"] >= 0 and label["x"] + label["w"] <= PHONE["width"]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            inside = a["x"] <= b["x"] and b["x"] + b["w"] <= a["x"] + a["w"]
            nested = inside and a["y"] <= b["y"] and b["y"] + b["h"] <= a["y"] + a["h"]
            assert nested or overlap(a, b) < 1, (a, b)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px"


PHONE_NUMBER = re.compile(r"\+\d[\d ]*\d")


def bengali_text(text: str, *identifiers: str) -> str:
    """The page's text without the identifiers that keep their Latin letters and digits, and
    without phone numbers given as examples of what to type (as a phone's keypad writes)."""
    for identifier in identifiers:
        text = text.replace(identifier, "")
    return PHONE_NUMBER.sub("", text)


async def test_the_tracking_page_reads_in_bengali_on_a_phone(
    phone: Page, site: Site, portal: Portal
) -> None:
    reference, code, pseudonym_code = await confidential_case(site, portal)
    await phone.goto("/track")
    await phone.locator("#f-reference").fill(reference)
    await phone.locator("#f-code").fill(code)
    await phone.get_by_role("button", name="Show my case").click()
    await expect(phone).to_have_url(re.compile(f"/track/{reference}$"))
    await phone.goto(f"/track/{reference}?lang=bn")
    await expect(phone.locator("html")).to_have_attribute("lang", "bn")
    await screenshot(phone, "case-page-360-bn")

    await assert_progress_readable(phone)
    text = await phone.locator("main").inner_text()
    assert "Complainant" not in text
    assert f"অভিযোগকারী {pseudonym_code}" in text
    assert ENGLISH_COVENANT not in text
    # One numbering system: Bengali digits in every number, date and time; Latin digits only
    # in the identifiers (the reference, the pseudonym's code).
    assert BENGALI_DIGIT.search(text)
    latin = LATIN_DIGIT.findall(bengali_text(text, reference, pseudonym_code))
    assert not latin, bengali_text(text, reference, pseudonym_code)
    # Every time says its zone: the seat's until the reader chooses.
    times = await phone.locator("ol.timeline time").all_inner_texts()
    assert times and all(SEAT in t for t in times), times
    await expect(phone.locator("#next-due")).to_contain_text(SEAT)

    await phone.locator("#f-zone").select_option("Asia/Dhaka")
    await phone.locator("form.zone-choice button").click()
    await expect(phone).to_have_url(re.compile(f"/track/{reference}$"))
    times = await phone.locator("ol.timeline time").all_inner_texts()
    assert times and all(DHAKA in t for t in times), times
    await expect(phone.locator("#next-due")).to_contain_text(DHAKA)
    await expect(phone.locator("#f-zone")).to_have_value("Asia/Dhaka")
    await screenshot(phone, "case-page-360-bn-dhaka")


async def test_the_portal_case_page_reads_in_bengali_on_a_phone(
    phone: Page, site: Site, portal: Portal
) -> None:
    reference, _, pseudonym_code = await confidential_case(site, portal)
    await login(phone, "company", language="bn")
    await phone.goto(f"/portal/cases/{reference}")
    await expect(phone.locator("html")).to_have_attribute("lang", "bn")
    await screenshot(phone, "portal-case-page-360-bn")

    await assert_progress_readable(phone)
    meta = await phone.locator(".case-meta").inner_text()
    assert "টেকসই পোশাক ও বস্ত্র চুক্তি" in meta and ENGLISH_COVENANT not in meta
    parties = await phone.locator("section[aria-labelledby=parties-title]").inner_text()
    assert f"অভিযোগকারী {pseudonym_code}" in parties and "Complainant" not in parties
    shown = " ".join(
        [
            meta,
            await phone.locator("ol.progress").inner_text(),
            await phone.locator("dl.facts").first.inner_text(),
            await phone.locator("ol.timeline").inner_text(),
        ]
    )
    assert not LATIN_DIGIT.search(bengali_text(shown, reference)), shown
    events = await phone.locator("ol.timeline .hint").all_inner_texts()
    assert events and all(SEAT in e for e in events), events
