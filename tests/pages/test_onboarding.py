"""Into service through the pages alone, in real Chromium: from an empty migrated database
(no demo data), two-factor sign-in required, and a real SMTP sink.

The operator creates the first admin (``redress create-admin``). The admin sets a password
from the printed link, sets up two-factor sign-in, adds a company and a union and makes
them covenant parties, and invites a secretary, a chair, the company's user and the
union's user. Each takes the link from the e-mail in the sink and sets a password; staff
set up two-factor sign-in. The union files a complaint, the company sees nothing until
it is registered and its contact gets the notice after admissibility, and the case runs
to closure with every party signed in as itself. Screenshots: onboarding-XX-*.png.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from playwright.async_api import Browser, Page, expect
from sqlmodel import Session

from core.settings import Settings
from devserver.mailsink import MailSink
from notifications.mailbox import body_parts
from notifications.mailer import SmtpMailer
from redress.app import create_app
from redress.people import create_admin
from store.db import make_engine
from tests.pages.conftest import axe_check, screenshot, served, site_url
from tests.stack import running_backend

PASSWORD = "quiet-harbour-lantern-7"
LINK = re.compile(r"https?://\S+/account/password\?token=[A-Za-z0-9_\-]+")
CONTACT = "duediligence@waddenzee.example"


@dataclass
class Fresh:
    """The site on an empty database, its mail sink, and the people brought in."""

    url: str
    settings: Settings
    sink: MailSink
    browser: Browser
    pages: dict[str, Page] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)  # two-factor keys, by user
    shots: int = 0

    async def shot(self, page: Page, name: str) -> None:
        self.shots += 1
        await screenshot(page, f"onboarding-{self.shots:02d}-{name}")

    def mail_to(self, address: str, subject: str) -> tuple[str, str]:
        """The newest mail to the address whose subject holds the words: (subject, text)."""
        for message_id in self.sink.store.ids():
            message = self.sink.store.load(message_id)
            if message is None or address not in str(message["To"]):
                continue
            if subject in str(message["Subject"]):
                text, _ = body_parts(message)
                return str(message["Subject"]), text or ""
        raise AssertionError(f"no mail to {address} about {subject!r}")

    async def new_page(self, name: str) -> Page:
        context = await self.browser.new_context(
            base_url=self.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(30_000)
        self.pages[name] = await context.new_page()
        return self.pages[name]

    async def accept(self, username: str, link: str, staff: bool) -> Page:
        """Open the e-mailed link in a new browser, set the password, sign in; staff set up
        two-factor sign-in with the key the page shows."""
        page = await self.new_page(username)
        await page.goto(link)
        await page.locator("#f-password").fill(PASSWORD)
        await page.locator("#f-confirm").fill(PASSWORD)
        await page.get_by_role("button", name="Set the password").click()
        await expect(page.locator("p.notice")).to_contain_text("Your password is set")
        await self.sign_in(page, username)
        if staff:
            await expect(page.locator("h1")).to_have_text("Set up two-factor sign-in")
            await expect(page.locator(".qr svg")).to_be_visible()
            key = "".join((await page.locator("code.secret").inner_text()).split())
            self.secrets[username] = key
            await page.locator("#f-code").fill(pyotp.TOTP(key).now())
            await page.get_by_role("button", name="Confirm").click()
            await expect(page.locator("h1")).to_have_text("Two-factor sign-in is set up")
        return page

    async def sign_in(self, page: Page, username: str) -> None:
        await page.goto("/login")
        await page.locator("input[name=username]").fill(username)
        await page.locator("input[name=password]").fill(PASSWORD)
        if username in self.secrets:
            await page.locator("input[name=totp]").fill(pyotp.TOTP(self.secrets[username]).now())
        await page.locator("form.login button[type=submit]").click()
        await page.wait_for_load_state()
        assert "/login" not in page.url, f"{username} could not sign in"

    async def act(self, username: str, reference: str, action: str, **fields: str) -> Page:
        """Fill and send an action's form on the case page; it must succeed."""
        page = self.pages[username]
        await page.goto(f"/portal/cases/{reference}")
        form = page.locator(f"#form-{action}")
        details = page.locator("details.action").filter(has=form)
        if await details.count() and await details.get_attribute("open") is None:
            await details.locator("summary").click()
        for name, value in fields.items():
            found = form.locator(f"[name='{name}']")
            if await found.evaluate("e => e.tagName") == "SELECT":
                await found.select_option(value)
            else:
                await found.fill(value)
        await form.locator("button[type=submit]").click()
        await page.wait_for_load_state()
        await expect(page.locator("p.notice")).to_contain_text(re.compile("^Done: "))
        await self.shot(page, action)
        return page


