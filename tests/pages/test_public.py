"""The public pages in Chromium: file with evidence, confirm, track; CSRF, 404, weight, 375 px."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from playwright.async_api import Browser, Page, expect
from sqlmodel import Session

from api.pages import timeline
from api.pages.cookies import FILED_COOKIE, TRACK_COOKIE
from api.pages.i18n import DEFAULT, LANGUAGES, LOCALE_DIR, local_moment, translations
from store import case_content, cases
from store import documents as document_store
from tests.pages.conftest import Site, axe_check, screenshot

REFERENCE = re.compile(r"^GT-\d{4}-[0-9A-Z]{5}$")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MAX_PAGE_BYTES = 150 * 1024


def count_cases(site: Site) -> int:
    """How many cases the read model holds."""
    with Session(site.engine) as session:
        return cases.list_cases(session=session, page_size=1)[1]


async def fill_complaint(page: Page, *, subject: str = "Union members dismissed") -> None:
    """Search for the workplace without JavaScript's help, pick it and fill in the form."""
    await page.goto("/complaint")
    await page.get_by_label("Search for the company, the factory or the town").fill("Gazipur")
    await page.get_by_role("button", name="Search").click()
    await expect(page).to_have_url(re.compile(r"/complaint\?covenant=garments-textile&q=Gazipur"))
    await page.get_by_label(re.compile("Rupali Knit.*Noorderlicht")).check()
    await page.get_by_label("Short title").fill(subject)
    await page.get_by_label(re.compile("^Freedom of association")).check()
    await page.get_by_label("What happened?").fill(
        "Twelve members of our union were dismissed one week after the union was registered."
    )
    await page.get_by_label(re.compile("^What should the company do")).fill(
        "Take the twelve workers back and pay the wages they lost."
    )
    await page.get_by_label(re.compile("^Your name")).fill("Nasima Akter")
    await page.get_by_label(re.compile("^Your organisation")).fill("Dhaka Garment Workers Union")
    await page.get_by_label(re.compile("^Whom do you speak for")).fill("Sewing operators, line 4")
    await page.get_by_label(re.compile("^E-mail address")).fill("nasima@dgwu.example")


async def file_complaint(page: Page) -> tuple[str, str]:
    """File a complaint through the form; the reference and code from the confirmation."""
    await fill_complaint(page)
    await page.get_by_role("button", name="Send the complaint").click()
    await expect(page).to_have_url(re.compile(r"/complaint/filed$"))
    reference = await page.locator("#reference").inner_text()
    code = await page.locator("#access-code").inner_text()
    return reference, code


