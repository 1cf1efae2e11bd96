"""The signal form in Chromium: anyone reports abuse at a listed workplace, picked by a
search or named by its id in the link; with JavaScript off at 360 px, in Bengali; refusals
say precisely what is wrong and file nothing; a confidential filer stays unknown to the
companies."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from playwright.async_api import Browser, Page, expect
from sqlmodel import Session

from api.pages.i18n import DEFAULT, translations
from store import case_content, cases
from tests.pages.conftest import Site, axe_check, login, screenshot
from tests.pages.portal import Portal

REFERENCE = re.compile(r"^GT-\d{4}-[0-9A-Z]{5}$")
SECRETS = ("Farhana Yasmin Chowdhury", "Ashulia Garment Sramik Forum", "farhana@agsf.example")
PHONE = "+880 1711 424242"
NOORDERLICHT = {"company@redress.localhost", "csr@noorderlicht-fashion.example"}
DELTA = {"company2@redress.localhost", "compliance@delta-denim.example"}


def count_cases(site: Site) -> int:
    """How many cases the read model holds."""
    with Session(site.engine) as session:
        return cases.list_cases(session=session, page_size=1)[1]


async def fill_report(page: Page, *, confidential: bool = False) -> None:
    """Fill in everything but the workplace, with the form's labels in English."""
    await page.get_by_label("Short title").fill("Fire exits locked during the night shift")
    await page.get_by_label(re.compile("^Health and safety")).check()
    await page.get_by_label("What happened?").fill(
        "The two fire exits of the sewing floor are locked with chains during the night shift."
    )
    await page.get_by_label(re.compile("^What should the companies do")).fill(
        "Unlock the exits now and train the floor managers."
    )
    await page.get_by_label(re.compile("^Your name")).fill(SECRETS[0])
    await page.get_by_label(re.compile("^Your organisation")).fill(SECRETS[1])
    await page.get_by_label(re.compile("^E-mail address")).fill(SECRETS[2])
    await page.get_by_label(re.compile("^Phone number")).fill(PHONE)
    if confidential:
        await page.get_by_label("Keep my name secret from the company").check()


async def receipt(page: Page) -> tuple[str, str]:
    """The reference and access code on the confirmation page."""
    await expect(page).to_have_url(re.compile(r"/signal/filed$"))
    await expect(page.get_by_role("heading", name="Your report has been received")).to_be_visible()
    reference = await page.locator("#reference").inner_text()
    code = await page.locator("#access-code").inner_text()
    assert REFERENCE.match(reference), reference
    assert re.fullmatch(r"\d{4}( \d{4}){4}", code), code  # five groups of four digits
    return reference, code


async def mails_about(site: Site, reference: str, to: set[str]) -> list[str]:
    """The texts of the mails about the case sent to these addresses (waiting, bounded, for
    the worker to send at least one)."""
    for _ in range(100):
        found = [
            m.subject + m.text + m.html
            for m in site.mailer.sent
            if m.to in to and reference in m.subject + m.text
        ]
        if found:
            return found
        await asyncio.sleep(0.2)
    raise AssertionError(f"no mail about {reference} to {sorted(to)}")