@pytest.fixture
async def fresh(tmp_path: Path, browser: Browser) -> AsyncIterator[Fresh]:
    """A migrated database with nothing in it but the covenants, served over real parts."""
    sock, url = site_url()
    sink = MailSink(data_dir=tmp_path, smtp_port=0, web_port=None)
    await sink.start()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'redress.db'}",
        data_dir=tmp_path,
        task_queue="onboarding-tests",
        public_url=url,
        secret_key="onboarding-tests-secret-key-0123",
        smtp_port=sink.smtp_port,
        require_mfa=True,
        smtp_starttls=False,  # the sink speaks plain SMTP
        complaint_rate_per_hour=1000,
    )
    mailer = SmtpMailer.from_settings(settings)
    try:
        async with running_backend(settings, demo=False, mailer=mailer) as backend:
            app = create_app(settings, engine=backend.engine, client=backend.client, mailer=mailer)
            async with served(app, sock):
                found = Fresh(url, settings, sink, browser)
                try:
                    yield found
                finally:
                    for page in found.pages.values():
                        await page.context.close()
    finally:
        await sink.stop()


async def add_organisation(
    admin: Page, fresh: Fresh, name: str, kind: str, country: str, contacts: str
) -> str:
    """Add an organisation through its page and make it a party to the garments covenant."""
    await admin.goto("/portal/organisations")
    await admin.locator("#f-name").fill(name)
    await admin.locator("#f-kind").select_option(kind)
    await admin.locator("#f-country").fill(country)
    await admin.locator("#f-contacts").fill(contacts)
    await admin.get_by_role("button", name="Add", exact=True).click()
    await expect(admin.locator("h1")).to_contain_text(name)
    await admin.locator("#f-covenant").select_option("garments-textile")
    await admin.get_by_role("button", name="Add as a party").click()
    await expect(admin.locator("#covenants-title + ul")).to_contain_text("Garments")
    await fresh.shot(admin, f"organisation-{kind}")
    return admin.url.split("/portal/organisations/")[1].split("?")[0]


async def invite(
    admin: Page, fresh: Fresh, username: str, role: str, organisation: str = ""
) -> str:
    """Invite a person through the people page; the link from the invitation e-mail."""
    await admin.goto("/portal/users")
    await admin.locator("#f-username").fill(username)
    await admin.locator("#f-name").fill(username.title())
    await admin.locator("#f-email").fill(f"{username}@people.example")
    await admin.locator("#f-role").select_option(role)
    if organisation:
        await admin.locator("#f-organisation").select_option(organisation)
    else:
        await admin.locator("input[name=covenants][value='garments-textile']").check()
    await admin.get_by_role("button", name="Invite", exact=True).click()
    await expect(admin.locator("p.notice")).to_have_text("The invitation e-mail was sent.")
    subject, text = fresh.mail_to(f"{username}@people.example", "Redress")
    assert username in text and "choose a password" in subject.lower()
    found = LINK.search(text)
    assert found is not None, text
    return found.group(0)


