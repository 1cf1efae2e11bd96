"""The portal's case page for a case against two companies: staff mark a message or a
document for one of them, which that company sees and the other does not."""

from __future__ import annotations

import asyncio
import re

from playwright.async_api import Page

from tests.pages.conftest import Site, axe_check, login, screenshot
from tests.pages.portal import CSRF, Portal

AT_RUPALI = {"production_location": "demo-bd-rupali"}  # Noorderlicht and Delta Denim buy there
NOORDERLICHT = {"company@redress.localhost", "csr@noorderlicht-fashion.example"}
DELTA = {"company2@redress.localhost", "compliance@delta-denim.example"}
LINK = re.compile(r'<a href="(/portal/cases/[^"]+/documents/[^"]+)" download>([^<]+)')


async def _registered(portal: Portal) -> str:
    reference = await portal.file(respondent=AT_RUPALI)
    done = await portal.post_action("secretariat", reference, action="register")
    assert done.status_code == 303, done.text
    return reference


async def test_staff_mark_a_message_and_a_document_for_delta_denim_only(
    portal: Portal, site: Site
) -> None:
    reference = await _registered(portal)
    staff = await portal.as_user("secretariat")
    page = await staff.get(f"/portal/cases/{reference}")
    # Staff are offered the choice in both forms; the upload form's select names each company.
    assert page.text.count('name="party"') == 2
    assert '<option value="delta-denim">Only for Delta Denim N.V.</option>' in page.text
    companies_page = await (await portal.as_user("company2")).get(f"/portal/cases/{reference}")
    assert 'name="party"' not in companies_page.text

    token = CSRF.findall(page.text)[0]
    sent = await staff.post(
        f"/portal/cases/{reference}/documents",
        data={"csrf_token": token, "visibility": "parties", "party": "delta-denim"},
        files={"file": ("delta-audit.txt", b"the audit of Delta's orders", "text/plain")},
    )
    assert sent.status_code == 303, sent.text
    text = f"Delta Denim only ({reference}): please send your purchase orders."
    posted = await portal.post_action(
        "secretariat",
        reference,
        action="add_message",
        text=text,
        visibility="parties",
        party="delta-denim",
    )
    assert posted.status_code == 303, posted.text

    shown = await staff.get(f"/portal/cases/{reference}")
    links = dict((name, href) for href, name in LINK.findall(shown.text))
    assert "delta-audit.txt" in links and text in shown.text
    assert "Only for Delta Denim N.V." in shown.text.split('id="messages"')[1]

    delta = await portal.as_user("company2")
    theirs = await delta.get(f"/portal/cases/{reference}")
    assert text in theirs.text and "delta-audit.txt" in theirs.text
    assert "Only for Delta Denim N.V." in theirs.text
    got = await delta.get(links["delta-audit.txt"])
    assert got.status_code == 200 and got.content == b"the audit of Delta's orders"

    noorderlicht = await portal.as_user("company")
    other = await noorderlicht.get(f"/portal/cases/{reference}")
    assert other.status_code == 200
    assert text not in other.text and "delta-audit" not in other.text
    assert (await noorderlicht.get(links["delta-audit.txt"])).status_code == 404

    # The message's e-mail reaches Delta Denim and never Noorderlicht.
    for _ in range(100):
        if any(text in m.text for m in site.mailer.sent if m.to in DELTA):
            break
        await asyncio.sleep(0.1)
    assert any(text in m.text for m in site.mailer.sent if m.to in DELTA)
    assert not any(text in m.text for m in site.mailer.sent if m.to in NOORDERLICHT)


async def test_a_company_cannot_mark_and_an_unknown_company_is_named(portal: Portal) -> None:
    reference = await _registered(portal)
    refused = await portal.post_action(
        "company", reference, action="add_message", text="Only ours", party="noorderlicht-fashion"
    )
    assert refused.status_code == 403
    assert "You may not take this action." in refused.text and "party" in refused.text
    unknown = await portal.post_action(
        "secretariat", reference, action="add_message", text="Hello", party="stonebridge-stone"
    )
    assert unknown.status_code == 422
    assert re.search(r'id="add_message-party-error">[^<]*is not a respondent', unknown.text)


async def test_the_choice_is_accessible_and_speaks_dutch(portal: Portal, page: Page) -> None:
    reference = await _registered(portal)
    await login(page, "secretariat")
    await page.goto(f"/portal/cases/{reference}?lang=nl")
    assert await page.locator("#upload-party").count() == 1
    assert "Alleen voor Delta Denim N.V." in await page.locator("#upload-party").inner_text()
    await axe_check(page)
    await screenshot(page, "portal-case-two-companies-nl")