async def test_a_confidential_report_reaches_both_buyers_who_never_learn_who_sent_it(
    page: Page, site: Site, portal: Portal
) -> None:
    before = count_cases(site)
    await page.goto("/")
    await page.get_by_role("link", name="Report abuse at a workplace").click()
    await expect(page).to_have_url(re.compile(r"/signal$"))
    await expect(page.get_by_text("Search first: the workplaces found")).to_be_visible()
    await page.get_by_label("Search for the factory, farm, mine or quarry, or the town").fill(
        "Gazipur"
    )
    await page.get_by_role("button", name="Search").click()
    await expect(page).to_have_url(re.compile(r"/signal\?covenant=garments-textile&q=Gazipur"))
    rupali = page.get_by_label(re.compile("^Rupali Knit Composite"))
    buyers = page.locator("#workplace .hint", has_text="buyers: Delta Denim N.V., Noorderlicht")
    await expect(buyers).to_be_visible()
    await rupali.check()
    await fill_report(page, confidential=True)
    await screenshot(page, "signal-form")
    await axe_check(page)
    await page.get_by_role("button", name="Send the report").click()

    reference, code = await receipt(page)
    await expect(page.locator("#next-step")).to_contain_text(
        "The secretariat passes the report on to the companies"
    )
    await screenshot(page, "signal-filed")
    await axe_check(page)
    assert count_cases(site) == before + 1
    with Session(site.engine) as session:
        state = case_content.load_state(session=session, reference=reference)
    assert state is not None
    assert (state.kind, state.stage, state.confidential) == ("signal", "signal", True)
    assert {r.organisation_id for r in state.respondents} == {"noorderlicht-fashion", "delta-denim"}
    assert {r.production_location_id for r in state.respondents} == {"demo-bd-rupali"}

    # The filer tracks it: the first step is passing it on, not registering a complaint.
    await page.get_by_role("link", name="Follow your case").click()
    await expect(page.locator("#stage")).to_have_text("Signal")
    await expect(
        page.get_by_text("The secretariat passes the report on to the companies").first
    ).to_be_visible()

    # Passed on to the companies: each sees the report, and a code name, never the filer.
    forwarded = await portal.post_action("secretariat", reference, action="forward_signal")
    assert forwarded.status_code == 303, forwarded.text
    for username, addresses in (("company", NOORDERLICHT), ("company2", DELTA)):
        client = await portal.as_user(username)
        seen = await client.get(f"/portal/cases/{reference}")
        assert seen.status_code == 200
        assert "Fire exits locked during the night shift" in seen.text
        token = await portal.token(username)
        answer = await client.get(
            f"/api/v1/cases/{reference}", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200
        texts = [seen.text, answer.text, *await mails_about(site, reference, addresses)]
        for secret in (*SECRETS, PHONE):
            assert not any(secret in text for text in texts), (username, secret)
    staff = await portal.as_user("secretariat")
    assert SECRETS[0] in (await staff.get(f"/portal/cases/{reference}")).text
    assert code  # shown once, on the confirmation


async def test_a_report_from_a_link_naming_the_workplace_without_javascript_at_360_pixels(
    site: Site, browser: Browser
) -> None:
    before = count_cases(site)
    context = await browser.new_context(
        base_url=site.url, java_script_enabled=False, viewport={"width": 360, "height": 780}
    )
    try:
        page = await context.new_page()
        await page.goto("/signal?location=demo-bd-meghna")
        meghna = page.get_by_label(re.compile("^Meghna Apparels"))
        await expect(meghna).to_be_checked()
        await fill_report(page)
        await screenshot(page, "signal-form-360-no-js")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the form scrolls sideways: {width}px"
        await page.get_by_role("button", name="Send the report").click()
        reference, _ = await receipt(page)
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the confirmation scrolls sideways: {width}px"
        await page.get_by_role("link", name="Follow your case").click()
        await expect(page.locator("#stage")).to_have_text("Signal")
        await screenshot(page, "signal-tracked-360-no-js")
    finally:
        await context.close()
    assert count_cases(site) == before + 1
    with Session(site.engine) as session:
        state = case_content.load_state(session=session, reference=reference)
    assert state is not None and not state.confidential
    assert [r.organisation_id for r in state.respondents] == ["noorderlicht-fashion"]


async def test_refusals_name_what_is_wrong_keep_what_was_written_and_file_nothing(
    page: Page, site: Site
) -> None:
    before = count_cases(site)
    # An id in the link that no company of the covenant lists.
    await page.goto("/signal?location=demo-nowhere")
    error = page.locator("#location-error")
    await expect(error).to_contain_text(
        "No workplace with the id “demo-nowhere” is listed under this covenant."
    )
    await expect(page.locator("#error-summary")).to_contain_text("Workplace: No workplace")

    # Nothing chosen, required fields empty: each says so next to it, the rest is kept.
    await page.goto("/signal")
    await page.get_by_label(re.compile("^Your organisation")).fill(SECRETS[1])
    await page.get_by_label(re.compile("^Phone number")).fill(PHONE)
    await page.get_by_role("button", name="Send the report").click()
    await expect(page.locator("#location-error")).to_have_text(
        "Problem: Search for the workplace, then choose it from the list."
    )
    for name, message in (
        ("subject", "Please fill this in."),
        ("issues", "Please choose at least one."),
        ("description", "Please fill this in."),
        ("name", "Please fill this in."),
    ):
        await expect(page.locator(f"#{name}-error")).to_have_text(f"Problem: {message}")
    await expect(page.get_by_label(re.compile("^Your organisation"))).to_have_value(SECRETS[1])
    await expect(page.get_by_label(re.compile("^Phone number"))).to_have_value(PHONE)
    await screenshot(page, "signal-form-errors")
    await axe_check(page)

    # A workplace the covenant does not list (a quarry of the natural-stone covenant), posted
    # as if picked: the service refuses it, and the form names it.
    await page.goto("/signal?location=demo-bd-rupali")
    await fill_report(page)
    await page.locator("input[name=location]:checked").evaluate(
        "e => { e.value = 'demo-in-karimnagar' }"
    )
    await page.get_by_role("button", name="Send the report").click()
    await expect(page.locator("#location-error")).to_contain_text(
        "No workplace with the id “demo-in-karimnagar” is listed under this covenant."
    )
    await expect(page.get_by_label("Short title")).to_have_value(
        "Fire exits locked during the night shift"
    )
    assert count_cases(site) == before


async def test_a_company_account_cannot_file_a_report(page: Page, site: Site) -> None:
    before = count_cases(site)
    await login(page, "company")
    await page.goto("/signal?location=demo-bd-rupali")
    await expect(
        page.get_by_text("You are signed in with an account that cannot file reports. Sign out")
    ).to_be_visible()
    await fill_report(page)
    await page.get_by_role("button", name="Send the report").click()
    await expect(page.locator("#error-summary")).to_contain_text(
        "You are signed in with an account that cannot file reports. Nothing was filed."
    )
    assert count_cases(site) == before


class Missing:
    """A language's translations that note every message id they lack."""

    def __init__(self, language: str, misses: set[tuple[str, str]]) -> None:
        self.language = language
        self.inner = translations(language)
        self.misses = misses

    def _check(self, key: object, message: str) -> None:
        if self.language != DEFAULT and key not in getattr(self.inner, "_catalog", {}):
            self.misses.add((self.language, message))

    def gettext(self, message: str) -> str:
        """Translate, noting a miss."""
        self._check(message, message)
        return self.inner.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a plural, noting a miss."""
        self._check((singular, 0), singular)
        return self.inner.ngettext(singular, plural, n)


async def test_the_form_in_bengali_files_a_report_and_every_text_is_translated(
    page: Page, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    misses: set[tuple[str, str]] = set()
    monkeypatch.setattr(
        "api.pages.templating.translations", lambda language: Missing(language, misses)
    )
    before = count_cases(site)
    await page.goto("/signal?lang=bn&q=Gazipur")
    await expect(page.locator("html")).to_have_attribute("lang", "bn")
    await expect(page.locator("h1")).to_have_text("কর্মস্থলে নির্যাতন বা অনিয়মের রিপোর্ট করুন")
    await page.locator("form.signal > button[type=submit]").click()  # every error it shows
    await expect(page.locator("#location-error")).to_contain_text(
        "কর্মস্থলটি খুঁজুন, তারপর তালিকা থেকে বেছে নিন।"
    )
    await page.goto("/signal?location=demo-nowhere")
    await expect(page.locator("#location-error")).to_contain_text("“demo-nowhere” আইডির")
    await page.goto("/signal?q=Gazipur")
    await page.locator("input[name=location][value=demo-bd-rupali]").check()
    await page.locator("#f-subject").fill("রাতের শিফটে অগ্নি নির্গমন পথ তালাবদ্ধ")
    await page.locator("input[name=issues][value=health_and_safety]").check()
    await page.locator("#f-description").fill(
        "রাতের শিফটে সেলাই ফ্লোরের দুটি জরুরি দরজা শিকল দিয়ে বন্ধ রাখা হয়।"
    )
    await page.locator("#f-name").fill("রহিমা খাতুন")
    await page.locator("#f-language").select_option("bn")
    await screenshot(page, "signal-form-bn")
    await axe_check(page)
    await page.locator("form.signal > button[type=submit]").click()
    await expect(page).to_have_url(re.compile(r"/signal/filed$"))
    await expect(page.locator("h1")).to_have_text("আপনার রিপোর্ট পাওয়া গেছে")
    await screenshot(page, "signal-filed-bn")
    assert count_cases(site) == before + 1
    reference = await page.locator("#reference").inner_text()
    with Session(site.engine) as session:
        state = case_content.load_state(session=session, reference=reference)
    assert state is not None and state.kind == "signal"
    assert not misses, sorted(misses)


async def test_a_report_posted_without_the_forms_csrf_token_is_refused(site: Site) -> None:
    before = count_cases(site)
    async with httpx.AsyncClient(base_url=site.url) as http:
        answer = await http.post(
            "/signal", data={"covenant": "garments-textile", "location": "demo-bd-rupali"}
        )
    assert answer.status_code == 403
    assert count_cases(site) == before