async def test_an_empty_database_is_brought_into_service_through_the_pages(fresh: Fresh) -> None:
    engine = make_engine(fresh.settings.database_url)
    with Session(engine) as session:  # what `redress create-admin` does
        link = create_admin(
            session, fresh.settings, email="admin@mechanism.example", username="admin", name="Ada"
        )
    engine.dispose()

    admin = await fresh.new_page("admin")
    await admin.goto(link)
    await axe_check(admin)
    await admin.locator("#f-password").fill("password1234")
    await admin.locator("#f-confirm").fill("password1234")
    await admin.get_by_role("button", name="Set the password").click()
    await expect(admin.locator("#error-summary")).to_contain_text("too easy to guess")
    await fresh.shot(admin, "weak-password")
    await fresh.pages.pop("admin").context.close()
    admin = await fresh.accept("admin", link, staff=True)
    await fresh.shot(admin, "admin-two-factor")

    company = await add_organisation(
        admin, fresh, "Waddenzee Apparel B.V.", "company", "NL", f"{CONTACT} nl"
    )
    union = await add_organisation(
        admin, fresh, "Rupali Workers Union", "union", "BD", "office@rupali-union.example bn"
    )
    links = {
        "sanne": await invite(admin, fresh, "sanne", "secretariat"),
        "willem": await invite(admin, fresh, "willem", "chair"),
        "ilse": await invite(admin, fresh, "ilse", "company", company),
        "rubel": await invite(admin, fresh, "rubel", "union", union),
    }
    await admin.goto("/portal/users")
    await axe_check(admin)
    await fresh.shot(admin, "people")
    await admin.goto("/portal/changes")
    for action in ("admin_link_issued", "covenant_party_added", "user_created", "invitation_sent"):
        await expect(admin.locator("tbody")).to_contain_text(action)
    await fresh.shot(admin, "changes")
    for username, invitation in links.items():
        await fresh.accept(username, invitation, staff=username in ("sanne", "willem"))
    late = await fresh.new_page("late")  # an invitation link works once
    await late.goto(links["ilse"])
    await late.locator("#f-password").fill(PASSWORD + "-again")
    await late.locator("#f-confirm").fill(PASSWORD + "-again")
    await late.get_by_role("button", name="Set the password").click()
    await expect(late.locator("#error-summary")).to_contain_text("unknown, was used already")

    rubel = fresh.pages["rubel"]
    await rubel.goto("/complaint")
    await rubel.locator(f"input[name=respondent][value='{company}']").check()
    await rubel.locator("#f-subject").fill("Overtime unpaid at the Rupali line")
    await rubel.locator("input[name=issues][value='living_wage']").check()
    await rubel.locator("#f-description").fill("Forty workers were not paid for overtime.")
    await rubel.locator("#f-remedy_sought").fill("Pay the overtime owed.")
    await rubel.locator("#f-name").fill("Rubel Hossain")
    await rubel.get_by_role("button", name="Send the complaint").click()
    await rubel.wait_for_load_state()
    reference = (await rubel.locator("#reference").inner_text()).strip()

    ilse = fresh.pages["ilse"]
    await ilse.goto("/portal")
    await expect(ilse.get_by_role("link", name=reference)).to_have_count(0)
    assert (await ilse.goto(f"/portal/cases/{reference}")).status == 404  # type: ignore[union-attr]
    await fresh.act("sanne", reference, "register", note="Within the covenant's scope.")
    await fresh.act("willem", reference, "declare_admissible", reasons="A covenant company.")
    await ilse.goto("/portal")
    await expect(ilse.get_by_role("link", name=reference).first).to_be_visible()
    await fresh.shot(ilse, "company-dashboard")
    subject, text = fresh.mail_to(CONTACT, reference)  # the imported contact is told, in Dutch
    assert reference in subject + text and "Waddenzee" in text

    await fresh.act("ilse", reference, "submit_response", text="We will check the pay records.")
    await fresh.act("sanne", reference, "propose_mediation")
    await fresh.act("sanne", reference, "end_mediation", reason="The union asks for a ruling.")
    hearing = (datetime.now(UTC) + timedelta(days=14)).strftime("%Y-%m-%dT10:00")
    await fresh.act("sanne", reference, "schedule_hearing", at=hearing)
    await fresh.act("willem", reference, "record_hearing", minutes="Both parties heard.")
    await fresh.act(
        "willem",
        reference,
        "issue_decision",
        finding="founded",
        reasons="The pay records show the overtime.",
        **{
            "order-1-text": "Pay the overtime owed",
            "order-1-due": (date.today() + timedelta(days=60)).isoformat(),
        },
    )
    await fresh.act("ilse", reference, "submit_remediation_plan", text="Pay in the next run.")
    await fresh.act("sanne", reference, "approve_remediation_plan")
    await fresh.act("ilse", reference, "submit_progress_report", order="1", text="Paid.")
    await fresh.act("sanne", reference, "verify_order", order="1")
    closed = await fresh.act("willem", reference, "close", outcome="resolved", summary="Paid.")
    await expect(closed.locator(".case-meta")).to_contain_text("Closed")
    await rubel.goto(f"/portal/cases/{reference}")
    await expect(rubel.locator(".case-meta")).to_contain_text("Resolved")
    await fresh.shot(rubel, "union-closed")
