"""A filing form that forgives the network, in Chromium on a 360×740 phone in Bengali: the
same form sent twice files one case and shows the same receipt; a send that fails brings
the form back with everything typed; the access code, read off the page, is typed back by
hand with spaces and opens the case; with JavaScript, a draft kept on the device on request.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    FilePayload,
    Page,
    Request,
    ViewportSize,
    expect,
)
from sqlmodel import Session, col, select

from api.pages import complaint
from api.pages.i18n import translations
from store.tables import Complainant
from tests.pages.conftest import Site, screenshot

PHONE: ViewportSize = {"width": 360, "height": 740}
SPACED_CODE = re.compile(r"^\d{4} \d{4} \d{4} \d{4} \d{4}$")
REFERENCE = re.compile(r"^GT-\d{4}-[0-9A-Z]{5}$")
BN = translations("bn").gettext
DRAFT = "redress-draft:complaint"

SUBJECT = "ইউনিয়ন করার জন্য বারোজন শ্রমিককে ছাঁটাই"
# A long description typed on a phone: what a failed send must not cost.
DESCRIPTION = "\n\n".join(
    [
        "রূপালী নিট কম্পোজিট লিমিটেডের সেলাই বিভাগের বারোজন শ্রমিককে ইউনিয়ন নিবন্ধনের এক সপ্তাহ পরে "
        "ছাঁটাই করা হয়েছে। তাদের কোনো কারণ জানানো হয়নি এবং বকেয়া মজুরিও দেওয়া হয়নি।",
        "ব্যবস্থাপক বলেছেন, যারা ইউনিয়নে থাকবে তাদের আর কাজে রাখা হবে না। আমরা লিখিতভাবে অভিযোগ "
        "করেছিলাম, কিন্তু কোনো উত্তর পাইনি।",
    ]
    * 4
)
REMEDY = "বারোজন শ্রমিককে কাজে ফিরিয়ে নিন এবং হারানো মজুরি পরিশোধ করুন।"
NAME, ORGANISATION = "নাসিমা আক্তার", "ঢাকা গার্মেন্টস শ্রমিক ইউনিয়ন"
EMAIL, PHONE_NUMBER, REPRESENTS = "nasima@dgwu.example", "+880 1711 424242", "লাইন ৪-এর অপারেটররা"


async def phone(browser: Browser, site: Site, *, javascript: bool) -> BrowserContext:
    """A 360×740 phone whose browser asks for Bengali."""
    context = await browser.new_context(
        base_url=site.url, viewport=PHONE, locale="bn-BD", java_script_enabled=javascript
    )
    context.set_default_timeout(20_000)
    return context


@pytest.fixture
async def no_script(site: Site, browser: Browser) -> AsyncIterator[Page]:
    """A page on a phone with JavaScript off, in Bengali."""
    context = await phone(browser, site, javascript=False)
    try:
        yield await context.new_page()
    finally:
        await context.close()


@pytest.fixture
async def scripted(site: Site, browser: Browser) -> AsyncIterator[Page]:
    """A page on a phone with JavaScript on, in Bengali."""
    context = await phone(browser, site, javascript=True)
    try:
        yield await context.new_page()
    finally:
        await context.close()


def filed_by(site: Site, name: str) -> list[str]:
    """The references of the cases filed under this complainant name."""
    with Session(site.engine) as session:
        found = session.exec(select(Complainant.reference).where(col(Complainant.name) == name))
        return list(found.all())


async def fill(page: Page, *, name: str = NAME, without: str | None = None) -> None:
    """Every field of the Bengali complaint form (by its field, not its English label): the
    first company listed, two issues, urgent, confidential, files' visibility, language."""
    await page.goto("/complaint")
    await expect(page.locator("html")).to_have_attribute("lang", "bn")
    await page.locator("input[name=respondent]").first.check()
    await page.locator("#f-subject").fill(SUBJECT)
    await page.locator("#f-issues-1").check()
    await page.locator("#f-issues-3").check()
    await page.locator("#f-description").fill(DESCRIPTION)
    await page.locator("#f-remedy_sought").fill(REMEDY)
    await page.locator("#f-urgent").check()
    await page.locator("#f-name").fill("" if without == "name" else name)
    await page.locator("#f-organisation").fill(ORGANISATION)
    await page.locator("#f-represents").fill(REPRESENTS)
    await page.locator("#f-email").fill(EMAIL)
    await page.locator("#f-phone").fill(PHONE_NUMBER)
    await page.locator("#f-language").select_option("bn")
    await page.locator("#f-confidential").check()
    await page.locator("#f-evidence-visibility-2").check()


