"""The dispute form of the portal in Chromium: a covenant party brings a dispute against
another party (also without JavaScript, at 360 px, and in Dutch); anonymous visitors are sent
to sign in, and users of organisations that are no party are refused precisely; nothing is
filed then."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from playwright.async_api import Browser, Page, expect
from sqlmodel import Session

from core.security import hash_password
from store import case_content, cases
from store.seed import DEMO_PASSWORD
from store.tables import Organisation, User
from tests.pages.conftest import Site, axe_check, login, screenshot
from tests.pages.portal import CSRF, Portal

LONELY = "lonely"  # a company user whose organisation is party to no covenant


def count_cases(site: Site) -> int:
    """How many cases the read model holds."""
    with Session(site.engine) as session:
        return cases.list_cases(session=session, page_size=1)[1]


def add_lonely_company(site: Site) -> None:
    """A company and its user, signed up but party to no covenant (once per site)."""
    with Session(site.engine) as session:
        if session.get(Organisation, "lonely-looms") is None:
            session.add(Organisation(id="lonely-looms", name="Lonely Looms B.V.", kind="company"))
            session.flush()
            session.add(
                User(
                    username=LONELY,
                    display_name="Lotte Alleman (Lonely Looms)",
                    email="lonely@redress.localhost",
                    role="company",
                    organisation_id="lonely-looms",
                    password_hash=hash_password(DEMO_PASSWORD),
                )
            )
            session.commit()


async def fill_dispute(page: Page, against: str) -> None:
    """Choose the party and describe the dispute, with the form's English labels."""
    await page.get_by_label("Against which party?").select_option(label=against)
    await page.get_by_label("Short title").fill("Supplier list not published")
    await page.get_by_label("What is the dispute about?").fill(
        "The covenant asks every company to publish its supplier list; Delta Denim has not."
    )
    await page.get_by_label(re.compile("^What should the other party do")).fill(
        "Publish its supplier list within three months."
    )


async def test_a_party_brings_a_dispute_from_its_portal(page: Page, site: Site) -> None:
    before = count_cases(site)
    await login(page, "company")
    await page.goto("/portal")
    await page.get_by_role("link", name="Bring a dispute against another party").click()
    await expect(page).to_have_url(re.compile(r"/portal/dispute$"))
    await expect(
        page.get_by_text("You bring the dispute for Noorderlicht Fashion B.V.")
    ).to_be_visible()
    # Only the other parties of its own covenant, not itself nor another covenant's.
    options = await page.locator("#f-respondent option").all_inner_texts()
    assert "Delta Denim N.V." in options and "Dhaka Garment Workers Union" in options
    assert "Noorderlicht Fashion B.V." not in options
    assert "Stonebridge Natural Stone B.V." not in options
    await fill_dispute(page, "Delta Denim N.V.")
    await screenshot(page, "dispute-form")
    await axe_check(page)
    await page.get_by_role("button", name="File the dispute").click()

    await expect(page).to_have_url(re.compile(r"/portal/dispute/filed/GT-\d{4}-[0-9A-Z]{5}$"))
    await expect(page.get_by_role("heading", name="Your dispute has been filed")).to_be_visible()
    await expect(page.locator("#stage")).to_have_text("Direct dialogue")
    await screenshot(page, "dispute-filed")
    await axe_check(page)
    reference = await page.locator("#reference").inner_text()
    assert count_cases(site) == before + 1
    with Session(site.engine) as session:
        state = case_content.load_state(session=session, reference=reference)
    assert state is not None
    assert (state.kind, state.stage) == ("dispute", "dialogue")
    assert state.complainant_organisation_id == "noorderlicht-fashion"
    assert [r.organisation_id for r in state.respondents] == ["delta-denim"]
    await page.get_by_role("link", name="Open the case").click()
    await expect(page).to_have_url(re.compile(f"/portal/cases/{reference}$"))
    await expect(page.get_by_text("Supplier list not published").first).to_be_visible()


async def test_the_form_works_without_javascript_at_360_pixels_and_in_dutch(
    site: Site, browser: Browser
) -> None:
    before = count_cases(site)
    context = await browser.new_context(
        base_url=site.url, java_script_enabled=False, viewport={"width": 360, "height": 780}
    )
    try:
        page = await context.new_page()
        await login(page, "company2")
        await page.goto("/portal/dispute?lang=nl")
        await expect(page.locator("h1")).to_have_text(
            "Een geschil voorleggen tegen een andere partij"
        )
        await page.locator("#f-respondent").select_option(label="Noorderlicht Fashion B.V.")
        await page.locator("#f-subject").fill("Gezamenlijke inkooppraktijk niet nagekomen")
        await page.locator("#f-description").fill(
            "De afspraak over verantwoorde inkoopprijzen wordt niet nagekomen."
        )
        await screenshot(page, "dispute-form-360-nl")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the form scrolls sideways: {width}px"
        await page.locator("form.dispute button[type=submit]").click()
        await expect(page.locator("h1")).to_have_text("Uw geschil is ingediend")
        await expect(page.locator("#stage")).to_have_text("Directe dialoog")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the confirmation scrolls sideways: {width}px"
    finally:
        await context.close()
    assert count_cases(site) == before + 1


