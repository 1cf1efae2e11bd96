"""The tracking page lets a complainant switch its notices between e-mail only and also SMS
(with a mobile number in international form), in Chromium; the complaint form's choice
reaches the filing."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect
from sqlmodel import Session
from starlette.datastructures import FormData

from api.pages.filing_form import case_body, case_values
from domain.filing import FileComplaintInput
from store import cases
from tests.pages.conftest import Site, axe_check
from tests.pages.portal import complaint
from tests.pages.test_tracking_mediation import open_tracked


def choice_of(site: Site, reference: str) -> tuple[str, str | None]:
    with Session(site.engine) as session:
        person = cases.get_complainant(session=session, reference=reference)
    assert person is not None
    return person.notices, person.phone


async def test_the_complainant_switches_to_sms_and_back_on_the_tracking_page(
    page: Page, site: Site
) -> None:
    body = complaint()
    body["complainant"] = {**body["complainant"], "phone": "01711 000301"}  # no country code
    async with httpx.AsyncClient(base_url=site.url, timeout=40) as http:
        filed = await http.post("/api/v1/complaints", json=body)
    assert filed.status_code == 201, filed.text
    reference, code = filed.json()["reference"], filed.json()["access_code"]
    await open_tracked(page, reference, code)
    section = page.get_by_role("region", name="News of the case by SMS")
    await expect(section.get_by_label("By e-mail only")).to_be_checked()
    number = section.get_by_label("Mobile number for SMS")
    await expect(number).to_have_value("01711 000301")

    await section.get_by_label("Also by SMS", exact=False).check()
    await section.get_by_role("button", name="Save how we tell you").click()
    await expect(page.locator("#phone-error")).to_contain_text("+ and the country code")
    await expect(number).to_have_attribute("aria-invalid", "true")
    assert choice_of(site, reference) == ("email", "01711 000301")  # nothing saved

    await number.fill("+880 1711-000301")
    await section.get_by_role("button", name="Save how we tell you").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Your choice was saved. We tell you about the case as you chose."
    )
    assert choice_of(site, reference) == ("sms", "+8801711000301")
    await expect(section.get_by_label("Also by SMS", exact=False)).to_be_checked()
    await axe_check(page)

    await section.get_by_label("By e-mail only").check()
    await section.get_by_role("button", name="Save how we tell you").click()
    await expect(page.get_by_role("status")).to_be_visible()
    assert choice_of(site, reference) == ("email", "+8801711000301")


def test_the_complaint_forms_sms_choice_becomes_the_filings() -> None:
    posted = FormData(
        [
            ("name", "Rahima Khatun"),
            ("phone", "+880 1711 000302"),
            ("sms_notices", "yes"),
            ("subject", "Dismissal of union organisers"),
            ("description", "Twelve organisers were dismissed after registering a union."),
            ("issues", "freedom_of_association"),
        ]
    )
    values = case_values(posted)
    body = case_body("garments-textile", {"company": "noorderlicht-fashion"}, values)
    filing = FileComplaintInput.model_validate(body)
    assert (filing.complainant.notices, filing.complainant.phone) == ("sms", "+8801711000302")
    unticked = case_values(
        FormData([(k, v) for k, v in posted.multi_items() if k != "sms_notices"])
    )
    plain = case_body("garments-textile", {"company": "noorderlicht-fashion"}, unticked)
    assert FileComplaintInput.model_validate(plain).complainant.notices == "email"