async def everything_typed(page: Page, *, name: str = NAME) -> None:
    """The form shows every value ``fill`` typed, ticked and chose."""
    assert await page.locator("input[name=respondent]").first.is_checked()
    await expect(page.locator("#f-subject")).to_have_value(SUBJECT)
    await expect(page.locator("#f-description")).to_have_value(DESCRIPTION)
    await expect(page.locator("#f-remedy_sought")).to_have_value(REMEDY)
    await expect(page.locator("#f-name")).to_have_value(name)
    await expect(page.locator("#f-organisation")).to_have_value(ORGANISATION)
    await expect(page.locator("#f-represents")).to_have_value(REPRESENTS)
    await expect(page.locator("#f-email")).to_have_value(EMAIL)
    await expect(page.locator("#f-phone")).to_have_value(PHONE_NUMBER)
    await expect(page.locator("#f-language")).to_have_value("bn")
    for ticked in ("#f-issues-1", "#f-issues-3", "#f-urgent", "#f-confidential"):
        await expect(page.locator(ticked)).to_be_checked()
    await expect(page.locator("#f-issues-2")).not_to_be_checked()
    await expect(page.locator("#f-evidence-visibility-2")).to_be_checked()


async def receipt(page: Page) -> tuple[str, str]:
    """The reference and the access code (as shown, in groups) on the receipt page."""
    await expect(page).to_have_url(re.compile(r"/complaint/filed$"))
    reference = (await page.locator("#reference").inner_text()).strip()
    code = (await page.locator("#access-code").inner_text()).strip()
    assert REFERENCE.match(reference), reference
    assert SPACED_CODE.match(code), code
    return reference, code


async def test_the_same_form_sent_twice_files_one_case_whose_code_typed_by_hand_opens_it(
    no_script: Page, site: Site, browser: Browser
) -> None:
    page = no_script
    name = "নাসিমা আক্তার (দুবার পাঠানো)"
    await fill(page, name=name)
    await expect(page.locator("[data-draft]")).to_be_hidden()  # nothing that needs a script
    token = await page.locator("input[name=form_token]").get_attribute("value")
    assert token
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r) if r.method == "POST" else None)
    await page.locator("form.complaint > button[type=submit]").click()
    reference, code = await receipt(page)
    await screenshot(page, "filing-network-receipt-360-bn")

    # Each group of the code on one line at 360 px (a group broken across lines would be
    # two lines tall), the groups the same height.
    heights = [
        box["height"]
        for box in [await g.bounding_box() for g in await page.locator(".code-group").all()]
        if box is not None
    ]
    assert len(heights) == 5 and max(heights) == min(heights) < 40, heights
    # The page says where the code is shown: here and in the receipt e-mail.
    await expect(page.locator(".receipt")).to_contain_text(
        BN(
            "It is shown only on this page and in the receipt e-mail, if you gave an e-mail "
            "address. We cannot show it again: we keep only a scrambled form of it. With the "
            "reference and the code you, and only you, can follow the case. Keep them away "
            "from the company."
        )
    )

    # The connection dropped, so the complainant goes back and sends the form again: the
    # browser shows the form as sent, with its token, and the same receipt comes back.
    await page.go_back()
    await expect(page).to_have_url(re.compile(r"/complaint$"))
    await expect(page.locator("input[name=form_token]")).to_have_value(token)
    await everything_typed(page, name=name)
    await page.locator("form.complaint > button[type=submit]").click()
    assert await receipt(page) == (reference, code)

    # And the very request sent once more, byte for byte (a double tap, a send the browser
    # retried), with the page's cookies: it answers with the receipt of the same case.
    first = sent[0]
    again = await page.request.post(
        "/complaint",
        data=first.post_data_buffer,
        headers={"content-type": await first.header_value("content-type") or ""},
        max_redirects=0,
    )
    assert again.status == 303 and again.headers["location"] == "/complaint/filed"
    await page.goto("/complaint/filed")
    assert await receipt(page) == (reference, code)
    assert filed_by(site, name) == [reference]

    # The code, read off the page and typed by hand with its spaces in another browser.
    context = await phone(browser, site, javascript=False)
    try:
        other = await context.new_page()
        await other.goto("/track")
        await other.locator("#f-reference").press_sequentially(reference)
        await other.locator("#f-code").press_sequentially(code)
        await other.locator("form.track button[type=submit]").click()
        await expect(other).to_have_url(re.compile(f"/track/{reference}$"))
        await expect(other.locator("h1")).to_contain_text(reference)
        await screenshot(other, "filing-network-tracked-360-bn")
    finally:
        await context.close()