async def test_missing_and_wrong_fields_are_named_and_nothing_is_filed(
    page: Page, site: Site
) -> None:
    before = count_cases(site)
    await login(page, "company")
    await page.goto("/portal/dispute")
    await page.get_by_label(re.compile("^What should the other party do")).fill("Kept text.")
    await page.get_by_role("button", name="File the dispute").click()
    for name, message in (
        ("respondent", "Choose the party from the list."),
        ("subject", "Please fill this in."),
        ("description", "Please fill this in."),
    ):
        await expect(page.locator(f"#{name}-error")).to_have_text(f"Problem: {message}")
    await expect(page.get_by_label(re.compile("^What should the other party do"))).to_have_value(
        "Kept text."
    )
    await axe_check(page)

    # A party that is not one (a forged option), and the filer's own organisation.
    for value, message in (
        ("garments-textile|nobody-at-all", "This organisation is not a party to that covenant."),
        ("garments-textile|noorderlicht-fashion", "cannot bring a dispute against itself"),
    ):
        await fill_dispute(page, "Delta Denim N.V.")
        await page.locator("#f-respondent option:checked").evaluate(
            f"e => {{ e.value = '{value}' }}"
        )
        await page.get_by_role("button", name="File the dispute").click()
        await expect(page.locator("#respondent-error")).to_contain_text(message)
        await expect(page.get_by_label("Short title")).to_have_value("Supplier list not published")
    assert count_cases(site) == before


async def test_anonymous_visitors_are_sent_to_sign_in_and_file_nothing(
    page: Page, site: Site
) -> None:
    before = count_cases(site)
    await page.goto("/portal/dispute")
    assert urlparse(page.url).path == "/login"
    assert "next=%2Fportal%2Fdispute" in page.url
    # A post with a valid anonymous CSRF token is sent to sign in too.
    await page.goto("/signal")
    token = CSRF.findall(await page.content())[0]
    answer = await page.request.post(
        "/portal/dispute",
        form={"csrf_token": token, "respondent": "garments-textile|delta-denim",
              "subject": "Anonymous", "description": "An anonymous dispute, refused."},
        max_redirects=0,
    )  # fmt: skip
    assert answer.status == 303
    assert answer.headers["location"].startswith("/login?next=")
    assert count_cases(site) == before


async def test_users_of_an_organisation_that_is_no_party_are_refused(
    page: Page, site: Site, portal: Portal
) -> None:
    add_lonely_company(site)
    before = count_cases(site)
    await login(page, LONELY)
    await page.goto("/portal")
    await expect(
        page.get_by_role("link", name="Bring a dispute against another party")
    ).to_have_count(0)
    answer = await page.goto("/portal/dispute")
    assert answer is not None and answer.status == 403
    await expect(page.locator("#not-party")).to_contain_text(
        "Your organisation is not a party to any covenant."
    )
    await expect(page.locator("form.dispute")).to_have_count(0)
    await screenshot(page, "dispute-not-a-party")
    await axe_check(page)

    # Posting anyway: refused by the filing service, nothing filed.
    client = await portal.as_user(LONELY)
    form = await client.get("/portal/dispute")
    posted = await client.post(
        "/portal/dispute",
        data={"csrf_token": CSRF.findall(form.text)[0],
              "respondent": "garments-textile|delta-denim", "subject": "Not a party",
              "description": "A dispute from an organisation that is no party."},
    )  # fmt: skip
    assert posted.status_code == 403
    assert "Your organisation is not a party to that covenant" in posted.text
    assert "Nothing was filed." in posted.text

    # A party to another covenant only: offered its own covenant's party, refused this one.
    stone = await portal.as_user("stone")
    form = await stone.get("/portal/dispute")
    assert "Stichting Eerlijke Steen" in form.text and "Delta Denim" not in form.text
    posted = await stone.post(
        "/portal/dispute",
        data={"csrf_token": CSRF.findall(form.text)[0],
              "respondent": "garments-textile|delta-denim", "subject": "Other covenant",
              "description": "A dispute under a covenant Stonebridge is no party to."},
    )  # fmt: skip
    assert posted.status_code == 403
    assert "Your organisation is not a party to that covenant" in posted.text
    assert count_cases(site) == before