async def test_a_union_files_with_evidence_confirms_and_tracks_its_complaint(
    page: Page, site: Site
) -> None:
    before = count_cases(site)
    await page.goto("/")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_text("Time: 5 working days")).to_be_visible()
    await screenshot(page, "public-home")
    await axe_check(page)

    await fill_complaint(page)
    await page.get_by_label("Documents, photos, video or sound").set_input_files(
        [
            {"name": "dismissal-letter.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"names withheld"},
        ]
    )
    await page.get_by_label("Keep my name secret from the company").check()
    await screenshot(page, "public-complaint-form")
    await axe_check(page)
    await page.get_by_role("button", name="Send the complaint").click()

    # The confirmation: reference and code in the page, never in an address.
    await expect(page).to_have_url(re.compile(r"/complaint/filed$"))
    reference = await page.locator("#reference").inner_text()
    code = await page.locator("#access-code").inner_text()
    assert REFERENCE.match(reference), reference
    assert re.fullmatch(r"\d{4}( \d{4}){4}", code), code  # five groups of four digits
    await expect(page.get_by_text("It is shown only on this page")).to_be_visible()
    await expect(page.get_by_text(re.compile("^Next step: The secretariat"))).to_be_visible()
    await screenshot(page, "public-confirmation")
    await axe_check(page)
    assert count_cases(site) == before + 1
    cookies = {c["name"]: c for c in await page.context.cookies()}
    for name in (FILED_COOKIE, TRACK_COOKIE):
        assert cookies[name]["httpOnly"] and cookies[name]["sameSite"] == "Lax"

    with Session(site.engine) as session:
        state = case_content.load_state(session=session, reference=reference)
        stored = document_store.list_documents(session=session, reference=reference)
    assert state is not None and state.confidential and state.stage == "screening"
    assert sorted(d.filename for d in stored) == ["dismissal-letter.pdf", "notes.txt"]
    assert {d.visibility for d in stored} == {"committee"}
    register = state.deadline("register")
    assert register is not None

    # Tracking in a fresh browser session: reference and code, then the case.
    await page.context.clear_cookies()
    await page.goto("/track")
    await screenshot(page, "public-track-form")
    await axe_check(page)
    await page.get_by_label("Reference").fill(reference)
    await page.get_by_label("Access code").fill(code)
    await page.get_by_role("button", name="Show my case").click()
    await expect(page).to_have_url(re.compile(f"/track/{reference}$"))
    await expect(page.locator("#stage")).to_have_text("Screening")
    await expect(page.get_by_text("The secretariat registers the complaint")).to_be_visible()
    due = local_moment(register.due, "en", ZoneInfo("Europe/Amsterdam"))  # with its zone
    await expect(page.locator("#next-due")).to_contain_text(due)
    # Sent to the committee alone: listed for the complainant, downloadable by staff only.
    documents = page.get_by_role("region", name="Documents")
    await expect(documents.get_by_text("dismissal-letter.pdf")).to_be_visible()
    await expect(documents.get_by_role("link", name="dismissal-letter.pdf")).to_have_count(0)
    await expect(page.locator("ol.progress > li").first).to_be_visible()
    assert code not in page.url
    await screenshot(page, "public-case")
    await axe_check(page)

    # The complainant's own message goes through the API's action service.
    await page.get_by_label("Send a message").fill("We have more witnesses if needed.")
    await page.get_by_role("button", name="Send the message").click()
    await expect(page.get_by_text("Your message was sent.")).to_be_visible()
    await expect(page.get_by_text("We have more witnesses if needed.")).to_be_visible()
    await page.get_by_label("Add a document").set_input_files(
        {"name": "photo.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}
    )
    await page.get_by_label("The committee and the company").last.check()
    await page.get_by_role("button", name="Add the document").click()
    await expect(page.get_by_text("The document was added.")).to_be_visible()
    async with page.expect_download() as download:
        await page.get_by_role("link", name="photo.png").click()
    saved = await (await download.value).path()
    assert Path(saved).read_bytes() == b"\x89PNG\r\n\x1a\n"


async def test_the_search_and_the_form_work_without_javascript(
    site: Site, browser: Browser
) -> None:
    context = await browser.new_context(base_url=site.url, java_script_enabled=False)
    try:
        page = await context.new_page()
        reference, code = await file_complaint(page)
        assert REFERENCE.match(reference) and code
        # Printing needs the script: without it the page offers no button that does nothing.
        await expect(page.locator("#print")).to_be_hidden()
        await page.get_by_role("link", name="Follow your case").click()
        await expect(page.locator("#stage")).to_have_text("Screening")
    finally:
        await context.close()


async def test_a_form_posted_without_its_csrf_token_is_refused_and_files_nothing(
    page: Page, site: Site
) -> None:
    before = count_cases(site)
    await fill_complaint(page, subject="Posted without a token")
    await page.locator("form.complaint input[name=csrf_token]").evaluate("e => e.remove()")
    await page.get_by_role("button", name="Send the complaint").click()
    await expect(page.get_by_role("heading", name="The form has expired")).to_be_visible()
    await screenshot(page, "public-csrf-refused")
    assert count_cases(site) == before
    for path, form in (
        ("/complaint", {"covenant": "garments-textile"}),
        ("/track", {"reference": "GT-2026-00000", "code": "x"}),
        ("/login", {"username": "union", "password": "demo"}),
        ("/logout", {}),
        ("/complaint", {"csrf_token": "forged", "covenant": "garments-textile"}),
    ):
        answer = await page.request.post(path, form=form)
        assert answer.status == 403, path
        assert "The form has expired" in await answer.text()
    assert count_cases(site) == before


async def test_a_wrong_access_code_and_an_unknown_case_get_the_same_404(
    page: Page, site: Site
) -> None:
    reference, code = await file_complaint(page)
    await page.context.clear_cookies()
    await page.goto("/track")
    await page.get_by_label("Reference").fill(reference)
    await page.get_by_label("Access code").fill(code[::-1])
    await page.get_by_role("button", name="Show my case").click()
    await expect(page.get_by_role("heading", name="No case found")).to_be_visible()
    await screenshot(page, "public-track-not-found")
    bodies = []
    for path in (f"/track/{reference}", "/track/GT-2026-ZZZZZ"):
        answer = await page.goto(path)
        assert answer is not None and answer.status == 404
        bodies.append(await page.locator("main").inner_html())
    assert bodies[0] == bodies[1]
    await expect(page.get_by_role("heading", name="Case not found")).to_be_visible()
    answer = await page.request.get(f"/track/{reference}/documents/anything")
    assert answer.status == 404


async def public_pages(page: Page) -> dict[str, str]:
    """Every public page by name, after filing (for the confirmation and the case)."""
    reference, _ = await file_complaint(page)
    return {
        "home": "/",
        "complaint": "/complaint",
        "complaint-search": "/complaint?q=Gazipur",
        "confirmation": "/complaint/filed",
        "track": "/track",
        "case": f"/track/{reference}",
        "login": "/login",
    }


async def test_public_pages_are_light_accessible_and_use_no_other_host(
    page: Page, site: Site
) -> None:
    host = urlparse(site.url).netloc
    for path in (await public_pages(page)).values():
        await page.goto(path)
        await page.wait_for_load_state("networkidle")
        # The page and everything it loaded, uncompressed, as the browser counted it.
        loaded = await page.evaluate(
            """() => performance.getEntriesByType("navigation")
                .concat(performance.getEntriesByType("resource"))
                .map(e => [e.name, e.decodedBodySize])"""
        )
        for url, _ in loaded:
            assert urlparse(url).netloc == host, url
        weight = sum(size for _, size in loaded)
        assert 0 < weight < MAX_PAGE_BYTES, f"{path}: {weight} bytes"
        references = await page.eval_on_selector_all(
            "[src], [href]", "els => els.map(e => e.getAttribute('src') || e.getAttribute('href'))"
        )
        for target in references:
            assert urlparse(target).netloc in ("", host), f"{path} links to {target}"
        await axe_check(page)


async def test_public_pages_are_readable_at_375_pixels(page: Page, site: Site) -> None:
    pages = await public_pages(page)
    await page.set_viewport_size({"width": 375, "height": 812})
    for name, path in pages.items():
        await page.goto(path)
        await screenshot(page, f"public-375-{name}")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways: {width}px"


TRANSLATED = ("nl", "bn", "tr", "zh")
TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def public_message_ids() -> set[str]:
    """Every message id of the layout, the public templates and the progress list."""
    sources = [
        ("jinja2", TEMPLATES / "base.html"),
        *(("jinja2", path) for path in sorted((TEMPLATES / "public").glob("*.html"))),
        ("python", Path(timeline.__file__)),
    ]
    found: set[str] = set()
    for method, path in sources:
        with path.open("rb") as handle:
            for _, message, _, _ in extract(method, handle, keywords=KEYWORDS):
                found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_public_message_id_is_translated_in_every_catalogued_language() -> None:
    ids = public_message_ids()
    assert len(ids) > 250
    for language in TRANSLATED:
        path = LOCALE_DIR / language / "LC_MESSAGES" / "public.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        untranslated = []
        for message_id in sorted(ids):
            message = catalog.get(message_id)
            strings = (
                [message.string] if message and isinstance(message.string, str)
                else list(message.string) if message else []
            )  # fmt: skip
            if not strings or not all(strings):
                untranslated.append(message_id)
        assert not untranslated, f"{language}: {untranslated}"


class Recording:
    """A language's translations that note every message id they lack."""

    def __init__(self, language: str, misses: set[tuple[str, str]], used: set[str]) -> None:
        self.language = language
        self.inner = translations(language)
        self.misses = misses
        self.used = used

    def _check(self, key: object, message: str) -> None:
        self.used.add(self.language)
        catalog = getattr(self.inner, "_catalog", {})
        if self.language != DEFAULT and key not in catalog:
            self.misses.add((self.language, message))

    def gettext(self, message: str) -> str:
        """Translate, noting a miss."""
        self._check(message, message)
        return self.inner.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a plural, noting a miss."""
        self._check((singular, 0), singular)
        return self.inner.ngettext(singular, plural, n)


async def test_each_public_page_renders_in_every_language_without_an_untranslated_id(
    page: Page, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    misses: set[tuple[str, str]] = set()
    used: set[str] = set()
    recorded = lambda language: Recording(language, misses, used)  # noqa: E731
    for module in ("api.pages.templating", "api.pages.tracking"):
        monkeypatch.setattr(f"{module}.translations", recorded)
    pages = await public_pages(page)
    pages["not-found"] = "/track/GT-2026-ZZZZZ"
    for language in LANGUAGES:
        for path in pages.values():
            joined = "&" if "?" in path else "?"
            await page.goto(f"{path}{joined}lang={language}")
            await expect(page.locator("html")).to_have_attribute("lang", language)
        # The complaint form with every error it can show, and a wrong access code.
        await page.goto(f"/complaint?lang={language}")
        await page.locator("form.complaint > button[type=submit]").click()
        await expect(page.locator("#error-summary")).to_be_visible()
        await page.goto("/track")
        await page.locator("#f-reference").fill("GT-2026-ZZZZZ")
        await page.locator("#f-code").fill("wrong")
        await page.locator("form.track button[type=submit]").click()
        await expect(page.locator("#error-summary")).to_be_visible()
        if language == "bn":
            await screenshot(page, "public-track-not-found-bn")
    await page.goto("/?lang=zh")
    await screenshot(page, "public-home-zh")
    assert used == set(LANGUAGES)  # every page went through the recording catalogs
    assert not misses, sorted(misses)