async def test_a_send_that_fails_brings_the_form_back_with_everything_typed(
    no_script: Page, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = no_script
    name = "নাসিমা আক্তার (ব্যর্থ পাঠানো)"

    # A field left empty: the form comes back with all the rest as typed.
    await fill(page, name=name, without="name")
    await page.locator("form.complaint > button[type=submit]").click()
    await expect(page.locator("#error-summary")).to_be_visible()
    await expect(page.locator("#f-name")).to_have_attribute("aria-invalid", "true")
    await page.locator("#f-name").fill(name)
    await everything_typed(page, name=name)

    # The engine fails while filing: the form comes back, everything as typed.
    async def engine_down(**_: object) -> object:
        raise ConnectionError("Temporal is unreachable")

    monkeypatch.setattr(complaint, "submit_complaint", engine_down)
    token = await page.locator("input[name=form_token]").get_attribute("value")
    await page.locator("form.complaint > button[type=submit]").click()
    await expect(page.locator("#error-summary")).to_contain_text(
        BN(
            "The complaint could not be confirmed just now. Send the form again: if it was "
            "filed, you get its receipt, and it is not filed twice."
        )
    )
    await everything_typed(page, name=name)
    await expect(page.locator("input[name=form_token]")).to_have_value(token or "")
    assert filed_by(site, name) == []
    await screenshot(page, "filing-network-failed-send-360-bn")

    # Back up: sent again, it files, once.
    monkeypatch.undo()
    await page.locator("form.complaint > button[type=submit]").click()
    reference, _ = await receipt(page)
    assert filed_by(site, name) == [reference]


async def draft_kept(page: Page) -> object:
    return await page.evaluate(f"() => window.localStorage.getItem({DRAFT!r})")


async def test_with_javascript_a_draft_is_kept_on_the_device_only_when_asked(
    scripted: Page, site: Site
) -> None:
    page = scripted
    await page.goto("/complaint")
    keep = page.locator("#f-keep-draft")
    await expect(keep).to_be_visible()
    await expect(keep).not_to_be_checked()  # off unless asked: a phone may be shared

    # Not asked: a reload keeps nothing.
    await page.locator("#f-subject").fill(SUBJECT)
    await page.reload()
    await expect(page.locator("#f-subject")).to_have_value("")
    assert await draft_kept(page) is None

    # Asked: what is typed survives a reload.
    await keep.check()
    await page.locator("#f-subject").fill(SUBJECT)
    await page.locator("#f-description").fill(DESCRIPTION)
    await page.locator("#f-issues-2").check()
    await page.locator("#f-language").select_option("bn")
    await page.reload()
    await expect(page.locator("#f-keep-draft")).to_be_checked()
    await expect(page.locator("#f-subject")).to_have_value(SUBJECT)
    await expect(page.locator("#f-description")).to_have_value(DESCRIPTION)
    await expect(page.locator("#f-issues-2")).to_be_checked()
    await screenshot(page, "filing-network-draft-360-bn")

    # Forgotten: gone from the device, and a reload shows an empty form.
    await page.locator("[data-draft-forget]").click()
    await expect(page.locator("[data-draft-status]")).to_have_text(
        BN("The draft is forgotten on this device.")
    )
    assert await draft_kept(page) is None
    await page.reload()
    await expect(page.locator("#f-description")).to_have_value("")
    await expect(page.locator("#f-keep-draft")).not_to_be_checked()

    # Kept again, then filed: the draft is cleared, the next form is empty.
    name = "নাসিমা আক্তার (খসড়া)"
    await fill(page, name=name)
    await page.locator("#f-keep-draft").check()
    await page.locator("#f-subject").fill(SUBJECT)
    assert await draft_kept(page) is not None
    await page.locator("form.complaint > button[type=submit]").click()
    reference, _ = await receipt(page)
    assert await draft_kept(page) is None
    await page.goto("/complaint")
    await expect(page.locator("#f-description")).to_have_value("")
    assert filed_by(site, name) == [reference]


async def test_a_double_tap_files_once_and_a_new_complaint_after_it_gets_a_new_token(
    no_script: Page, site: Site
) -> None:
    page = no_script
    name = "নাসিমা আক্তার (দুই ট্যাপ)"
    await fill(page, name=name)
    form = page.locator("form.complaint")
    token = await form.locator("input[name=form_token]").get_attribute("value")
    assert token
    fields: dict[str, str | float | bool | bytes | FilePayload] = {
        "csrf_token": await form.locator("input[name=csrf_token]").get_attribute("value") or "",
        "form_token": token,
        "covenant": await form.locator("input[name=covenant]").get_attribute("value") or "",
        "respondent": await form.locator("input[name=respondent]").first.get_attribute("value")
        or "",
        "subject": SUBJECT,
        "issues": await page.locator("#f-issues-1").get_attribute("value") or "",
        "description": DESCRIPTION,
        "name": name,
        "language": "bn",
    }
    # Two sends of the same form at once: the second waits for the first and answers alike.
    both = await asyncio.gather(
        *(page.request.post("/complaint", multipart=fields, max_redirects=0) for _ in range(2))
    )
    assert [r.status for r in both] == [303, 303], [r.status for r in both]
    await page.goto("/complaint/filed")
    reference, code = await receipt(page)
    assert filed_by(site, name) == [reference]

    # A new complaint in the same browser session: the form still carries the token of the
    # one filed, so sent with other words it is not filed but told so, everything kept, with
    # a new token; sent again, it is filed as a new case.
    other = "নাসিমা আক্তার (নতুন অভিযোগ)"
    await fill(page, name=other)
    await expect(page.locator("input[name=form_token]")).to_have_value(token)
    await page.locator("form.complaint > button[type=submit]").click()
    await expect(page.locator("#error-summary")).to_contain_text(
        BN(
            "This form was sent before with other words, and that may have filed the "
            "complaint. If you got a reference for it, follow that case. Otherwise send the "
            "form again: it is filed as a new complaint."
        )
    )
    await everything_typed(page, name=other)
    renewed = await page.locator("input[name=form_token]").get_attribute("value")
    assert renewed and renewed != token
    assert filed_by(site, other) == []
    await page.locator("form.complaint > button[type=submit]").click()
    second, second_code = await receipt(page)
    assert second != reference and second_code != code
    assert filed_by(site, other) == [second] and filed_by(site, name) == [reference]
