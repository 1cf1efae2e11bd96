"""The portal over HTTP: sign-in redirect, lists and filters, the case page, forms and CSRF."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx

from api.pages.cookies import SESSION_COOKIE
from api.pages.portal import end_of_week
from notifications.mailbox import MailStore
from tests.pages.conftest import Site
from tests.pages.portal import CSRF, Portal

FORM_ACTIONS = re.compile(r'<input type="hidden" name="action" value="([a-z_]+)">')
CONFIDENTIAL_NAME = "Shirin Parvez Confidential"


async def test_the_portal_asks_to_sign_in(site: Site) -> None:
    async with httpx.AsyncClient(base_url=site.url) as http:
        answer = await http.get("/portal/deadlines?x=1")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fportal%2Fdeadlines%3Fx%3D1"


async def test_staff_dashboard_filters_and_search(portal: Portal) -> None:
    reference = await portal.file(subject="Locked fire exits at the cutting hall")
    staff = await portal.as_user("secretariat")
    listed = await staff.get("/portal")
    assert listed.status_code == 200 and reference in listed.text
    assert (await staff.get("/portal", params={"q": "fire exits"})).text.count(reference) >= 1
    assert reference not in (await staff.get("/portal", params={"q": "no-such-words"})).text
    assert reference in (await staff.get("/portal", params={"stage": "screening"})).text
    assert reference not in (await staff.get("/portal", params={"stage": "hearing"})).text
    assert reference not in (await staff.get("/portal", params={"overdue": "1"})).text
    due = datetime.fromisoformat((await portal.read(reference))["deadlines"][0]["due"])
    this_week = due < end_of_week(datetime.now(UTC))
    assert (reference in (await staff.get("/portal", params={"week": "1"})).text) == this_week
    assert reference not in (await staff.get("/portal", params={"mine": "1"})).text
    covenant = await staff.get("/portal", params={"covenant": "natural-stone"})
    assert reference not in covenant.text


async def test_deadlines_view_is_for_staff(portal: Portal) -> None:
    reference = await portal.file()
    staff = await portal.as_user("chair")
    view = await staff.get("/portal/deadlines")
    assert view.status_code == 200 and reference in view.text
    assert "Register the complaint" in view.text
    company = await portal.as_user("company")
    assert (await company.get("/portal/deadlines")).status_code == 404


async def test_the_case_page_offers_exactly_the_allowed_actions(portal: Portal) -> None:
    reference = await portal.file()
    company = await portal.as_user("company")  # in screening it does not know of it
    assert (await company.get(f"/portal/cases/{reference}")).status_code == 404
    await portal.post_action("secretariat", reference, action="register")
    for username in ("secretariat", "chair", "company"):
        client = await portal.as_user(username)
        page = await client.get(f"/portal/cases/{reference}")
        assert page.status_code == 200
        allowed = await client.get(
            f"/api/v1/cases/{reference}/actions",
            headers={"Authorization": f"Bearer {client.cookies[SESSION_COOKIE]}"},
        )
        expected = set(allowed.json()["allowed"]) - {"add_document"}
        assert set(FORM_ACTIONS.findall(page.text)) == expected, username
        assert ('enctype="multipart/form-data"' in page.text) == (
            "add_document" in allowed.json()["allowed"]
        )
        assert '<ol class="progress">' in page.text


async def test_the_case_page_stays_light(portal: Portal) -> None:
    reference = await portal.file()
    staff = await portal.as_user("chair")
    page = await staff.get(f"/portal/cases/{reference}")
    css = await staff.get("/static/site.css")
    # The one http:// allowed is the SVG namespace (the inline chart's, and the icon's in
    # its data: address, quoted there with single quotes).
    namespace = re.compile(r"""xmlns=["']http://www\.w3\.org/2000/svg["']""")
    assert "<script" not in page.text
    assert "http://" not in namespace.sub("", page.text)
    assert len(page.content) + len(css.content) < 150_000


async def test_a_form_without_its_csrf_token_is_refused(portal: Portal) -> None:
    reference = await portal.file()
    refused = await portal.post_action("secretariat", reference, csrf=False, action="register")
    assert refused.status_code == 403
    forged = await portal.post_action(
        "secretariat", reference, csrf=False, action="register", csrf_token="forged"
    )
    assert forged.status_code == 403
    staff = await portal.as_user("secretariat")
    assert "Screening" in (await staff.get(f"/portal/cases/{reference}")).text


async def test_an_action_form_runs_the_action(portal: Portal) -> None:
    reference = await portal.file()
    done = await portal.post_action("secretariat", reference, action="register", note="In scope.")
    assert done.status_code == 303
    assert done.headers["location"] == f"/portal/cases/{reference}?done=register#result"
    staff = await portal.as_user("secretariat")
    page = await staff.get(done.headers["location"])
    assert "Done: Register the complaint." in page.text
    assert "Admissibility" in page.text
    again = await portal.post_action("secretariat", reference, action="register")
    assert again.status_code == 409  # the form is gone; a stale one is refused, not run
    assert "This action is not possible now." in again.text


async def test_field_errors_come_back_on_the_form(portal: Portal) -> None:
    reference = await portal.file()
    await portal.post_action("secretariat", reference, action="register")
    empty = await portal.post_action("chair", reference, action="declare_inadmissible")
    assert empty.status_code == 422
    assert "This field is required." in empty.text
    assert 'id="declare_inadmissible-reasons" name="reasons" required aria-invalid="true"' in (
        empty.text
    )
    short = await portal.post_action(
        "chair", reference, action="declare_inadmissible", reasons="no"
    )
    assert short.status_code == 422 and "at least 3 characters" in short.text
    late = await portal.post_action(
        "secretariat", reference, action="refer_out", reason="Belongs to the national NCP."
    )
    assert late.status_code == 409  # a screening action, refused once registered
    forbidden = await portal.post_action("company", reference, action="declare_admissible")
    assert forbidden.status_code == 403 and "You may not take this action." in forbidden.text


async def test_assigning_a_mediator_and_an_officer(portal: Portal) -> None:
    reference = await portal.file()
    staff = await portal.as_user("secretariat")
    page = await staff.get(f"/portal/cases/{reference}")
    assert '<option value="mediator">' in page.text
    done = await portal.post_action(
        "secretariat", reference, action="assign", mediator="mediator", officer="secretariat"
    )
    assert done.status_code == 303
    mediator = await portal.as_user("mediator")
    assert (await mediator.get(f"/portal/cases/{reference}")).status_code == 200
    mine = await staff.get("/portal", params={"mine": "1"})
    assert reference in mine.text
    wrong = await portal.post_action("secretariat", reference, action="assign", mediator="company")
    assert wrong.status_code == 422 and "not an active user" in wrong.text


async def test_company_sees_no_confidential_complainant_and_no_other_case(portal: Portal) -> None:
    reference = await portal.file(
        complainant={
            "name": CONFIDENTIAL_NAME,
            "organisation": "Hidden Union",
            "confidential": True,
        }
    )
    staff = await portal.as_user("secretariat")
    assert CONFIDENTIAL_NAME in (await staff.get(f"/portal/cases/{reference}")).text
    company = await portal.as_user("company")
    assert reference not in (await company.get("/portal")).text  # not before registration
    await portal.post_action("secretariat", reference, action="register")
    assert reference in (await company.get("/portal")).text
    for path in ("/portal", f"/portal/cases/{reference}", "/portal/mail"):
        page = await company.get(path)
        assert page.status_code == 200, path
        assert CONFIDENTIAL_NAME not in page.text and "Hidden Union" not in page.text, path
    assert "Complainant " in (await company.get(f"/portal/cases/{reference}")).text
    other = await portal.as_user("company2")
    assert (await other.get(f"/portal/cases/{reference}")).status_code == 404
    assert reference not in (await other.get("/portal")).text
    assert (await other.get("/portal/cases/GT-0000-NOPE")).status_code == 404


async def test_a_union_sees_the_cases_it_filed(portal: Portal) -> None:
    reference = await portal.file(as_user="union")
    union = await portal.as_user("union")
    listed = await union.get("/portal")
    assert reference in listed.text and "Screening" in listed.text
    page = await union.get(f"/portal/cases/{reference}")
    assert page.status_code == 200 and 'value="withdraw"' in page.text


async def test_documents_upload_and_download_through_the_pages(portal: Portal) -> None:
    reference = await portal.file()
    await portal.post_action("secretariat", reference, action="register")
    staff = await portal.as_user("secretariat")
    page = await staff.get(f"/portal/cases/{reference}")
    token = CSRF.findall(page.text)[0]
    for name, visibility in (("minutes.txt", "committee"), ("evidence.txt", "parties")):
        sent = await staff.post(
            f"/portal/cases/{reference}/documents",
            data={"csrf_token": token, "visibility": visibility},
            files={"file": (name, b"notes of the call", "text/plain")},
        )
        assert sent.status_code == 303, sent.text
    page = await staff.get(f"/portal/cases/{reference}?uploaded=1")
    links = dict(
        (name, href)
        for href, name in re.findall(
            r'<a href="(/portal/cases/[^"]+/documents/[^"]+)" download>([^<]+)', page.text
        )
    )
    assert set(links) == {"minutes.txt", "evidence.txt"}
    got = await staff.get(links["minutes.txt"])
    assert got.status_code == 200 and got.content == b"notes of the call"
    company = await portal.as_user("company")
    assert (await company.get(links["evidence.txt"])).status_code == 200
    assert (await company.get(links["minutes.txt"])).status_code == 404
    no_token = await staff.post(
        f"/portal/cases/{reference}/documents",
        data={"visibility": "parties"},
        files={"file": ("x.txt", b"x", "text/plain")},
    )
    assert no_token.status_code == 403
    wrong_type = await staff.post(
        f"/portal/cases/{reference}/documents",
        data={"csrf_token": token, "visibility": "parties"},
        files={"file": ("x.exe", b"MZ", "application/x-msdownload")},
    )
    assert wrong_type.status_code == 415 and "is not accepted" in wrong_type.text


async def test_the_mail_page_shows_the_sink_to_staff_and_own_mail_to_parties(
    portal: Portal, site: Site
) -> None:
    store = MailStore(site.settings.data_dir / "mail")
    for to, subject in (
        ("csr@noorderlicht-fashion.example", "Notice for the company"),
        ("rahima@workers.example", "Receipt for the complainant"),
    ):
        message = (
            f"From: Redress <no-reply@redress.localhost>\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '-')}@test>\r\nContent-Type: text/plain\r\n\r\n"
            f"Hello.\r\n"
        )
        store.save(message.encode(), mail_from="no-reply@redress.localhost", rcpt_tos=[to])
    staff = await portal.as_user("secretariat")
    listed = await staff.get("/portal/mail")
    assert "Notice for the company" in listed.text and "Receipt for the complainant" in listed.text
    first = re.findall(r'href="(/portal/mail/[^"]+)"', listed.text)[0]
    shown = await staff.get(first)
    assert shown.status_code == 200 and "Hello." in shown.text
    company = await portal.as_user("company")
    theirs = await company.get("/portal/mail")
    assert "Notice for the company" in theirs.text
    assert "Receipt for the complainant" not in theirs.text
    receipt = [p for p in re.findall(r'href="(/portal/mail/[^"]+)"', listed.text) if "Receipt" in p]
    assert (await company.get(receipt[0])).status_code == 404


async def test_the_portal_speaks_dutch(portal: Portal) -> None:
    reference = await portal.file()
    staff = await portal.as_user("secretariat")
    page = await staff.get(f"/portal/cases/{reference}", params={"lang": "nl"})
    assert 'lang="nl"' in page.text
    assert "Wat u nu kunt doen" in page.text and "Registreer de klacht" in page.text
    assert "Convenant Duurzame Kleding en Textiel" in page.text


async def test_a_signal_through_the_portal_each_company_for_itself(portal: Portal) -> None:
    at_rupali = {"company": "noorderlicht-fashion", "production_location": "demo-bd-rupali"}
    reference = await portal.file(kind="signals", respondent=at_rupali)
    staff = await portal.as_user("secretariat")
    page = await staff.get(f"/portal/cases/{reference}")
    assert "Pass the signal on to the companies" in page.text
    assert set(FORM_ACTIONS.findall(page.text)) >= {"forward_signal", "convert_to_complaint"}
    done = await portal.post_action(
        "secretariat", reference, action="forward_signal", note="Please look into this."
    )
    assert done.status_code == 303
    for username, company in (("company", "Noorderlicht"), ("company2", "Delta Denim")):
        client = await portal.as_user(username)
        listed = await client.get("/portal")
        assert f"Due diligence and remediation by {company}" in listed.text, username
        page = await client.get(f"/portal/cases/{reference}")
        assert 'value="report_due_diligence"' in page.text
        assert f"Due diligence: {company}" in page.text  # one picture row per company
    reported = await portal.post_action(
        "company", reference, action="report_due_diligence", text="Audited; wages repaid."
    )
    assert reported.status_code == 303
    page = await (await portal.as_user("company")).get(f"/portal/cases/{reference}")
    assert 'value="report_due_diligence"' not in page.text  # reported once, per company
    assert (
        'value="report_due_diligence"'
        in (await (await portal.as_user("company2")).get(f"/portal/cases/{reference}")).text
    )
