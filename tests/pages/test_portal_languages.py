"""The portal in Bengali, Turkish and Chinese: a union's case list and case page in its
language, chosen on the page (?lang=, then the cookie) or by the browser (Accept-Language)."""

from __future__ import annotations

import html
import re

import pytest
from babel.messages.pofile import read_po
from playwright.async_api import Browser

from api.pages.i18n import LOCALE_DIR
from tests.pages.conftest import Site, axe_check, login, screenshot
from tests.pages.portal import Portal

# What a union reads on its case list and on a case it filed, in each language.
EXPECTED = {
    "bn": {
        "list": ("আপনার কেসসমূহ", "প্রাথমিক যাচাই", "সংগঠন যেসব অভিযোগ দায়ের করেছে"),
        "case": ("অভিযোগ তুলে নিন", "ধাপ", "নথিপত্র"),
    },
    "tr": {
        "list": ("Davalarınız", "Ön inceleme", "Kuruluşunuzun yaptığı şikâyetler"),
        "case": ("Şikâyeti geri çek", "Aşama", "Belgeler"),
    },
    "zh": {
        "list": ("您的案件", "初步审查", "贵组织提交的投诉"),
        "case": ("撤回投诉", "阶段", "文件"),
    },
}
TEXT = re.compile(r">([^<>]+)<")


def english_left(page: str, language: str) -> list[str]:
    """Texts of the page that are still the English of a message its portal catalog
    translates: a string the page forgot to pass through the catalog, or a catalog not
    loaded. (A message no catalog has yet is the catalog test's business.)"""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "portal.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        m.id for m in catalog if isinstance(m.id, str) and m.id and m.string and m.string != m.id
    }
    body = page.split("<main", 1)[-1]
    texts = {html.unescape(t).strip() for t in TEXT.findall(body)}
    return sorted(texts & translated)


@pytest.mark.parametrize("language", sorted(EXPECTED))
async def test_a_union_reads_its_cases_in_its_language(portal: Portal, language: str) -> None:
    reference = await portal.file(as_user="union")
    union = await portal.as_user("union")
    union.cookies.delete("lang")
    listed = await union.get("/portal", params={"lang": language})
    assert listed.status_code == 200
    assert f'<html lang="{language}">' in listed.text
    assert reference in listed.text
    for words in EXPECTED[language]["list"]:
        assert words in listed.text, words
    assert english_left(listed.text, language) == []

    # The choice is kept in the cookie: the case page needs no ?lang=.
    case = await union.get(f"/portal/cases/{reference}")
    assert case.status_code == 200 and f'<html lang="{language}">' in case.text
    assert 'value="withdraw"' in case.text
    for words in EXPECTED[language]["case"]:
        assert words in case.text, words
    assert english_left(case.text, language) == []
    union.cookies.delete("lang")


async def test_a_bengali_browser_shows_the_portal_in_bengali(
    portal: Portal, site: Site, browser: Browser
) -> None:
    reference = await portal.file(as_user="union")
    context = await browser.new_context(
        base_url=site.url, locale="bn-BD", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20_000)
    page = await context.new_page()
    try:
        await login(page, "union", language=None)
        await page.goto("/portal")
        assert await page.locator("html").get_attribute("lang") == "bn"
        assert await page.locator("main h1").inner_text() == "আপনার কেসসমূহ"
        row = page.locator("tr", has=page.get_by_role("link", name=reference))
        assert "প্রাথমিক যাচাই" in await row.inner_text()
        assert english_left(await page.content(), "bn") == []
        await axe_check(page)
        await screenshot(page, "portal-cases-union-bn")

        await page.get_by_role("link", name=reference).click()
        await page.wait_for_load_state()
        assert page.url.endswith(f"/portal/cases/{reference}")
        withdraw = page.locator("summary", has_text="অভিযোগ তুলে নিন")
        assert await withdraw.count() == 1
        await withdraw.click()
        assert await page.locator("details[open] button[type=submit]").count() >= 1
        assert english_left(await page.content(), "bn") == []
        await axe_check(page)
        await screenshot(page, "portal-case-union-bn")
    finally:
        await context.close()


@pytest.mark.parametrize(("chosen", "expected"), [(None, "bn"), ("en", "en")])
async def test_signing_in_brings_the_account_language_unless_the_browser_chose_one(
    site: Site, browser: Browser, chosen: str | None, expected: str
) -> None:
    # An English browser; the union's account says Bengali.
    context = await browser.new_context(base_url=site.url, locale="en-GB")
    page = await context.new_page()
    try:
        await login(page, "union", language=chosen)
        await page.goto("/portal")
        assert await page.locator("html").get_attribute("lang") == expected
    finally:
        await context.close()
