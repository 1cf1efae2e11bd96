"""Every public page describes itself to search engines and link previews in one sentence of
its own (``<meta name="description">``), in the page's language (issue 23)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.pages.i18n import translations
from tests.pages.wire import light_site

# The public pages that need no case: the tracking page, the receipt and a register entry
# have theirs too (their templates), tried where a case exists (the Lighthouse runs).
PAGES = ["/", "/complaint", "/signal", "/track", "/login", "/register"]
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with light_site(tmp_path_factory.mktemp("meta")) as client:
        yield client


def description(http: TestClient, path: str, language: str) -> str:
    page = http.get(path, headers={"Accept-Language": language})
    assert page.status_code == 200, (path, page.status_code)
    found = DESCRIPTION.findall(page.text)
    assert len(found) == 1, (path, found)
    return html.unescape(found[0])


def test_each_public_page_has_a_sentence_of_its_own(http: TestClient) -> None:
    sentences = [description(http, path, "en") for path in PAGES]
    assert all(len(sentence) >= 40 for sentence in sentences), sentences
    assert len(set(sentences)) == len(PAGES), sentences


@pytest.mark.parametrize("language", ["bn", "zh"])
def test_the_description_is_in_the_pages_language(http: TestClient, language: str) -> None:
    catalog = translations(language)
    for path in PAGES:
        english = description(http, path, "en")
        assert description(http, path, language) == catalog.gettext(english), path
