"""Lighthouse 12 on the public pages, the sign-in page and a portal page seen signed in (an
open case's page, as the secretariat reads it), in English and Bengali, as a phone sees them
(mobile, simulated slow 4G): no failed accessibility, best-practices or SEO audit.

The site is served from SQLite without Temporal (tests/lighthouse/site.py); a demo account
signs in through the API and its token goes as the session cookie with the portal page's
requests only. Lighthouse runs once on every page, in sequence with one Chromium (about two
minutes on 2 cores), and each page's failures are its own test's. The reports stay in
test-artifacts/lighthouse/ (open one in https://googlechrome.github.io/lighthouse/viewer/ to
read it). Performance is measured by ``make bench`` (bench/lighthouse.py), never asserted
here.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.lighthouse.audits import (
    ARTIFACTS,
    AUDITED,
    CHECKED,
    LANGUAGES,
    Page,
    failures,
    missing,
    reports,
    url_of,
)
from tests.lighthouse.site import served_site, session_cookie

pytestmark = pytest.mark.lighthouse


@dataclass
class Audited:
    """Lighthouse's report on each page in each language, the address asked for and the
    language each was served in (its <html lang>), by (page name, language)."""

    reports: dict[tuple[str, str], dict[str, Any]]
    urls: dict[tuple[str, str], str]
    served_in: dict[tuple[str, str], str | None]


def _html_lang(url: str, cookie: str | None) -> str | None:
    """The page's <html lang> (None if it has none, did not load or was another page's, as a
    portal page without its session redirects to the sign-in form: Lighthouse says why)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            found = re.search(r'<html lang="([^"]*)"', answer.read().decode())
            if answer.geturl() != url:
                return None
    except urllib.error.HTTPError:
        return None
    return found.group(1) if found else None


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Audited]:
    """Lighthouse on every page in every language, with one server and one Chromium."""
    lacking = missing()
    if lacking:
        pytest.fail(lacking)
    pairs = [(page, language) for page in AUDITED for language in LANGUAGES]
    with served_site(tmp_path_factory.mktemp("lighthouse")) as site:
        cookie = session_cookie(site)
        urls = [url_of(site, page, lang) for page, lang in pairs]
        served_in = {
            (p.name, lang): _html_lang(url, cookie if p.signed_in else None)
            for (p, lang), url in zip(pairs, urls, strict=True)
        }
        found = reports(urls, ARTIFACTS, cookie=cookie)
    yield Audited(
        {(p.name, lang): runs[0] for (p, lang), runs in zip(pairs, found, strict=True) if runs},
        {(p.name, lang): url for (p, lang), url in zip(pairs, urls, strict=True)},
        served_in,
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", AUDITED, ids=[page.name for page in AUDITED])
def test_no_failed_audit(audited: Audited, page: Page, language: str) -> None:
    report = audited.reports.get((page.name, language))
    assert report is not None, f"Lighthouse gave no report on {page.path}?lang={language}"
    assert report["configSettings"]["formFactor"] == "mobile"
    assert report["configSettings"]["throttlingMethod"] == "simulate"
    found = failures(report, expected=dict(page.expected))
    assert not found, f"Lighthouse on {page.name} ({page.path}, {language}):\n" + "\n".join(
        f"  {failure}" for failure in found
    )
    # The page audited was the one asked for (a portal page without its session would have been
    # the sign-in form), in the language asked for, and audited in each category (an empty
    # category would pass vacuously).
    assert report["finalDisplayedUrl"] == audited.urls[(page.name, language)]
    assert audited.served_in[(page.name, language)] == language
    for category in CHECKED:
        assert report["categories"][category]["auditRefs"], category
